import { CascadeModel } from '../model/cascade';
import { formatValue } from '../model/format';
import { Numbers } from '../model/series';
import { LaneName } from '../testIds';

export interface LaneLayout {
  readonly name: LaneName;
  /** Title row above the plot (legend, ETA labels); 0 in compact mode. */
  readonly titleHeight: number;
  readonly plotHeight: number;
  readonly showTimeAxis: boolean;
}

export interface PanelLayout {
  readonly compact: boolean;
  readonly lanes: readonly LaneLayout[];
  readonly axisSizes: { readonly left: number; readonly right: number };
}

/** Below this a panel shows header and sparklines: no axes, no legends. */
export const COMPACT_HEIGHT = 260;
export const COMPACT_WIDTH = 420;
const TITLE_HEIGHT = 20;
const MIN_PLOT = { normal: 48, compact: 18 };
const WEIGHTS: Record<LaneName, number> = { traffic: 4, database: 3.5, instances: 2.5 };
/** Approximate width of a digit at the axis font (12px). */
const CHAR_PX = 7;

/**
 * The largest value, from at most ~4k evenly spaced points: it only sizes axis labels, and a full pass over
 * every lane's 100k points costs more than the rest of the layout.
 */
function maxOf(values: Numbers | null | undefined): number {
  let m = 0;
  if (values) {
    const stride = Math.max(1, Math.floor(values.length / 4096));
    for (let i = 0; i < values.length; i += stride) {
      if (values[i] > m) {
        m = values[i];
      }
    }
  }
  return m;
}

function labelWidth(value: number, unit: string): number {
  return formatValue(value, unit, undefined).length * CHAR_PX + 12;
}

/**
 * The left axes of all lanes get the width of the widest one's labels, and the right axes too, so the
 * lanes' plotting areas line up and one time is one x position in every lane.
 */
export function axisSizes(model: CascadeModel): { left: number; right: number } {
  const { traffic, database, instances } = model.lanes;
  const widths: number[] = [];
  if (traffic) {
    widths.push(labelWidth(Math.max(maxOf(traffic.series[0]?.values), maxOf(traffic.band?.upper)), traffic.unit));
  }
  let right = 0;
  if (database) {
    const left = database.backlog[0] ?? database.lag[0];
    if (left) {
      const top = Math.max(
        ...(database.backlog.length ? database.backlog : database.lag).map((s) => maxOf(s.values)),
        database.limits.backlog ?? 0
      );
      widths.push(labelWidth(top, left.unit));
    } else {
      widths.push(labelWidth(1, 'percentunit'));
    }
    if (database.backlog.length > 0 && database.lag.length > 0) {
      right = Math.max(
        36,
        labelWidth(Math.max(...database.lag.map((s) => maxOf(s.values)), database.limits.lagCritical), 's')
      );
    }
  }
  if (instances) {
    widths.push(
      labelWidth(Math.max(...[...instances.healthy, ...instances.desired].map((s) => maxOf(s.values))), 'none')
    );
  }
  return { left: Math.min(96, Math.max(36, ...widths)), right: Math.min(80, right) };
}

/** Lane heights from the space left under the header, in proportion, the bottom lane with the time axis. */
export function layoutPanel(
  model: CascadeModel,
  width: number,
  bodyHeight: number,
  compactHeader: boolean
): PanelLayout {
  const compact = compactHeader || width < COMPACT_WIDTH;
  const present = (['traffic', 'database', 'instances'] as const).filter((name) => model.lanes[name] !== null);
  const titleHeight = compact ? 0 : TITLE_HEIGHT;
  const minPlot = compact ? MIN_PLOT.compact : MIN_PLOT.normal;
  // Drop lanes from the bottom of the cascade upwards until the rest fit.
  let shown: LaneName[] = [...present];
  while (shown.length > 0 && shown.length * (minPlot + titleHeight) > bodyHeight) {
    shown = shown.slice(0, -1);
  }
  const total = shown.reduce((sum, name) => sum + WEIGHTS[name], 0);
  const room = bodyHeight - shown.length * titleHeight;
  const lanes = shown.map((name, i) => ({
    name,
    titleHeight,
    plotHeight: Math.floor((room * WEIGHTS[name]) / total),
    showTimeAxis: !compact && i === shown.length - 1,
  }));
  return { compact, lanes, axisSizes: compact ? { left: 0, right: 0 } : axisSizes(model) };
}

/** Height of one line of reasons under the header's first row. */
export const REASON_LINE_HEIGHT = 18;
/** More lines than this and the panel is a list, not a chart: the last line ends in "+N more". */
export const MAX_REASON_LINES = 2;
/** Average advance of a character of the header's text (14 px Inter; bold a little wider, small text narrower). */
const HEADER_CHAR_PX = { body: 7.4, bold: 8.4, small: 6.6 } as const;
const REASON_SEPARATOR_PX = 3 * HEADER_CHAR_PX.body;

export interface HeaderLayout {
  /** The reasons fit on the first row beside the status word. */
  readonly inline: boolean;
  /** The reasons, line by line (one line when inline); a reason is never cut in the middle. */
  readonly lines: ReadonlyArray<readonly string[]>;
  /** Reasons that did not fit in MAX_REASON_LINES (named in the header's title, counted as "+N more"). */
  readonly overflow: number;
  readonly height: number;
}

/**
 * Where the header's reasons go. On the first row when they fit beside the status word, stage and notes;
 * otherwise on lines of their own under it, packed whole, so a reason is read in full instead of ending in
 * "…" (at 1100 px the zero-healthy case's five reasons take two lines of their own).
 */
export function layoutHeader(
  parts: { word: string; reasons: readonly string[]; stage: string; notes: number },
  width: number,
  rowHeight: number
): HeaderLayout {
  const reasonWidth = (r: string) => r.length * HEADER_CHAR_PX.body;
  const all = parts.reasons.reduce((sum, r, i) => sum + reasonWidth(r) + (i > 0 ? REASON_SEPARATOR_PX : 0), 0);
  // dot, gaps and padding; status word; stage; the four chain dots; the notes button.
  const fixed =
    10 +
    5 * 8 +
    8 +
    parts.word.length * HEADER_CHAR_PX.bold +
    parts.stage.length * HEADER_CHAR_PX.small +
    44 +
    (parts.notes > 0 ? 64 : 0);
  if (parts.reasons.length === 0 || fixed + all <= width) {
    return { inline: true, lines: [parts.reasons], overflow: 0, height: rowHeight };
  }
  const room = Math.max(1, width - 16);
  const lines: string[][] = [];
  let used = 0;
  let placed = 0;
  for (const reason of parts.reasons) {
    const w = reasonWidth(reason);
    const line = lines[lines.length - 1];
    if (line && used + REASON_SEPARATOR_PX + w <= room) {
      line.push(reason);
      used += REASON_SEPARATOR_PX + w;
    } else if (lines.length < MAX_REASON_LINES) {
      lines.push([reason]);
      used = w;
    } else {
      break;
    }
    placed++;
  }
  return {
    inline: false,
    lines,
    overflow: parts.reasons.length - placed,
    height: rowHeight + lines.length * REASON_LINE_HEIGHT,
  };
}

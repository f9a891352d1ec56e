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

function maxOf(values: Numbers | null | undefined): number {
  let m = 0;
  if (values) {
    for (let i = 0; i < values.length; i++) {
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

import uPlot from 'uplot';
import { dateTimeFormat } from '@grafana/data';
import { DatabaseLane, InstancesLane, LaneSeries, TrafficLane } from '../model/cascade';
import { DeployMarker } from '../model/deploys';
import { formatValue } from '../model/format';
import { Numbers } from '../model/series';
import { PanelAnnotation } from './annotations';
import { annotationMarkers, deployMarkers, forecastLine, horizontalLine, shadeStretches } from './draw';
import { Box } from './labels';
import { legendKey } from './legend';
import { Palette } from './palette';

/** What every lane of one panel shares: colours, the x range, deploys, the crosshair, axis sizes. */
export interface PlotContext {
  readonly palette: Palette;
  readonly range: { from: number; to: number; end: number };
  readonly deploys: readonly DeployMarker[];
  /** Annotations that are not deploys: notes, alert state changes. */
  readonly annotations?: readonly PanelAnnotation[];
  readonly timeZone: string;
  /** Cursor sync key: one per panel, so the crosshair moves across its lanes and no other panel's. */
  readonly syncKey: string;
  /** Fixed axis widths (CSS px) for all lanes, so their plotting areas line up. */
  readonly axisSizes: { readonly left: number; readonly right: number };
  /** Only the bottom lane labels the time axis. */
  readonly showTimeAxis: boolean;
  /** Sparkline mode for small panels: no axes, no labels. */
  readonly compact: boolean;
  /** Width of the plots in CSS px: with more points than pixels, steps cannot be seen (and are costly to draw). */
  readonly plotWidth: number;
  readonly onSelectRange?: (from: number, to: number) => void;
  readonly onCursor?: (time: number | null, u: uPlot) => void;
  /** Legend entries (legendKey) the user hid by clicking the legend. */
  readonly hidden?: ReadonlySet<string>;
  /** A lane's plot was created (alive) or destroyed: the panel moves all its crosshairs for the dashboard's sync. */
  readonly onPlot?: (u: uPlot, alive: boolean) => void;
}

export interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
  /** Set when a click can hide the entry (legendKey). */
  readonly key?: string;
  readonly hidden?: boolean;
}

/** The legend entry's key and whether the user hid it. */
function visibility(ctx: PlotContext, lane: string, label: string): { key: string; hidden: boolean } {
  const key = legendKey(lane, label);
  return { key, hidden: ctx.hidden?.has(key) ?? false };
}

export interface PlotSpec {
  readonly options: Omit<uPlot.Options, 'width' | 'height'>;
  readonly data: uPlot.AlignedData;
  readonly legend: readonly LegendItem[];
}

type YValues = Numbers | Array<number | null>;

/** uPlot draws a gap for null, not NaN: arrays with gaps are copied once with nulls; others pass as they are. */
export function forUPlot(values: Numbers, gaps: number): YValues {
  if (gaps === 0) {
    return values;
  }
  const out = new Array<number | null>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v === v ? v : null;
  }
  return out;
}

/**
 * Emphasis by line width only where the line is sparse: with many points per pixel uPlot thins the path to a
 * zig-zag per pixel column, which already reads as a band, and stroking it wider than a hairline is what costs
 * most when the canvas is rasterised (measured: 48 ms of 55 ms at 100k points). There, colour carries emphasis.
 */
function lineWidth(width: number, points: number, ctx: PlotContext): number {
  return points > DENSE_POINTS_PER_PX * ctx.plotWidth ? 1 : width;
}

/** From here on a thinned line is a band of vertical strokes (a 6 h range at 15 s on 860 px is 1.7 per px). */
const DENSE_POINTS_PER_PX = 4;

function tickFormatter(unit: string, decimals?: number): uPlot.Axis.Values {
  return (_u, splits) => splits.map((v) => (v == null ? '' : formatValue(v, unit, decimals)));
}

function tzDate(timeZone: string): uPlot.Options['tzDate'] {
  if (!timeZone || timeZone === 'browser') {
    return undefined;
  }
  const zone = timeZone === 'utc' ? 'Etc/UTC' : timeZone;
  try {
    // Throws for a zone the browser does not know: then fall back to local time.
    uPlot.tzDate(new Date(0), zone);
    return (ts) => uPlot.tzDate(new Date(ts), zone);
  } catch {
    return undefined;
  }
}

function timeAxis(ctx: PlotContext): uPlot.Axis {
  const { palette: p } = ctx;
  return {
    scale: 'x',
    show: !ctx.compact,
    stroke: p.textWeak,
    font: p.font,
    size: ctx.showTimeAxis ? 26 : 0,
    gap: 4,
    grid: { stroke: p.grid, width: 1 },
    ticks: { show: ctx.showTimeAxis, stroke: p.grid, width: 1, size: 4 },
    // Grafana's own time formats (24 h clock), chosen by the range like its time series panel does.
    values: ctx.showTimeAxis ? timeTicks(ctx) : () => [],
  };
}

function timeTicks(ctx: PlotContext): uPlot.Axis.Values {
  const span = ctx.range.end - ctx.range.from;
  const format = span <= 86_400_000 * 1.5 ? 'HH:mm' : span <= 86_400_000 * 10 ? 'MM/DD HH:mm' : 'YYYY-MM-DD';
  const timeZone = ctx.timeZone || 'browser';
  return (_u, splits) => splits.map((ms) => (ms == null ? '' : dateTimeFormat(ms, { format, timeZone })));
}

/** Tick steps a person reads as durations: 1 s, 5 s, ... 1 h, rather than 3.33 min. */
const DURATION_INCRS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400];

function valueAxis(
  ctx: PlotContext,
  scale: string,
  side: 1 | 3,
  unit: string,
  decimals?: number,
  withGrid = true
): uPlot.Axis {
  const { palette: p } = ctx;
  return {
    ...(unit === 's' ? { incrs: DURATION_INCRS } : {}),
    scale,
    side,
    show: !ctx.compact,
    size: side === 3 ? ctx.axisSizes.left : ctx.axisSizes.right,
    stroke: p.textWeak,
    font: p.font,
    gap: 4,
    space: 24,
    values: tickFormatter(unit, decimals),
    grid: { show: withGrid, stroke: p.grid, width: 1 },
    ticks: { show: false },
  };
}

/** An axis that shows nothing but takes the right axis' width, so lanes without one still line up. */
function spacerAxis(ctx: PlotContext, scale: string): uPlot.Axis {
  return {
    scale,
    side: 1,
    show: !ctx.compact && ctx.axisSizes.right > 0,
    size: ctx.axisSizes.right,
    values: () => [],
    grid: { show: false },
    ticks: { show: false },
  };
}

/**
 * From zero (these signals are never negative) to a little above the largest value or threshold, unless the
 * field config sets the axis bounds (min/max), which win.
 */
function fromZero(extraMax = 0, bounds: readonly LaneSeries[] = []): uPlot.Scale.Range {
  const min = bounds.find((s) => s.min !== undefined)?.min;
  const max = bounds.find((s) => s.max !== undefined)?.max;
  return (_u, _min, dataMax) => {
    const top = Math.max(dataMax ?? 0, extraMax);
    return [min ?? 0, max ?? (top > 0 ? top * 1.08 : 1)];
  };
}

function maxOf(values: Numbers): number {
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] > m) {
      m = values[i];
    }
  }
  return m;
}

function common(
  ctx: PlotContext,
  series: uPlot.Series[],
  scales: uPlot.Scales,
  axes: uPlot.Axis[],
  layers: { under?: (u: uPlot) => void; over?: (u: uPlot) => void },
  deployLabels = false
): PlotSpec['options'] {
  const { palette: p } = ctx;
  return {
    ms: 1,
    tzDate: tzDate(ctx.timeZone),
    series,
    scales: { x: { time: true, range: () => [ctx.range.from, ctx.range.end] }, ...scales },
    axes,
    legend: { show: false },
    padding: ctx.compact ? [2, 0, 2, 0] : [6, 0, ctx.showTimeAxis ? 0 : 4, 0],
    cursor: {
      sync: { key: ctx.syncKey },
      y: false,
      points: { show: false },
      drag: { x: !ctx.compact && Boolean(ctx.onSelectRange), y: false, setScale: false },
    },
    select: { show: true, left: 0, top: 0, width: 0, height: 0 },
    hooks: {
      init: [(u) => ctx.onPlot?.(u, true)],
      destroy: [(u) => ctx.onPlot?.(u, false)],
      // Backgrounds go under the series (axes are drawn first), marks over them.
      drawAxes: [
        (u) => {
          // The future, where forecasts run: a faint tint right of the dashboard's range.
          if (ctx.range.end > ctx.range.to) {
            shadeStretches(u, [{ start: ctx.range.to, end: ctx.range.end }], p.future);
          }
        },
        layers.under ?? (() => {}),
      ],
      draw: [
        layers.over ?? (() => {}),
        (u) =>
          deployMarkers(u, ctx.deploys, { stroke: p.deploy, font: p.fontSmall, labels: deployLabels && !ctx.compact }),
        (u) => annotationMarkers(u, ctx.annotations ?? [], p.annotation),
      ],
      setCursor: [
        (u) => {
          const left = u.cursor.left;
          ctx.onCursor?.(left == null || left < 0 ? null : u.posToVal(left, 'x'), u);
        },
      ],
      setSelect: [
        (u) => {
          if (u.select.width > 2 && ctx.onSelectRange) {
            ctx.onSelectRange(u.posToVal(u.select.left, 'x'), u.posToVal(u.select.left + u.select.width, 'x'));
          }
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        },
      ],
    },
  };
}

export function trafficPlot(lane: TrafficLane, ctx: PlotContext): PlotSpec {
  const { palette: p } = ctx;
  const series: uPlot.Series[] = [{}];
  const data: YValues[] = [lane.time];
  const legend: LegendItem[] = [];
  lane.series.forEach((s: LaneSeries, i) => {
    const color = s.color ?? (i === 0 ? p.traffic : p.series[(i - 1) % p.series.length]);
    const { key, hidden } = visibility(ctx, 'traffic', s.label);
    series.push({
      label: s.label,
      show: !hidden,
      scale: 'y',
      stroke: color,
      width: lineWidth(i === 0 ? 2 : 1, lane.time.length, ctx),
      spanGaps: false,
    });
    data.push(forUPlot(s.values, s.gaps));
    legend.push({ label: s.label, color, key, hidden });
  });
  const bands: uPlot.Band[] = [];
  if (lane.band) {
    const first = series.length;
    const { key, hidden } = visibility(ctx, 'traffic', 'Baseline');
    series.push({ label: 'Baseline', show: !hidden, scale: 'y', stroke: p.baseline, width: 1, dash: [4, 4] });
    // The bounds are drawn as the band's fill only: width 0 makes uPlot skip stroking two more long paths.
    series.push({ label: 'Upper band', show: !hidden, scale: 'y', stroke: p.band, width: 0 });
    series.push({ label: 'Lower band', show: !hidden, scale: 'y', stroke: p.band, width: 0 });
    const { center, upper, lower, gaps } = lane.band;
    [center, upper, lower].forEach((v, i) => data.push(forUPlot(v, gaps[i])));
    if (!hidden) {
      bands.push({ series: [first + 1, first + 2], fill: p.band });
    }
    legend.push({
      label: lane.band.source === 'query' ? 'Baseline (query)' : 'Baseline (computed)',
      color: p.baseline,
      dashed: true,
      key,
      hidden,
    });
  }
  const under = (u: uPlot) => {
    shadeStretches(
      u,
      lane.anomalies.filter((a) => a.direction === 'high'),
      p.anomalyHigh
    );
    shadeStretches(
      u,
      lane.anomalies.filter((a) => a.direction === 'low'),
      p.anomalyLow
    );
  };
  const options = common(
    ctx,
    series,
    { y: { range: fromZero(0, lane.series) } },
    [timeAxis(ctx), valueAxis(ctx, 'y', 3, lane.unit, lane.series[0]?.decimals), spacerAxis(ctx, 'y')],
    { under },
    // The top lane names the deploys; the others only mark them.
    true
  );
  return { options: { ...options, bands }, data: data as uPlot.AlignedData, legend };
}

export function databasePlot(lane: DatabaseLane, ctx: PlotContext): PlotSpec {
  const { palette: p } = ctx;
  const series: uPlot.Series[] = [{}];
  const data: YValues[] = [lane.time];
  const legend: LegendItem[] = [];
  const add = (s: LaneSeries, scale: string, color: string, width: number, dash?: number[]) => {
    const stroke = s.color ?? color;
    const { key, hidden } = visibility(ctx, 'database', s.label);
    series.push({
      label: s.label,
      show: !hidden,
      scale,
      stroke,
      width: lineWidth(width, lane.time.length, ctx),
      dash,
    });
    data.push(forUPlot(s.values, s.gaps));
    return { label: s.label, color: stroke, key, hidden };
  };
  lane.backlog.forEach((s) => legend.push(add(s, 'backlog', p.backlog, s.emphasis ? 2 : 1)));
  lane.lag.forEach((s) => {
    const item = add(s, 'lag', s.emphasis ? p.lagWorst : p.lag, s.emphasis ? 2 : 1);
    if (s.emphasis || lane.lag.length <= 3) {
      legend.push(item);
    }
  });
  lane.utilization.forEach((s) => {
    const item = add(s, 'utilization', p.utilization, s.emphasis ? 1.5 : 1, [2, 3]);
    if (s.emphasis || lane.utilization.length <= 2) {
      legend.push({ ...item, dashed: true });
    }
  });

  const backlogMax = Math.max(0, ...lane.backlog.map((s) => maxOf(s.values)));
  const lagMax = Math.max(0, ...lane.lag.map((s) => maxOf(s.values)));
  const { limits } = lane;
  // Show a limit on the scale when the data is near it or heading for it; a far-off limit would flatten the data.
  const forecasting = (role: string) => lane.forecasts.some((f) => f.role === role && f.forecast.kind !== 'draining');
  const backlogTop =
    limits.backlog !== null && (forecasting('backlog') || backlogMax >= limits.backlog * 0.5) ? limits.backlog : 0;
  // The lag scale always reaches the warning threshold: 0.3 s of lag drawn full height would look like an alarm.
  const lagTop = forecasting('lag') || lagMax >= limits.lagWarn * 2 ? limits.lagCritical : limits.lagWarn;

  const hasBacklog = lane.backlog.length > 0;
  const hasLag = lane.lag.length > 0;
  const leftScale = hasBacklog ? 'backlog' : hasLag ? 'lag' : 'utilization';
  const axes: uPlot.Axis[] = [timeAxis(ctx)];
  if (leftScale === 'utilization') {
    axes.push(valueAxis(ctx, 'utilization', 3, 'percentunit', 0));
  } else {
    const first = hasBacklog ? lane.backlog[0] : lane.lag[0];
    axes.push(valueAxis(ctx, leftScale, 3, first.unit, first.decimals));
  }
  axes.push(
    hasBacklog && hasLag ? valueAxis(ctx, 'lag', 1, lane.lag[0].unit, undefined, false) : spacerAxis(ctx, leftScale)
  );

  // Sparklines have no room for words: the lines alone.
  const labelled = !ctx.compact;
  const over = (u: uPlot) => {
    const placed: Box[] = [];
    if (limits.backlog !== null && hasBacklog) {
      horizontalLine(u, 'backlog', limits.backlog, {
        stroke: p.critical,
        dash: [4, 4],
        label: labelled && `backlog limit ${formatValue(limits.backlog, lane.backlog[0].unit)}`,
        font: p.fontSmall,
        placed,
        backdrop: p.labelBackdrop,
      });
    }
    if (hasLag) {
      horizontalLine(u, 'lag', limits.lagWarn, {
        stroke: p.warning,
        dash: [2, 4],
        label: labelled && `lag ${formatValue(limits.lagWarn, 's', 0)}`,
        font: p.fontSmall,
        placed,
        backdrop: p.labelBackdrop,
      });
      horizontalLine(u, 'lag', limits.lagCritical, {
        stroke: p.critical,
        dash: [2, 4],
        label: labelled && `lag ${formatValue(limits.lagCritical, 's', 0)}`,
        font: p.fontSmall,
        placed,
        backdrop: p.labelBackdrop,
      });
    }
    if (lane.utilization.length > 0) {
      horizontalLine(u, 'utilization', limits.saturation, {
        stroke: p.utilization,
        dash: [1, 3],
        label: labelled && !hasBacklog && !hasLag && 'saturation',
        font: p.fontSmall,
        placed,
        backdrop: p.labelBackdrop,
      });
    }
    for (const f of lane.forecasts) {
      if (f.forecast.line) {
        forecastLine(
          u,
          f.role,
          f.forecast.line,
          f.role === 'backlog' ? p.backlog : f.role === 'lag' ? p.lagWorst : p.utilization
        );
      }
    }
  };
  const options = common(
    ctx,
    series,
    {
      backlog: { range: fromZero(backlogTop, lane.backlog) },
      lag: { range: fromZero(lagTop, lane.lag) },
      utilization: { range: () => [0, 1.05] },
    },
    axes,
    { over }
  );
  return { options, data: data as uPlot.AlignedData, legend };
}

export function instancesPlot(lane: InstancesLane, ctx: PlotContext): PlotSpec {
  const { palette: p } = ctx;
  // Steps only where they can be seen: uPlot thins linear paths to a few points per pixel column, but draws every
  // step of a stepped one, and 100k dashed steps cost more to rasterise than everything else in the panel.
  const stepped = lane.time.length <= ctx.plotWidth ? uPlot.paths.stepped!({ align: 1 }) : undefined;
  const series: uPlot.Series[] = [{}];
  const data: YValues[] = [lane.time];
  const legend: LegendItem[] = [];
  lane.healthy.forEach((s) => {
    const color = s.color ?? p.healthy;
    const { key, hidden } = visibility(ctx, 'instances', s.label);
    series.push({
      label: s.label,
      show: !hidden,
      scale: 'y',
      stroke: color,
      width: lineWidth(2, lane.time.length, ctx),
      paths: stepped,
    });
    data.push(forUPlot(s.values, s.gaps));
    legend.push({ label: s.label, color, key, hidden });
  });
  lane.desired.forEach((s) => {
    const color = s.color ?? p.desired;
    const { key, hidden } = visibility(ctx, 'instances', s.label);
    series.push({ label: s.label, show: !hidden, scale: 'y', stroke: color, width: 1, dash: [6, 3], paths: stepped });
    data.push(forUPlot(s.values, s.gaps));
    legend.push({ label: s.label, color, dashed: true, key, hidden });
  });
  const minimum = visibility(ctx, 'instances', 'Minimum healthy');
  if (lane.minimum.length > 0) {
    legend.push({ label: 'Minimum healthy', color: p.minimum, dashed: true, ...minimum });
  }
  // No healthy instance while some are desired: the total outage, shaded red with the zero line stressed.
  const under = (u: uPlot) => shadeStretches(u, lane.zeroStretches, p.anomalyHigh, 3);
  const over = (u: uPlot) => {
    for (const m of minimum.hidden ? [] : lane.minimum) {
      horizontalLine(u, 'y', m.value, { stroke: p.minimum, dash: [2, 3], from: m.start, to: m.end });
    }
    for (const z of lane.zeroStretches) {
      horizontalLine(u, 'y', 0, { stroke: p.zero, width: 3, from: z.start, to: z.end });
    }
  };
  const options = common(
    ctx,
    series,
    { y: { range: fromZero(1, [...lane.healthy, ...lane.desired]) } },
    [timeAxis(ctx), valueAxis(ctx, 'y', 3, 'none', 0), spacerAxis(ctx, 'y')],
    { under, over }
  );
  return { options, data: data as uPlot.AlignedData, legend };
}

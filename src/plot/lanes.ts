import uPlot from 'uplot';
import { dateTimeFormat } from '@grafana/data';
import { DatabaseLane, InstancesLane, LaneSeries, TrafficLane } from '../model/cascade';
import { DeployMarker } from '../model/deploys';
import { formatValue } from '../model/format';
import { Numbers } from '../model/series';
import { deployMarkers, forecastLine, horizontalLine, shadeStretches } from './draw';
import { Palette } from './palette';

/** What every lane of one panel shares: colours, the x range, deploys, the crosshair, axis sizes. */
export interface PlotContext {
  readonly palette: Palette;
  readonly range: { from: number; to: number; end: number };
  readonly deploys: readonly DeployMarker[];
  readonly timeZone: string;
  /** Cursor sync key: one per panel, so the crosshair moves across its lanes and no other panel's. */
  readonly syncKey: string;
  /** Fixed axis widths (CSS px) for all lanes, so their plotting areas line up. */
  readonly axisSizes: { readonly left: number; readonly right: number };
  /** Only the bottom lane labels the time axis. */
  readonly showTimeAxis: boolean;
  /** Sparkline mode for small panels: no axes, no labels. */
  readonly compact: boolean;
  readonly onSelectRange?: (from: number, to: number) => void;
  readonly onCursor?: (time: number | null, u: uPlot) => void;
}

export interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
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

function countNaN(values: Numbers): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] !== values[i]) {
      n++;
    }
  }
  return n;
}

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

/** From zero (these signals are never negative) to a little above the largest value or threshold. */
function fromZero(extraMax = 0): uPlot.Scale.Range {
  return (_u, _min, max) => {
    const top = Math.max(max ?? 0, extraMax);
    return [0, top > 0 ? top * 1.08 : 1];
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
    pxAlign: false,
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
    series.push({ label: s.label, scale: 'y', stroke: color, width: i === 0 ? 2 : 1, spanGaps: false });
    data.push(forUPlot(s.values, s.gaps));
    legend.push({ label: s.label, color });
  });
  const bands: uPlot.Band[] = [];
  if (lane.band) {
    const first = series.length;
    series.push({ label: 'Baseline', scale: 'y', stroke: p.baseline, width: 1, dash: [4, 4] });
    series.push({ label: 'Upper band', scale: 'y', stroke: p.band, width: 1 });
    series.push({ label: 'Lower band', scale: 'y', stroke: p.band, width: 1 });
    for (const v of [lane.band.center, lane.band.upper, lane.band.lower]) {
      data.push(forUPlot(v, countNaN(v)));
    }
    bands.push({ series: [first + 1, first + 2], fill: p.band });
    legend.push({
      label: lane.band.source === 'query' ? 'Baseline (query)' : 'Baseline (computed)',
      color: p.baseline,
      dashed: true,
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
    { y: { range: fromZero() } },
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
    series.push({ label: s.label, scale, stroke, width, dash });
    data.push(forUPlot(s.values, s.gaps));
    return stroke;
  };
  lane.backlog.forEach((s) => legend.push({ label: s.label, color: add(s, 'backlog', p.backlog, s.emphasis ? 2 : 1) }));
  lane.lag.forEach((s) => {
    const color = add(s, 'lag', s.emphasis ? p.lagWorst : p.lag, s.emphasis ? 2 : 1);
    if (s.emphasis || lane.lag.length <= 3) {
      legend.push({ label: s.label, color });
    }
  });
  lane.utilization.forEach((s) => {
    const color = add(s, 'utilization', p.utilization, s.emphasis ? 1.5 : 1, [2, 3]);
    if (s.emphasis || lane.utilization.length <= 2) {
      legend.push({ label: s.label, color, dashed: true });
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

  const over = (u: uPlot) => {
    if (limits.backlog !== null && hasBacklog) {
      horizontalLine(u, 'backlog', limits.backlog, {
        stroke: p.critical,
        dash: [4, 4],
        label: `backlog limit ${formatValue(limits.backlog, lane.backlog[0].unit)}`,
        font: p.fontSmall,
      });
    }
    if (hasLag) {
      horizontalLine(u, 'lag', limits.lagWarn, {
        stroke: p.warning,
        dash: [2, 4],
        label: `lag ${formatValue(limits.lagWarn, 's', 0)}`,
        font: p.fontSmall,
      });
      horizontalLine(u, 'lag', limits.lagCritical, {
        stroke: p.critical,
        dash: [2, 4],
        label: `lag ${formatValue(limits.lagCritical, 's', 0)}`,
        font: p.fontSmall,
      });
    }
    if (lane.utilization.length > 0) {
      horizontalLine(u, 'utilization', limits.saturation, {
        stroke: p.utilization,
        dash: [1, 3],
        label: hasBacklog || hasLag ? undefined : 'saturation',
        font: p.fontSmall,
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
      backlog: { range: fromZero(backlogTop) },
      lag: { range: fromZero(lagTop) },
      utilization: { range: () => [0, 1.05] },
    },
    axes,
    { over }
  );
  return { options, data: data as uPlot.AlignedData, legend };
}

export function instancesPlot(lane: InstancesLane, ctx: PlotContext): PlotSpec {
  const { palette: p } = ctx;
  const stepped = uPlot.paths.stepped!({ align: 1 });
  const series: uPlot.Series[] = [{}];
  const data: YValues[] = [lane.time];
  const legend: LegendItem[] = [];
  lane.healthy.forEach((s) => {
    const color = s.color ?? p.healthy;
    series.push({ label: s.label, scale: 'y', stroke: color, width: 2, paths: stepped, fill: undefined });
    data.push(forUPlot(s.values, s.gaps));
    legend.push({ label: s.label, color });
  });
  lane.desired.forEach((s) => {
    const color = s.color ?? p.desired;
    series.push({ label: s.label, scale: 'y', stroke: color, width: 1, dash: [6, 3], paths: stepped });
    data.push(forUPlot(s.values, s.gaps));
    legend.push({ label: s.label, color, dashed: true });
  });
  if (lane.minimum) {
    series.push({ label: 'Minimum healthy', scale: 'y', stroke: p.minimum, width: 1, dash: [2, 3], paths: stepped });
    data.push(forUPlot(lane.minimum, countNaN(lane.minimum)));
    legend.push({ label: 'Minimum healthy', color: p.minimum, dashed: true });
  }
  // No healthy instance while some are desired: the total outage, shaded red with the zero line stressed.
  const under = (u: uPlot) => shadeStretches(u, lane.zeroStretches, p.anomalyHigh, 3);
  const over = (u: uPlot) => {
    for (const z of lane.zeroStretches) {
      horizontalLine(u, 'y', 0, { stroke: p.zero, width: 3, from: z.start, to: z.end });
    }
  };
  const options = common(
    ctx,
    series,
    { y: { range: (_u, _min, max) => [0, Math.max(1, (max ?? 0) * 1.15)] } },
    [timeAxis(ctx), valueAxis(ctx, 'y', 3, 'none', 0), spacerAxis(ctx, 'y')],
    { under, over }
  );
  return { options, data: data as uPlot.AlignedData, legend };
}

import { DisplayProcessor } from '@grafana/data';
import { ROLE_LABELS } from '../defaults';
import { CascadeOptions, Role } from '../types';
import { AnomalySegment, Band, computeBand, findAnomalies } from './baseline';
import {
  AnnotationMarker,
  DeployImpact,
  DeployMarker,
  deployImpact,
  deploysFromSeries,
  mergeDeploys,
  readAnnotations,
} from './deploys';
import { Forecast, forecastThreshold } from './forecast';
import { formatEta } from './format';
import { extractSignals, Signal, SignalsByRole } from './frames';
import { resolveOptions } from './options';
import {
  alignSeries,
  countGaps,
  indexAtOrBefore,
  lastValue,
  Numbers,
  NumericSeries,
  sumAligned,
  typicalStep,
} from './series';
import { CascadeStatus, evaluateStatus, Readings } from './status';

/** One line of a lane, on the lane's shared time axis. */
export interface LaneSeries {
  readonly key: string;
  readonly label: string;
  readonly role: Role;
  readonly values: Numbers;
  readonly gaps: number;
  readonly unit: string;
  readonly decimals?: number;
  /** Axis bounds from the field config. */
  readonly min?: number;
  readonly max?: number;
  readonly color?: string;
  readonly display?: DisplayProcessor;
  /** Drawn stronger: the traffic total, the replica furthest behind, the primary. */
  readonly emphasis: boolean;
}

export interface TrafficLane {
  readonly time: Numbers;
  /** The total first; the individual series after it when there are several. */
  readonly series: readonly LaneSeries[];
  readonly band: Band | null;
  readonly anomalies: readonly AnomalySegment[];
  readonly unit: string;
}

export interface LaneForecast {
  readonly role: 'backlog' | 'lag' | 'utilization';
  /** "backlog limit in ~14 min", "drains in ~9 min". */
  readonly text: string;
  readonly forecast: Forecast;
}

export interface DatabaseLane {
  readonly time: Numbers;
  readonly backlog: readonly LaneSeries[];
  readonly lag: readonly LaneSeries[];
  readonly utilization: readonly LaneSeries[];
  readonly limits: { backlog: number | null; lagWarn: number; lagCritical: number; saturation: number };
  readonly forecasts: readonly LaneForecast[];
}

export interface InstancesLane {
  readonly time: Numbers;
  /** At most one line each: several series (per zone, per pool) are summed, as the status and minimum line are. */
  readonly healthy: readonly LaneSeries[];
  readonly desired: readonly LaneSeries[];
  /**
   * The minimum-healthy line (desired x the low fraction) as steps: desired changes a handful of times, so a
   * few segments draw it, not a series as long as the data.
   */
  readonly minimum: ReadonlyArray<{ start: number; end: number; value: number }>;
  /** Stretches with no healthy instance while some are desired. */
  readonly zeroStretches: ReadonlyArray<{ start: number; end: number }>;
}

export interface CascadeModel {
  readonly options: CascadeOptions;
  /** The x range every lane shares: the dashboard's range, extended by `futureMs` when a forecast shows. */
  readonly range: { from: number; to: number; end: number };
  /** The latest time with data: what the status is about. */
  readonly now: number;
  readonly lanes: { traffic: TrafficLane | null; database: DatabaseLane | null; instances: InstancesLane | null };
  readonly deploys: readonly DeployMarker[];
  /** The other annotations (notes, alert state changes), for the lanes to draw; they never change the status. */
  readonly annotations: readonly AnnotationMarker[];
  readonly deployImpact: DeployImpact | null;
  readonly status: CascadeStatus;
  /** Things a person should know about the data (repairs, missing optional roles). */
  readonly notices: readonly string[];
  /** Set when nothing usable was found: says what the panel looks for and what it found instead. */
  readonly missing: string | null;
}

export interface CascadeInput {
  series?: unknown;
  annotations?: unknown;
  /** The dashboard's time range in ms; derived from the data when absent. */
  timeRange?: { from: number; to: number };
}

const MINUTE = 60_000;

function toLaneSeries(signal: Signal, values: Numbers, emphasis = false, key = signal.name): LaneSeries {
  return {
    key,
    label: signal.label,
    role: signal.role,
    values,
    gaps: values === signal.values ? signal.gaps : countGaps(values),
    unit: signal.unit,
    decimals: signal.decimals,
    min: signal.min,
    max: signal.max,
    color: signal.color,
    display: signal.display,
    emphasis,
  };
}

function sumOf(time: Numbers, aligned: Numbers[]): NumericSeries {
  const values = sumAligned(aligned, time.length);
  return { time, values, gaps: countGaps(values) };
}

function buildTraffic(byRole: SignalsByRole, o: CascadeOptions, notices: string[]) {
  const traffic = byRole.traffic;
  if (traffic.length === 0) {
    return null;
  }
  const bandRoles =
    o.traffic.bandMode === 'off' || o.traffic.bandMode === 'computed'
      ? []
      : [byRole.baseline, byRole.upper, byRole.lower];
  const all = [traffic, ...bandRoles].flat();
  const { time, values } = alignSeries(all);
  const slices: Numbers[][] = [];
  let offset = 0;
  for (const group of [traffic, ...bandRoles]) {
    slices.push(values.slice(offset, offset + group.length));
    offset += group.length;
  }
  const total = sumOf(time, slices[0]);
  const series: LaneSeries[] = [
    traffic.length === 1
      ? toLaneSeries(traffic[0], slices[0][0], true)
      : { ...toLaneSeries(traffic[0], total.values, true, '__total'), label: 'Total' },
  ];
  if (traffic.length > 1) {
    traffic.forEach((s, i) => series.push(toLaneSeries(s, slices[0][i], false, `${s.name}#${i}`)));
  }

  let band: Band | null = null;
  const params = {
    windowMs: o.traffic.baselineWindowMinutes * MINUTE,
    width: o.traffic.bandWidth,
    minRatio: o.traffic.minBandRatio,
  };
  const queryBand = bandRoles.length > 0 && byRole.upper.length > 0 && byRole.lower.length > 0;
  const queryBaseline = bandRoles.length > 0 && byRole.baseline.length > 0;
  if (queryBand && !queryBaseline) {
    // Bounds without an expected value: the middle of the band stands for it.
    const upper = sumAligned(slices[2], time.length);
    const lower = sumAligned(slices[3], time.length);
    const center = new Float64Array(time.length);
    for (let i = 0; i < time.length; i++) {
      center[i] = (upper[i] + lower[i]) / 2;
    }
    band = { center, upper, lower, source: 'query', gaps: [countGaps(center), countGaps(upper), countGaps(lower)] };
  } else if (queryBaseline) {
    const center = sumAligned(slices[1], time.length);
    let upper: Numbers;
    let lower: Numbers;
    if (byRole.upper.length > 0 && byRole.lower.length > 0) {
      upper = sumAligned(slices[2], time.length);
      lower = sumAligned(slices[3], time.length);
    } else {
      // The query gives the expectation, not the spread: take the spread from the data.
      notices.push('The query has a baseline but no upper/lower band: band width estimated from the data');
      const computed = computeBand(total, params);
      const u = new Float64Array(time.length);
      const l = new Float64Array(time.length);
      for (let i = 0; i < time.length; i++) {
        const half = computed.upper[i] - computed.center[i];
        u[i] = center[i] + half;
        l[i] = Math.max(0, center[i] - half);
      }
      upper = u;
      lower = l;
    }
    band = { center, upper, lower, source: 'query', gaps: [countGaps(center), countGaps(upper), countGaps(lower)] };
  } else if (o.traffic.bandMode === 'query') {
    notices.push(`Band mode is "query" but no ${ROLE_LABELS.baseline} series was found`);
  } else if (o.traffic.bandMode !== 'off') {
    band = computeBand(total, params);
  }
  const anomalies = band
    ? findAnomalies(total, band, {
        floor: o.traffic.lowTrafficFloor,
        minDurationMs: o.traffic.minAnomalyMinutes * MINUTE,
      })
    : [];
  const lane: TrafficLane = { time, series, band, anomalies, unit: series[0].unit };
  return { lane, total };
}

/** The series whose latest value is the largest, with that value. */
function worstOf(signals: readonly Signal[], now: number, maxAge: number) {
  let worst: { signal: Signal; value: number } | null = null;
  for (const s of signals) {
    const last = lastValue(s, now, maxAge);
    if (last && (!worst || last.value > worst.value)) {
      worst = { signal: s, value: last.value };
    }
  }
  return worst;
}

function nodeName(s: Signal): string {
  return s.labels.instance || s.labels.replica || s.name;
}

function limitFromField(signals: readonly Signal[]): number | null {
  const steps = signals.flatMap((s) => s.thresholds);
  return steps.length > 0 ? Math.max(...steps) : null;
}

function buildDatabase(byRole: SignalsByRole, o: CascadeOptions, now: number, maxAge: number, readings: Readings) {
  const { backlog, lag, utilization } = byRole;
  if (backlog.length + lag.length + utilization.length === 0) {
    return null;
  }
  const { time, values } = alignSeries([...backlog, ...lag, ...utilization]);
  const limits = {
    backlog: o.database.backlogLimit > 0 ? o.database.backlogLimit : limitFromField(backlog),
    lagWarn: o.database.lagWarnSeconds,
    lagCritical: o.database.lagCriticalSeconds,
    saturation: o.database.saturation,
  };
  const fit = {
    now,
    fitWindowMs: o.database.forecastFitMinutes * MINUTE,
    horizonMs: o.database.forecastHorizonMinutes * MINUTE,
  };
  const forecasts: LaneForecast[] = [];

  const worstBacklog = worstOf(backlog, now, maxAge);
  if (worstBacklog) {
    const forecast = forecastThreshold(worstBacklog.signal, {
      ...fit,
      threshold: limits.backlog ?? 0,
      drain: true,
      current: worstBacklog.value,
    });
    readings.backlog = { value: worstBacklog.value, forecast, unit: worstBacklog.signal.unit };
    if (forecast?.kind === 'crossing') {
      forecasts.push({ role: 'backlog', text: `backlog limit in ${formatEta(forecast.etaMs)}`, forecast });
    } else if (forecast?.kind === 'draining') {
      forecasts.push({ role: 'backlog', text: `backlog drains in ${formatEta(forecast.etaMs)}`, forecast });
    }
  }
  const worstLag = worstOf(lag, now, maxAge);
  if (worstLag) {
    const forecast = forecastThreshold(worstLag.signal, {
      ...fit,
      threshold: limits.lagCritical,
      current: worstLag.value,
    });
    readings.lag = { value: worstLag.value, replica: nodeName(worstLag.signal), forecast };
    if (forecast?.kind === 'crossing') {
      forecasts.push({ role: 'lag', text: `lag critical in ${formatEta(forecast.etaMs)}`, forecast });
    }
  }
  const busiest = worstOf(utilization, now, maxAge);
  if (busiest) {
    const forecast = forecastThreshold(busiest.signal, {
      ...fit,
      threshold: limits.saturation,
      current: busiest.value,
    });
    readings.utilization = { value: busiest.value, node: nodeName(busiest.signal), forecast };
    if (forecast?.kind === 'crossing') {
      forecasts.push({
        role: 'utilization',
        text: `${nodeName(busiest.signal)} saturated in ${formatEta(forecast.etaMs)}`,
        forecast,
      });
    }
  }

  let k = 0;
  const next = (s: Signal, emphasis: boolean) => toLaneSeries(s, values[k++], emphasis, `${s.role}:${s.name}:${k}`);
  const lane: DatabaseLane = {
    time,
    backlog: backlog.map((s) => next(s, s === worstBacklog?.signal)),
    // One line per replica; the one furthest behind is emphasised.
    lag: lag.map((s) => next(s, s === worstLag?.signal)),
    utilization: utilization.map((s) => next(s, s.labels.role === 'primary')),
    limits,
    forecasts,
  };
  return lane;
}

function buildInstances(byRole: SignalsByRole, o: CascadeOptions, now: number, maxAge: number, readings: Readings) {
  const { healthy, desired } = byRole;
  if (healthy.length + desired.length === 0) {
    return null;
  }
  const { time, values } = alignSeries([...healthy, ...desired]);
  const healthyTotal = sumAligned(values.slice(0, healthy.length), time.length);
  const desiredTotal = desired.length > 0 ? sumAligned(values.slice(healthy.length), time.length) : null;
  const minimum: Array<{ start: number; end: number; value: number }> = [];
  const zeroStretches: Array<{ start: number; end: number }> = [];
  if (desiredTotal) {
    const lowFraction = o.instances.lowFraction;
    const hasHealthy = healthy.length > 0;
    let zeroStart = NaN;
    let step: { start: number; end: number; value: number } | null = null;
    for (let i = 0; i < time.length; i++) {
      const d = desiredTotal[i];
      if (d === d) {
        const value = d * lowFraction;
        if (step && step.value === value) {
          step.end = time[i];
        } else {
          // A step runs until the next one starts.
          if (step) {
            step.end = time[i];
          }
          step = { start: time[i], end: time[i], value };
          minimum.push(step);
        }
      }
      const isZero = hasHealthy && healthyTotal[i] <= 0 && d > 0;
      if (isZero && Number.isNaN(zeroStart)) {
        zeroStart = time[i];
      } else if (!isZero && !Number.isNaN(healthyTotal[i]) && !Number.isNaN(zeroStart)) {
        zeroStretches.push({ start: zeroStart, end: time[i] });
        zeroStart = NaN;
      }
    }
    if (!Number.isNaN(zeroStart)) {
      zeroStretches.push({ start: zeroStart, end: time[time.length - 1] });
    }
  }
  const h = healthy.length > 0 ? lastValue({ time, values: healthyTotal, gaps: 0 }, now, maxAge) : null;
  const d = desiredTotal ? lastValue({ time, values: desiredTotal, gaps: 0 }, now, maxAge) : null;
  if (h && d) {
    readings.instances = { healthy: h.value, desired: d.value };
  }
  // Several series (per zone, per pool) are one total: the minimum line and the status are about the total, so
  // the lane draws the total too, and the minimum line stays on the axis of what is drawn.
  const totalOf = (list: readonly Signal[], total: Numbers, emphasis: boolean, what: 'healthy' | 'desired') =>
    list.length === 1
      ? [toLaneSeries(list[0], total, emphasis, `${what}:${list[0].name}`)]
      : list.length > 1
        ? [
            {
              ...toLaneSeries(list[0], total, emphasis, `${what}:__total`),
              label: `${what === 'healthy' ? 'Healthy' : 'Desired'} (sum of ${list.length})`,
              color: list.every((s) => s.color === list[0].color) ? list[0].color : undefined,
            },
          ]
        : [];
  const lane: InstancesLane = {
    time,
    healthy: totalOf(healthy, healthyTotal, true, 'healthy'),
    desired: desiredTotal ? totalOf(desired, desiredTotal, false, 'desired') : [],
    minimum,
    zeroStretches,
  };
  return lane;
}

/** The error ratio at `now`: a ratio as it is, a percentage /100, a rate divided by the traffic. */
function errorRatioAt(
  errors: readonly Signal[],
  traffic: NumericSeries | null,
  now: number,
  maxAge: number
): number | undefined {
  const worst = worstOf(errors, now, maxAge);
  if (!worst) {
    return undefined;
  }
  const unit = worst.signal.unit;
  if (unit === 'percent') {
    return worst.value / 100;
  }
  if (/ps$|^(short|none)$/.test(unit) && worst.value > 1 && traffic) {
    const t = lastValue(traffic, now, maxAge);
    return t && t.value > 0 ? worst.value / t.value : undefined;
  }
  return worst.value;
}

function describeMissing(
  byRole: SignalsByRole,
  unmatched: readonly string[],
  frameCount: number,
  o: CascadeOptions
): string {
  const wanted = (['traffic', 'backlog', 'lag', 'healthy'] as const)
    .map((r) => `${ROLE_LABELS[r].toLowerCase()} (${o.roles[r] || 'no matcher set'})`)
    .join('; ');
  const found =
    frameCount === 0
      ? 'The query returned no data frames.'
      : unmatched.length > 0
        ? `Found series that match no role: ${unmatched.slice(0, 5).join(', ')}${unmatched.length > 5 ? ` and ${unmatched.length - 5} more` : ''}.`
        : 'No numeric series with timestamps was found.';
  return `No traffic, database or instance signal found. The panel looks for ${wanted}. ${found} Set the roles under "Signal roles" in the panel options.`;
}

function latestTime(byRole: SignalsByRole, limit: number): number {
  let now = -Infinity;
  for (const list of Object.values(byRole)) {
    for (const s of list) {
      const i = indexAtOrBefore(s.time, limit);
      if (i >= 0 && s.time[i] > now) {
        now = s.time[i];
      }
    }
  }
  return now;
}

/**
 * Everything the panel shows, from the query results and the options: pure, so it is tested without
 * React and runs once per data change.
 */
export function buildCascadeModel(input: CascadeInput, rawOptions: unknown): CascadeModel {
  const { options: o, problems } = resolveOptions(rawOptions);
  const extracted = extractSignals(input.series, o.roles);
  const { byRole } = extracted;
  const notices = [...problems, ...extracted.notices];

  const range =
    input.timeRange &&
    Number.isFinite(input.timeRange.from) &&
    Number.isFinite(input.timeRange.to) &&
    input.timeRange.to > input.timeRange.from
      ? { from: input.timeRange.from, to: input.timeRange.to }
      : null;
  const now = latestTime(byRole, range?.to ?? Infinity);
  const maxAge = o.status.staleMinutes * MINUTE;
  const readings: Readings = {};

  const built = o.display.showTraffic ? buildTraffic(byRole, o, notices) : null;
  if (built) {
    const { lane, total } = built;
    const i = indexAtOrBefore(lane.time, now);
    const last = lastValue(total, now, maxAge);
    if (last && i >= 0) {
      const step = typicalStep(lane.time) || 0;
      const open = lane.anomalies.find((a) => a.end >= last.time - step && a.start <= last.time);
      readings.traffic = {
        value: last.value,
        center: lane.band?.center[i] ?? NaN,
        anomaly: open?.direction ?? null,
        unit: lane.unit,
      };
    }
  }
  const database = o.display.showDatabase ? buildDatabase(byRole, o, now, maxAge, readings) : null;
  const instances = o.display.showInstances ? buildInstances(byRole, o, now, maxAge, readings) : null;
  readings.errorRatio = errorRatioAt(byRole.errors, built?.total ?? null, now, maxAge);

  const dataFrom = Math.min(
    ...[built?.lane.time, database?.time, instances?.time].filter(Boolean).map((t) => (t!.length ? t![0] : Infinity))
  );
  // Without a dashboard range the data decides; without data either, any finite hour will do.
  const dataTo = Number.isFinite(now) ? now : 0;
  const from = range?.from ?? (Number.isFinite(dataFrom) && dataFrom < dataTo ? dataFrom : dataTo - 3600_000);
  const to = range?.to ?? dataTo;

  const fromAnnotations = readAnnotations(input.annotations, o.deploys);
  const deploys = mergeDeploys([
    ...fromAnnotations.deploys.filter((d) => d.time >= from && d.time <= to),
    ...deploysFromSeries(byRole.deploy, from, to),
  ]);
  const annotations = fromAnnotations.annotations
    .filter((a) => a.timeEnd >= from && a.time <= to)
    .sort((a, b) => a.time - b.time);
  const latestDeploy = [...deploys].reverse().find((d) => d.time <= now) ?? null;
  const impact =
    latestDeploy && built ? deployImpact(built.total, latestDeploy, now, o.deploys.impactWindowMinutes * MINUTE) : null;
  readings.deployImpact = impact;

  const status = evaluateStatus(readings, o);
  const crossing = (database?.forecasts ?? []).filter((f) => f.forecast.kind === 'crossing');
  const futureMs =
    o.display.showForecastZone && crossing.length > 0
      ? Math.min(o.database.forecastHorizonMinutes * MINUTE, (to - from) / 4)
      : 0;

  const anyLane = built || database || instances;
  if (byRole.traffic.length === 0 && anyLane) {
    notices.push(`No ${ROLE_LABELS.traffic.toLowerCase()} series (${o.roles.traffic})`);
  }
  return {
    options: o,
    range: { from, to, end: to + futureMs },
    now: Number.isFinite(now) ? now : to,
    lanes: { traffic: built?.lane ?? null, database, instances },
    deploys,
    annotations,
    deployImpact: impact,
    status,
    notices,
    missing:
      byRole.traffic.length +
        byRole.backlog.length +
        byRole.lag.length +
        byRole.utilization.length +
        byRole.healthy.length ===
      0
        ? describeMissing(byRole, extracted.unmatched, extracted.frameCount, o)
        : null,
  };
}

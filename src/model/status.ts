import { CascadeOptions } from '../types';
import { AnomalyDirection } from './baseline';
import { DeployImpact } from './deploys';
import { Forecast } from './forecast';
import { formatChange, formatDuration, formatEta, formatValue, unitSuffix } from './format';

/** The cascade's stages, in the order the first report's outage went through them. */
export const STAGES = ['traffic', 'backlog', 'replicas', 'instances'] as const;
export type Stage = (typeof STAGES)[number];

/** Status-page words, as Atlassian Statuspage and the first report's own status page use them. */
export const STATUS_WORDS = ['Operational', 'Degraded performance', 'Partial outage', 'Major outage'] as const;
export type StatusWord = (typeof STATUS_WORDS)[number];
export enum StatusLevel {
  Operational = 0,
  Degraded = 1,
  Partial = 2,
  Major = 3,
}

/** What the signals say at one moment: the latest readings, already reduced by the lanes. */
export interface Readings {
  traffic?: {
    value: number;
    center: number;
    /** Set when the latest point is inside an anomalous stretch. */
    anomaly: AnomalyDirection | null;
    unit: string;
  };
  deployImpact?: DeployImpact | null;
  /** 5xx ratio, 0..1. */
  errorRatio?: number;
  backlog?: { value: number; forecast: Forecast | null; unit: string };
  /** The busiest database node. */
  utilization?: { value: number; node: string; forecast: Forecast | null };
  /** The replica furthest behind. */
  lag?: { value: number; replica: string; forecast: Forecast | null };
  instances?: { healthy: number; desired: number };
}

export interface Reason {
  readonly stage: Stage | 'errors';
  readonly level: StatusLevel;
  readonly text: string;
}

export interface CascadeStatus {
  readonly level: StatusLevel;
  readonly word: StatusWord;
  /** Most severe first. */
  readonly reasons: readonly Reason[];
  readonly activeStages: readonly Stage[];
  /** The furthest stage the cascade has reached, or null when none is active. */
  readonly stageReached: Stage | null;
}

/** "+62% req/s since deploy 7 min ago": the traffic change a deploy brought, in the traffic's unit. */
export function deployImpactText(impact: DeployImpact, unit: string): string {
  const suffix = unitSuffix(unit);
  return `${formatChange(impact.change)}${suffix ? ` ${suffix}` : ''} since deploy ${formatDuration(impact.agoMs)} ago`;
}

function trafficReasons(r: Readings, o: CascadeOptions): Reason[] {
  const out: Reason[] = [];
  const t = r.traffic;
  if (t?.anomaly && t.center > 0) {
    const ratio = t.value / t.center;
    const text =
      t.anomaly === 'high'
        ? `traffic ${ratio >= 2 ? `${ratio.toFixed(1)}x` : formatChange(ratio - 1)} its baseline`
        : `traffic ${Math.round((1 - ratio) * 100)}% below its baseline`;
    out.push({ stage: 'traffic', level: StatusLevel.Degraded, text });
  }
  const d = r.deployImpact;
  // A deploy's effect counts for three impact windows after it; after that it is history, not news.
  if (d && Math.abs(d.change) >= o.deploys.impactThreshold && d.agoMs <= o.deploys.impactWindowMinutes * 60_000 * 3) {
    out.push({ stage: 'traffic', level: StatusLevel.Degraded, text: deployImpactText(d, t?.unit ?? 'reqps') });
  }
  return out;
}

function backlogReasons(r: Readings, o: CascadeOptions): Reason[] {
  const out: Reason[] = [];
  const b = r.backlog;
  if (b?.forecast?.kind === 'above') {
    out.push({
      stage: 'backlog',
      level: StatusLevel.Degraded,
      text: `write backlog above its limit (${formatValue(b.value, b.unit)})`,
    });
  } else if (b?.forecast?.kind === 'crossing') {
    out.push({
      stage: 'backlog',
      level: StatusLevel.Degraded,
      text: `backlog limit in ${formatEta(b.forecast.etaMs)}`,
    });
  }
  const u = r.utilization;
  if (u && u.value >= o.database.saturation) {
    out.push({ stage: 'backlog', level: StatusLevel.Degraded, text: `${u.node} at ${Math.round(u.value * 100)}%` });
  } else if (u?.forecast?.kind === 'crossing') {
    out.push({
      stage: 'backlog',
      level: StatusLevel.Degraded,
      text: `${u.node} saturated in ${formatEta(u.forecast.etaMs)}`,
    });
  }
  return out;
}

function replicaReasons(r: Readings, o: CascadeOptions): Reason[] {
  const l = r.lag;
  if (!l) {
    return [];
  }
  const lag = `replica lag ${formatValue(l.value, 's', 0)} (${l.replica})`;
  if (l.value >= o.database.lagCriticalSeconds) {
    return [{ stage: 'replicas', level: StatusLevel.Degraded, text: lag }];
  }
  if (l.value >= o.database.lagWarnSeconds && l.forecast?.trend?.direction === 'rising') {
    return [{ stage: 'replicas', level: StatusLevel.Degraded, text: `${lag} and rising` }];
  }
  return [];
}

function instanceReasons(r: Readings, o: CascadeOptions): Reason[] {
  const i = r.instances;
  if (!i || !(i.desired > 0)) {
    return [];
  }
  const { healthy, desired } = i;
  if (healthy <= 0) {
    return [{ stage: 'instances', level: StatusLevel.Major, text: `no healthy instances (${desired} desired)` }];
  }
  const text = `${healthy} of ${desired} instances healthy`;
  if (healthy < desired * o.instances.criticalFraction) {
    return [{ stage: 'instances', level: StatusLevel.Partial, text }];
  }
  if (healthy < desired * o.instances.lowFraction) {
    return [{ stage: 'instances', level: StatusLevel.Degraded, text }];
  }
  return [];
}

function errorReasons(r: Readings, o: CascadeOptions): Reason[] {
  const e = r.errorRatio;
  if (e === undefined || Number.isNaN(e)) {
    return [];
  }
  const text = `${formatValue(e, 'percentunit', 1)} of requests failing`;
  if (e >= o.status.majorErrorRatio) {
    return [{ stage: 'errors', level: StatusLevel.Major, text }];
  }
  if (e >= o.status.partialErrorRatio) {
    return [{ stage: 'errors', level: StatusLevel.Partial, text }];
  }
  return [];
}

/**
 * The status in status-page words. The cascade's stages (traffic, backlog, replicas, instances) degrade
 * performance; failing requests and missing instances are outages: partial when some users fail, major
 * when most do or no instance is left.
 */
export function evaluateStatus(readings: Readings, options: CascadeOptions): CascadeStatus {
  const reasons = [
    ...trafficReasons(readings, options),
    ...backlogReasons(readings, options),
    ...replicaReasons(readings, options),
    ...instanceReasons(readings, options),
    ...errorReasons(readings, options),
  ];
  const level = reasons.reduce((max, r) => Math.max(max, r.level), StatusLevel.Operational) as StatusLevel;
  const activeStages = STAGES.filter((s) => reasons.some((r) => r.stage === s));
  // Stable sort: most severe first, then in cascade order, so the line reads from cause to effect.
  const sorted = [...reasons].sort((a, b) => b.level - a.level);
  return {
    level,
    word: STATUS_WORDS[level],
    reasons: sorted,
    activeStages,
    stageReached: activeStages.length > 0 ? activeStages[activeStages.length - 1] : null,
  };
}

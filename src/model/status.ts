import { CASCADE_STAGES, type CascadeStage } from '../../config/definitions';
import { CascadeOptions } from '../types';
import { AnomalyDirection } from './baseline';
import { DeployImpact } from './deploys';
import { Forecast } from './forecast';
import { formatChange, formatDuration, formatEta, formatValue, unitSuffix } from './format';

/** The cascade's stages, in the order the first report's outage went through them (config/definitions.ts). */
export const STAGES = CASCADE_STAGES;
export type Stage = CascadeStage;

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

/**
 * Every reason's English, its numbers and names as {{placeholders}}: written once, here. The panel translates a
 * reason by its id (`reason.<id>` in the locale file, this text as the default); `text` is this English filled in.
 */
export const REASON_TEMPLATES = {
  'traffic-above': 'traffic {{change}} its baseline',
  'traffic-below': 'traffic {{percent}}% below its baseline',
  'deploy-impact': '{{change}} since deploy {{ago}} ago',
  'backlog-above-limit': 'write backlog above its limit ({{value}})',
  'backlog-limit-eta': 'backlog limit in {{eta}}',
  'node-busy': '{{node}} at {{percent}}%',
  'node-saturation-eta': '{{node}} saturated in {{eta}}',
  lag: 'replica lag {{lag}} ({{replica}})',
  'lag-rising': 'replica lag {{lag}} ({{replica}}) and rising',
  'no-healthy': 'no healthy instances ({{desired}} desired)',
  'healthy-of-desired': '{{healthy}} of {{desired}} instances healthy',
  errors: '{{ratio}} of requests failing',
} as const;
export type ReasonId = keyof typeof REASON_TEMPLATES;

/** A template with its {{placeholders}} filled in (a missing value leaves the placeholder, so a test sees it). */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name] : whole
  );
}

export interface Reason {
  readonly stage: Stage | 'errors';
  readonly level: StatusLevel;
  readonly id: ReasonId;
  /** The placeholders' values, already formatted with their units. */
  readonly values: Readonly<Record<string, string>>;
  /** The reason in English. */
  readonly text: string;
}

function reason(stage: Reason['stage'], level: StatusLevel, id: ReasonId, values: Record<string, string>): Reason {
  return { stage, level, id, values, text: fillTemplate(REASON_TEMPLATES[id], values) };
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
  return fillTemplate(REASON_TEMPLATES['deploy-impact'], deployImpactValues(impact, unit));
}

function deployImpactValues(impact: DeployImpact, unit: string): Record<string, string> {
  const suffix = unitSuffix(unit);
  return { change: `${formatChange(impact.change)}${suffix ? ` ${suffix}` : ''}`, ago: formatDuration(impact.agoMs) };
}

function trafficReasons(r: Readings, o: CascadeOptions): Reason[] {
  const out: Reason[] = [];
  const t = r.traffic;
  if (t?.anomaly && t.center > 0) {
    const ratio = t.value / t.center;
    out.push(
      t.anomaly === 'high'
        ? reason('traffic', StatusLevel.Degraded, 'traffic-above', {
            change: ratio >= 2 ? `${ratio.toFixed(1)}x` : formatChange(ratio - 1),
          })
        : reason('traffic', StatusLevel.Degraded, 'traffic-below', { percent: String(Math.round((1 - ratio) * 100)) })
    );
  }
  const d = r.deployImpact;
  // A deploy's effect counts for three impact windows after it; after that it is history, not news.
  if (d && Math.abs(d.change) >= o.deploys.impactThreshold && d.agoMs <= o.deploys.impactWindowMinutes * 60_000 * 3) {
    out.push(reason('traffic', StatusLevel.Degraded, 'deploy-impact', deployImpactValues(d, t?.unit ?? 'reqps')));
  }
  return out;
}

function backlogReasons(r: Readings, o: CascadeOptions): Reason[] {
  const out: Reason[] = [];
  const b = r.backlog;
  if (b?.forecast?.kind === 'above') {
    out.push(reason('backlog', StatusLevel.Degraded, 'backlog-above-limit', { value: formatValue(b.value, b.unit) }));
  } else if (b?.forecast?.kind === 'crossing') {
    out.push(reason('backlog', StatusLevel.Degraded, 'backlog-limit-eta', { eta: formatEta(b.forecast.etaMs) }));
  }
  const u = r.utilization;
  if (u && u.value >= o.database.saturation) {
    out.push(
      reason('backlog', StatusLevel.Degraded, 'node-busy', { node: u.node, percent: String(Math.round(u.value * 100)) })
    );
  } else if (u?.forecast?.kind === 'crossing') {
    out.push(
      reason('backlog', StatusLevel.Degraded, 'node-saturation-eta', { node: u.node, eta: formatEta(u.forecast.etaMs) })
    );
  }
  return out;
}

function replicaReasons(r: Readings, o: CascadeOptions): Reason[] {
  const l = r.lag;
  if (!l) {
    return [];
  }
  const values = { lag: formatValue(l.value, 's', 0), replica: l.replica };
  if (l.value >= o.database.lagCriticalSeconds) {
    return [reason('replicas', StatusLevel.Degraded, 'lag', values)];
  }
  if (l.value >= o.database.lagWarnSeconds && l.forecast?.trend?.direction === 'rising') {
    return [reason('replicas', StatusLevel.Degraded, 'lag-rising', values)];
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
    return [reason('instances', StatusLevel.Major, 'no-healthy', { desired: String(desired) })];
  }
  const values = { healthy: String(healthy), desired: String(desired) };
  if (healthy < desired * o.instances.criticalFraction) {
    return [reason('instances', StatusLevel.Partial, 'healthy-of-desired', values)];
  }
  if (healthy < desired * o.instances.lowFraction) {
    return [reason('instances', StatusLevel.Degraded, 'healthy-of-desired', values)];
  }
  return [];
}

function errorReasons(r: Readings, o: CascadeOptions): Reason[] {
  const e = r.errorRatio;
  if (e === undefined || Number.isNaN(e)) {
    return [];
  }
  const values = { ratio: formatValue(e, 'percentunit', 1) };
  if (e >= o.status.majorErrorRatio) {
    return [reason('errors', StatusLevel.Major, 'errors', values)];
  }
  if (e >= o.status.partialErrorRatio) {
    return [reason('errors', StatusLevel.Partial, 'errors', values)];
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

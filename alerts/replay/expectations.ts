/**
 * What the pack must achieve on the replays (docs/alerts.md), as data the test asserts and
 * the README reports.
 */
import type { ReplayAlert } from './replay';
import type { ScenarioResult } from './scenarios';

const MINUTE = 60;

/** Unix seconds of HH:MM on the scenario's anchor day (UTC). */
export function at(result: Pick<ScenarioResult, 'anchor'>, hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return result.anchor + h * 3600 + m * MINUTE;
}

/** A moment of the report's timeline, shown next to the alerts' times. */
export interface ReportEvent {
  time: string;
  what: string;
}

export const REPORT_TIMELINES: Record<string, ReportEvent[]> = {
  'cloudsmith-2020-02-04': [
    { time: '21:02', what: 'traffic surge begins' },
    { time: '21:49', what: 'primary database at 100 %' },
    { time: '21:54', what: 'replicas at 100 %' },
    { time: '22:02', what: "the team's own alerts" },
    { time: '22:20', what: "users' first 504s" },
    { time: '22:30', what: 'instances cycling' },
    { time: '22:53', what: 'traffic blocked' },
    { time: '22:59', what: 'no healthy instances (report)' },
  ],
  'crates-io-2023-07-20': [
    { time: '12:17', what: 'bad deploy promoted' },
    { time: '12:24', what: "users' issue opened" },
    { time: '12:28', what: 'team notified' },
    { time: '12:30', what: 'rollback' },
  ],
};

export interface Requirement {
  /** As docs/alerts.md says it (expectations.test.ts compares the two). */
  text: string;
  /** The alert(s) that satisfy it, and when, or why not. */
  check: (result: ScenarioResult) => { ok: boolean; evidence: string };
}

function hhmm(t: number): string {
  return Number.isNaN(t) ? 'never' : new Date(t * 1000).toISOString().slice(11, 16);
}

function earliest(alerts: ReplayAlert[]): ReplayAlert | undefined {
  return alerts.filter((a) => !Number.isNaN(a.firstFiring)).sort((a, b) => a.firstFiring - b.firstFiring)[0];
}

function firesBy(select: (a: ReplayAlert) => boolean, deadline: string, strictlyBefore = false) {
  return (r: ScenarioResult) => {
    const first = earliest(r.alerts.filter(select));
    const limit = at(r, deadline);
    const ok = first !== undefined && (strictlyBefore ? first.firstFiring < limit : first.firstFiring <= limit);
    return { ok, evidence: first ? `${first.alertname} at ${hhmm(first.firstFiring)}` : 'none fired' };
  };
}

/** The first sample at which a series is 0 (the last instance gone), from the simulated window. */
export function firstZero(result: ScenarioResult, name: string): number {
  const series = result.run.series.find((s) => s.name === name);
  if (series === undefined) {
    return NaN;
  }
  for (let k = 0; k < series.values.length; k++) {
    if (series.values[k] === 0 && result.run.times[k] >= result.window.from) {
      return result.run.times[k];
    }
  }
  return NaN;
}

export const INCIDENT_REQUIREMENTS: Record<string, Requirement[]> = {
  'cloudsmith-2020-02-04': [
    {
      text: 'a traffic-stage warning fires by 21:12 (within 10 minutes of the spike)',
      check: firesBy((a) => a.stage === 'traffic' && a.severity === 'warning', '21:12'),
    },
    {
      text: 'a backlog-stage warning fires by 21:29 (at least 20 minutes before the primary saturates)',
      check: firesBy((a) => a.stage === 'backlog' && a.severity === 'warning', '21:29'),
    },
    {
      text: "CascadeInProgress fires before 22:02 (earlier than the team's own alerts)",
      check: firesBy((a) => a.alertname === 'CascadeInProgress', '22:02', true),
    },
    {
      text: 'CascadeNoHealthyInstances fires within 2 minutes of the last instance going',
      check: (r) => {
        const zero = firstZero(r, 'instances_healthy');
        const fired = earliest(r.alerts.filter((a) => a.alertname === 'CascadeNoHealthyInstances'));
        const ok = fired !== undefined && fired.firstFiring >= zero && fired.firstFiring <= zero + 2 * MINUTE;
        return {
          ok,
          evidence: `last instance gone at ${hhmm(zero)} (simulated), alert at ${hhmm(fired?.firstFiring ?? NaN)}`,
        };
      },
    },
  ],
  'crates-io-2023-07-20': [
    {
      text: 'CascadeDeployTrafficAnomaly fires by 12:22 (within 5 minutes of the deploy), on the download route',
      check: firesBy((a) => a.alertname === 'CascadeDeployTrafficAnomaly' && a.labels.route === 'download', '12:22'),
    },
    {
      text: "no other route's CascadeDeployTrafficAnomaly fires",
      check: (r) => {
        const others = r.alerts.filter(
          (a) => a.alertname === 'CascadeDeployTrafficAnomaly' && a.labels.route !== 'download'
        );
        return {
          ok: others.length === 0,
          evidence: others.length ? others.map((a) => a.labels.route).join(', ') : 'none',
        };
      },
    },
  ],
};

const WEEK = 7 * 86400;

/** Ordinary days: no critical alert; at most one warning a week (onsets, and any firing at the start). */
export function ordinaryDayBudget(r: ScenarioResult): { criticals: ReplayAlert[]; warnings: number; allowed: number } {
  const episodes = (a: ReplayAlert) => a.onsets + (a.firingAtStart ? 1 : 0);
  return {
    criticals: r.alerts.filter((a) => a.severity === 'critical' && episodes(a) > 0),
    warnings: r.alerts.filter((a) => a.severity === 'warning').reduce((n, a) => n + episodes(a), 0),
    allowed: Math.max(1, Math.floor((r.window.to - r.window.from) / WEEK)),
  };
}

export { hhmm };

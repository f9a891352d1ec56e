/**
 * The synthetic case source: deterministic series for the situations the panel must show, shaped as
 * Grafana's Prometheus data source returns them and named by the signal contract. The incident
 * cases replay the timelines of the reports in docs/incidents.md (times in UTC).
 */
import {
  ConfigOverrideRule,
  DataFrame,
  dateTime,
  DynamicConfigValue,
  FieldConfigSource,
  FieldMatcherID,
  FieldType,
  Labels,
  LoadingState,
  PanelData,
  ThresholdsMode,
  createDataFrame,
} from '@grafana/data';

import { DB_ROLES, RECORDED, SIGNALS } from '../../contract/signals';
import {
  AnnotationSpec,
  annotationsFrame,
  matrixMeta,
  promQueryRequest,
  promRangeFrames,
  PromQuery,
  PromSeries,
  queryLog,
} from './promFrames';
import { diurnal, jitter, minutesSince, ramp, seededRandom, smoothstep, stepGrid, TIME } from './shapes';
import { BACKLOG_LIMIT, CASE_NAMES, REF, SyntheticCaseName } from './catalog';
import { CaseSource, CaseSummary, SandboxCase, UnknownCaseError } from './types';

export { BACKLOG_LIMIT, CASE_NAMES, PANEL_CASES, REF } from './catalog';
export type { SyntheticCaseName } from './catalog';

const JOB = 'cascade-simulator';

/** Everything a case's timeline says about the system at time t. `null` = no sample. */
interface Snapshot {
  rate: number;
  /** The seasonal expectation; the band is derived from it. */
  expected: number;
  errorRatio: number;
  backlog: number;
  /** One per replica, same order as `Timeline.replicas`. */
  lag: number[];
  primaryUtilization: number;
  replicaUtilization: number[];
  healthy: number;
  desired: number;
}

interface Deploy {
  readonly at: number;
  readonly version: string;
}

interface Timeline {
  readonly service: string;
  readonly cluster: string;
  readonly replicas: readonly string[];
  readonly times: readonly number[];
  readonly stepMs: number;
  readonly at: (t: number) => Snapshot;
  /** Deploys in time order; the first may be before the window (the release running at its start). */
  readonly deploys: readonly Deploy[];
  readonly withBaseline: boolean;
}

interface CaseDefinition {
  readonly title: string;
  readonly description: string;
  readonly build: () => Omit<SandboxCase, 'name' | 'title' | 'description'>;
}

const DEFINITIONS: Record<SyntheticCaseName, CaseDefinition> = {
  'ordinary-day': {
    title: 'api: an ordinary day',
    description:
      'A weekday of seasonal traffic inside its band, the nightly batch filling and draining the backlog, a routine deploy and a planned scale-down.',
    build: () => dashboardCase(ordinaryDay()),
  },
  'traffic-surge': {
    title: 'api: traffic surge (2020-02-04, 21:12 UTC)',
    description:
      'Ten minutes into the spike of the first report: traffic climbing steeply out of its band, everything else still fine.',
    build: () => dashboardCase(firstIncident(Date.UTC(2020, 1, 4, 21, 12), 0x5e1)),
  },
  'backlog-limit': {
    title: 'api: backlog heading for its limit (21:37 UTC)',
    description:
      'The write backlog has grown for half an hour and, at its current pace, reaches its limit in about a quarter of an hour.',
    build: () => dashboardCase(firstIncident(Date.UTC(2020, 1, 4, 21, 37), 0xb10c)),
  },
  'zero-healthy': {
    title: 'api: no healthy instances (23:10 UTC)',
    description:
      'The end of the cascade: primary and replicas saturated, instances cycled away, none healthy since 22:59.',
    build: () => dashboardCase(firstIncident(Date.UTC(2020, 1, 4, 23, 10), 0x2e0)),
  },
  'deploy-retry-storm': {
    title: 'crates-io: deploy followed by a retry storm (2023-07-20, 12:27 UTC)',
    description:
      'The second report: a deploy at 12:17 breaks download URLs, clients retry and the request rate jumps; errors stay flat (redirects succeed). No baseline series: the panel draws its own band.',
    build: () => dashboardCase(retryStorm()),
  },
  'nothing-usable': {
    title: 'api: nothing usable',
    description:
      'Frames arrive but none can be used: the traffic series has only NaN and null, a string field, a frame without a time field, an empty result.',
    build: nothingUsable,
  },
  'bench-100k': {
    title: 'bench: 3 lanes, 7 series, 100k points each',
    description:
      'The render benchmark data: traffic with its band, backlog and one replica lag, healthy and desired instances.',
    build: bench100k,
  },
};

export function isSyntheticCaseName(name: string): name is SyntheticCaseName {
  return (CASE_NAMES as readonly string[]).includes(name);
}

/** Builds one case synchronously (the generator is pure and deterministic). */
export function buildSyntheticCase(name: string): SandboxCase {
  if (!isSyntheticCaseName(name)) {
    throw new UnknownCaseError(name, CASE_NAMES);
  }
  const def = DEFINITIONS[name];
  return { name, title: def.title, description: def.description, ...def.build() };
}

export const syntheticSource: CaseSource = {
  id: 'synthetic',
  list(): CaseSummary[] {
    return CASE_NAMES.map((name) => ({
      name,
      title: DEFINITIONS[name].title,
      description: DEFINITIONS[name].description,
    }));
  },
  async load(name: string): Promise<SandboxCase> {
    return buildSyntheticCase(name);
  },
};

// ---------------------------------------------------------------------------------------------
// Timelines

/** A Tuesday in March 2025: seasonal traffic, nightly batch, a routine deploy, a planned scale-down. */
function ordinaryDay(): Timeline {
  const end = Date.UTC(2025, 2, 12, 0, 0);
  const random = seededRandom(0x0d1);
  const day = (h: number, m = 0) => Date.UTC(2025, 2, 11, h, m);
  const deployAt = day(10, 30);
  const scaleDownAt = day(20, 0);
  const replicas = ['replica-1', 'replica-2'];
  return {
    service: 'api',
    cluster: 'main',
    replicas,
    stepMs: TIME.MINUTE_MS,
    times: stepGrid(end, 24, TIME.MINUTE_MS),
    withBaseline: true,
    deploys: [
      { at: Date.UTC(2025, 2, 10, 16, 5), version: '2025.03.10-2' },
      { at: deployAt, version: '2025.03.11-1' },
    ],
    at(t) {
      const expected = diurnal(t, 800, 0.45, 15);
      // The nightly batch: backlog fills from 02:00 to 02:40 and drains by 03:30.
      const batchFill = smoothstep(t, day(2, 0), day(2, 40)) * (1 - smoothstep(t, day(2, 40), day(3, 30)));
      const desired = t >= scaleDownAt ? 10 : 12;
      const rolling = t >= deployAt && t < deployAt + 6 * TIME.MINUTE_MS;
      const load = expected / 800;
      return {
        rate: expected * (1 + jitter(random, 0.03)),
        expected,
        errorRatio: 0.0015 + jitter(random, 0.0005),
        backlog: Math.max(0, 250 + 9000 * batchFill + jitter(random, 60)),
        lag: replicas.map((_, i) => 0.3 + 0.1 * i + 2.5 * batchFill + Math.abs(jitter(random, 0.08))),
        primaryUtilization: 0.25 + 0.2 * load + 0.25 * batchFill + jitter(random, 0.02),
        replicaUtilization: replicas.map(() => 0.18 + 0.15 * load + 0.1 * batchFill + jitter(random, 0.02)),
        healthy: rolling ? desired - 1 : desired,
        desired,
      };
    },
  };
}

/**
 * The first report's cascade as one timeline, cut at `endMs`: the spike starts 21:02, the backlog
 * grows from 21:08 and crosses its limit near 21:51, the primary saturates 21:49, replicas 21:54,
 * users see 504s from 22:20, instances cycle from 22:30, traffic is blocked 22:53 and no instance
 * is healthy from 22:59.
 */
function firstIncident(endMs: number, seed: number): Timeline {
  const random = seededRandom(seed);
  const spikeAt = Date.UTC(2020, 1, 4, 21, 2);
  const replicas = ['replica-1', 'replica-2', 'replica-3'];
  const desired = 12;
  return {
    service: 'api',
    cluster: 'main',
    replicas,
    stepMs: 15_000,
    times: stepGrid(endMs, 6, 15_000),
    withBaseline: true,
    deploys: [{ at: Date.UTC(2020, 1, 4, 14, 12), version: '2020.02.04-3' }],
    at(t) {
      const m = minutesSince(t, spikeAt);
      const expected = diurnal(t, 520, 0.25, 15);
      const surge = m < 0 ? 0 : 2.2 * (1 - Math.exp(-m / 18)) * (1 - smoothstep(m, 111, 113));
      const healthy = healthyDuringCollapse(m, desired, random);
      const serving = healthy / desired;
      const rate = expected * (1 + surge) * (1 + jitter(random, 0.02)) * serving;
      const errorRatio = rate === 0 ? NaN : 0.002 + 0.2 * smoothstep(m, 78, 88) + 0.5 * smoothstep(m, 88, 117);
      return {
        rate,
        expected,
        errorRatio,
        backlog: incidentBacklog(m) + jitter(random, 80),
        lag: replicas.map(
          (_, i) =>
            0.25 + 0.1 * i + (m > 40 ? 0.08 * (1 + 0.2 * i) * (m - 40) ** 2 : 0) + Math.abs(jitter(random, 0.05))
        ),
        // Climbs steadily with the backlog's write work and hits 100% at 21:49, as in the report.
        primaryUtilization: Math.min(1, 0.42 + 0.58 * ramp(m, 6, 47) + jitter(random, 0.015)),
        replicaUtilization: replicas.map(() => Math.min(1, 0.3 + 0.7 * smoothstep(m, 30, 52) + jitter(random, 0.015))),
        healthy,
        desired,
      };
    },
  };
}

/** Backlog of the first incident, m minutes after the spike: accelerating, then a steady climb, then a slow drain. */
function incidentBacklog(m: number): number {
  const floor = 300;
  if (m < 6) {
    return floor;
  }
  if (m <= 28) {
    return floor + 40 * (m - 6) ** 2;
  }
  const atLinear = floor + 40 * 22 ** 2;
  const slope = 2 * 40 * 22;
  if (m <= 111) {
    return atLinear + slope * (m - 28);
  }
  return atLinear + slope * 83 - 300 * (m - 111);
}

/** Instances fail health checks from 22:30 (m=88), cycling on the way down, none healthy from 22:59 (m=117). */
function healthyDuringCollapse(m: number, desired: number, random: () => number): number {
  if (m < 88) {
    return desired;
  }
  if (m >= 117) {
    return 0;
  }
  const trend = desired * (1 - (m - 88) / 29);
  const flap = random() < 0.3 ? (random() < 0.5 ? -1 : 1) : 0;
  return Math.max(0, Math.min(desired, Math.round(trend) + flap));
}

/** The second report: steady download traffic until the 12:17 deploy, then clients retrying broken URLs. */
function retryStorm(): Timeline {
  const random = seededRandom(0xc2a7e5);
  const deployAt = Date.UTC(2023, 6, 20, 12, 17);
  const replicas = ['replica-1', 'replica-2'];
  return {
    service: 'crates-io',
    cluster: 'main',
    replicas,
    stepMs: 15_000,
    times: stepGrid(Date.UTC(2023, 6, 20, 12, 27), 6, 15_000),
    withBaseline: false,
    deploys: [
      { at: Date.UTC(2023, 6, 18, 9, 2), version: '2023.07.18-0902' },
      { at: deployAt, version: '2023.07.20-1217' },
    ],
    at(t) {
      const m = minutesSince(t, deployAt);
      const expected = diurnal(t, 4710, 0.12, 14);
      const retries = 0.65 * smoothstep(m, 0, 3);
      const rolling = m >= 0 && m < 1;
      return {
        rate: expected * (1 + retries) * (1 + jitter(random, 0.02)),
        expected,
        errorRatio: 0.004 + jitter(random, 0.0008),
        backlog: Math.max(0, 120 + jitter(random, 30)),
        lag: replicas.map((_, i) => 0.2 + 0.05 * i + Math.abs(jitter(random, 0.04))),
        primaryUtilization: 0.3 + 0.05 * smoothstep(m, 0, 3) + jitter(random, 0.01),
        replicaUtilization: replicas.map(() => 0.22 + 0.08 * smoothstep(m, 0, 3) + jitter(random, 0.01)),
        healthy: rolling ? 7 : 8,
        desired: 8,
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Timeline -> the frames a Cascade dashboard's queries return

function dashboardCase(timeline: Timeline): Omit<SandboxCase, 'name' | 'title' | 'description'> {
  const { times, stepMs, service, cluster, replicas } = timeline;
  const snapshots = times.map((t) => timeline.at(t));
  const column = (pick: (s: Snapshot) => number) => snapshots.map(pick);
  const svc: Labels = { service };
  const db: Labels = { cluster, job: JOB };
  const { queries, query: q } = queryLog(stepMs);
  const one = (labels: Labels, values: Array<number | null>): PromSeries[] => [{ labels, times, values }];

  const series: DataFrame[] = [
    ...promRangeFrames(
      q(REF.rate, `${RECORDED.requestRate}{service="${service}"}`),
      one(
        { __name__: RECORDED.requestRate, ...svc },
        column((s) => s.rate)
      )
    ),
  ];
  if (timeline.withBaseline) {
    const band = bandOf(snapshots);
    series.push(
      ...promRangeFrames(
        q(REF.baseline, `${RECORDED.baselineRate}{service="${service}"}`),
        one({ __name__: RECORDED.baselineRate, ...svc }, band.baseline)
      ),
      ...promRangeFrames(
        q(REF.upper, `${RECORDED.baselineUpper}{service="${service}"}`),
        one({ __name__: RECORDED.baselineUpper, ...svc }, band.upper)
      ),
      ...promRangeFrames(
        q(REF.lower, `${RECORDED.baselineLower}{service="${service}"}`),
        one({ __name__: RECORDED.baselineLower, ...svc }, band.lower)
      )
    );
  }
  series.push(
    ...promRangeFrames(
      q(REF.errors, `${RECORDED.errorRatio}{service="${service}"}`),
      one(
        { __name__: RECORDED.errorRatio, ...svc },
        column((s) => s.errorRatio)
      )
    ),
    ...promRangeFrames(
      q(REF.backlog, `${SIGNALS.writeBacklog.name}{cluster="${cluster}"}`),
      one(
        { __name__: SIGNALS.writeBacklog.name, ...db },
        column((s) => s.backlog)
      )
    ),
    ...promRangeFrames(
      q(REF.lag, `${SIGNALS.replicaLag.name}{cluster="${cluster}"}`, '{{instance}}'),
      replicas.map((instance, i) => ({
        labels: { __name__: SIGNALS.replicaLag.name, ...db, instance },
        times,
        values: column((s) => s.lag[i]),
      }))
    ),
    ...promRangeFrames(
      q(REF.utilization, `${SIGNALS.dbUtilization.name}{cluster="${cluster}"}`, '{{instance}} ({{role}})'),
      [
        {
          labels: { __name__: SIGNALS.dbUtilization.name, ...db, instance: 'primary-1', role: DB_ROLES[0] },
          times,
          values: column((s) => s.primaryUtilization),
        },
        ...replicas.map((instance, i) => ({
          labels: { __name__: SIGNALS.dbUtilization.name, ...db, instance, role: DB_ROLES[1] },
          times,
          values: column((s) => s.replicaUtilization[i]),
        })),
      ]
    ),
    ...promRangeFrames(
      q(REF.healthy, `${SIGNALS.healthyInstances.name}{service="${service}"}`),
      one(
        { __name__: SIGNALS.healthyInstances.name, ...svc, job: JOB },
        column((s) => s.healthy)
      )
    ),
    ...promRangeFrames(
      q(REF.desired, `${SIGNALS.desiredInstances.name}{service="${service}"}`),
      one(
        { __name__: SIGNALS.desiredInstances.name, ...svc, job: JOB },
        column((s) => s.desired)
      )
    ),
    ...promRangeFrames(q(REF.deploy, `${SIGNALS.lastDeploy.name}{service="${service}"}`), deploySeries(timeline))
  );

  return {
    data: panelData(series, [annotationsFrame(deployAnnotations(timeline))], times, queries),
    options: dashboardOptions(),
    fieldConfig: dashboardFieldConfig(),
  };
}

/** The recorded band: the seasonal expectation, ±30% with a floor so quiet hours keep a usable width. */
function bandOf(snapshots: readonly Snapshot[]) {
  const width = (s: Snapshot) => Math.max(0.3 * s.expected, 40);
  return {
    baseline: snapshots.map((s) => s.expected),
    upper: snapshots.map((s) => s.expected + width(s)),
    lower: snapshots.map((s) => Math.max(0, s.expected - width(s))),
  };
}

/**
 * `service_last_deploy_timestamp_seconds{service, version}`: one series per release, present while
 * that release runs, valued at its deploy time in seconds.
 */
function deploySeries(timeline: Timeline): PromSeries[] {
  const { times, deploys, service } = timeline;
  return deploys
    .map((deploy, i) => {
      const until = deploys[i + 1]?.at ?? Infinity;
      const values = times.map((t) => (t >= deploy.at && t < until ? deploy.at / 1000 : null));
      return {
        labels: { __name__: SIGNALS.lastDeploy.name, service, version: deploy.version, job: JOB },
        times,
        values,
      };
    })
    .filter((s) => s.values.some((v) => v !== null));
}

function deployAnnotations(timeline: Timeline): AnnotationSpec[] {
  const [first, last] = [timeline.times[0], timeline.times[timeline.times.length - 1]];
  return timeline.deploys
    .map((deploy, i) => ({ deploy, previous: timeline.deploys[i - 1] }))
    .filter(({ deploy }) => deploy.at >= first && deploy.at <= last)
    .map(({ deploy, previous }) => ({
      time: deploy.at,
      title: `Deploy ${timeline.service} ${deploy.version}`,
      text: previous
        ? `${timeline.service}: ${previous.version} → ${deploy.version}`
        : `${timeline.service}: ${deploy.version}`,
      tags: ['deploy', timeline.service, deploy.version],
    }));
}

function panelData(
  series: DataFrame[],
  annotations: DataFrame[],
  times: readonly number[],
  queries: readonly PromQuery[]
): PanelData {
  const from = dateTime(times[0]);
  const to = dateTime(times[times.length - 1]);
  const timeRange = { from, to, raw: { from, to } };
  return {
    state: LoadingState.Done,
    series,
    annotations,
    timeRange,
    request: promQueryRequest(queries, timeRange, queries[0]?.stepMs ?? times[1] - times[0]),
  };
}

/**
 * The panel options the dashboard sets: the backlog limit. (The same limit is a threshold in the
 * field config too; Grafana only keeps field-config overrides for options a plugin registers with
 * useFieldConfig, so the panel option is the dependable way to say it.)
 */
function dashboardOptions(): Record<string, unknown> {
  return { database: { backlogLimit: BACKLOG_LIMIT } };
}

/** What a dashboard stores for this panel: units per query and the thresholds the lanes draw. */
function dashboardFieldConfig(): FieldConfigSource {
  const byRef = (refId: string, properties: DynamicConfigValue[]): ConfigOverrideRule => ({
    matcher: { id: FieldMatcherID.byFrameRefID, options: refId },
    properties,
  });
  const thresholds = (...steps: Array<[number, string]>): DynamicConfigValue => ({
    id: 'thresholds',
    value: { mode: ThresholdsMode.Absolute, steps: steps.map(([value, color]) => ({ value, color })) },
  });
  const unit = (value: string): DynamicConfigValue => ({ id: 'unit', value });
  return {
    defaults: {},
    overrides: [
      ...[REF.rate, REF.baseline, REF.upper, REF.lower].map((ref) => byRef(ref, [unit('reqps')])),
      byRef(REF.errors, [unit('percentunit')]),
      byRef(REF.backlog, [unit('short'), thresholds([-Infinity, 'green'], [BACKLOG_LIMIT, 'red'])]),
      byRef(REF.lag, [unit('s'), thresholds([-Infinity, 'green'], [30, 'orange'], [120, 'red'])]),
      byRef(REF.utilization, [unit('percentunit'), { id: 'min', value: 0 }, { id: 'max', value: 1 }]),
      byRef(REF.healthy, [unit('none'), { id: 'decimals', value: 0 }]),
      byRef(REF.desired, [unit('none'), { id: 'decimals', value: 0 }]),
      byRef(REF.deploy, [unit('dateTimeAsIso')]),
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Cases that are not a timeline

/**
 * Frames that arrive but carry no usable role: the traffic series holds only NaN and null, one frame
 * has only strings, one has no time field, one query came back empty.
 */
function nothingUsable(): Omit<SandboxCase, 'name' | 'title' | 'description'> {
  const times = stepGrid(Date.UTC(2025, 2, 12, 0, 0), 6, 15_000);
  const { queries, query } = queryLog(15_000);
  const [rate, errors, backlog, healthy] = [
    query(REF.rate, `${RECORDED.requestRate}{service="api"}`),
    query(REF.errors, 'label_replace(vector(1), "state", "ok", "", "")'),
    query(REF.backlog, `${SIGNALS.writeBacklog.name}{cluster="main"}`),
    query(REF.healthy, `${SIGNALS.healthyInstances.name}{service="api"}`),
  ];
  const series: DataFrame[] = [
    createDataFrame({
      refId: rate.refId,
      meta: matrixMeta(),
      fields: [
        { name: 'Time', type: FieldType.time, values: times, config: { interval: 15_000 } },
        {
          name: RECORDED.requestRate,
          type: FieldType.number,
          labels: { __name__: RECORDED.requestRate, service: 'api' },
          values: times.map((_, i) => (i % 2 === 0 ? NaN : null)),
        },
      ],
    }),
    createDataFrame({
      refId: errors.refId,
      fields: [
        { name: 'Time', type: FieldType.time, values: times.slice(0, 3) },
        { name: 'state', type: FieldType.string, values: ['ok', 'ok', 'unknown'] },
      ],
    }),
    createDataFrame({
      refId: backlog.refId,
      meta: { custom: { resultType: 'vector' } },
      fields: [
        {
          name: SIGNALS.writeBacklog.name,
          type: FieldType.number,
          labels: { __name__: SIGNALS.writeBacklog.name, cluster: 'main', job: JOB },
          values: [1200],
        },
      ],
    }),
    ...promRangeFrames(healthy, []),
  ];
  return {
    data: panelData(series, [], times, queries),
    options: dashboardOptions(),
    fieldConfig: dashboardFieldConfig(),
  };
}

/** Number of points per series in the benchmark case. */
export const BENCH_POINTS = 100_000;

/** 7 series x 100k points at 15 s (about 17 days): the render benchmark's data, also viewable as a case. */
function bench100k(): Omit<SandboxCase, 'name' | 'title' | 'description'> {
  const stepMs = 15_000;
  const end = Date.UTC(2025, 2, 12, 0, 0);
  const times = Array.from({ length: BENCH_POINTS }, (_, i) => end - (BENCH_POINTS - 1 - i) * stepMs);
  const random = seededRandom(0xbe4c);
  const expected = times.map((t) => diurnal(t, 800, 0.45, 15));
  const svc = { service: 'api' };
  const db = { cluster: 'main', job: JOB };
  const { queries, query: q } = queryLog(stepMs);
  const one = (labels: Labels, values: number[]): PromSeries[] => [{ labels, times, values }];
  const series = [
    ...promRangeFrames(
      q(REF.rate, `${RECORDED.requestRate}{service="api"}`),
      one(
        { __name__: RECORDED.requestRate, ...svc },
        expected.map((e) => e * (1 + jitter(random, 0.04)))
      )
    ),
    ...promRangeFrames(
      q(REF.upper, `${RECORDED.baselineUpper}{service="api"}`),
      one(
        { __name__: RECORDED.baselineUpper, ...svc },
        expected.map((e) => e * 1.3)
      )
    ),
    ...promRangeFrames(
      q(REF.lower, `${RECORDED.baselineLower}{service="api"}`),
      one(
        { __name__: RECORDED.baselineLower, ...svc },
        expected.map((e) => e * 0.7)
      )
    ),
    ...promRangeFrames(
      q(REF.backlog, `${SIGNALS.writeBacklog.name}{cluster="main"}`),
      one(
        { __name__: SIGNALS.writeBacklog.name, ...db },
        times.map(() => 300 + Math.abs(jitter(random, 200)))
      )
    ),
    ...promRangeFrames(
      q(REF.lag, `${SIGNALS.replicaLag.name}{cluster="main"}`, '{{instance}}'),
      one(
        { __name__: SIGNALS.replicaLag.name, ...db, instance: 'replica-1' },
        times.map(() => 0.3 + Math.abs(jitter(random, 0.2)))
      )
    ),
    ...promRangeFrames(
      q(REF.healthy, `${SIGNALS.healthyInstances.name}{service="api"}`),
      one(
        { __name__: SIGNALS.healthyInstances.name, ...svc, job: JOB },
        times.map(() => (random() < 0.002 ? 11 : 12))
      )
    ),
    ...promRangeFrames(
      q(REF.desired, `${SIGNALS.desiredInstances.name}{service="api"}`),
      one(
        { __name__: SIGNALS.desiredInstances.name, ...svc, job: JOB },
        times.map(() => 12)
      )
    ),
  ];
  return {
    data: panelData(series, [], times, queries),
    options: dashboardOptions(),
    fieldConfig: dashboardFieldConfig(),
  };
}

import { noise } from './frames';
import { AnnotationSpec, PromQuerySpec, PromSeriesSpec, stepTimes } from './promBackend';

/**
 * The dashboards the Grafana-shaped tests and host-page cases show: queries as a person writes them in a new
 * Grafana panel (refIds A, B, C...; recorded series by name, per-zone instances with a `{{zone}}` legend),
 * two hours at a 15 s step ending at NOW.
 */
export const MINUTE = 60_000;
export const STEP = 15_000;
export const FROM = Date.parse('2026-11-02T10:00:00Z');
const POINTS = 481;
export const TIMES = stepTimes(FROM, STEP, POINTS);
export const NOW = TIMES[POINTS - 1];

type Shape = (minutesAgo: number, i: number) => number | null;

export function one(labels: Record<string, string>, fn: Shape): PromSeriesSpec {
  return { labels, values: TIMES.map((t, i) => fn((NOW - t) / MINUTE, i)) };
}

export const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

export type Overrides = Partial<Record<'traffic' | 'errors' | 'backlog' | 'lag' | 'deploy', PromQuerySpec>>;

/**
 * An ordinary day: every signal well inside its limits (the backlog ends at 113, above Grafana's default
 * threshold of 80), four healthy of four desired instances in each of three zones, and a deploy query (G) that
 * returns nothing.
 */
export function ordinaryDay(overrides: Overrides = {}): PromQuerySpec[] {
  return [
    overrides.traffic ?? {
      expr: 'cascade:http_requests:rate5m{service="registry"}',
      series: [one({ __name__: 'cascade:http_requests:rate5m', service: 'registry' }, (_, i) => 1000 + noise(i, 20))],
    },
    overrides.errors ?? {
      expr: 'cascade:http_errors:ratio_rate5m{service="registry"}',
      series: [
        one({ __name__: 'cascade:http_errors:ratio_rate5m', service: 'registry' }, (_, i) => 0.002 + noise(i, 0.001)),
      ],
    },
    overrides.backlog ?? {
      expr: 'db_write_backlog{cluster="main"}',
      series: [one({ __name__: 'db_write_backlog', cluster: 'main' }, (m, i) => (m === 0 ? 113 : 105 + noise(i, 10)))],
    },
    overrides.lag ?? {
      expr: 'db_replication_lag_seconds{cluster="main"}',
      legendFormat: '{{instance}}',
      series: ['db-replica-1', 'db-replica-2'].map((instance) =>
        one({ __name__: 'db_replication_lag_seconds', cluster: 'main', instance }, (_, i) => 1.5 + noise(i, 0.5))
      ),
    },
    {
      expr: 'instances_healthy{service="registry"}',
      legendFormat: '{{zone}}',
      series: ZONES.map((zone) => one({ __name__: 'instances_healthy', service: 'registry', zone }, () => 4)),
    },
    {
      expr: 'instances_desired{service="registry"}',
      legendFormat: '{{zone}}',
      series: ZONES.map((zone) => one({ __name__: 'instances_desired', service: 'registry', zone }, () => 4)),
    },
    overrides.deploy ?? {
      expr: 'service_last_deploy_timestamp_seconds{service="registry"}',
      legendFormat: '{{version}}',
      series: [],
    },
  ];
}

/** The deploy 10 minutes before NOW in the deploy-step dashboard. */
export const STEP_DEPLOY_AT = NOW - 10 * MINUTE;

/**
 * `sum(rate(http_requests_total[5m]))` of a counter whose rate steps from 100/s to 164/s at a deploy (v41 to
 * v42, ten minutes before NOW): the step is drawn as a five-minute ramp.
 */
export function deployStep(): PromQuerySpec[] {
  const deployAt = STEP_DEPLOY_AT;
  // Requests counted from FROM until t: 100/s before the deploy, 164/s after.
  const counter = (t: number) => (100 * (Math.min(t, deployAt) - FROM) + 164 * Math.max(0, t - deployAt)) / 1000;
  const rate = (i: number) => (counter(TIMES[i]) - counter(TIMES[i] - 5 * MINUTE)) / 300;
  const gauge = { __name__: 'service_last_deploy_timestamp_seconds', service: 'registry' };
  return ordinaryDay({
    traffic: {
      expr: 'sum(rate(http_requests_total{service="registry"}[5m]))',
      legendFormat: 'traffic',
      series: [one({}, (_, i) => rate(i) * (1 + noise(i, 0.01)))],
    },
    // The version label changes at the deploy: one series per release, each with samples only while it runs.
    deploy: {
      expr: 'service_last_deploy_timestamp_seconds{service="registry"}',
      legendFormat: '{{version}}',
      series: [
        one({ ...gauge, version: 'v41' }, (m) => (m > 10 ? Date.parse('2026-11-01T09:00:00Z') / 1000 : null)),
        one({ ...gauge, version: 'v42' }, (m) => (m <= 10 ? deployAt / 1000 : null)),
      ],
    },
  });
}

/** Replica 1's lag climbs from 2 s to 280 s over the last five minutes: critical (300 s) within a minute. */
export function lagClimb(): Overrides['lag'] {
  const lag = (instance: string, fn: Shape) =>
    one({ __name__: 'db_replication_lag_seconds', cluster: 'main', instance }, fn);
  return {
    expr: 'db_replication_lag_seconds{cluster="main"}',
    legendFormat: '{{instance}}',
    series: [lag('db-replica-1', (m) => (m > 5 ? 2 : 2 + (278 * (5 - m)) / 5)), lag('db-replica-2', () => 2)],
  };
}

/** A backlog of 16,000 twenty minutes ago, drained to 12,000 five minutes ago, flat since. */
export function drainedThenFlat(): Overrides['backlog'] {
  return {
    expr: 'db_write_backlog{cluster="main"}',
    series: [
      one({ __name__: 'db_write_backlog', cluster: 'main' }, (m, i) =>
        m > 5 ? 12_000 + (4000 * Math.min(15, m - 5)) / 15 + noise(i, 30) : 12_000 + noise(i, 30)
      ),
    ],
  };
}

/** Traffic 80% up from eight minutes ago. */
export function surge(): Overrides['traffic'] {
  return {
    expr: 'cascade:http_requests:rate5m{service="registry"}',
    series: [
      one({ __name__: 'cascade:http_requests:rate5m', service: 'registry' }, (m, i) =>
        m < 8 ? 1800 + noise(i, 20) : 1000 + noise(i, 20)
      ),
    ],
  };
}

/** Replicas named so that their legends (17 to 25 characters) make `/(a+)+$/` backtrack for up to 716 ms each. */
export function hostileLegends(): Overrides['lag'] {
  return {
    expr: 'db_replication_lag_seconds{cluster="main"}',
    legendFormat: '{{instance}}',
    series: [17, 21, 25].map((n) =>
      one({ __name__: 'db_replication_lag_seconds', cluster: 'main', instance: `${'a'.repeat(n - 1)}!` }, () => 2)
    ),
  };
}

export const HOSTILE_LAG_MATCHER = '/(a+)+$/, db_replication_lag_seconds';

/** The dashboard's annotations: a deploy from a Prometheus annotation query, an alert state change, a note. */
export const ANNOTATIONS = {
  deploy: {
    time: NOW - 90 * MINUTE,
    title: 'Deploy v42',
    text: '',
    // A Prometheus annotation query gives its events no tags; the query itself carries the deploy tag.
    query: { name: 'Deploys', tags: ['deploy'] },
  },
  alert: { time: NOW - 20 * MINUTE, text: 'CascadeReplicaLag', newState: 'Alerting', alertId: 12 },
  note: { time: NOW - 10 * MINUTE, text: '<p>Investigating slow uploads</p>', tags: ['incident'] },
} satisfies Record<string, AnnotationSpec>;

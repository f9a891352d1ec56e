/**
 * Dialects: the same model under the metric names and labels real exporters expose, one per preset of the
 * configuration (config/presets/NAME.yaml), so each preset can be tried end to end on data shaped as its users'.
 *
 *   kube-state-metrics  instances and deploys of a Kubernetes Deployment
 *   postgres-exporter   replica lag from postgres_exporter's replication collector
 *   mysqld-exporter     replica lag from mysqld_exporter's SHOW REPLICA STATUS collector
 *   otel-http           request counts of OpenTelemetry's HTTP server semantic conventions
 *
 * A dialect stands in for the contract series its preset maps and leaves every other series in the contract's
 * names. Where a preset reads a scrape label (`job`, `instance`), the series carry it themselves: Prometheus
 * with `honor_labels: true` keeps them, and a backfill has no scrape to add them.
 */
import { SIGNALS, type SignalType } from '../contract/signals';
import type { Route } from './model/params';
import type { Series, SimulationRun } from './run';

export const DIALECT_NAMES = ['kube-state-metrics', 'postgres-exporter', 'mysqld-exporter', 'otel-http'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

type Labels = Readonly<Record<string, string>>;

/** One sample of a dialect standing for a contract sample: its name, labels and how its value follows. */
export interface Translation {
  /** Sample name as exposed (a histogram's `_count` included). */
  name: string;
  /** Family it belongs to (a histogram's base name). */
  family: string;
  type: SignalType;
  labels: Labels;
  /** The dialect's value for the contract sample's value (default: the same value). */
  value?: (contractValue: number) => number;
}

/** A family a dialect exposes, for HELP/TYPE lines. */
export interface DialectFamily {
  name: string;
  type: SignalType;
  help: string;
}

export interface Dialect {
  name: DialectName;
  description: string;
  families: readonly DialectFamily[];
  /**
   * What stands for one contract sample (by sample name and labels): undefined when this dialect does not
   * touch it; a list (the contract sample itself may be in it, kept beside the dialect's own) otherwise.
   */
  translate(sampleName: string, labels: Labels): Translation[] | undefined;
}

/** The Kubernetes namespace of the simulated Deployment. */
export const K8S_NAMESPACE = 'default';
/**
 * kube-state-metrics' generation is a small counter the API server bumps on each spec change. The simulator
 * derives it from the running release's deploy time (minutes since this origin) so that a backfilled history
 * and a live server agree without shared state: it increases on each deploy, as the pack reads it (changes()).
 */
const GENERATION_ORIGIN_SECONDS = Date.UTC(2019, 0, 1) / 1000;

export function deployGeneration(deployTimestampSeconds: number): number {
  return Math.max(1, Math.round((deployTimestampSeconds - GENERATION_ORIGIN_SECONDS) / 60));
}

/** OpenTelemetry `http.route` templates and `http.request.method` of the simulated routes. */
export const OTEL_ROUTES: Readonly<Record<Route, { route: string; method: string }>> = {
  download: { route: '/api/v1/crates/{crate}/{version}/download', method: 'GET' },
  api: { route: '/api/v1/crates', method: 'GET' },
  upload: { route: '/api/v1/crates/new', method: 'PUT' },
};

/** The primary each replica replays from, as mysqld_exporter's `master_host` label names it. */
const PRIMARY_HOST = 'db-primary';

const KSM_FAMILIES = {
  available: {
    name: 'kube_deployment_status_replicas_available',
    type: 'gauge',
    help: 'The number of available replicas per deployment.',
  },
  spec: { name: 'kube_deployment_spec_replicas', type: 'gauge', help: 'Number of desired pods for a deployment.' },
  observed: {
    name: 'kube_deployment_status_observed_generation',
    type: 'gauge',
    help: 'The generation observed by the deployment controller.',
  },
  metadata: {
    name: 'kube_deployment_metadata_generation',
    type: 'gauge',
    help: 'Sequence number representing a specific generation of the desired state.',
  },
} as const satisfies Record<string, DialectFamily>;

const PG_FAMILIES = {
  lag: { name: 'pg_replication_lag_seconds', type: 'gauge', help: 'Replication lag behind master in seconds' },
  isReplica: { name: 'pg_replication_is_replica', type: 'gauge', help: 'Indicates if the server is a replica' },
  up: {
    name: 'pg_up',
    type: 'gauge',
    help: 'Whether the last scrape of metrics from PostgreSQL was able to connect to the server (1 for yes, 0 for no).',
  },
} as const satisfies Record<string, DialectFamily>;

const MYSQL_FAMILIES = {
  lag: {
    name: 'mysql_slave_status_seconds_behind_master',
    type: 'gauge',
    help: 'Generic metric from SHOW SLAVE STATUS.',
  },
  sqlRunning: {
    name: 'mysql_slave_status_slave_sql_running',
    type: 'gauge',
    help: 'Generic metric from SHOW SLAVE STATUS.',
  },
  up: { name: 'mysql_up', type: 'gauge', help: 'Whether the MySQL server is up.' },
} as const satisfies Record<string, DialectFamily>;

const OTEL_FAMILIES = {
  duration: {
    name: 'http_server_request_duration_seconds',
    type: 'histogram',
    help: 'Duration of HTTP server requests.',
  },
} as const satisfies Record<string, DialectFamily>;

function as(family: DialectFamily, labels: Labels, value?: (v: number) => number): Translation {
  return { name: family.name, family: family.name, type: family.type, labels, ...(value ? { value } : {}) };
}

/** The contract sample itself, kept beside a dialect's additions. */
function kept(name: string, family: string, type: SignalType, labels: Labels): Translation {
  return { name, family, type, labels };
}

const one = () => 1;

/** A database node's scrape labels: the exporter target is the node, its job the cluster. */
function nodeTarget(labels: Labels): Labels {
  return { job: labels.cluster, instance: labels.instance };
}

export const DIALECTS: Readonly<Record<DialectName, Dialect>> = {
  'kube-state-metrics': {
    name: 'kube-state-metrics',
    description: 'instances and deploys of a Kubernetes Deployment named after the service',
    families: Object.values(KSM_FAMILIES),
    translate(name, labels) {
      const deployment = { namespace: K8S_NAMESPACE, deployment: labels.service };
      switch (name) {
        case SIGNALS.healthyInstances.name:
          return [as(KSM_FAMILIES.available, deployment)];
        case SIGNALS.desiredInstances.name:
          return [as(KSM_FAMILIES.spec, deployment)];
        case SIGNALS.lastDeploy.name:
          // One series per Deployment whatever the release: the version is not a label of kube-state-metrics.
          return [
            as(KSM_FAMILIES.observed, deployment, deployGeneration),
            as(KSM_FAMILIES.metadata, deployment, deployGeneration),
          ];
        default:
          return undefined;
      }
    },
  },
  'postgres-exporter': {
    name: 'postgres-exporter',
    description: 'replica lag per node from postgres_exporter (job = cluster, instance = node)',
    families: Object.values(PG_FAMILIES),
    translate(name, labels) {
      switch (name) {
        case SIGNALS.replicaLag.name:
          return [as(PG_FAMILIES.lag, nodeTarget(labels))];
        case SIGNALS.dbUtilization.name:
          // Every node that reports a utilisation is up; the replicas say so.
          return [
            kept(name, name, SIGNALS.dbUtilization.type, labels),
            as(PG_FAMILIES.up, nodeTarget(labels), one),
            as(PG_FAMILIES.isReplica, nodeTarget(labels), () => (labels.role === 'replica' ? 1 : 0)),
          ];
        default:
          return undefined;
      }
    },
  },
  'mysqld-exporter': {
    name: 'mysqld-exporter',
    description: 'replica lag per node from mysqld_exporter (job = cluster, instance = node)',
    families: Object.values(MYSQL_FAMILIES),
    translate(name, labels) {
      const replica = { ...nodeTarget(labels), master_host: PRIMARY_HOST };
      switch (name) {
        case SIGNALS.replicaLag.name:
          return [as(MYSQL_FAMILIES.lag, replica), as(MYSQL_FAMILIES.sqlRunning, replica, one)];
        case SIGNALS.dbUtilization.name:
          return [kept(name, name, SIGNALS.dbUtilization.type, labels), as(MYSQL_FAMILIES.up, nodeTarget(labels), one)];
        default:
          return undefined;
      }
    },
  },
  'otel-http': {
    name: 'otel-http',
    description: 'request counts of the OpenTelemetry HTTP server conventions (job = service.name)',
    families: Object.values(OTEL_FAMILIES),
    translate(name, labels) {
      if (name !== SIGNALS.traffic.name) {
        return undefined;
      }
      const route = OTEL_ROUTES[labels.route as Route] ?? { route: labels.route, method: 'GET' };
      return [
        {
          name: `${OTEL_FAMILIES.duration.name}_count`,
          family: OTEL_FAMILIES.duration.name,
          type: 'histogram',
          labels: {
            job: labels.service,
            http_route: route.route,
            http_request_method: route.method,
            http_response_status_code: labels.code,
          },
        },
      ];
    },
  },
};

export class DialectError extends Error {}

/** Dialect names from flags: repeatable and/or comma-separated; an unknown name lists the known ones. */
export function parseDialects(values: readonly string[]): DialectName[] {
  const names = values
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  for (const n of names) {
    if (!(DIALECT_NAMES as readonly string[]).includes(n)) {
      throw new DialectError(`unknown dialect ${JSON.stringify(n)}: expected one of ${DIALECT_NAMES.join(', ')}`);
    }
  }
  const unique = [...new Set(names)] as DialectName[];
  // Two dialects for one signal would leave one of them silent: say so instead.
  for (const signal of Object.values(SIGNALS)) {
    const claiming = unique.filter(
      (d) => DIALECTS[d].translate(signal.name, {}) !== undefined && claims(d, signal.name)
    );
    if (claiming.length > 1) {
      throw new DialectError(`dialects ${claiming.join(' and ')} both stand for ${signal.name}: name one of them`);
    }
  }
  return unique;
}

/** Whether a dialect replaces a contract sample (rather than only adding series beside it). */
function claims(dialect: DialectName, sampleName: string): boolean {
  return (DIALECTS[dialect].translate(sampleName, {}) ?? []).every((t) => t.name !== sampleName);
}

/**
 * What stands for one contract sample in the given dialects: the first dialect that translates it decides;
 * a sample no dialect translates keeps the contract's name and labels.
 */
export function translate(
  dialects: readonly DialectName[],
  sampleName: string,
  family: string,
  type: SignalType,
  labels: Labels
): Translation[] {
  for (const d of dialects) {
    const t = DIALECTS[d].translate(sampleName, labels);
    if (t !== undefined) {
      return t;
    }
  }
  return [kept(sampleName, family, type, labels)];
}

/** HELP text of a dialect family (undefined for the contract's own). */
export function dialectHelp(family: string): string | undefined {
  for (const d of Object.values(DIALECTS)) {
    const f = d.families.find((x) => x.name === family);
    if (f) {
      return f.help;
    }
  }
  return undefined;
}

function labelsKey(name: string, labels: Labels): string {
  return `${name}{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',')}}`;
}

/**
 * A run in the given dialects: every series translated; contract series that land on the same dialect series
 * (the deploy timestamp's one series per release) merge into one, each sample taken from whichever is present.
 * Families stay together (writers emit one family at a time). With no dialect the run is returned as it is.
 */
export function runInDialects(run: SimulationRun, dialects: readonly DialectName[]): SimulationRun {
  if (dialects.length === 0) {
    return run;
  }
  const n = run.times.length;
  const byKey = new Map<string, Series>();
  const order: string[] = [];
  for (const s of run.series) {
    for (const t of translate(dialects, s.name, s.metric, s.type, s.labels)) {
      const key = labelsKey(t.name, t.labels);
      let out = byKey.get(key);
      if (out === undefined) {
        out = { name: t.name, metric: t.family, type: t.type, labels: t.labels, values: new Float64Array(n).fill(NaN) };
        byKey.set(key, out);
        order.push(key);
      }
      const values = out.values;
      const src = s.values;
      const f = t.value;
      for (let k = 0; k < n; k++) {
        const v = src[k];
        if (v === v) {
          const w = f ? f(v) : v;
          const prev = values[k];
          values[k] = prev === prev ? Math.max(prev, w) : w;
        }
      }
    }
  }
  const series = order.map((k) => byKey.get(k)!);
  const families: string[] = [];
  for (const s of series) {
    if (!families.includes(s.metric)) {
      families.push(s.metric);
    }
  }
  series.sort((a, b) => families.indexOf(a.metric) - families.indexOf(b.metric));
  return { ...run, series };
}

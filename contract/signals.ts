/**
 * The signal contract of docs/signals.md as code: the default input series every part speaks.
 * The simulator emits exactly these, the rule pack's default selectors read them, the panel's role
 * defaults match them. Their names are public interface: add optional series, never rename these.
 */

export type SignalType = 'counter' | 'gauge' | 'histogram';

export interface SignalSpec {
  /** Prometheus metric name (for a histogram, the base name without _bucket/_sum/_count). */
  readonly name: string;
  readonly type: SignalType;
  /** Labels the series carries (a histogram's `le` included). */
  readonly labels: readonly string[];
  readonly optional: boolean;
  readonly help: string;
}

export const SIGNALS = {
  traffic: {
    name: 'http_requests_total',
    type: 'counter',
    labels: ['service', 'route', 'code'],
    optional: false,
    help: 'Requests served, by HTTP status code.',
  },
  latency: {
    name: 'http_request_duration_seconds',
    type: 'histogram',
    labels: ['service', 'route', 'le'],
    optional: true,
    help: 'Request latency.',
  },
  trafficSources: {
    name: 'http_request_sources',
    type: 'gauge',
    labels: ['service'],
    optional: true,
    help: 'Distinct client networks seen in the last minute.',
  },
  writeBacklog: {
    name: 'db_write_backlog',
    type: 'gauge',
    labels: ['cluster'],
    optional: false,
    help: 'Units of write work waiting to be applied to the primary.',
  },
  writesApplied: {
    name: 'db_writes_total',
    type: 'counter',
    labels: ['cluster'],
    optional: false,
    help: 'Units of write work applied to the primary.',
  },
  dbUtilization: {
    name: 'db_utilization_ratio',
    type: 'gauge',
    labels: ['cluster', 'instance', 'role'],
    optional: false,
    help: 'Busy fraction (0..1) of each database node.',
  },
  replicaLag: {
    name: 'db_replication_lag_seconds',
    type: 'gauge',
    labels: ['cluster', 'instance'],
    optional: false,
    help: 'How far each replica is behind the primary, in seconds.',
  },
  healthyInstances: {
    name: 'instances_healthy',
    type: 'gauge',
    labels: ['service'],
    optional: false,
    help: 'Frontend/API instances passing health checks.',
  },
  desiredInstances: {
    name: 'instances_desired',
    type: 'gauge',
    labels: ['service'],
    optional: false,
    help: 'Instances the orchestrator wants running.',
  },
  lastDeploy: {
    name: 'service_last_deploy_timestamp_seconds',
    type: 'gauge',
    labels: ['service', 'version'],
    optional: false,
    help: 'Unix time at which the running release was deployed.',
  },
} as const satisfies Record<string, SignalSpec>;

export type SignalKey = keyof typeof SIGNALS;

/** The `role` label values of db_utilization_ratio. */
export const DB_ROLES = ['primary', 'replica'] as const;

/**
 * Recorded series of the rule pack that other parts read by name (the panel's role defaults, the
 * dashboards). The pack records more; these names and their labels (`RECORDED_LABELS`) are fixed
 * because the panel and the dashboards depend on them. Whatever a preset maps the input series from,
 * these come out the same, so the dashboards read only these.
 */
export const RECORDED = {
  requestRate: 'cascade:http_requests:rate5m',
  baselineRate: 'cascade:http_requests:baseline_rate5m',
  baselineUpper: 'cascade:http_requests:baseline_upper',
  baselineLower: 'cascade:http_requests:baseline_lower',
  /** 5xx responses over all responses, per service, over 5 minutes (0..1). */
  errorRatio: 'cascade:http_errors:ratio_rate5m',
  errorRatio1h: 'cascade:http_errors:ratio_rate1h',
  errorRatio6h: 'cascade:http_errors:ratio_rate6h',
  errorRatio1d: 'cascade:http_errors:ratio_rate1d',
  errorRatio3d: 'cascade:http_errors:ratio_rate3d',
  requestRateByRoute: 'cascade:http_requests_by_route:rate5m',
  errorRatioByRoute: 'cascade:http_errors_by_route:ratio_rate5m',
  predeployRateByRoute: 'cascade:http_requests_by_route:predeploy_rate5m',
  predeployErrorRatioByRoute: 'cascade:http_errors_by_route:predeploy_ratio_rate5m',
  /** A route's rate over its pre-deploy rate, against the same ratio of the service's other routes. */
  deployJumpByRoute: 'cascade:http_requests_by_route:deploy_jump_ratio',
  requestVelocity: 'cascade:http_requests:velocity_ratio',
  sources: 'cascade:http_request_sources:max',
  sourcesVelocity: 'cascade:http_request_sources:velocity_ratio',
  deployTimestamp: 'cascade:deploy:last_timestamp_seconds',
  deployAge: 'cascade:deploy:age_seconds',
  backlog: 'cascade:db_write_backlog:sum',
  backlogDrainTime: 'cascade:db_write_backlog:drain_seconds',
  utilization: 'cascade:db_utilization:ratio',
  replicaLag: 'cascade:db_replication_lag:seconds',
  healthyInstances: 'cascade:instances_healthy:sum',
  desiredInstances: 'cascade:instances_desired:sum',
  /** 1 for each service and the database cluster it writes to (config key `topology`). */
  serviceCluster: 'cascade:service_cluster:info',
} as const;

export type RecordedKey = keyof typeof RECORDED;

/** The labels each recorded series carries (besides the configuration's grouping labels). */
export const RECORDED_LABELS: Record<RecordedKey, readonly string[]> = {
  requestRate: ['service'],
  baselineRate: ['service'],
  baselineUpper: ['service'],
  baselineLower: ['service'],
  errorRatio: ['service'],
  errorRatio1h: ['service'],
  errorRatio6h: ['service'],
  errorRatio1d: ['service'],
  errorRatio3d: ['service'],
  requestRateByRoute: ['service', 'route'],
  errorRatioByRoute: ['service', 'route'],
  predeployRateByRoute: ['service', 'route'],
  predeployErrorRatioByRoute: ['service', 'route'],
  deployJumpByRoute: ['service', 'route'],
  requestVelocity: ['service'],
  sources: ['service'],
  sourcesVelocity: ['service'],
  deployTimestamp: ['service'],
  deployAge: ['service'],
  backlog: ['cluster'],
  backlogDrainTime: ['cluster'],
  utilization: ['cluster', 'instance', 'role'],
  replicaLag: ['cluster', 'instance'],
  healthyInstances: ['service'],
  desiredInstances: ['service'],
  serviceCluster: ['service', 'cluster'],
};

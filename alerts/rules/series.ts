/**
 * Names of the series the pack records (`cascade:<what>:<how>`). The five the panel and the
 * dashboards depend on come from the contract; the rest are the pack's own and are listed, with
 * labels and meaning, in alerts/README.md (generated from the rules).
 */
import { RECORDED } from '../../contract/signals';

export const SERIES = {
  // Traffic, per service and route (summing a per-route name never mixes with the per-service one).
  requestsByRoute: 'cascade:http_requests_by_route:rate5m',
  errorsByRoute: 'cascade:http_errors_by_route:rate5m',
  errorRatioByRoute: 'cascade:http_errors_by_route:ratio_rate5m',
  routeVelocity: 'cascade:http_requests_by_route:velocity_ratio',
  routeBaseline: 'cascade:http_requests_by_route:baseline_rate5m',
  routeMinuteChange: 'cascade:http_requests_by_route:minute_change_ratio',
  // Per service, from its routes: the fastest qualifying route surge, and how many routes are far below usual
  // or falling there.
  routeSurgeVelocity: 'cascade:http_requests:route_surge_velocity_ratio',
  routesFarBelowUsual: 'cascade:http_requests:routes_far_below_usual',
  routesFalling: 'cascade:http_requests:routes_falling',
  // Traffic, per service.
  requests: RECORDED.requestRate,
  errors: 'cascade:http_errors:rate5m',
  errorRatio: RECORDED.errorRatio,
  velocity: 'cascade:http_requests:velocity_ratio',
  minuteChange: 'cascade:http_requests:minute_change_ratio',
  sources: 'cascade:http_request_sources:max',
  sourcesVelocity: 'cascade:http_request_sources:velocity_ratio',
  // Seasonal baseline.
  levelRatio: 'cascade:http_requests:level_ratio',
  seasonal: 'cascade:http_requests:seasonal_rate5m',
  seasonalStddev: 'cascade:http_requests:seasonal_stddev',
  baseline: RECORDED.baselineRate,
  baselineStddev: 'cascade:http_requests:baseline_stddev',
  baselineUpper: RECORDED.baselineUpper,
  baselineLower: RECORDED.baselineLower,
  baselineDeviation: 'cascade:http_requests:baseline_deviation',
  // Deploys.
  deployTimestamp: 'cascade:deploy:last_timestamp_seconds',
  deployAge: 'cascade:deploy:age_seconds',
  predeployRate: 'cascade:http_requests_by_route:predeploy_rate5m',
  predeployErrorRatio: 'cascade:http_errors_by_route:predeploy_ratio_rate5m',
  deployJump: RECORDED.deployJumpByRoute,
  // Database.
  backlog: 'cascade:db_write_backlog:sum',
  backlogTrend: 'cascade:db_write_backlog:deriv',
  writesApplied: 'cascade:db_writes:rate5m',
  drainTime: 'cascade:db_write_backlog:drain_seconds',
  predictedDrainTime: 'cascade:db_write_backlog:predicted_drain_seconds',
  usualDrainTime: 'cascade:db_write_backlog:usual_drain_seconds',
  utilization: 'cascade:db_utilization:ratio',
  timeToSaturation: 'cascade:db_utilization:seconds_to_saturation',
  lag: 'cascade:db_replication_lag:seconds',
  lagTrend: 'cascade:db_replication_lag:deriv',
  // Topology: which cluster each service writes to.
  serviceCluster: RECORDED.serviceCluster,
  // Instances.
  healthy: 'cascade:instances_healthy:sum',
  desired: 'cascade:instances_desired:sum',
  healthyRatio: 'cascade:instances:healthy_ratio',
  // The cascade.
  alertCondition: 'cascade:alert_condition:active',
  stageActive: 'cascade:stage:active',
} as const;

/** The SLO's request-weighted error ratio over `window` (5m is the contract's errorRatio). */
export function errorRatioOver(window: string): string {
  return window === '5m' ? SERIES.errorRatio : `cascade:http_errors:ratio_rate${window}`;
}

/** SLO windows recorded in the fast group (raw ranges) and in the slow group (5m subquery steps). */
export const SLO_FAST_WINDOWS = ['30m', '1h', '2h'] as const;
export const SLO_SLOW_WINDOWS = ['6h', '1d', '3d'] as const;

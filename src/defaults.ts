import { THRESHOLDS } from '../config/definitions';
import { RECORDED, SIGNALS } from '../contract/signals';
import type { CascadeOptions, Role, RoleMatchers } from './types';

/**
 * Each role matches the pack's recorded series by name (what the dashboards query, whatever preset fills
 * them), the contract's raw series, and a query whose refId or legend is the role's own name, so
 * `refId: backlog` works on any data source.
 */
export const DEFAULT_ROLES: RoleMatchers = {
  traffic: `${RECORDED.requestRate}, traffic`,
  baseline: `${RECORDED.baselineRate}, baseline`,
  upper: `${RECORDED.baselineUpper}, upper`,
  lower: `${RECORDED.baselineLower}, lower`,
  errors: `${RECORDED.errorRatio}, errors`,
  backlog: `${RECORDED.backlog}, ${SIGNALS.writeBacklog.name}, backlog`,
  lag: `${RECORDED.replicaLag}, ${SIGNALS.replicaLag.name}, lag`,
  utilization: `${RECORDED.utilization}, ${SIGNALS.dbUtilization.name}, utilization, utilisation`,
  healthy: `${RECORDED.healthyInstances}, ${SIGNALS.healthyInstances.name}, healthy`,
  desired: `${RECORDED.desiredInstances}, ${SIGNALS.desiredInstances.name}, desired`,
  deploy: `${RECORDED.deployTimestamp}, ${SIGNALS.lastDeploy.name}, deploy, deploys`,
};

/**
 * The thresholds Grafana gives every field of a new panel (its standard "thresholds" option's default). A field
 * carrying exactly these has had no thresholds set by anyone, so they are not taken as the backlog limit.
 */
export const GRAFANA_DEFAULT_THRESHOLDS = {
  mode: 'absolute',
  steps: [
    { color: 'green', value: null },
    { color: 'red', value: 80 },
  ],
} as const;

/** Matching order: the band's series before traffic, so a broad traffic pattern cannot swallow them. */
export const ROLE_ORDER: readonly Role[] = [
  'deploy',
  'upper',
  'lower',
  'baseline',
  'errors',
  'traffic',
  'backlog',
  'lag',
  'utilization',
  'healthy',
  'desired',
];

export const ROLE_LABELS: Record<Role, string> = {
  traffic: 'Traffic',
  baseline: 'Baseline',
  upper: 'Upper band',
  lower: 'Lower band',
  errors: 'Error ratio',
  backlog: 'Write backlog',
  lag: 'Replica lag',
  utilization: 'DB utilisation',
  healthy: 'Healthy instances',
  desired: 'Desired instances',
  deploy: 'Deploy time',
};

/** The unit a role's values are shown in when the field config sets none. */
export const ROLE_UNITS: Record<Role, string> = {
  traffic: 'reqps',
  baseline: 'reqps',
  upper: 'reqps',
  lower: 'reqps',
  errors: 'percentunit',
  backlog: 'short',
  lag: 's',
  utilization: 'percentunit',
  healthy: 'none',
  desired: 'none',
  deploy: 'dateTimeAsIso',
};

export const DEFAULT_OPTIONS: CascadeOptions = {
  roles: DEFAULT_ROLES,
  traffic: {
    bandMode: 'auto',
    bandWidth: 3,
    baselineWindowMinutes: 60,
    minBandRatio: 0.1,
    lowTrafficFloor: 1,
    minAnomalyMinutes: 2,
  },
  database: {
    backlogLimit: THRESHOLDS.backlogLimit ?? 0,
    lagWarnSeconds: THRESHOLDS.replicaLagWarningSeconds,
    lagCriticalSeconds: THRESHOLDS.replicaLagCriticalSeconds,
    saturation: THRESHOLDS.databaseSaturation,
    forecastFitMinutes: 15,
    forecastHorizonMinutes: 60,
  },
  instances: {
    lowFraction: THRESHOLDS.instancesLowFraction,
    criticalFraction: THRESHOLDS.instancesCriticalFraction,
  },
  status: {
    partialErrorRatio: 0.05,
    majorErrorRatio: 0.5,
    staleMinutes: 10,
  },
  deploys: {
    annotations: 'tagged',
    annotationTag: 'deploy',
    impactWindowMinutes: 10,
    impactThreshold: 0.5,
  },
  display: {
    showTraffic: true,
    showDatabase: true,
    showInstances: true,
    showForecastZone: true,
  },
};

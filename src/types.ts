/** The signal roles the panel understands. Each is found among the query results by name or refId. */
export type Role =
  | 'traffic'
  | 'baseline'
  | 'upper'
  | 'lower'
  | 'errors'
  | 'backlog'
  | 'lag'
  | 'utilization'
  | 'healthy'
  | 'desired'
  | 'deploy';

/** Comma-separated matchers per role: exact names (case-insensitive) or /regular expressions/. */
export type RoleMatchers = Record<Role, string>;

export type BandMode = 'auto' | 'query' | 'computed' | 'off';

export interface TrafficOptions {
  /** auto: the query's baseline series when present, else computed from the data; query/computed force one. */
  bandMode: BandMode;
  /** Band half-width in robust standard deviations. */
  bandWidth: number;
  /** Trailing window of the computed baseline, in minutes. */
  baselineWindowMinutes: number;
  /** The band is never narrower than this fraction of the baseline on each side. */
  minBandRatio: number;
  /** Below this rate (in the traffic's unit) nothing counts as anomalous: quiet services are noisy. */
  lowTrafficFloor: number;
  /** A stretch outside the band must last this long to be shaded and reported. */
  minAnomalyMinutes: number;
}

export interface DatabaseOptions {
  /** Write backlog at which the service is in trouble (0: take it from the field's thresholds, or none). */
  backlogLimit: number;
  lagWarnSeconds: number;
  lagCriticalSeconds: number;
  /** Utilisation (0..1) counted as saturated. */
  saturation: number;
  /** Trailing window fitted to forecast a rising signal, in minutes. */
  forecastFitMinutes: number;
  /** ETAs further away than this are not shown, in minutes. */
  forecastHorizonMinutes: number;
}

export interface InstanceOptions {
  /** Healthy below this fraction of desired: degraded performance, and the minimum line on the lane. */
  lowFraction: number;
  /** Healthy below this fraction of desired: partial outage. */
  criticalFraction: number;
}

export interface StatusOptions {
  /** 5xx ratio (0..1) from which users are failing: partial outage. */
  partialErrorRatio: number;
  /** 5xx ratio (0..1) from which most users are failing: major outage. */
  majorErrorRatio: number;
  /** Data older than this at the end of the range is not used for the status, in minutes. */
  staleMinutes: number;
}

export interface DeployOptions {
  /** Use annotations as deploy markers: all of them, only those with this tag, or none. */
  annotations: 'all' | 'tagged' | 'none';
  annotationTag: string;
  /** Window before and after a deploy compared for its traffic change, in minutes. */
  impactWindowMinutes: number;
  /** A traffic change since the latest deploy above this fraction (0.5 = +50%) degrades the status. */
  impactThreshold: number;
}

export interface DisplayOptions {
  showTraffic: boolean;
  showDatabase: boolean;
  showInstances: boolean;
  /** Extend the time axis past the data to show where forecasts cross their thresholds. */
  showForecastZone: boolean;
}

export interface CascadeOptions {
  roles: RoleMatchers;
  traffic: TrafficOptions;
  database: DatabaseOptions;
  instances: InstanceOptions;
  status: StatusOptions;
  deploys: DeployOptions;
  display: DisplayOptions;
}

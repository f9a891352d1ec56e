/**
 * The simulated service's parameters: what a scenario file's `service:` block sets (over these defaults) and what
 * `simulate`'s `overrides` change ("what if we had twice the write capacity").
 */
import type { SeasonalityParams } from './seasonality';

export const ROUTES = ['download', 'api', 'upload'] as const;
export type Route = (typeof ROUTES)[number];

export interface RouteParams {
  /** Ordinary requests per second at the daily mean, at the anchor (before seasonality, growth and noise). */
  baseRate: number;
  /** HTTP code of a successful answer ("302" for a download: it redirects to the CDN). */
  successCode: string;
  /**
   * Units of background write work each request creates (download counts, logs, audit records...). A unit is a
   * batch of such records: an ordinary registry creates a few tens of units a second.
   */
  writeCost: number;
  /** Units of database read work each request needs. */
  readCost: number;
  /** Latency of the request without the database, seconds. */
  baseLatencySeconds: number;
  /** Database round trips per request: how much database latency adds to the request's. */
  dbRoundTrips: number;
}

export interface ServiceParams {
  /** `service` label value. */
  service: string;
  /** `cluster` label value of the database. */
  cluster: string;
  routes: Record<Route, RouteParams>;
  traffic: SeasonalityParams & {
    /** Relative amplitude of slow traffic noise (knots every 10 min); a few % keeps weeks comparable. */
    noise: number;
    /** Relative amplitude of per-step jitter. */
    jitter: number;
    /** Distinct client networks per minute at the daily mean. */
    baseSources: number;
    /** Share of served requests answered 500 in ordinary times (the "ordinary trickle"). */
    errorTrickle: number;
  };
  clients: {
    /** Attempts a client makes in all before giving up (cargo: 4). */
    retryAttempts: number;
    /** Share of clients that retry a failed request (package managers do, browsers mostly do not). */
    retryShare: number;
  };
  database: {
    /** Work units per second the primary can do (the reads sent to it plus the write work it applies). */
    primaryCapacity: number;
    /** Work units per second each replica can do (replaying writes plus serving reads). */
    replicaCapacity: number;
    /** Replicas at the start. */
    replicas: number;
    /**
     * Units of write work per second the background workers can apply at most (an idle primary). Work that
     * arrives faster waits in the write backlog, which then grows roughly linearly.
     */
    workerThroughput: number;
    /** Seconds an ordinary unit of write work waits for a worker: with the arrival rate, the ordinary backlog. */
    workerLatencySeconds: number;
    /** Primary work per unit of write work applied. */
    primaryWorkPerWrite: number;
    /** Replica work per unit of primary write work replayed. */
    replayCost: number;
    /** Replica reads per unit of write work applied (the background workers read what they process). */
    workerReadCost: number;
    /**
     * Replica reads per second per unit of write work waiting: the workers poll the queue, and each poll scans
     * what waits. A swollen backlog thus loads the replicas too (the first report: "the backlog from the writes
     * start impact reads"), and keeps loading them after the traffic that made it is gone.
     */
    queueScanCost: number;
    /**
     * Fastest replay relative to the write log of a primary writing flat out (replay is mostly single-threaded).
     * Below 1, a replica falls behind whenever the primary is saturated with writes, however idle it is otherwise.
     */
    replayHeadroom: number;
    /** Share of reads that always go to the primary. */
    primaryReadShare: number;
    /**
     * Replica lag (s) at which the application sends a replica half its share of reads (fresher replicas take the
     * rest), and from which it starts sending reads to the primary instead.
     */
    readFallbackLagSeconds: number;
    /** Largest share of replica reads that fall back to the primary when replicas lag far behind. */
    readFallbackMaxShare: number;
    /**
     * Lock contention: extra primary work per unit of write work when the backlog is huge (a bloated queue table,
     * lock waits), as a multiple (1: twice the work). This is what keeps a primary busy while it drains.
     */
    contention: number;
    /** Backlog (units) at which half of `contention` is reached. */
    contentionHalfBacklog: number;
    /** Latency of one database read on an idle node, seconds. */
    readLatencySeconds: number;
    /** Seconds a read waits, on average, per second of replica lag (reads that need what was just written). */
    staleReadWait: number;
    /** Ordinary replica lag, seconds. */
    baseLagSeconds: number;
    /** Time to provision a new replica with an idle primary, seconds. */
    replicaProvisionSeconds: number;
    /** Provisioning speed while the primary is saturated (snapshots crawl on a write-locked primary), 0..1. */
    provisionSpeedWhenSaturated: number;
  };
  instances: {
    desired: number;
    /** Requests per second one healthy instance can serve. */
    capacityPerInstance: number;
    /** Time from start until the instance first checks the database, seconds. */
    bootSeconds: number;
    healthCheckIntervalSeconds: number;
    /** Consecutive failed checks after which the orchestrator cycles the instance. */
    unhealthyThreshold: number;
    /** A health check fails when its database query takes longer than this, seconds. */
    healthCheckTimeoutSeconds: number;
    /** A health check fails when even the freshest replica is further behind than this, seconds (stale reads). */
    healthCheckMaxLagSeconds: number;
    /** Database checks a starting instance must pass in a row to join (one per health-check interval). */
    bootChecks: number;
    /** Seconds a booted instance may wait for the database before the orchestrator kills it and boots another. */
    startTimeoutSeconds: number;
    /**
     * Instances are not identical: each one's health check waits on its own connection pool and share of the
     * traffic, so it sees a slow database sooner or later than the others. Each instance's probe latency is the
     * database's times a factor spread evenly over 1 +/- this (0.4: 0.6x to 1.4x): a failing fleet shrinks one
     * instance at a time rather than all at once.
     */
    sensitivitySpread: number;
    /** Seconds a removed instance keeps serving while it drains (scale-down). */
    drainSeconds: number;
    /** Whether an instance can finish booting when no instance is healthy (the first report: it could not). */
    bootstrapFromZero: boolean;
  };
  latency: {
    /** The load balancer answers 504 after this many seconds. */
    gatewayTimeoutSeconds: number;
    /** `le` bounds of http_request_duration_seconds (+Inf is added). */
    buckets: number[];
  };
  release: {
    /** Version running at the start of a run. */
    version: string;
    /** When that version was deployed: a time spec relative to the anchor (e.g. "-3d"). */
    deployedAt: string;
  };
}

export type DeepPartial<T> =
  T extends ReadonlyArray<infer _U> ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

/** A mid-sized package registry: downloads dominate, the database has headroom, a dozen frontends. */
export const DEFAULT_SERVICE: ServiceParams = {
  service: 'registry',
  cluster: 'main',
  routes: {
    download: {
      baseRate: 300,
      successCode: '302',
      writeCost: 0.03,
      readCost: 1,
      baseLatencySeconds: 0.04,
      dbRoundTrips: 2,
    },
    api: { baseRate: 60, successCode: '200', writeCost: 0.05, readCost: 4, baseLatencySeconds: 0.08, dbRoundTrips: 4 },
    upload: { baseRate: 2, successCode: '201', writeCost: 1.5, readCost: 5, baseLatencySeconds: 0.6, dbRoundTrips: 6 },
  },
  traffic: {
    dailyAmplitude: 0.35,
    peakHourUtc: 14,
    weekendFactor: 0.7,
    growthPerWeek: 0.005,
    noise: 0.03,
    jitter: 0.01,
    baseSources: 400,
    errorTrickle: 0.0003,
  },
  clients: { retryAttempts: 4, retryShare: 0.9 },
  database: {
    primaryCapacity: 1500,
    replicaCapacity: 1600,
    replicas: 2,
    workerThroughput: 40,
    workerLatencySeconds: 8,
    primaryWorkPerWrite: 25,
    replayCost: 0.5,
    workerReadCost: 5,
    queueScanCost: 0,
    replayHeadroom: 1.5,
    primaryReadShare: 0.15,
    readFallbackLagSeconds: 120,
    readFallbackMaxShare: 0.3,
    contention: 0,
    contentionHalfBacklog: 300_000,
    readLatencySeconds: 0.004,
    staleReadWait: 0.01,
    baseLagSeconds: 0.3,
    replicaProvisionSeconds: 900,
    provisionSpeedWhenSaturated: 0.2,
  },
  instances: {
    desired: 12,
    capacityPerInstance: 400,
    bootSeconds: 180,
    healthCheckIntervalSeconds: 10,
    unhealthyThreshold: 3,
    healthCheckTimeoutSeconds: 10,
    healthCheckMaxLagSeconds: 600,
    bootChecks: 3,
    startTimeoutSeconds: 300,
    sensitivitySpread: 0.4,
    drainSeconds: 60,
    bootstrapFromZero: true,
  },
  latency: {
    gatewayTimeoutSeconds: 60,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  },
  release: { version: 'v1.0.0', deployedAt: '-5d' },
};

/**
 * The same service at `k` times the traffic: every route's base rate and every capacity and size that meets it
 * (the database's nodes and workers, the backlog at which contention bites, an instance's requests per second)
 * scaled alike. The model is homogeneous in these, so utilisation, lag, health checks and the instance count,
 * and with them a cascade's timing, stay as they were; rates, backlogs and write counts come out `k` times larger.
 * Client networks are a count, not a rate, and stay. A run's events scale with `scaledEvents`.
 */
export function scaledService(p: ServiceParams, k: number): ServiceParams {
  if (!(k > 0) || !Number.isFinite(k)) {
    throw new RangeError(`scale: expected a positive number, got ${k}`);
  }
  const out = structuredClone(p);
  for (const route of ROUTES) {
    out.routes[route].baseRate *= k;
  }
  out.database.primaryCapacity *= k;
  out.database.replicaCapacity *= k;
  out.database.workerThroughput *= k;
  out.database.contentionHalfBacklog *= k;
  out.instances.capacityPerInstance *= k;
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge for parameter objects: objects merge key by key, arrays and scalars replace. Returns a new object. */
export function mergeParams<T>(base: T, ...patches: Array<DeepPartial<T> | undefined>): T {
  let out: unknown = structuredClone(base);
  for (const patch of patches) {
    if (patch !== undefined) {
      out = mergeInto(out, patch);
    }
  }
  return out as T;
}

function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(target) || !isPlainObject(patch)) {
    return patch === undefined ? target : structuredClone(patch);
  }
  const out: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) {
      out[key] = mergeInto(target[key], value);
    }
  }
  return out;
}

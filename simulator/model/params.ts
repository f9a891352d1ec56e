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
  /** Units of background write work each request creates (download counts, logs, audit records...). */
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
    /** Work units per second the primary can do (writes plus the reads sent to it). */
    primaryCapacity: number;
    /** Work units per second each replica can do (replaying writes plus serving reads). */
    replicaCapacity: number;
    /** Replicas at the start. */
    replicas: number;
    /** Replica work per unit of write replayed. */
    replayCost: number;
    /** Replica reads per unit of write work applied (the background workers read what they process). */
    workerReadCost: number;
    /** Fastest replay relative to the primary's full write rate (single-threaded replay): how fast lag shrinks. */
    replayHeadroom: number;
    /** Share of reads that always go to the primary. */
    primaryReadShare: number;
    /** Replica lag (s) from which the application starts sending reads to the primary instead. */
    readFallbackLagSeconds: number;
    /** Largest share of replica reads that fall back to the primary when replicas lag far behind. */
    readFallbackMaxShare: number;
    /** Scale of the queueing backlog (units of work waiting at utilisation 0.5). */
    queueScale: number;
    /** Lock contention: fraction of the primary's capacity lost when its write backlog is very large. */
    contention: number;
    /** Backlog (units) at which half of `contention` is lost. */
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
    /** Time from start to ready, seconds. */
    bootSeconds: number;
    healthCheckIntervalSeconds: number;
    /** Consecutive failed checks after which the orchestrator cycles the instance. */
    unhealthyThreshold: number;
    /** A health check fails when its database query takes longer than this, seconds. */
    healthCheckTimeoutSeconds: number;
    /** A health check fails when even the freshest replica is further behind than this, seconds (stale reads). */
    healthCheckMaxLagSeconds: number;
    /** Database checks a booting instance must pass in a row to finish starting. */
    bootChecks: number;
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

export type DeepPartial<T> = T extends ReadonlyArray<infer _U>
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** A mid-sized package registry: downloads dominate, the database has headroom, a dozen frontends. */
export const DEFAULT_SERVICE: ServiceParams = {
  service: 'registry',
  cluster: 'main',
  routes: {
    download: {
      baseRate: 300,
      successCode: '302',
      writeCost: 1,
      readCost: 1,
      baseLatencySeconds: 0.04,
      dbRoundTrips: 2,
    },
    api: { baseRate: 60, successCode: '200', writeCost: 0.5, readCost: 4, baseLatencySeconds: 0.08, dbRoundTrips: 4 },
    upload: { baseRate: 2, successCode: '201', writeCost: 30, readCost: 5, baseLatencySeconds: 0.6, dbRoundTrips: 6 },
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
    replayCost: 0.5,
    workerReadCost: 0.2,
    replayHeadroom: 1.5,
    primaryReadShare: 0.05,
    readFallbackLagSeconds: 120,
    readFallbackMaxShare: 0.3,
    queueScale: 40,
    contention: 0,
    contentionHalfBacklog: 1_000_000,
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
    drainSeconds: 60,
    bootstrapFromZero: true,
  },
  latency: {
    gatewayTimeoutSeconds: 60,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
  },
  release: { version: 'v1.0.0', deployedAt: '-5d' },
};

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

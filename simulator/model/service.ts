/**
 * The causal model of one service, stepped in discrete time. Each step follows the cascade in order:
 *
 *   clients (seasonal traffic, surges, retries of failed requests)
 *     -> load balancer (healthy instances x capacity; the rest get 502, or 503 with none healthy)
 *     -> requests create background write work (the write backlog) and database reads
 *     -> primary applies writes up to its capacity (less the reads sent to it; contention when swamped)
 *     -> replicas replay what the primary applied and serve reads; when they cannot keep up, lag and read
 *        queues grow, reads fall back to the primary
 *     -> request latency follows the database: the slowest answer 504
 *     -> health checks fail on a slow or lagging database: instances are cycled and must boot again, which
 *        needs the database (and, with `bootstrapFromZero` off, a healthy peer)
 *
 * Everything here is deterministic given the parameters, the events, the seed and the start time.
 */
import type { DeployEvent, ModelEvent, SurgeEvent } from './events';
import { InstancePool } from './instances';
import { ROUTES, type Route, type ServiceParams } from './params';
import {
  attemptsPerRequest,
  cappedMean,
  fluidQueueStep,
  queueingBacklog,
  queueingLatency,
  tailShare,
} from './queueing';
import { hashNoise, Prng, valueNoise } from './random';
import { growthFactor, seasonalFactor } from './seasonality';

/** Codes counted per route, in this order: the route's success code, then the errors. */
export const ERROR_CODES = ['500', '502', '503', '504'] as const;
export const CODE_SLOTS = 1 + ERROR_CODES.length;
const SLOT_500 = 1;
const SLOT_502 = 2;
const SLOT_503 = 3;
const SLOT_504 = 4;

/** Noise channels (see random.ts): one per quantity so they are independent. */
const CH_ROUTE = 1;
const CH_SOURCES = 10;
const CH_LAG = 20;
const CH_UTIL = 40;
const CH_BACKLOG = 60;
const CH_JITTER = 100;

/** Traffic noise knots every 10 minutes; jitter changes every 15 s whatever the step. */
const NOISE_PERIOD = 600;
const JITTER_PERIOD = 15;
/** Seconds for clients to notice failures and retry (a smoothing constant on the failure share they see). */
const RETRY_REACTION_SECONDS = 20;
/** Seconds for a blocked source's client networks to disappear. */
const BLOCK_DECAY_SECONDS = 30;
/** Seconds for a new source's client networks to appear (much faster than its request rate climbs). */
const SOURCES_RAMP_SECONDS = 120;
/** Seconds over which the replay rate is averaged to turn a replay backlog into seconds of lag. */
const APPLIED_AVERAGE_SECONDS = 300;
/** Share of a replica's capacity the replication replay always gets, however many queries wait. */
const MIN_REPLAY_SHARE = 0.2;
/** Share of requests above which an error counts as more than the ordinary trickle (milestones). */
const ERROR_MILESTONE_SHARE = 0.005;
/** A saturated node (milestones). */
const SATURATED = 0.99;

export interface RouteState {
  readonly route: Route;
  readonly successCode: string;
  /** Cumulative requests by code slot: [success, 500, 502, 503, 504]. */
  readonly counts: Float64Array;
  /** Cumulative http_request_duration_seconds buckets, `latency.buckets` then +Inf. */
  readonly buckets: Float64Array;
  durationSum: number;
  /** Requests per second offered by clients in the last step (retries included). */
  rate: number;
  /** Share of the last step's requests that failed as clients see it (errors, or a broken answer). */
  clientFailure: number;
}

export interface ReplicaState {
  readonly name: string;
  online: boolean;
  /** Seconds of provisioning left at full speed (new replicas). */
  provisionLeft: number;
  /** Primary writes not yet replayed, units. */
  replayBacklog: number;
  /** Reads waiting, units. */
  readQueue: number;
  utilization: number;
  lagSeconds: number;
  readLatency: number;
  readonly noiseChannel: number;
}

export type MilestoneKind =
  | 'surgeStart'
  | 'surgeEnd'
  | 'primarySaturated'
  | 'replicasSaturated'
  | 'first5xx'
  | 'first504'
  | 'instancesCycling'
  | 'zeroHealthy'
  | 'instancesRecovered'
  | 'replicasOnline'
  | 'backlogDrained';

export const MILESTONE_KINDS: readonly MilestoneKind[] = [
  'surgeStart',
  'surgeEnd',
  'primarySaturated',
  'replicasSaturated',
  'first5xx',
  'first504',
  'instancesCycling',
  'zeroHealthy',
  'instancesRecovered',
  'replicasOnline',
  'backlogDrained',
];

export interface ModelEventRecord {
  time: number;
  type: ModelEvent['type'] | 'blocked' | 'replica-online';
  detail: string;
}

interface Ramp {
  from: number;
  to: number;
  start: number;
  seconds: number;
}

export interface ModelOptions {
  anchor: number;
  seed: number;
  /** Unix seconds at which the model starts, at rest. */
  start: number;
  /** Unix seconds of the release running at the start. */
  releaseDeployedAt: number;
}

export class ServiceModel {
  readonly params: ServiceParams;
  time: number;
  readonly routes: RouteState[];
  readonly replicas: ReplicaState[] = [];
  readonly pool: InstancePool;
  readonly milestones: Partial<Record<MilestoneKind, number>> = {};
  readonly log: ModelEventRecord[] = [];

  /** Gauges, as exported. */
  sources = 0;
  backlog = 0;
  primaryUtilization = 0;
  writesTotal = 0;
  version: string;
  deployedAt: number;

  private readonly seed: number;
  private readonly anchor: number;
  private readonly events: ModelEvent[];
  private readonly surges: SurgeEvent[];
  private nextEvent = 0;
  private readonly prng: Prng;
  private fluidBacklog = 0;
  private queueBacklog = 0;
  private replayAverage: number;
  private release: DeployEvent | undefined;
  private bootstrapFromZero: boolean;
  private readonly ramps: Record<'writeCost' | 'readCost' | 'primaryCapacity', Ramp>;
  private readonly baseSourcesAtAnchor: number;

  constructor(params: ServiceParams, events: readonly ModelEvent[], opts: ModelOptions) {
    this.params = params;
    this.seed = opts.seed;
    this.anchor = opts.anchor;
    this.time = opts.start;
    this.prng = new Prng(opts.seed ^ Math.floor(opts.start));
    this.events = [...events].sort((a, b) => a.start - b.start);
    this.surges = this.events.filter((e): e is SurgeEvent => e.type === 'surge');
    this.version = params.release.version;
    this.deployedAt = opts.releaseDeployedAt;
    this.bootstrapFromZero = params.instances.bootstrapFromZero;
    const flat = (v: number): Ramp => ({ from: v, to: v, start: 0, seconds: 0 });
    this.ramps = { writeCost: flat(1), readCost: flat(1), primaryCapacity: flat(1) };
    this.baseSourcesAtAnchor = params.traffic.baseSources;
    const nb = params.latency.buckets.length + 1;
    this.routes = ROUTES.map((route) => ({
      route,
      successCode: params.routes[route].successCode,
      counts: new Float64Array(CODE_SLOTS),
      buckets: new Float64Array(nb),
      durationSum: 0,
      rate: 0,
      clientFailure: 0,
    }));
    for (let i = 0; i < params.database.replicas; i++) {
      this.replicas.push(this.newReplica(true));
    }
    this.pool = new InstancePool(params.instances.desired, params.instances, this.prng);
    this.replayAverage = 1;
    // Skip events that finished before the start (instantaneous ones still set the release and counts).
    while (this.nextEvent < this.events.length && this.events[this.nextEvent].start <= this.time) {
      this.apply(this.events[this.nextEvent], false);
      this.nextEvent++;
    }
  }

  /** Events in effect at the current time (a surge still climbing, a release that breaks a route, a batch). */
  activeEvents(): ModelEvent[] {
    const t = this.time;
    return this.events.filter((e) => {
      if (e.type === 'surge' || e.type === 'batch') {
        return e.start <= t && t < e.end;
      }
      return e === this.release && e.breaks !== undefined;
    });
  }

  /** Advance the model by `dt` seconds. */
  step(dt: number): void {
    const t = this.time + dt;
    this.time = t;
    while (this.nextEvent < this.events.length && this.events[this.nextEvent].start <= t) {
      this.apply(this.events[this.nextEvent], true);
      this.nextEvent++;
    }
    for (const s of this.surges) {
      if (s.end > t - dt && s.end <= t) {
        this.log.push({ time: s.end, type: 'blocked', detail: `surge source blocked${s.note ? ` (${s.note})` : ''}` });
        this.mark('surgeEnd', s.end);
      }
    }
    const p = this.params;
    const db = p.database;
    const writeFactor = this.rampValue(this.ramps.writeCost, t);
    const readFactor = this.rampValue(this.ramps.readCost, t);
    const capacityFactor = this.rampValue(this.ramps.primaryCapacity, t);

    // 1. Clients: ordinary traffic, surges, a deploy's blip, retries of what failed.
    const season = seasonalFactor(t, this.anchor, p.traffic);
    const growth = growthFactor(t, this.anchor, p.traffic);
    const jitterIndex = Math.floor(t / JITTER_PERIOD);
    const blip = this.blipFactor(t);
    const offered = new Float64Array(ROUTES.length);
    const surgeShare = new Float64Array(ROUTES.length);
    let surgeSources = 0;
    let surgeWriteMultiplier = 1;
    let surgeReadMultiplier = 1;
    let totalOffered = 0;
    for (let i = 0; i < ROUTES.length; i++) {
      const rp = p.routes[ROUTES[i]];
      const noise =
        1 +
        p.traffic.noise * valueNoise(this.seed, CH_ROUTE + i, t, NOISE_PERIOD) +
        p.traffic.jitter * hashNoise(this.seed, CH_JITTER + i, jitterIndex);
      const ordinary = rp.baseRate * season * noise * blip;
      let extra = 0;
      for (const s of this.surges) {
        const mult = s.routes[ROUTES[i]];
        if (mult !== undefined && s.start <= t) {
          const strength = surgeStrength(s, t);
          extra += mult * rp.baseRate * growth * strength;
          if (i === 0) {
            surgeSources += (s.sourcesMultiplier - 1) * sourcesStrength(s, t);
            surgeWriteMultiplier = s.writeCostMultiplier;
            surgeReadMultiplier = s.readCostMultiplier;
          }
        }
      }
      const firstAttempts = ordinary + extra;
      surgeShare[i] = firstAttempts > 0 ? extra / firstAttempts : 0;
      const state = this.routes[i];
      offered[i] =
        firstAttempts * attemptsPerRequest(state.clientFailure, p.clients.retryAttempts, p.clients.retryShare);
      totalOffered += offered[i];
    }
    const ordinarySources =
      this.baseSourcesAtAnchor *
      Math.pow(season, 0.8) *
      (1 + p.traffic.noise * valueNoise(this.seed, CH_SOURCES, t, NOISE_PERIOD));
    this.sources = Math.round(ordinarySources + this.baseSourcesAtAnchor * growth * surgeSources);

    // 2. Load balancer: healthy instances serve up to their capacity; the rest is turned away.
    const healthy = this.pool.healthy;
    const capacity = healthy * p.instances.capacityPerInstance;
    const servedFraction = healthy === 0 ? 0 : Math.min(1, capacity / Math.max(totalOffered, 1e-9));
    const rejectSlot = healthy === 0 ? SLOT_503 : SLOT_502;

    // 3. Work for the database.
    let writeArrival = 0;
    let readDemand = 0;
    for (let i = 0; i < ROUTES.length; i++) {
      const rp = p.routes[ROUTES[i]];
      const served = offered[i] * servedFraction;
      writeArrival += served * rp.writeCost * (1 + surgeShare[i] * (surgeWriteMultiplier - 1));
      readDemand += served * rp.readCost * (1 + surgeShare[i] * (surgeReadMultiplier - 1));
    }
    writeArrival = writeArrival * writeFactor + this.batchRate(t);
    readDemand *= readFactor;

    // 4. Primary: reads sent to it first, then writes from the backlog; contention when swamped.
    const online = this.replicas.filter((r) => r.online);
    const freshestLag = online.length === 0 ? Infinity : Math.min(...online.map((r) => r.lagSeconds));
    const fallback =
      online.length === 0
        ? 1
        : db.readFallbackMaxShare * clamp01((freshestLag - db.readFallbackLagSeconds) / db.readFallbackLagSeconds);
    const primaryReads = readDemand * (db.primaryReadShare + (1 - db.primaryReadShare) * fallback);
    const replicaReads = readDemand - primaryReads;
    const contention = 1 - db.contention * (this.fluidBacklog / (this.fluidBacklog + db.contentionHalfBacklog));
    const primaryCapacity = db.primaryCapacity * capacityFactor;
    // Writes get what reads leave (at least a tenth: the database does not let reads starve them), and lose
    // some of it to contention when the backlog is huge (lock waits, a bloated queue table).
    const writeCapacity = Math.max(0.1 * primaryCapacity, primaryCapacity - primaryReads) * contention;
    const fluid = fluidQueueStep(this.fluidBacklog, writeArrival, writeCapacity, dt);
    this.fluidBacklog = fluid.backlog;
    const applied = fluid.servedRate;
    this.writesTotal += applied * dt;
    const appliedWork = applied / Math.max(contention, 1e-6);
    const demandRho = (writeArrival + primaryReads) / Math.max(primaryCapacity, 1e-9);
    const busy = this.fluidBacklog > 1 ? 1 : Math.min(1, (applied + primaryReads) / Math.max(primaryCapacity, 1e-9));
    const utilNoise = valueNoise(this.seed, CH_UTIL, t, 120);
    this.primaryUtilization = Math.min(1, busy * (1 + 0.04 * utilNoise * (1 - busy)));
    const queueTarget = queueingBacklog(this.fluidBacklog > 1 ? 1 : demandRho, db.queueScale);
    this.queueBacklog += (queueTarget - this.queueBacklog) * (1 - Math.exp(-dt / 60));
    const queueNoise = 1 + 0.1 * valueNoise(this.seed, CH_BACKLOG, t, 60);
    this.backlog = Math.round(this.fluidBacklog + this.queueBacklog * queueNoise);
    this.replayAverage +=
      (appliedWork * db.replayCost - this.replayAverage) * (1 - Math.exp(-dt / APPLIED_AVERAGE_SECONDS));
    const primaryLatency = queueingLatency(busy, db.readLatencySeconds);
    // The background workers that apply the backlog read what they need from the replicas, the more so when
    // contention makes each unit of work heavier.
    const workerReads = appliedWork * db.workerReadCost;

    // 5. Replicas replay the primary's writes and serve reads, sharing their capacity when overloaded.
    let replicaLatency = 0;
    for (const r of this.replicas) {
      if (!r.online) {
        r.provisionLeft -= dt * (this.primaryUtilization >= SATURATED ? db.provisionSpeedWhenSaturated : 1);
        if (r.provisionLeft <= 0) {
          r.online = true;
          this.log.push({ time: t, type: 'replica-online', detail: `${r.name} online` });
          this.mark('replicasOnline', t);
        }
        continue;
      }
      const readArrival = (replicaReads + workerReads) / online.length;
      // Reads older than the gateway timeout are abandoned by the application: the queue cannot exceed that.
      r.readQueue = Math.min(r.readQueue, readArrival * p.latency.gatewayTimeoutSeconds);
      // Replicas replay the primary's write-ahead log: the work the primary did, contention overhead included
      // (a bloated queue table costs the replicas as much as the primary).
      const replayWork = appliedWork * db.replayCost;
      // Queries come first; replication replays with what is left (at least a fifth of the replica). Under load
      // the replay falls behind first: lag grows while reads are still answered.
      const demand = replayWork + readArrival;
      const readsServed = Math.min(readArrival + r.readQueue / dt, db.replicaCapacity * (1 - MIN_REPLAY_SHARE));
      r.readQueue = Math.max(0, r.readQueue + (readArrival - readsServed) * dt);
      // Replay is mostly single-threaded: a replica cannot replay much faster than a busy primary writes.
      const replayLimit = db.replayHeadroom * db.primaryCapacity * capacityFactor * db.replayCost;
      const replayed = Math.min(replayWork + r.replayBacklog / dt, db.replicaCapacity - readsServed, replayLimit);
      r.replayBacklog = Math.max(0, r.replayBacklog + (replayWork - replayed) * dt);
      const used = readsServed + replayed;
      r.utilization = Math.min(1, used / db.replicaCapacity);
      const wait = r.readQueue > 0 ? r.readQueue / Math.max(readsServed, 1e-3) : 0;
      const lagNoise = 1 + 0.3 * valueNoise(this.seed, r.noiseChannel, t, 90);
      // Lag: how long the replica would take to replay what it is behind by, at the rate the primary produces it.
      r.lagSeconds = r.replayBacklog / Math.max(this.replayAverage, 1e-6) + db.baseLagSeconds * lagNoise;
      // Reads that need what was just written (read-your-writes) wait for the replica to catch up.
      r.readLatency = Math.min(
        2 * p.latency.gatewayTimeoutSeconds,
        queueingLatency(demand / db.replicaCapacity, db.readLatencySeconds) + wait + db.staleReadWait * r.lagSeconds
      );
      replicaLatency += r.readLatency / online.length;
    }
    const readShareOnPrimary = online.length === 0 ? 1 : primaryReads / Math.max(readDemand, 1e-9);
    const dbLatency =
      online.length === 0
        ? primaryLatency
        : readShareOnPrimary * primaryLatency + (1 - readShareOnPrimary) * replicaLatency;

    // 6. Answers: turned away (502/503), too slow (504), the ordinary trickle (500), success.
    const timeout = p.latency.gatewayTimeoutSeconds;
    const brokenRoute = this.release?.breaks;
    let errors = 0;
    let totalRequests = 0;
    let timeouts = 0;
    for (let i = 0; i < ROUTES.length; i++) {
      const rp = p.routes[ROUTES[i]];
      const state = this.routes[i];
      const requests = offered[i] * dt;
      const served = requests * servedFraction;
      const rejected = requests - served;
      const meanLatency = rp.baseLatencySeconds + rp.dbRoundTrips * dbLatency;
      const slowShare = tailShare(meanLatency, rp.baseLatencySeconds * 0.5, timeout);
      const c504 = served * slowShare;
      const c500 = (served - c504) * p.traffic.errorTrickle;
      const ok = served - c504 - c500;
      state.counts[0] += ok;
      state.counts[SLOT_500] += c500;
      state.counts[rejectSlot] += rejected;
      state.counts[SLOT_504] += c504;
      const nb = p.latency.buckets.length;
      for (let b = 0; b < nb; b++) {
        const le = p.latency.buckets[b];
        state.buckets[b] +=
          le >= timeout ? served : served * (1 - tailShare(meanLatency, rp.baseLatencySeconds * 0.5, le));
      }
      state.buckets[nb] += served;
      state.durationSum += served * cappedMean(meanLatency, rp.baseLatencySeconds * 0.5, timeout);
      const broken = brokenRoute !== undefined && brokenRoute.route === ROUTES[i] ? brokenRoute.failureShare : 0;
      const failed = requests > 0 ? (rejected + c504 + c500 + ok * broken) / requests : 0;
      state.clientFailure += (failed - state.clientFailure) * (1 - Math.exp(-dt / RETRY_REACTION_SECONDS));
      state.rate = offered[i];
      errors += rejected + c504;
      timeouts += c504;
      totalRequests += requests;
    }

    // 7. Health checks: a probe fails on a slow database, or when no replica is fresh enough to read from.
    const probeLatency = 0.01 + dbLatency;
    const hcTimeout = p.instances.healthCheckTimeoutSeconds;
    const slowProbe = tailShare(probeLatency, 0.005, hcTimeout);
    const lagLimit = p.instances.healthCheckMaxLagSeconds;
    const staleProbe = clamp01((freshestLag - lagLimit) / (0.25 * lagLimit));
    const probeFailure = 1 - (1 - slowProbe) * (1 - staleProbe);
    const pool = this.pool.step(dt, { probeFailure, bootstrapFromZero: this.bootstrapFromZero });

    this.trackMilestones(t, {
      errorsShare: totalRequests > 0 ? errors / totalRequests : 0,
      timeoutShare: totalRequests > 0 ? timeouts / totalRequests : 0,
      cycled: pool.cycled,
    });
  }

  private trackMilestones(t: number, s: { errorsShare: number; timeoutShare: number; cycled: number }): void {
    const busy = this.fluidBacklog > 1;
    if (busy || this.primaryUtilization >= SATURATED) {
      this.mark('primarySaturated', t);
    }
    const original = this.replicas.slice(0, this.params.database.replicas).filter((r) => r.online);
    if (original.length > 0 && original.every((r) => r.utilization >= SATURATED)) {
      this.mark('replicasSaturated', t);
    }
    if (s.errorsShare >= ERROR_MILESTONE_SHARE) {
      this.mark('first5xx', t);
    }
    if (s.timeoutShare >= ERROR_MILESTONE_SHARE) {
      this.mark('first504', t);
    }
    if (s.cycled > 0) {
      this.mark('instancesCycling', t);
    }
    const healthy = this.pool.healthy;
    if (healthy === 0 && this.pool.desired > 0) {
      this.mark('zeroHealthy', t);
    }
    if (this.milestones.zeroHealthy !== undefined && healthy > 0) {
      this.mark('instancesRecovered', t);
    }
    if (this.milestones.primarySaturated !== undefined && !busy && this.primaryUtilization < SATURATED) {
      this.mark('backlogDrained', t);
    }
  }

  private mark(kind: MilestoneKind, t: number): void {
    if (this.milestones[kind] === undefined) {
      this.milestones[kind] = t;
    }
  }

  private apply(e: ModelEvent, live: boolean): void {
    const p = this.params;
    switch (e.type) {
      case 'surge':
        if (live) {
          this.mark('surgeStart', e.start);
        }
        break;
      case 'deploy': {
        this.release = e;
        this.version = e.version;
        this.deployedAt = e.start;
        const ramp = e.rampMinutes * 60;
        const fx = e.effects;
        if (fx.writeCostFactor !== undefined) {
          this.retarget(this.ramps.writeCost, fx.writeCostFactor, e.start, ramp);
        }
        if (fx.readCostFactor !== undefined) {
          this.retarget(this.ramps.readCost, fx.readCostFactor, e.start, ramp);
        }
        if (fx.primaryCapacityFactor !== undefined) {
          this.retarget(this.ramps.primaryCapacity, fx.primaryCapacityFactor, e.start, ramp);
        }
        if (fx.fixBootstrap) {
          this.bootstrapFromZero = true;
        }
        if (fx.restartBoots && live) {
          this.pool.restartBoots();
        }
        break;
      }
      case 'add-replicas':
        for (let i = 0; i < e.count; i++) {
          const r = this.newReplica(!live);
          this.replicas.push(r);
        }
        break;
      case 'scale':
        if (live) {
          this.log.push({
            time: e.start,
            type: e.type,
            detail: e.note ?? `desired instances ${this.pool.desired} -> ${e.desired}`,
          });
        }
        this.pool.setDesired(e.desired);
        return;
      case 'restart':
        if (live) {
          for (const r of this.routes) {
            r.counts.fill(0);
            r.buckets.fill(0);
            r.durationSum = 0;
          }
          this.writesTotal = 0;
        }
        break;
      case 'batch':
        break;
    }
    if (live) {
      this.log.push({ time: e.start, type: e.type, detail: describeEvent(e, p) });
    }
  }

  private newReplica(online: boolean): ReplicaState {
    const index = this.replicas.length + 1;
    return {
      name: `db-replica-${index}`,
      online,
      provisionLeft: online ? 0 : this.params.database.replicaProvisionSeconds,
      replayBacklog: 0,
      readQueue: 0,
      utilization: 0,
      lagSeconds: this.params.database.baseLagSeconds,
      readLatency: this.params.database.readLatencySeconds,
      noiseChannel: CH_LAG + index,
    };
  }

  private retarget(r: Ramp, to: number, start: number, seconds: number): void {
    r.from = this.rampValue(r, start);
    r.to = to;
    r.start = start;
    r.seconds = seconds;
  }

  private rampValue(r: Ramp, t: number): number {
    if (r.seconds <= 0 || t >= r.start + r.seconds) {
      return r.to;
    }
    return r.from + ((r.to - r.from) * Math.max(0, t - r.start)) / r.seconds;
  }

  private blipFactor(t: number): number {
    const r = this.release;
    if (r?.blip === undefined || t < r.start || t >= r.start + r.blip.minutes * 60) {
      return 1;
    }
    return 1 - (r.blip.percent / 100) * Math.sin((Math.PI * (t - r.start)) / (r.blip.minutes * 60));
  }

  private batchRate(t: number): number {
    let rate = 0;
    for (const e of this.events) {
      if (e.type === 'batch' && e.start <= t && t < e.end) {
        // Jobs start and finish over a couple of minutes rather than all at once.
        const rise = clamp01((t - e.start) / 120) * clamp01((e.end - t) / 120);
        rate += e.writeRate * rise;
      }
    }
    return rate;
  }
}

function surgeStrength(s: SurgeEvent, t: number): number {
  const climbing = 1 - Math.exp(-(Math.min(t, s.end) - s.start) / (s.rampMinutes * 60));
  return t <= s.end ? climbing : climbing * Math.exp(-(t - s.end) / (s.fallMinutes * 60));
}

function sourcesStrength(s: SurgeEvent, t: number): number {
  const appearing = 1 - Math.exp(-(Math.min(t, s.end) - s.start) / SOURCES_RAMP_SECONDS);
  return t <= s.end ? appearing : appearing * Math.exp(-(t - s.end) / BLOCK_DECAY_SECONDS);
}

function clamp01(x: number): number {
  return x <= 0 ? 0 : x >= 1 ? 1 : x;
}

function describeEvent(e: ModelEvent, p: ServiceParams): string {
  switch (e.type) {
    case 'surge':
      return e.note ?? `traffic surge on ${Object.keys(e.routes).join(', ')}`;
    case 'deploy':
      return e.note ?? `deploy ${e.version}${e.breaks ? ` (breaks ${e.breaks.route})` : ''}`;
    case 'add-replicas':
      return e.note ?? `${e.count} database replica(s) requested`;
    case 'scale':
      return e.note ?? `desired instances ${p.instances.desired} -> ${e.desired}`;
    case 'batch':
      return e.note ?? `batch job writing ${e.writeRate} units/s`;
    case 'restart':
      return e.note ?? 'process restart (counters reset)';
  }
}

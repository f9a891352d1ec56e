/**
 * The causal model of one service, stepped in discrete time. Each step follows the cascade in order:
 *
 *   clients (seasonal traffic, surges, retries of failed requests)
 *     -> load balancer (healthy instances x capacity; the rest get 502, or 503 with none healthy)
 *     -> requests create background write work, queued as the write backlog, and database reads
 *     -> background workers apply the backlog at up to their throughput; what they apply loads the primary,
 *        together with the reads sent to it; when the primary is full the workers wait on it (see workers.ts)
 *     -> replicas replay what the primary applied and serve reads; when they cannot keep up, lag and read
 *        queues grow, reads fall back to the primary
 *     -> request latency follows the database: the slowest answer 504
 *     -> health checks fail on a slow or lagging database: instances are cycled and must boot again, which
 *        needs the database (and, with `bootstrapFromZero` off, a healthy peer)
 *
 * Everything here is deterministic given the parameters, the events, the seed and the start time. The model
 * advances on its own clock, a fixed MODEL_STEP_SECONDS grid aligned to Unix time (`advanceTo`), so what it does
 * cannot depend on how often a caller samples it: a run at a 15 s step and one at 60 s see the same model.
 */
import type { BatchEvent, DeployEvent, ModelEvent, SurgeEvent } from './events';
import { InstancePool } from './instances';
import { ROUTES, type Route, type ServiceParams } from './params';
import { attemptsPerRequest, cappedMean, queueingLatency, tailShare } from './queueing';
import { hashNoise, Prng, valueNoise } from './random';
import { dailyShape, growthFactor, weeklyShape } from './seasonality';
import { contentionFactor, waitingWork, workersStep } from './workers';

/**
 * Jest runs tests in a vm context whose global object answers through an interceptor: every lookup of `Math` there
 * costs as much as the arithmetic around it. The per-step code keeps its own reference.
 */
const math = Math;
/** Lag standing for "no replica online" (a local constant: see `math`). */
const NO_REPLICA_LAG = Number.POSITIVE_INFINITY;

/** The model's own time step, seconds: every run, whatever its sampling step, advances on this grid. */
export const MODEL_STEP_SECONDS = 5;

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
const CH_PROBE_PHASE = 200;

/** Traffic noise knots every 10 minutes; jitter changes every 15 s whatever the step. */
const NOISE_PERIOD = 600;
const JITTER_PERIOD = 15;
/** Seconds for clients to notice failures and retry (a smoothing constant on the failure share they see). */
const RETRY_REACTION_SECONDS = 20;
/** Seconds for a blocked source's client networks to disappear. */
const BLOCK_DECAY_SECONDS = 30;
/** Seconds for a new source's client networks to appear (much faster than its request rate climbs). */
const SOURCES_RAMP_SECONDS = 120;
/** Seconds over which the ordinary waiting work follows the arrival rate (workers pick up work in batches). */
const WAITING_SMOOTHING_SECONDS = 60;
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
  /** Relative share of reads the application sends it (fresher replicas get more). */
  readWeight: number;
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
  /**
   * Organic growth compounds up to this time and holds after it (default: forever). The scenario's window end:
   * serving a week written for 2024 in 2026 would otherwise double its traffic (0.5 %/week over 143 weeks).
   */
  growthUntil?: number;
}

export class ServiceModel {
  readonly params: ServiceParams;
  /** Model time, Unix seconds: on the MODEL_STEP_SECONDS grid when advanced with `advanceTo`. */
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
  private readonly growthUntil: number;
  private readonly events: ModelEvent[];
  private readonly surges: SurgeEvent[];
  private readonly batches: BatchEvent[];
  private nextEvent = 0;
  private readonly prng: Prng;
  /** Write work queued beyond what ordinarily waits for a worker (grows when work outpaces the workers). */
  private queuedWork = 0;
  /** Write work that ordinarily waits for a worker (follows the arrival rate). */
  private waitingWork = 0;
  private replayAverage: number;
  private release: DeployEvent | undefined;
  private bootstrapFromZero: boolean;
  private readonly ramps: Record<'writeCost' | 'readCost' | 'primaryCapacity' | 'writeWork', Ramp>;
  private readonly baseSourcesAtAnchor: number;
  /** Scratch arrays reused by every step. */
  private readonly offered = new Float64Array(ROUTES.length);
  private readonly surgeShare = new Float64Array(ROUTES.length);

  constructor(params: ServiceParams, events: readonly ModelEvent[], opts: ModelOptions) {
    this.params = params;
    this.seed = opts.seed;
    this.anchor = opts.anchor;
    this.growthUntil = opts.growthUntil ?? Infinity;
    // On the model's grid, so that runs starting at different times share every model instant.
    this.time = math.floor(opts.start / MODEL_STEP_SECONDS) * MODEL_STEP_SECONDS;
    // Seeded by the seed alone, and health checks phased on Unix time: an incident plays out the same whether a
    // run starts an hour or three weeks before it (ordinary running draws nothing; see InstancePool.fails).
    this.prng = new Prng(opts.seed);
    this.events = [...events].sort((a, b) => a.start - b.start);
    this.surges = this.events.filter((e): e is SurgeEvent => e.type === 'surge');
    this.batches = this.events.filter((e): e is BatchEvent => e.type === 'batch');
    this.version = params.release.version;
    this.deployedAt = opts.releaseDeployedAt;
    this.bootstrapFromZero = params.instances.bootstrapFromZero;
    const flat = (v: number): Ramp => ({ from: v, to: v, start: 0, seconds: 0 });
    this.ramps = { writeCost: flat(1), readCost: flat(1), primaryCapacity: flat(1), writeWork: flat(1) };
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
    const interval = params.instances.healthCheckIntervalSeconds;
    const phase = (i: number) => {
      const offset = ((hashNoise(opts.seed, CH_PROBE_PHASE, i) + 1) / 2) * interval;
      return (((this.time - offset) % interval) + interval) % interval;
    };
    this.pool = new InstancePool(params.instances.desired, params.instances, this.prng, phase);
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

  /**
   * Advance on the model's own grid to the last grid instant at or before `t`. Samples taken at any step see the
   * same model: its state at `t` does not depend on how it got there.
   */
  advanceTo(t: number): void {
    const steps = math.floor((t - this.time) / MODEL_STEP_SECONDS + 1e-9);
    for (let i = 0; i < steps; i++) {
      this.step(MODEL_STEP_SECONDS);
    }
  }

  /** Advance the model by `dt` seconds (prefer `advanceTo`, which keeps to the model's grid). */
  step(dt: number): void {
    const t = this.time + dt;
    this.time = t;
    while (this.nextEvent < this.events.length && this.events[this.nextEvent].start <= t) {
      this.apply(this.events[this.nextEvent], true);
      this.nextEvent++;
    }
    for (let si = 0; si < this.surges.length; si++) {
      const s = this.surges[si];
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
    const writeWorkFactor = this.rampValue(this.ramps.writeWork, t);

    // 1. Clients: ordinary traffic, surges, a deploy's blip, retries of what failed.
    const growth = growthFactor(math.min(t, this.growthUntil), this.anchor, p.traffic);
    const season = dailyShape(t, p.traffic) * weeklyShape(t, p.traffic) * growth;
    const jitterIndex = math.floor(t / JITTER_PERIOD);
    const blip = this.blipFactor(t);
    const offered = this.offered;
    const surgeShare = this.surgeShare;
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
      for (let si = 0; si < this.surges.length; si++) {
        const s = this.surges[si];
        const mult = s.routes[ROUTES[i]];
        if (mult !== undefined && s.start <= t) {
          const strength = surgeStrength(s, t);
          // A negative multiple is a drop: that share of the route's ordinary traffic stays away (a holiday, an
          // outage upstream), following the daily curve rather than the base rate.
          extra += mult < 0 ? mult * ordinary * strength : mult * rp.baseRate * growth * strength;
          if (i === 0) {
            surgeSources += (s.sourcesMultiplier - 1) * sourcesStrength(s, t);
            surgeWriteMultiplier = s.writeCostMultiplier;
            surgeReadMultiplier = s.readCostMultiplier;
          }
        }
      }
      const firstAttempts = math.max(0, ordinary + extra);
      surgeShare[i] = firstAttempts > 0 && extra > 0 ? extra / firstAttempts : 0;
      const state = this.routes[i];
      offered[i] =
        firstAttempts * attemptsPerRequest(state.clientFailure, p.clients.retryAttempts, p.clients.retryShare);
      totalOffered += offered[i];
    }
    const ordinarySources =
      this.baseSourcesAtAnchor *
      math.pow(season, 0.8) *
      (1 + p.traffic.noise * valueNoise(this.seed, CH_SOURCES, t, NOISE_PERIOD));
    this.sources = math.round(ordinarySources + this.baseSourcesAtAnchor * growth * surgeSources);

    // 2. Load balancer: healthy instances serve up to their capacity; the rest is turned away.
    const healthy = this.pool.healthy;
    const capacity = healthy * p.instances.capacityPerInstance;
    const servedFraction = healthy === 0 ? 0 : math.min(1, capacity / math.max(totalOffered, 1e-9));
    const rejectSlot = healthy === 0 ? SLOT_503 : SLOT_502;

    // 3. Work for the database: background write work for the queue, reads now.
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

    // 4. Primary: the reads sent to it, and the write work the background workers apply from the backlog.
    let onlineCount = 0;
    let freshestLag = NO_REPLICA_LAG;
    for (let ri = 0; ri < this.replicas.length; ri++) {
      const r = this.replicas[ri];
      if (r.online) {
        onlineCount++;
        freshestLag = math.min(freshestLag, r.lagSeconds);
      }
    }
    const fallback =
      onlineCount === 0
        ? 1
        : db.readFallbackMaxShare * clamp01((freshestLag - db.readFallbackLagSeconds) / db.readFallbackLagSeconds);
    const primaryReads = readDemand * (db.primaryReadShare + (1 - db.primaryReadShare) * fallback);
    const replicaReads = readDemand - primaryReads;
    const primaryCapacity = db.primaryCapacity * capacityFactor;
    const workPerWrite =
      db.primaryWorkPerWrite *
      writeWorkFactor *
      contentionFactor(this.queuedWork, db.contention, db.contentionHalfBacklog);
    const workers = workersStep(this.queuedWork, {
      arrival: writeArrival,
      throughput: db.workerThroughput,
      primaryCapacity,
      primaryReads,
      workPerWrite,
      dt,
    });
    this.queuedWork = workers.backlog;
    const applied = workers.appliedRate;
    this.writesTotal += applied * dt;
    const busy = workers.primaryBound ? 1 : math.min(1, workers.primaryLoad / math.max(primaryCapacity, 1e-9));
    const utilNoise = valueNoise(this.seed, CH_UTIL, t, 120);
    this.primaryUtilization = math.min(1, busy * (1 + 0.04 * utilNoise * (1 - busy)));
    const waitingTarget = waitingWork(writeArrival, workers.limit, db.workerLatencySeconds);
    this.waitingWork += (waitingTarget - this.waitingWork) * (1 - math.exp(-dt / WAITING_SMOOTHING_SECONDS));
    const waitingNoise = 1 + 0.1 * valueNoise(this.seed, CH_BACKLOG, t, 60);
    this.backlog = math.round(this.queuedWork + this.waitingWork * waitingNoise);
    // The write-ahead log the replicas replay: the primary's write work, contention included (a bloated queue
    // table costs the replicas as much as the primary).
    const walRate = applied * workPerWrite * db.replayCost;
    this.replayAverage += (walRate - this.replayAverage) * (1 - math.exp(-dt / APPLIED_AVERAGE_SECONDS));
    const primaryLatency = queueingLatency(busy, db.readLatencySeconds);
    // The background workers read what they process from the replicas, and scan the queue for work.
    const workerReads = applied * db.workerReadCost + this.queuedWork * db.queueScanCost;

    // 5. Replicas replay the primary's writes and serve reads, sharing their capacity when overloaded. Reads go
    // mostly to replicas that are not far behind (as replication-aware proxies route them).
    let totalWeight = 0;
    for (let ri = 0; ri < this.replicas.length; ri++) {
      const r = this.replicas[ri];
      if (r.online) {
        r.readWeight = freshnessWeight(r.lagSeconds, db.readFallbackLagSeconds);
        totalWeight += r.readWeight;
      }
    }
    let replicaLatency = 0;
    // Replay is mostly single-threaded: however idle a replica is, it replays at most this fast.
    const replayLimit = db.replayHeadroom * primaryCapacity * db.replayCost;
    for (let ri = 0; ri < this.replicas.length; ri++) {
      const r = this.replicas[ri];
      if (!r.online) {
        r.provisionLeft -= dt * (this.primaryUtilization >= SATURATED ? db.provisionSpeedWhenSaturated : 1);
        if (r.provisionLeft <= 0) {
          r.online = true;
          this.log.push({ time: t, type: 'replica-online', detail: `${r.name} online` });
          this.mark('replicasOnline', t);
        }
        continue;
      }
      const share = r.readWeight / totalWeight;
      const readArrival = (replicaReads + workerReads) * share;
      // Reads older than the gateway timeout are abandoned by the application: the queue cannot exceed that.
      r.readQueue = math.min(r.readQueue, readArrival * p.latency.gatewayTimeoutSeconds);
      // Queries come first; replication replays with what is left (at least a fifth of the replica). Under load
      // the replay falls behind first: lag grows while reads are still answered.
      const demand = walRate + readArrival;
      const readsServed = math.min(readArrival + r.readQueue / dt, db.replicaCapacity * (1 - MIN_REPLAY_SHARE));
      r.readQueue = math.max(0, r.readQueue + (readArrival - readsServed) * dt);
      const replayed = math.min(walRate + r.replayBacklog / dt, db.replicaCapacity - readsServed, replayLimit);
      r.replayBacklog = math.max(0, r.replayBacklog + (walRate - replayed) * dt);
      const used = readsServed + replayed;
      r.utilization = math.min(1, used / db.replicaCapacity);
      const wait = r.readQueue > 0 ? r.readQueue / math.max(readsServed, 1e-3) : 0;
      const lagNoise = 1 + 0.3 * valueNoise(this.seed, r.noiseChannel, t, 90);
      // Lag: how long the replica would take to replay what it is behind by, at the rate the primary produces it.
      r.lagSeconds = r.replayBacklog / math.max(this.replayAverage, 1e-6) + db.baseLagSeconds * lagNoise;
      // Reads that need what was just written (read-your-writes) wait for the replica to catch up.
      r.readLatency = math.min(
        2 * p.latency.gatewayTimeoutSeconds,
        queueingLatency(demand / db.replicaCapacity, db.readLatencySeconds) + wait + db.staleReadWait * r.lagSeconds
      );
      replicaLatency += r.readLatency * share;
    }
    const readShareOnPrimary = onlineCount === 0 ? 1 : primaryReads / math.max(readDemand, 1e-9);
    const dbLatency =
      onlineCount === 0
        ? primaryLatency
        : readShareOnPrimary * primaryLatency + (1 - readShareOnPrimary) * replicaLatency;

    // 6. Answers: turned away (502/503), too slow (504), the ordinary trickle (500), success.
    const timeout = p.latency.gatewayTimeoutSeconds;
    const brokenRoute = this.release?.breaks;
    const nb = p.latency.buckets.length;
    let errors = 0;
    let totalRequests = 0;
    let timeouts = 0;
    for (let i = 0; i < ROUTES.length; i++) {
      const rp = p.routes[ROUTES[i]];
      const state = this.routes[i];
      const requests = offered[i] * dt;
      const served = requests * servedFraction;
      const rejected = requests - served;
      const floor = rp.baseLatencySeconds * 0.5;
      const meanLatency = rp.baseLatencySeconds + rp.dbRoundTrips * dbLatency;
      const slowShare = tailShare(meanLatency, floor, timeout);
      const c504 = served * slowShare;
      const c500 = (served - c504) * p.traffic.errorTrickle;
      const ok = served - c504 - c500;
      state.counts[0] += ok;
      state.counts[SLOT_500] += c500;
      state.counts[rejectSlot] += rejected;
      state.counts[SLOT_504] += c504;
      // Buckets: the share at or under each bound, of the same floor-plus-exponential-tail shape as tailShare
      // (inlined: it runs for every bucket of every route at every step).
      const spread = meanLatency - floor;
      for (let b = 0; b < nb; b++) {
        const le = p.latency.buckets[b];
        const under = le >= timeout ? 1 : le <= floor ? 0 : spread <= 0 ? 1 : 1 - math.exp(-(le - floor) / spread);
        state.buckets[b] += served * under;
      }
      state.buckets[nb] += served;
      state.durationSum += served * cappedMean(meanLatency, floor, timeout);
      const broken = brokenRoute !== undefined && brokenRoute.route === ROUTES[i] ? brokenRoute.failureShare : 0;
      const failed = requests > 0 ? (rejected + c504 + c500 + ok * broken) / requests : 0;
      state.clientFailure += (failed - state.clientFailure) * (1 - math.exp(-dt / RETRY_REACTION_SECONDS));
      state.rate = offered[i];
      errors += rejected + c504;
      timeouts += c504;
      totalRequests += requests;
    }

    // 7. Health checks: each instance's probe queries the database (and fails on a slow or stale one).
    const pool = this.pool.step(dt, {
      probeLatency: dbLatency,
      freshestLag,
      bootstrapFromZero: this.bootstrapFromZero,
    });

    this.trackMilestones(t, {
      errorsShare: totalRequests > 0 ? errors / totalRequests : 0,
      timeoutShare: totalRequests > 0 ? timeouts / totalRequests : 0,
      cycled: pool.cycled,
    });
  }

  private trackMilestones(t: number, s: { errorsShare: number; timeoutShare: number; cycled: number }): void {
    if (this.primaryUtilization >= SATURATED) {
      this.mark('primarySaturated', t);
    }
    if (this.milestones.replicasSaturated === undefined) {
      // The replicas the service started with (new ones join later), all full.
      let original = 0;
      let full = 0;
      for (let i = 0; i < this.params.database.replicas && i < this.replicas.length; i++) {
        const r = this.replicas[i];
        if (r.online) {
          original++;
          full += r.utilization >= SATURATED ? 1 : 0;
        }
      }
      if (original > 0 && full === original) {
        this.mark('replicasSaturated', t);
      }
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
    // Drained: nothing queued beyond the ordinary wait for a worker, and the primary no longer full.
    if (this.milestones.primarySaturated !== undefined && this.queuedWork < 1 && this.primaryUtilization < SATURATED) {
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
        if (fx.writeWorkFactor !== undefined) {
          this.retarget(this.ramps.writeWork, fx.writeWorkFactor, e.start, ramp);
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
      readWeight: 1,
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
    return r.from + ((r.to - r.from) * math.max(0, t - r.start)) / r.seconds;
  }

  private blipFactor(t: number): number {
    const r = this.release;
    if (r?.blip === undefined || t < r.start || t >= r.start + r.blip.minutes * 60) {
      return 1;
    }
    return 1 - (r.blip.percent / 100) * math.sin((math.PI * (t - r.start)) / (r.blip.minutes * 60));
  }

  private batchRate(t: number): number {
    let rate = 0;
    for (let bi = 0; bi < this.batches.length; bi++) {
      const e = this.batches[bi];
      if (e.start <= t && t < e.end) {
        // Jobs start and finish over a couple of minutes rather than all at once.
        const rise = clamp01((t - e.start) / 120) * clamp01((e.end - t) / 120);
        rate += e.writeRate * rise;
      }
    }
    return rate;
  }
}

function surgeStrength(s: SurgeEvent, t: number): number {
  const climbing = 1 - math.exp(-(math.min(t, s.end) - s.start) / (s.rampMinutes * 60));
  return t <= s.end ? climbing : climbing * math.exp(-(t - s.end) / (s.fallMinutes * 60));
}

function sourcesStrength(s: SurgeEvent, t: number): number {
  const appearing = 1 - math.exp(-(math.min(t, s.end) - s.start) / SOURCES_RAMP_SECONDS);
  return t <= s.end ? appearing : appearing * math.exp(-(t - s.end) / BLOCK_DECAY_SECONDS);
}

/** Share of reads a replica gets for its lag: 1 when fresh, 1/2 at `halfLag`, falling steeply beyond. */
export function freshnessWeight(lagSeconds: number, halfLag: number): number {
  const x = lagSeconds / halfLag;
  return 1 / (1 + x * x * x * x);
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

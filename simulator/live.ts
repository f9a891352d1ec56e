/**
 * The model running against the wall clock, for `cascade-sim serve`: ordinary traffic until a scenario is
 * started, then that scenario replayed from its first event, `speed` times faster than real time. Pure logic:
 * the clock is injected, the HTTP server and the metrics registry live elsewhere.
 */
import { scaledEvents, type ModelEvent } from './model/events';
import { ROUTES, scaledService } from './model/params';
import { seasonalFactor } from './model/seasonality';
import { CODE_SLOTS, MILESTONE_KINDS, ServiceModel, type MilestoneKind } from './model/service';
import { eventsForRun, type Scenario } from './scenario/load';
import { toIso } from './scenario/time';

export interface LiveOptions {
  scenario: Scenario;
  /** Model seconds per wall-clock second. */
  speed: number;
  /** Wall clock in Unix milliseconds (injected for tests). */
  now?: () => number;
}

/** Seconds of model time simulated before the first answer, so queues and averages have settled. */
const WARMUP_SECONDS = 2 * 3600;
/**
 * Default lead of a start while another scenario plays: model seconds of the new scenario's ordinary traffic
 * before its first event, so that the windows the pack compares with "before" hold the new scenario's service
 * rather than the end of the previous replay. The longest is a deploy's: five-minute rates averaged from 20 to 5
 * minutes before it, so reading back 25 minutes; 30 leaves an evaluation to spare.
 */
export const SWITCH_LEAD_SECONDS = 30 * 60;
/** Repeating events (nightly jobs, weekly releases) are laid out this far ahead of the model's start. */
const REPEAT_HORIZON_SECONDS = 90 * 86_400;

/** Cumulative values carried over from earlier models so that exported counters never go backwards. */
interface CounterBase {
  requests: Float64Array[];
  buckets: Float64Array[];
  sums: number[];
  writes: number;
}

export interface LiveState {
  now: string;
  modelTime: string;
  speed: number;
  scenario: string;
  playing: {
    scenario: string;
    startedAt: string;
    elapsedModelSeconds: number;
    /** Wall time of the scenario's first event (after the lead). */
    firstEventAt: string;
    /** The replay's traffic and capacities relative to the scenario's own (see `start`). */
    trafficScale: number;
  } | null;
  activeEvents: Array<{ type: ModelEvent['type']; note: string | null }>;
  milestones: Partial<Record<MilestoneKind, string>>;
  values: {
    requestsPerSecond: Record<string, number>;
    errorShare: number;
    sources: number;
    writeBacklog: number;
    primaryUtilization: number;
    replicas: Array<{ instance: string; online: boolean; utilization: number | null; lagSeconds: number | null }>;
    healthyInstances: number;
    desiredInstances: number;
    version: string;
    deployedAt: string;
  };
}

export class LiveSimulation {
  readonly speed: number;
  private readonly now: () => number;
  private model: ServiceModel;
  private scenario: Scenario;
  private playing: { scenario: string; startedAtWall: number; firstEvent: number; trafficScale: number } | null = null;
  /** Model time at `wallOrigin`. */
  private modelOrigin: number;
  private wallOrigin: number;
  private base: CounterBase;
  /** The `--scenario` whose ordinary traffic runs when nothing is playing. */
  private readonly ordinary: Scenario;
  /** Wall time at launch, where the ordinary model's time and the wall clock agree. */
  private readonly launchWall: number;

  constructor(opts: LiveOptions) {
    if (!(opts.speed > 0) || !Number.isFinite(opts.speed)) {
      throw new RangeError(`speed: expected a positive number, got ${opts.speed}`);
    }
    this.speed = opts.speed;
    this.now = opts.now ?? Date.now;
    this.scenario = opts.scenario;
    this.wallOrigin = this.now() / 1000;
    this.launchWall = this.wallOrigin;
    this.modelOrigin = this.wallOrigin;
    this.model = this.newModel(opts.scenario, this.modelOrigin, true, 1);
    // Counters start from zero, as a restarted process's do: the warm-up's counts are not exported. After
    // backfilled history, Prometheus then reads one counter reset (handled by rate()) instead of the warm-up's
    // hours of requests arriving in one scrape.
    this.base = this.plusModelCounts(emptyBase(this.scenario), -1);
    this.ordinary = opts.scenario;
  }

  /** Model time now (Unix seconds). */
  get modelTime(): number {
    return this.modelOrigin + this.speed * (this.now() / 1000 - this.wallOrigin);
  }

  get current(): ServiceModel {
    return this.model;
  }

  /** Step the model up to the present. */
  advance(): void {
    this.model.advanceTo(this.modelTime);
  }

  /**
   * Replay `scenario` from now: its first one-off event happens `leadSeconds` of model time from now and the rest
   * follow at `speed`. A lead lets the scenario's own ordinary traffic settle first, so that windows over the
   * switch from the previous scenario do not read as part of the incident. Without one, a start from ordinary
   * running plays the first event at once (the ordinary traffic goes on as it was, see below), and a start while
   * another scenario plays waits `SWITCH_LEAD_SECONDS`. Counters carry on from their current values; the
   * scenario's service parameters take over.
   *
   * The scenario plays on its own clock (a report's 21:02 stays 21:02), but the history Prometheus compares with
   * is the ordinary scenario's at the hour and weekday the demo has reached. So the replay is scaled to the
   * traffic usual now (`scaledService`: rates and capacities alike, so the cascade keeps its timing): its
   * traffic stands as far above the usual level, and its alerts come as early, whatever the hour of the press.
   */
  start(scenario: Scenario, leadSeconds = this.playing ? SWITCH_LEAD_SECONDS : 0): void {
    if (!(leadSeconds >= 0) || !Number.isFinite(leadSeconds)) {
      throw new RangeError(`lead: expected 0 or more seconds, got ${leadSeconds}`);
    }
    const oneOff = scenario.events.filter((e) => e.period === undefined);
    const firstEvent = oneOff.length ? Math.min(...oneOff.map((e) => e.start)) : scenario.window.from;
    const origin = firstEvent - leadSeconds;
    const trafficScale = usualRate(this.ordinary, this.ordinaryTime()) / usualRate(scenario, origin);
    this.switchTo(scenario, origin, false, trafficScale);
    this.playing = { scenario: scenario.name, startedAtWall: this.wallOrigin, firstEvent, trafficScale };
  }

  /**
   * Back to the `--scenario`'s ordinary traffic where its clock has got to (the time its history is laid on:
   * at launch the wall clock's, then `speed` times faster); counters carry on.
   */
  stop(): void {
    this.switchTo(this.ordinary, this.ordinaryTime(), true, 1);
    this.playing = null;
  }

  /** The ordinary scenario's model time now, whatever is playing: the clock the demo's history runs on. */
  private ordinaryTime(): number {
    return this.launchWall + this.speed * (this.now() / 1000 - this.launchWall);
  }

  /**
   * Replace the running model by a new one whose time is `modelOrigin` now. Exported counters carry on from
   * their current values: the old model's counts so far go into the base and the new model's counts at its
   * origin (its warm-up's hours of traffic) come out of it, so no start, stop or restart adds requests that
   * were never served at the moment it happens.
   */
  private switchTo(scenario: Scenario, modelOrigin: number, repeatingOnly: boolean, trafficScale: number): void {
    this.advance();
    const carried = this.plusModelCounts(this.base, 1);
    this.scenario = scenario;
    this.wallOrigin = this.now() / 1000;
    this.modelOrigin = modelOrigin;
    this.model = this.newModel(scenario, modelOrigin, repeatingOnly, trafficScale);
    this.base = this.plusModelCounts(carried, -1);
  }

  /** Model time as wall-clock time (for timestamps users see, such as the deploy time). */
  toWall(modelSeconds: number): number {
    return this.wallOrigin + (modelSeconds - this.modelOrigin) / this.speed;
  }

  /**
   * Cumulative counters as exported: the current model's plus what earlier models had counted. Counts are
   * divided by the speed so that a Prometheus scraping in wall-clock time reads the model's own per-second
   * rates at any speed (only time is compressed); gauges are the model's values as they are.
   */
  requestCount(route: number, slot: number): number {
    return exportedCount(this.base.requests[route][slot] + this.model.routes[route].counts[slot] / this.speed);
  }

  bucketCount(route: number, bucket: number): number {
    return exportedCount(this.base.buckets[route][bucket] + this.model.routes[route].buckets[bucket] / this.speed);
  }

  durationSum(route: number): number {
    return Math.max(
      0,
      Math.round((this.base.sums[route] + this.model.routes[route].durationSum / this.speed) * 1000) / 1000
    );
  }

  writesTotal(): number {
    return exportedCount(this.base.writes + this.model.writesTotal / this.speed);
  }

  state(): LiveState {
    this.advance();
    const m = this.model;
    const requestsPerSecond: Record<string, number> = {};
    let errors = 0;
    let total = 0;
    m.routes.forEach((r, i) => {
      requestsPerSecond[ROUTES[i]] = round(r.rate, 1);
      total += r.rate;
      errors += r.rate * r.clientFailure;
    });
    const milestones: Partial<Record<MilestoneKind, string>> = {};
    for (const kind of MILESTONE_KINDS) {
      const t = m.milestones[kind];
      if (t !== undefined && t >= this.modelOrigin) {
        milestones[kind] = toIso(this.toWall(t));
      }
    }
    return {
      now: toIso(this.now() / 1000),
      modelTime: toIso(m.time),
      speed: this.speed,
      scenario: this.scenario.name,
      playing: this.playing && {
        scenario: this.playing.scenario,
        startedAt: toIso(this.playing.startedAtWall),
        elapsedModelSeconds: Math.round(m.time - this.modelOrigin),
        firstEventAt: toIso(this.toWall(this.playing.firstEvent)),
        trafficScale: round(this.playing.trafficScale, 3),
      },
      activeEvents: m.activeEvents().map((e) => ({ type: e.type, note: e.note ?? null })),
      milestones,
      values: {
        requestsPerSecond,
        errorShare: total > 0 ? round(errors / total, 4) : 0,
        sources: m.sources,
        writeBacklog: m.backlog,
        primaryUtilization: round(m.primaryUtilization, 4),
        replicas: m.replicas.map((r) => ({
          instance: r.name,
          online: r.online,
          utilization: r.online ? round(r.utilization, 4) : null,
          lagSeconds: r.online ? round(r.lagSeconds, 3) : null,
        })),
        healthyInstances: m.pool.healthy,
        desiredInstances: m.pool.desired,
        version: m.version,
        deployedAt: toIso(this.toWall(m.deployedAt)),
      },
    };
  }

  private newModel(scenario: Scenario, at: number, repeatingOnly: boolean, trafficScale: number): ServiceModel {
    const start = at - WARMUP_SECONDS;
    let events = eventsForRun(scenario, start, at + REPEAT_HORIZON_SECONDS);
    if (repeatingOnly) {
      // Ordinary running: the nightly jobs and weekly releases, not the scenario's incident.
      const repeating = new Set(scenario.events.filter((e) => e.period !== undefined).map((e) => e.type));
      events = repeating.size ? events.filter((e) => repeating.has(e.type) && !isOneOff(e, scenario)) : [];
    }
    const service = trafficScale === 1 ? scenario.service : scaledService(scenario.service, trafficScale);
    const model = new ServiceModel(service, scaledEvents(events, trafficScale), {
      anchor: scenario.anchor,
      seed: scenario.seed,
      start,
      releaseDeployedAt: scenario.releaseDeployedAt,
      growthUntil: scenario.window.to,
    });
    model.advanceTo(at);
    return model;
  }

  /** `base` plus (or minus) the current model's counts as exported: carried over on a start, or zeroed at the outset. */
  private plusModelCounts(base: CounterBase, sign: 1 | -1): CounterBase {
    const m = this.model;
    const f = sign / this.speed;
    return {
      requests: m.routes.map((r, i) => Float64Array.from(r.counts, (v, k) => v * f + base.requests[i][k])),
      buckets: m.routes.map((r, i) => Float64Array.from(r.buckets, (v, k) => v * f + (base.buckets[i][k] ?? 0))),
      sums: m.routes.map((r, i) => r.durationSum * f + base.sums[i]),
      writes: m.writesTotal * f + base.writes,
    };
  }
}

/** Requests per second a scenario's service ordinarily serves at `t`: its seasonal curve, without noise. */
function usualRate(scenario: Scenario, t: number): number {
  const { routes, traffic } = scenario.service;
  const baseRate = ROUTES.reduce((sum, route) => sum + routes[route].baseRate, 0);
  return baseRate * seasonalFactor(t, scenario.anchor, traffic, scenario.window.to);
}

function isOneOff(e: ModelEvent, scenario: Scenario): boolean {
  return scenario.events.some((s) => s.period === undefined && s.type === e.type && s.start === e.start);
}

function emptyBase(scenario: Scenario): CounterBase {
  const nb = scenario.service.latency.buckets.length + 1;
  return {
    requests: ROUTES.map(() => new Float64Array(CODE_SLOTS)),
    buckets: ROUTES.map(() => new Float64Array(nb)),
    sums: ROUTES.map(() => 0),
    writes: 0,
  };
}

/**
 * A counter as exported: whole counts, never below zero. The base subtracts the model's own counts, so a slot
 * that counted nothing (an error code at rest) is zero give or take a rounding error, which must not read -1.
 */
function exportedCount(v: number): number {
  return Math.max(0, Math.floor(v + 1e-6));
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

/**
 * simulate(): run the model over a time grid and keep every contract series as flat typed arrays, the shape the
 * rule pack's generator, the panel's fixtures and the writers (OpenMetrics, promtool input_series) all read.
 */
import { SIGNALS, type SignalSpec, type SignalType } from '../contract/signals';
import { mergeParams, ROUTES, type DeepPartial, type ServiceParams } from './model/params';
import { CODE_SLOTS, ERROR_CODES, ServiceModel, type MilestoneKind, type ModelEventRecord } from './model/service';
import { eventsForRun, ScenarioError, type Scenario } from './scenario/load';

/**
 * Jest runs tests in a vm context whose global object answers through an interceptor: every lookup of `Math` there
 * costs as much as the arithmetic around it. The per-step code keeps its own reference.
 */
const math = Math;

export interface SimulateOptions {
  /** Unix seconds of the first sample. */
  from: number;
  /** Unix seconds; the last sample is the last grid point at or before it. */
  to: number;
  stepSeconds: number;
  /** Defaults to the scenario's seed. */
  seed?: number;
  /** Changes to the scenario's service parameters ("what if the primary had twice the capacity"). */
  overrides?: DeepPartial<ServiceParams>;
}

export interface Series {
  /** Sample name as exposed, e.g. `http_requests_total`, `http_request_duration_seconds_bucket`. */
  name: string;
  /** The contract metric it belongs to (a histogram's base name), see contract/signals.ts. */
  metric: string;
  type: SignalType;
  labels: Readonly<Record<string, string>>;
  /** One value per entry of `times`; NaN where the series does not exist (a replica not yet online). */
  values: Float64Array;
}

export interface SimulationRun {
  scenario: { name: string; description: string; anchor: number };
  from: number;
  to: number;
  stepSeconds: number;
  seed: number;
  /** Unix seconds of each sample, shared by every series. */
  times: Float64Array;
  series: Series[];
  /** When the cascade's stages happened (Unix seconds), as the model saw them at its own resolution. */
  milestones: Partial<Record<MilestoneKind, number>>;
  /** Scenario events and model happenings (deploys, blocks, replicas online) within the run. */
  events: ModelEventRecord[];
}

/** The model starts at rest this long before `from`, so queues and averages have settled by the first sample. */
const WARMUP_SECONDS = 2 * 3600;
/** Samples per run, to keep a typo in --step from allocating gigabytes. */
export const MAX_SAMPLES_PER_SERIES = 2_000_000;

export function simulate(scenario: Scenario, opts: SimulateOptions): SimulationRun {
  const { from, to, stepSeconds } = opts;
  for (const [name, v] of Object.entries({ from, to, stepSeconds })) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ScenarioError(`simulate: ${name}: expected a finite number of seconds, got ${String(v)}`);
    }
  }
  if (stepSeconds <= 0) {
    throw new ScenarioError(`simulate: stepSeconds: expected a positive number, got ${stepSeconds}`);
  }
  if (to < from) {
    throw new ScenarioError(`simulate: to: expected a time at or after from`);
  }
  const steps = math.floor((to - from) / stepSeconds) + 1;
  if (steps > MAX_SAMPLES_PER_SERIES) {
    throw new ScenarioError(
      `simulate: ${steps} samples per series is more than ${MAX_SAMPLES_PER_SERIES}: use a longer step`
    );
  }
  const seed = opts.seed ?? scenario.seed;
  const params = opts.overrides ? mergeParams<ServiceParams>(scenario.service, opts.overrides) : scenario.service;
  const events = eventsForRun(scenario, from - WARMUP_SECONDS, to);
  let start = from - WARMUP_SECONDS;
  // An incident already under way at `from` (within a day) is replayed from before it began.
  for (const e of scenario.events) {
    if (e.period === undefined && e.type !== 'deploy' && e.start < from && e.start >= from - 86_400) {
      start = math.min(start, e.start - 3600);
    }
  }
  const model = new ServiceModel(params, events, {
    anchor: scenario.anchor,
    seed,
    start,
    releaseDeployedAt: scenario.releaseDeployedAt,
    growthUntil: scenario.window.to,
  });

  const times = new Float64Array(steps);
  const recorder = new Recorder(params, steps);
  // Each sample is the model's state at the last instant of its own grid at or before the sample's time, so the
  // sampling step cannot change what the model does (see MODEL_STEP_SECONDS).
  for (let k = 0; k < steps; k++) {
    const t = from + k * stepSeconds;
    times[k] = t;
    model.advanceTo(t);
    recorder.record(model, k);
  }
  return {
    scenario: { name: scenario.name, description: scenario.description, anchor: scenario.anchor },
    from,
    to,
    stepSeconds,
    seed,
    times,
    series: recorder.series(),
    milestones: { ...model.milestones },
    events: model.log.filter((e) => e.time >= from && e.time <= to),
  };
}

/** The contract's series in a fixed order, created as they first appear (replicas, release versions). */
class Recorder {
  private readonly list: Series[] = [];
  private readonly byKey = new Map<string, Series>();
  private readonly requests: Series[][];
  private readonly buckets: Series[][];
  private readonly sums: Series[];
  private readonly counts: Series[];
  private readonly sources: Series;
  private readonly backlog: Series;
  private readonly writes: Series;
  private readonly primaryUtil: Series;
  private readonly healthy: Series;
  private readonly desired: Series;
  /** Per replica name: its utilisation and lag series, created when it first comes online. */
  private readonly replicas = new Map<string, { util: Series; lag: Series }>();
  /** Per release version: its deploy-timestamp series. */
  private readonly deploys = new Map<string, Series>();

  constructor(
    private readonly params: ServiceParams,
    private readonly steps: number
  ) {
    const service = params.service;
    const cluster = params.cluster;
    const bounds = [...params.latency.buckets.map(formatBound), '+Inf'];
    this.requests = ROUTES.map((route) =>
      [params.routes[route].successCode, ...ERROR_CODES].map((code) =>
        this.get(SIGNALS.traffic.name, SIGNALS.traffic, { service, route, code })
      )
    );
    const h = SIGNALS.latency;
    this.buckets = ROUTES.map((route) => bounds.map((le) => this.get(`${h.name}_bucket`, h, { service, route, le })));
    this.sums = ROUTES.map((route) => this.get(`${h.name}_sum`, h, { service, route }));
    this.counts = ROUTES.map((route) => this.get(`${h.name}_count`, h, { service, route }));
    // Fixed order for the rest: create them now, values come in record().
    this.sources = this.get(SIGNALS.trafficSources.name, SIGNALS.trafficSources, { service });
    this.backlog = this.get(SIGNALS.writeBacklog.name, SIGNALS.writeBacklog, { cluster });
    this.writes = this.get(SIGNALS.writesApplied.name, SIGNALS.writesApplied, { cluster });
    this.primaryUtil = this.get(SIGNALS.dbUtilization.name, SIGNALS.dbUtilization, {
      cluster,
      instance: 'db-primary',
      role: 'primary',
    });
    this.healthy = this.get(SIGNALS.healthyInstances.name, SIGNALS.healthyInstances, { service });
    this.desired = this.get(SIGNALS.desiredInstances.name, SIGNALS.desiredInstances, { service });
  }

  series(): Series[] {
    // Group by metric in the contract's order (writers emit one family at a time), creation order within.
    const order: string[] = Object.values(SIGNALS).map((s) => s.name);
    return [...this.list].sort((a, b) => order.indexOf(a.metric) - order.indexOf(b.metric));
  }

  record(model: ServiceModel, k: number): void {
    for (let r = 0; r < model.routes.length; r++) {
      const state = model.routes[r];
      const requests = this.requests[r];
      for (let c = 0; c < CODE_SLOTS; c++) {
        requests[c].values[k] = math.floor(state.counts[c]);
      }
      const b = this.buckets[r];
      for (let i = 0; i < b.length; i++) {
        b[i].values[k] = math.floor(state.buckets[i]);
      }
      this.sums[r].values[k] = math.round(state.durationSum * 1000) / 1000;
      this.counts[r].values[k] = math.floor(state.buckets[b.length - 1]);
    }
    this.sources.values[k] = model.sources;
    this.backlog.values[k] = model.backlog;
    this.writes.values[k] = math.floor(model.writesTotal);
    this.primaryUtil.values[k] = round(model.primaryUtilization, 4);
    for (let ri = 0; ri < model.replicas.length; ri++) {
      const replica = model.replicas[ri];
      if (replica.online) {
        const s = this.replicaSeries(replica.name);
        s.util.values[k] = round(replica.utilization, 4);
        s.lag.values[k] = round(replica.lagSeconds, 3);
      }
    }
    this.healthy.values[k] = model.pool.healthy;
    this.desired.values[k] = model.pool.desired;
    let deploy = this.deploys.get(model.version);
    if (!deploy) {
      const labels = { service: this.params.service, version: model.version };
      deploy = this.get(SIGNALS.lastDeploy.name, SIGNALS.lastDeploy, labels);
      this.deploys.set(model.version, deploy);
    }
    deploy.values[k] = math.round(model.deployedAt);
  }

  private replicaSeries(instance: string): { util: Series; lag: Series } {
    let s = this.replicas.get(instance);
    if (!s) {
      const cluster = this.params.cluster;
      s = {
        util: this.get(SIGNALS.dbUtilization.name, SIGNALS.dbUtilization, { cluster, instance, role: 'replica' }),
        lag: this.get(SIGNALS.replicaLag.name, SIGNALS.replicaLag, { cluster, instance }),
      };
      this.replicas.set(instance, s);
    }
    return s;
  }

  private get(name: string, spec: SignalSpec, labels: Record<string, string>): Series {
    const key = seriesKey(name, labels);
    let s = this.byKey.get(key);
    if (!s) {
      s = { name, metric: spec.name, type: spec.type, labels, values: new Float64Array(this.steps).fill(NaN) };
      this.byKey.set(key, s);
      this.list.push(s);
    }
    return s;
  }
}

/** `name{a="1",b="2"}` with labels in the given order: a stable identity for a series. */
export function seriesKey(name: string, labels: Readonly<Record<string, string>>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return parts.length ? `${name}{${parts.join(',')}}` : name;
}

/** The first series with this sample name whose labels include all of `labels`. */
export function findSeries(run: SimulationRun, name: string, labels: Record<string, string> = {}): Series | undefined {
  return run.series.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** All series with this sample name whose labels include all of `labels`. */
export function filterSeries(run: SimulationRun, name: string, labels: Record<string, string> = {}): Series[] {
  return run.series.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** Index of the sample at or just before `t`. */
export function indexAt(run: SimulationRun, t: number): number {
  return math.max(0, math.min(run.times.length - 1, math.floor((t - run.from) / run.stepSeconds)));
}

/** `le` label text as Prometheus client libraries write it ("0.1", "1", "2.5"). */
function formatBound(v: number): string {
  return String(v);
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return math.round(v * f) / f;
}

/**
 * simulate(): run the model over a time grid and keep every contract series as flat typed arrays, the shape the
 * rule pack's generator, the panel's fixtures and the writers (OpenMetrics, promtool input_series) all read.
 */
import { SIGNALS, type SignalType } from '../contract/signals';
import { mergeParams, ROUTES, type DeepPartial, type ServiceParams } from './model/params';
import { CODE_SLOTS, ERROR_CODES, ServiceModel, type MilestoneKind, type ModelEventRecord } from './model/service';
import { eventsForRun, ScenarioError, type Scenario } from './scenario/load';

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

/** Largest internal step: longer grid steps are split so that health checks and queues stay accurate. */
const MAX_MODEL_STEP = 30;
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
  const steps = Math.floor((to - from) / stepSeconds) + 1;
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
      start = Math.min(start, e.start - 3600);
    }
  }
  const model = new ServiceModel(params, events, {
    anchor: scenario.anchor,
    seed,
    start,
    releaseDeployedAt: scenario.releaseDeployedAt,
  });

  const times = new Float64Array(steps);
  const recorder = new Recorder(params, steps);
  advance(model, from);
  for (let k = 0; k < steps; k++) {
    const t = from + k * stepSeconds;
    times[k] = t;
    advance(model, t);
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

/** Step the model to time `t` in steps of at most MAX_MODEL_STEP seconds. */
export function advance(model: ServiceModel, t: number): void {
  const span = t - model.time;
  if (span <= 0) {
    return;
  }
  const n = Math.ceil(span / MAX_MODEL_STEP);
  const dt = span / n;
  for (let i = 0; i < n; i++) {
    model.step(dt);
  }
  model.time = t;
}

/** The contract's series in a fixed order, created as they first appear (replicas, release versions). */
class Recorder {
  private readonly list: Series[] = [];
  private readonly byKey = new Map<string, Series>();
  private readonly requests: Series[][];
  private readonly buckets: Series[][];
  private readonly sums: Series[];
  private readonly counts: Series[];
  private readonly bounds: string[];

  constructor(
    private readonly params: ServiceParams,
    private readonly steps: number
  ) {
    const service = params.service;
    const cluster = params.cluster;
    this.bounds = [...params.latency.buckets.map(formatBound), '+Inf'];
    this.requests = ROUTES.map((route) =>
      [params.routes[route].successCode, ...ERROR_CODES].map((code) =>
        this.get(SIGNALS.traffic.name, SIGNALS.traffic.name, 'counter', { service, route, code })
      )
    );
    const h = SIGNALS.latency.name;
    this.buckets = ROUTES.map((route) =>
      this.bounds.map((le) => this.get(`${h}_bucket`, h, 'histogram', { service, route, le }))
    );
    this.sums = ROUTES.map((route) => this.get(`${h}_sum`, h, 'histogram', { service, route }));
    this.counts = ROUTES.map((route) => this.get(`${h}_count`, h, 'histogram', { service, route }));
    // Fixed order for the rest: create them now, values come in record().
    this.get(SIGNALS.trafficSources.name, SIGNALS.trafficSources.name, 'gauge', { service });
    this.get(SIGNALS.writeBacklog.name, SIGNALS.writeBacklog.name, 'gauge', { cluster });
    this.get(SIGNALS.writesApplied.name, SIGNALS.writesApplied.name, 'counter', { cluster });
    this.get(SIGNALS.dbUtilization.name, SIGNALS.dbUtilization.name, 'gauge', {
      cluster,
      instance: 'db-primary',
      role: 'primary',
    });
  }

  series(): Series[] {
    // Group by metric in the contract's order (writers emit one family at a time), creation order within.
    const order: string[] = Object.values(SIGNALS).map((s) => s.name);
    return [...this.list].sort((a, b) => order.indexOf(a.metric) - order.indexOf(b.metric));
  }

  record(model: ServiceModel, k: number): void {
    const p = this.params;
    const cluster = p.cluster;
    const service = p.service;
    for (let r = 0; r < model.routes.length; r++) {
      const state = model.routes[r];
      for (let c = 0; c < CODE_SLOTS; c++) {
        this.requests[r][c].values[k] = Math.floor(state.counts[c]);
      }
      const b = this.buckets[r];
      for (let i = 0; i < b.length; i++) {
        b[i].values[k] = Math.floor(state.buckets[i]);
      }
      this.sums[r].values[k] = Math.round(state.durationSum * 1000) / 1000;
      this.counts[r].values[k] = Math.floor(state.buckets[b.length - 1]);
    }
    this.set(SIGNALS.trafficSources.name, { service }, k, model.sources);
    this.set(SIGNALS.writeBacklog.name, { cluster }, k, model.backlog);
    this.set(SIGNALS.writesApplied.name, { cluster }, k, Math.floor(model.writesTotal));
    const util = SIGNALS.dbUtilization.name;
    this.set(util, { cluster, instance: 'db-primary', role: 'primary' }, k, round(model.primaryUtilization, 4));
    for (const replica of model.replicas) {
      if (replica.online) {
        this.set(util, { cluster, instance: replica.name, role: 'replica' }, k, round(replica.utilization, 4));
        this.set(SIGNALS.replicaLag.name, { cluster, instance: replica.name }, k, round(replica.lagSeconds, 3));
      }
    }
    this.set(SIGNALS.healthyInstances.name, { service }, k, model.pool.healthy);
    this.set(SIGNALS.desiredInstances.name, { service }, k, model.pool.desired);
    this.set(SIGNALS.lastDeploy.name, { service, version: model.version }, k, Math.round(model.deployedAt));
  }

  private set(metric: string, labels: Record<string, string>, k: number, value: number): void {
    const type = Object.values(SIGNALS).find((s) => s.name === metric)!.type;
    this.get(metric, metric, type, labels).values[k] = value;
  }

  private get(name: string, metric: string, type: SignalType, labels: Record<string, string>): Series {
    const key = seriesKey(name, labels);
    let s = this.byKey.get(key);
    if (!s) {
      s = { name, metric, type, labels, values: new Float64Array(this.steps).fill(NaN) };
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
  return Math.max(0, Math.min(run.times.length - 1, Math.floor((t - run.from) / run.stepSeconds)));
}

/** `le` label text as Prometheus client libraries write it ("0.1", "1", "2.5"). */
function formatBound(v: number): string {
  return String(v);
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

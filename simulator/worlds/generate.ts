/**
 * Generated worlds: a random but plausible service and one random incident (or a benign happening), drawn from a
 * seed, as an ordinary scenario of the simulator's own model. The rule pack is judged on these (alerts/replay/
 * detection.ts), which it was not tuned on: other route mixes, daily shapes, noise, backlog scales, database and
 * fleet sizes than the hand-written scenarios.
 *
 * A world is a pure function of its seed (and, optionally, a forced kind): the same seed draws the same service,
 * incident and window everywhere. Its truth (saturation, zero healthy) comes from simulating it: see worldTruth.
 */
import { DEFAULT_SERVICE, ROUTES, type DeepPartial, type Route, type ServiceParams } from '../model/params';
import { Prng } from '../model/random';
import { parseScenario, type Scenario } from '../scenario/load';
import type { ScenarioFileEvent } from '../scenario/schema';
import { SIGNALS } from '../../contract/signals';
import { filterSeries, indexAt, simulate, type SimulationRun } from '../run';

export const INCIDENT_KINDS = ['surge-one-route', 'surge-routes', 'capacity-loss', 'bad-deploy', 'drop'] as const;
export const BENIGN_KINDS = ['quiet', 'routine-deploy', 'batch', 'scale-down', 'restart'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];
export type BenignKind = (typeof BENIGN_KINDS)[number];
export type WorldKind = IncidentKind | BenignKind;

const DAY = 86_400;
const HOUR = 3600;
const MINUTE = 60;
/** Weeks of history before the window: the seasonal baseline's three earlier weeks. */
export const WORLD_HISTORY_SECONDS = 21 * DAY;
/** A Monday: the history starts here, the incident happens in the fourth week. */
const ANCHOR = Date.UTC(2025, 0, 6) / 1000;

export interface World {
  seed: number;
  kind: WorldKind;
  benign: boolean;
  /** Unix seconds the incident (or benign happening) begins. */
  onset: number;
  /** The replayed window; the run starts WORLD_HISTORY_SECONDS before it. */
  window: { from: number; to: number };
  scenario: Scenario;
  /** The route a bad deploy breaks; the routes a surge or drop hits. */
  routes: Route[];
  /** A drop: the share of the traffic that stays (0.4 = down to 40 %). */
  dropTo?: number;
  /** One line on what was drawn, for reports. */
  summary: string;
}

export interface WorldTruth {
  onset: number;
  /** When the primary database saturated (Unix seconds), if it did within the window. */
  saturation?: number;
  /** When the last healthy instance went, if it did within the window. */
  zeroHealthy?: number;
  /**
   * The drawn service had no healthy instance when its window opened (its fleet emptied during the history and
   * never came back): not a world to judge alerts on, and the report leaves it out.
   */
  downAtStart?: true;
}

/** A seeded draw with readable helpers. */
class Draw {
  private readonly prng: Prng;
  constructor(seed: number) {
    this.prng = new Prng(seed);
  }
  uniform(a: number, b: number): number {
    return a + (b - a) * this.prng.next();
  }
  /** Log-uniform: scales (rates, capacities) spread evenly over orders of magnitude. */
  scale(a: number, b: number): number {
    return Math.exp(this.uniform(Math.log(a), Math.log(b)));
  }
  int(a: number, b: number): number {
    return Math.floor(this.uniform(a, b + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.prng.next() * xs.length)];
  }
  chance(p: number): boolean {
    return this.prng.next() < p;
  }
  /** k distinct items. */
  some<T>(xs: readonly T[], k: number): T[] {
    const pool = [...xs];
    const out: T[] = [];
    while (out.length < k && pool.length > 0) {
      out.push(pool.splice(Math.floor(this.prng.next() * pool.length), 1)[0]);
    }
    return out;
  }
}

const round = (x: number, digits = 3) => Number(x.toPrecision(digits));

/** A random service whose ordinary peak keeps its database and fleet comfortably below full. */
function drawService(d: Draw): DeepPartial<ServiceParams> {
  const total = d.scale(40, 1500);
  const weights = ROUTES.map(() => d.uniform(0.03, 1) ** 2);
  const sum = weights.reduce((a, b) => a + b, 0);
  const routes: DeepPartial<ServiceParams>['routes'] = {};
  // Backlog scale: what one unit of write work is (a record, a batch of them), from 1/20 to 20x the defaults.
  const unitScale = d.scale(0.05, 20);
  const amplitude = d.uniform(0.1, 0.5);
  const noise = d.uniform(0.01, 0.05);
  const peak = (1 + amplitude) * (1 + 3 * noise);
  let writesAtPeak = 0;
  let readsAtPeak = 0;
  ROUTES.forEach((route, i) => {
    const base = DEFAULT_SERVICE.routes[route];
    const baseRate = round(Math.max(0.3, (total * weights[i]) / sum));
    const writeCost = round(base.writeCost * d.scale(0.5, 2) * unitScale);
    const readCost = round(base.readCost * d.scale(0.5, 2));
    routes[route] = { baseRate, writeCost, readCost };
    writesAtPeak += baseRate * writeCost * peak;
    readsAtPeak += baseRate * readCost * peak;
  });
  const db = DEFAULT_SERVICE.database;
  const primaryWorkPerWrite = round(db.primaryWorkPerWrite / unitScale);
  const primaryReads = db.primaryReadShare * readsAtPeak;
  // The background workers keep up with the peak with room to spare, and at full speed take most of the primary
  // but not all of it: a surge first queues work (the backlog), and saturates the primary as the queue swells.
  const workerThroughput = round(writesAtPeak * d.uniform(1.5, 3));
  const primaryCapacity = round(
    Math.max(
      (writesAtPeak * primaryWorkPerWrite + primaryReads) / d.uniform(0.3, 0.55),
      (workerThroughput * primaryWorkPerWrite + primaryReads) / d.uniform(0.7, 0.95)
    )
  );
  const replicas = d.int(1, 4);
  const replicaLoad = ((1 - db.primaryReadShare) * readsAtPeak) / replicas + writesAtPeak * primaryWorkPerWrite;
  const desired = d.int(4, 40);
  const contention = round(d.uniform(0, 3), 2);
  return {
    routes,
    traffic: {
      dailyAmplitude: round(amplitude),
      peakHourUtc: round(d.uniform(0, 24)),
      weekendFactor: round(d.uniform(0.45, 1)),
      growthPerWeek: round(d.uniform(-0.005, 0.03)),
      noise: round(noise),
      jitter: round(d.uniform(0, 0.02)),
      baseSources: Math.round(d.scale(50, 3000)),
    },
    database: {
      workerThroughput,
      primaryWorkPerWrite,
      contention,
      contentionHalfBacklog: round(db.contentionHalfBacklog * unitScale),
      primaryCapacity,
      replicas,
      replicaCapacity: round(replicaLoad / d.uniform(0.3, 0.6)),
    },
    instances: {
      desired,
      capacityPerInstance: round((total * peak) / desired / d.uniform(0.3, 0.6)),
      bootstrapFromZero: d.chance(0.7),
    },
  };
}

function at(t: number): string {
  return new Date(t * 1000).toISOString().replace('.000', '');
}

function drawIncident(
  d: Draw,
  kind: WorldKind,
  onset: number,
  service: DeepPartial<ServiceParams>
): { events: ScenarioFileEvent[]; routes: Route[]; dropTo?: number; summary: string } {
  const withTraffic = ROUTES.filter((r) => (service.routes?.[r]?.baseRate ?? 0) > 0);
  switch (kind) {
    case 'surge-one-route':
    case 'surge-routes': {
      const routes = kind === 'surge-one-route' ? d.some(withTraffic, 1) : d.some(withTraffic, d.int(2, 3));
      const multiples = Object.fromEntries(routes.map((r) => [r, round(d.scale(2, 12), 2)]));
      const rampMinutes = round(d.scale(1, 30), 2);
      const sourcesMultiplier = d.chance(0.5) ? 1 : round(d.uniform(2, 10), 2);
      const writeCostMultiplier = round(d.uniform(1, 1.6), 2);
      return {
        routes,
        events: [
          {
            type: 'surge',
            at: at(onset),
            until: at(onset + d.uniform(2, 4) * HOUR),
            routes: multiples,
            rampMinutes,
            fallMinutes: 0.5,
            sourcesMultiplier,
            writeCostMultiplier,
            readCostMultiplier: 1,
          },
        ],
        summary: `surge ${routes.map((r) => `${r} +${multiples[r]}x`).join(', ')}, ramp ${rampMinutes} min, sources x${sourcesMultiplier}, write cost x${writeCostMultiplier}`,
      };
    }
    case 'capacity-loss': {
      const lessCapacity = d.chance(0.5);
      const factor = lessCapacity ? round(d.uniform(0.2, 0.55), 2) : round(d.uniform(2, 6), 2);
      const rampMinutes = d.chance(0.5) ? 0 : round(d.uniform(1, 20), 2);
      const effects = lessCapacity ? { primaryCapacityFactor: factor } : { writeWorkFactor: factor };
      return {
        routes: [],
        events: [{ type: 'deploy', at: at(onset), version: 'v2', effects, rampMinutes }],
        summary: lessCapacity
          ? `primary capacity x${factor} (a failover to a smaller node), over ${rampMinutes} min`
          : `each unit of write work x${factor} dearer (a bad query), over ${rampMinutes} min`,
      };
    }
    case 'bad-deploy': {
      const route = d.pick(withTraffic);
      const failureShare = round(d.uniform(0.3, 1), 2);
      return {
        routes: [route],
        events: [
          {
            type: 'deploy',
            at: at(onset),
            version: 'v2',
            breaks: { route, failureShare },
            effects: {},
            rampMinutes: 0,
          },
        ],
        summary: `deploy breaks ${route} for ${Math.round(failureShare * 100)} % of its clients (they retry)`,
      };
    }
    case 'drop': {
      const routes = d.chance(0.7) ? [...withTraffic] : d.some(withTraffic, 1);
      const dropTo = round(d.uniform(0.2, 0.8), 2);
      const rampMinutes = round(d.scale(1, 15), 2);
      return {
        routes,
        dropTo,
        events: [
          {
            type: 'surge',
            at: at(onset),
            until: at(onset + d.uniform(3, 5) * HOUR),
            routes: Object.fromEntries(routes.map((r) => [r, round(dropTo - 1, 2)])),
            rampMinutes,
            fallMinutes: 5,
            sourcesMultiplier: 1,
            writeCostMultiplier: 1,
            readCostMultiplier: 1,
          },
        ],
        summary: `drop to ${Math.round(dropTo * 100)} % on ${routes.join(', ')}, over ${rampMinutes} min`,
      };
    }
    case 'routine-deploy': {
      const percent = round(d.uniform(1, 5), 2);
      return {
        routes: [],
        events: [
          { type: 'deploy', at: at(onset), version: 'v2', blip: { percent, minutes: 2 }, effects: {}, rampMinutes: 0 },
        ],
        summary: `routine deploy, a ${percent} % blip`,
      };
    }
    case 'batch': {
      const throughput = service.database?.workerThroughput ?? DEFAULT_SERVICE.database.workerThroughput;
      const writeRate = round(throughput * d.uniform(0.3, 0.8));
      const minutes = d.int(15, 60);
      return {
        routes: [],
        events: [{ type: 'batch', at: at(onset), for: `${minutes}m`, writeRate }],
        summary: `batch of ${writeRate} units/s for ${minutes} min (worker throughput ${throughput})`,
      };
    }
    case 'scale-down': {
      const from = service.instances?.desired ?? DEFAULT_SERVICE.instances.desired;
      const desired = Math.max(2, Math.round(from * d.uniform(0.7, 0.9)));
      return {
        routes: [],
        events: [{ type: 'scale', at: at(onset), desired }],
        summary: `planned scale-down ${from} -> ${desired}`,
      };
    }
    case 'restart':
      return { routes: [], events: [{ type: 'restart', at: at(onset) }], summary: 'process restart (counters reset)' };
    case 'quiet':
      return { routes: [], events: [], summary: 'nothing happens' };
  }
}

/** Windows: an incident's first five hours (and the hour before); a benign day. */
function windowFor(benign: boolean, onset: number): { from: number; to: number } {
  return benign ? { from: onset - 12 * HOUR, to: onset + 12 * HOUR } : { from: onset - HOUR, to: onset + 5 * HOUR };
}

function worldScenario(
  seed: number,
  kind: WorldKind,
  service: DeepPartial<ServiceParams>,
  window: { from: number; to: number },
  events: ScenarioFileEvent[]
): Scenario {
  return parseScenario(
    {
      name: `world-${seed}`,
      description: `generated world ${seed}: ${kind}`,
      anchor: at(ANCHOR),
      seed,
      window: { from: at(window.from), to: at(window.to) },
      service: { ...service, release: { version: 'v1', deployedAt: '-30d' } },
      events,
    },
    `world ${seed}`
  );
}

/** Busiest an ordinary day may leave a database node: a world whose ordinary week runs hotter is not plausible. */
const ORDINARY_MAX_UTILIZATION = 0.75;

/**
 * The capacity estimates above ignore the workers' reads and the replicas' replay: simulate the two ordinary days
 * before the onset and give a node that runs hotter than ORDINARY_MAX_UTILIZATION more capacity, until none does.
 */
function fitOrdinaryDays(seed: number, service: DeepPartial<ServiceParams>, onset: number): void {
  const db = service.database!;
  for (let attempt = 0; attempt < 8; attempt++) {
    const quiet = worldScenario(seed, 'quiet', service, { from: onset - 2 * DAY, to: onset }, []);
    const run = simulate(quiet, { from: onset - 2 * DAY, to: onset, stepSeconds: 300 });
    const hottest = (role: string) =>
      Math.max(
        0,
        ...run.series
          .filter((x) => x.name === 'db_utilization_ratio' && x.labels.role === role)
          .flatMap((x) => Array.from(x.values).filter((v) => !Number.isNaN(v)))
      );
    const [primary, replica] = [hottest('primary'), hottest('replica')];
    if (primary <= ORDINARY_MAX_UTILIZATION && replica <= ORDINARY_MAX_UTILIZATION) {
      return;
    }
    if (primary > ORDINARY_MAX_UTILIZATION) {
      db.primaryCapacity = round(db.primaryCapacity! * 1.3);
    }
    if (replica > ORDINARY_MAX_UTILIZATION) {
      db.replicaCapacity = round(db.replicaCapacity! * 1.3);
    }
  }
}

/**
 * The world of a seed. Without a kind, incidents and benign days alternate by seed parity and the kind is drawn;
 * the service, the onset (a random minute of the fourth week) and the incident's shape are always drawn.
 */
export function generateWorld(seed: number, kind?: WorldKind): World {
  const d = new Draw(seed);
  const chosen: WorldKind = kind ?? (seed % 2 === 0 ? d.pick(INCIDENT_KINDS) : d.pick(BENIGN_KINDS));
  const benign = (BENIGN_KINDS as readonly string[]).includes(chosen);
  const service = drawService(d);
  const onset = ANCHOR + 21 * DAY + Math.round(d.uniform(0.6, 6.4) * 1440) * MINUTE;
  fitOrdinaryDays(seed, service, onset);
  const incident = drawIncident(d, chosen, onset, service);
  const window = windowFor(benign, onset);
  const scenario = worldScenario(seed, chosen, service, window, incident.events);
  return {
    seed,
    kind: chosen,
    benign,
    onset,
    window,
    scenario,
    routes: incident.routes,
    dropTo: incident.dropTo,
    summary: incident.summary,
  };
}

/** A world's history and window as one run at one minute (what the replay reads). */
export function simulateWorld(world: World): SimulationRun {
  return simulate(world.scenario, {
    from: world.window.from - WORLD_HISTORY_SECONDS,
    to: world.window.to,
    stepSeconds: 60,
  });
}

/** What really happened in a world's window, from its run's milestones. */
export function worldTruth(world: World, run: SimulationRun): WorldTruth {
  const within = (t: number | undefined) =>
    t !== undefined && t >= world.onset && t <= world.window.to ? t : undefined;
  const i = indexAt(run, world.window.from);
  const total = (name: string) => filterSeries(run, name).reduce((n, s) => n + (s.values[i] || 0), 0);
  const downAtStart = total(SIGNALS.desiredInstances.name) > 0 && total(SIGNALS.healthyInstances.name) === 0;
  return {
    onset: world.onset,
    saturation: within(run.milestones.primarySaturated),
    zeroHealthy: within(run.milestones.zeroHealthy),
    ...(downAtStart ? { downAtStart: true as const } : {}),
  };
}

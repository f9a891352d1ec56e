import { simulate } from '../run';
import {
  BENIGN_KINDS,
  generateWorld,
  INCIDENT_KINDS,
  simulateWorld,
  worldTruth,
  WORLD_HISTORY_SECONDS,
} from './generate';

const rate = (run: ReturnType<typeof simulate>, from: number, to: number, route: string) => {
  // Requests per second of a route over [from, to], all codes, from the counters.
  const at = (t: number) => Math.round((t - run.from) / run.stepSeconds);
  return (
    run.series
      .filter((s) => s.name === 'http_requests_total' && s.labels.route === route)
      .reduce((n, s) => n + (s.values[at(to)] - s.values[at(from)]), 0) /
    (to - from)
  );
};

describe('generated worlds', () => {
  it('are a pure function of the seed', () => {
    const [a, b] = [generateWorld(12), generateWorld(12)];
    expect(a.scenario).toEqual(b.scenario);
    expect(a.summary).toBe(b.summary);
    expect(generateWorld(13).scenario.service).not.toEqual(a.scenario.service);
  });

  it('alternate incidents (even seeds) and benign days (odd), drawing every kind', () => {
    const worlds = Array.from({ length: 30 }, (_, i) => generateWorld(i + 1));
    expect(worlds.every((w) => w.benign === (w.seed % 2 === 1))).toBe(true);
    expect(new Set(worlds.map((w) => w.kind))).toEqual(new Set([...INCIDENT_KINDS, ...BENIGN_KINDS]));
    // Other route mixes and scales than the hand-written scenarios: the biggest route is not always downloads.
    const biggest = worlds.map(
      (w) => Object.entries(w.scenario.service.routes).sort((x, y) => y[1].baseRate - x[1].baseRate)[0][0]
    );
    expect(new Set(biggest).size).toBeGreaterThan(1);
    const throughput = worlds.map((w) => w.scenario.service.database.workerThroughput);
    expect(Math.max(...throughput) / Math.min(...throughput)).toBeGreaterThan(100);
  });

  it('keep their ordinary days below 75 % of each database node', () => {
    for (const seed of [3, 8, 21]) {
      const w = generateWorld(seed);
      const run = simulate(w.scenario, { from: w.onset - 2 * 86_400, to: w.onset, stepSeconds: 300 });
      const busiest = Math.max(
        ...run.series
          .filter((s) => s.name === 'db_utilization_ratio')
          .flatMap((s) => Array.from(s.values).filter((v) => !Number.isNaN(v)))
      );
      expect(busiest).toBeLessThanOrEqual(0.75);
    }
  });

  it('a drop takes the route to its drawn share of the same world without it', () => {
    const drop = generateWorld(16, 'drop');
    const quiet = generateWorld(16, 'quiet');
    expect(drop.scenario.service).toEqual(quiet.scenario.service);
    expect(drop.routes).toEqual(['download']);
    const [from, to] = [drop.onset + 50 * 60, drop.onset + 60 * 60];
    const download = (w: typeof drop) =>
      rate(simulate(w.scenario, { from: from - 600, to, stepSeconds: 60 }), from, to, 'download');
    // 50 minutes into a 12-minute ramp the drop is at 98.5 % of its depth.
    const ratio = download(drop) / download(quiet);
    expect(ratio).toBeGreaterThan(drop.dropTo!);
    expect(ratio).toBeLessThan(drop.dropTo! + 0.015);
  });

  it('labels a cascade with when the primary saturated', () => {
    const surge = generateWorld(26, 'surge-routes');
    const full = simulateWorld(surge);
    expect(full.from).toBe(surge.window.from - WORLD_HISTORY_SECONDS);
    const truth = worldTruth(surge, full);
    expect(truth.onset).toBe(surge.onset);
    expect(truth.saturation! - surge.onset).toBeGreaterThan(20 * 60);
    expect(truth.saturation).toBeLessThanOrEqual(surge.window.to);
    // Without the surge, the same service never saturates.
    const quiet = generateWorld(26, 'quiet');
    expect(worldTruth(quiet, simulateWorld(quiet)).saturation).toBeUndefined();
    expect(truth.downAtStart).toBeUndefined();
  });

  it('marks a world whose drawn service lost its whole fleet during the history', () => {
    // Seed 25 draws five instances that all fail on the history's first day (20 days before the window) and stay down.
    const world = generateWorld(25);
    expect(worldTruth(world, simulateWorld(world)).downAtStart).toBe(true);
  });
});

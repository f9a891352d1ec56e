import { InstancePool, probeFailure } from './instances';
import { scaledEvents } from './events';
import { DEFAULT_SERVICE, mergeParams, scaledService } from './params';
import { attemptsPerRequest, cappedMean, fluidQueueStep, queueingLatency, tailShare } from './queueing';
import { hashNoise, Prng, valueNoise } from './random';
import { dailyShape, dayOfWeek, growthFactor, seasonalFactor, weeklyShape } from './seasonality';
import { freshnessWeight, MODEL_STEP_SECONDS, ServiceModel } from './service';
import { contentionFactor, MIN_WRITE_SHARE, waitingWork, workersStep } from './workers';

const TUESDAY = Date.UTC(2020, 1, 4) / 1000;
const season = DEFAULT_SERVICE.traffic;

describe('randomness', () => {
  it('is a pure function of seed, channel and index', () => {
    expect(hashNoise(1, 2, 3)).toBe(hashNoise(1, 2, 3));
    expect(hashNoise(1, 2, 3)).not.toBe(hashNoise(2, 2, 3));
    expect(hashNoise(1, 2, 3)).not.toBe(hashNoise(1, 3, 3));
  });

  it('stays in [-1, 1) and averages near zero', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => hashNoise(7, 1, i));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(Math.abs(values.reduce((a, b) => a + b, 0) / values.length)).toBeLessThan(0.03);
  });

  it('value noise is continuous: no jump between close instants', () => {
    let biggestJump = 0;
    for (let t = 0; t < 7200; t += 7) {
      biggestJump = Math.max(biggestJump, Math.abs(valueNoise(3, 1, t + 1, 600) - valueNoise(3, 1, t, 600)));
    }
    expect(biggestJump).toBeLessThan(0.02);
    expect(biggestJump).toBeGreaterThan(0);
  });

  it('the sequential generator repeats for a seed and differs between seeds', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const xs = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xs);
    xs.forEach((x) => expect(x >= 0 && x < 1).toBe(true));
  });
});

describe('seasonality', () => {
  it('knows the day of the week (2020-02-04 was a Tuesday)', () => {
    expect(dayOfWeek(TUESDAY)).toBe(2);
    expect(dayOfWeek(TUESDAY + 4 * 86_400)).toBe(6);
  });

  it('peaks at the peak hour and is quietest about twelve hours later', () => {
    const at = (h: number) => dailyShape(TUESDAY + h * 3600, season);
    const hours = Array.from({ length: 24 }, (_, h) => at(h));
    expect(hours.indexOf(Math.max(...hours))).toBe(season.peakHourUtc);
    expect(at(season.peakHourUtc)).toBeGreaterThan(1.3);
    expect(Math.min(...hours)).toBeGreaterThan(0.5);
  });

  it('makes weekends quieter without a step at midnight', () => {
    const saturdayNoon = TUESDAY + 4 * 86_400 + 12 * 3600;
    expect(weeklyShape(saturdayNoon, season)).toBeCloseTo(season.weekendFactor);
    expect(weeklyShape(TUESDAY + 12 * 3600, season)).toBe(1);
    const friday = TUESDAY + 3 * 86_400;
    let biggestStep = 0;
    for (let t = friday + 20 * 3600; t < friday + 28 * 3600; t += 60) {
      biggestStep = Math.max(biggestStep, Math.abs(weeklyShape(t + 60, season) - weeklyShape(t, season)));
    }
    expect(biggestStep).toBeLessThan(0.01);
    expect(weeklyShape(friday + 28 * 3600, season)).toBeLessThan(weeklyShape(friday + 20 * 3600, season));
  });

  it('compounds growth from the anchor, below 1 before it', () => {
    const p = { ...season, growthPerWeek: 0.04 };
    expect(growthFactor(TUESDAY, TUESDAY, p)).toBe(1);
    expect(growthFactor(TUESDAY + 2 * 7 * 86_400, TUESDAY, p)).toBeCloseTo(1.04 ** 2);
    expect(growthFactor(TUESDAY - 7 * 86_400, TUESDAY, p)).toBeCloseTo(1 / 1.04);
  });

  it('repeats week over week up to growth', () => {
    const t = TUESDAY + 21 * 3600;
    const week = 7 * 86_400;
    const ratio = seasonalFactor(t, TUESDAY, season) / seasonalFactor(t - week, TUESDAY, season);
    expect(ratio).toBeCloseTo(1 + season.growthPerWeek, 6);
  });
});

describe('queueing', () => {
  it('latency grows as a server fills up, clamped short of the divergence at 1', () => {
    expect(queueingLatency(0, 0.01)).toBeCloseTo(0.01);
    expect(queueingLatency(0.5, 0.01)).toBeCloseTo(0.02);
    expect(queueingLatency(5, 0.01)).toBe(queueingLatency(0.98, 0.01));
  });

  it('a fluid queue conserves work: what arrives is served or waits', () => {
    let backlog = 0;
    let served = 0;
    for (let i = 0; i < 100; i++) {
      const s = fluidQueueStep(backlog, 150, 100, 1);
      backlog = s.backlog;
      served += s.servedRate;
    }
    expect(served).toBeCloseTo(100 * 100);
    expect(backlog).toBeCloseTo(50 * 100);
    // Drains at capacity minus arrivals once arrivals drop.
    const s = fluidQueueStep(backlog, 20, 100, 10);
    expect(s.backlog).toBeCloseTo(5000 - 800);
    expect(fluidQueueStep(10, 5, 100, 1)).toEqual({ backlog: 0, servedRate: 15 });
  });

  it('tail shares follow the mean and respect the floor', () => {
    expect(tailShare(0.1, 0.05, 60)).toBe(0);
    expect(tailShare(20, 0.05, 0.01)).toBe(1);
    expect(tailShare(20.05, 0.05, 60.05)).toBeCloseTo(Math.exp(-3));
    expect(tailShare(30, 0.05, 60)).toBeGreaterThan(tailShare(10, 0.05, 60));
    expect(cappedMean(1, 0.1, 60)).toBeCloseTo(1);
    expect(cappedMean(1000, 0.1, 60)).toBeLessThan(60);
  });

  it('retries: a broken route with cargo-like clients gives ~3.7x requests, a healthy one none', () => {
    expect(attemptsPerRequest(1, 4, 0.9)).toBeCloseTo(3.7);
    expect(attemptsPerRequest(0, 4, 0.9)).toBe(1);
    expect(attemptsPerRequest(1, 1, 1)).toBe(1);
    expect(attemptsPerRequest(0.5, 4, 1)).toBeCloseTo(1.875);
  });
});

describe('background workers and the write backlog', () => {
  const base = {
    arrival: 10,
    throughput: 40,
    primaryCapacity: 1500,
    primaryReads: 100,
    workPerWrite: 25,
    dt: 5,
  };

  it('apply what arrives while they keep up: nothing queues, the primary carries reads plus writes', () => {
    const s = workersStep(0, base);
    expect(s.backlog).toBe(0);
    expect(s.appliedRate).toBe(10);
    expect(s.primaryLoad).toBe(100 + 25 * 10);
    expect(s.primaryBound).toBe(false);
  });

  it('fall behind linearly when work arrives faster than their throughput, before the primary is full', () => {
    let backlog = 0;
    const samples: number[] = [];
    for (let i = 1; i <= 120; i++) {
      const s = workersStep(backlog, { ...base, arrival: 50 });
      backlog = s.backlog;
      expect(s.appliedRate).toBe(40);
      expect(s.primaryLoad / base.primaryCapacity).toBeLessThan(1);
      if (i % 40 === 0) {
        samples.push(backlog);
      }
    }
    // 10 units/s too many for 200 s, 400 s, 600 s.
    expect(samples).toEqual([2000, 4000, 6000]);
  });

  it('slow down when the primary is full (they wait on it), so the backlog grows faster', () => {
    const free = workersStep(0, { ...base, arrival: 50 });
    const busy = workersStep(0, { ...base, arrival: 50, primaryReads: 1000 });
    expect(busy.appliedRate).toBeCloseTo((1500 - 1000) / 25);
    expect(busy.primaryBound).toBe(true);
    expect(busy.backlog).toBeGreaterThan(free.backlog);
    expect(busy.primaryLoad).toBeCloseTo(1500);
    // Reads cannot starve the writes entirely.
    const swamped = workersStep(0, { ...base, arrival: 50, primaryReads: 5000 });
    expect(swamped.appliedRate).toBeCloseTo((MIN_WRITE_SHARE * 1500) / 25);
  });

  it('drain a backlog at their throughput less what keeps arriving', () => {
    const s = workersStep(10_000, { ...base, arrival: 15 });
    expect(s.appliedRate).toBe(40);
    expect(s.backlog).toBe(10_000 - 25 * 5);
  });

  it('contention makes each unit dearer as the backlog swells, up to 1 + contention', () => {
    expect(contentionFactor(0, 2, 100_000)).toBe(1);
    expect(contentionFactor(100_000, 2, 100_000)).toBeCloseTo(2);
    expect(contentionFactor(1e12, 2, 100_000)).toBeCloseTo(3);
    expect(contentionFactor(50_000, 0, 100_000)).toBe(1);
    expect(contentionFactor(200_000, 2, 100_000)).toBeGreaterThan(contentionFactor(100_000, 2, 100_000));
  });

  it('the ordinary backlog is what waits for a worker: arrival x wait, more as the workers fill up', () => {
    expect(waitingWork(0, 40, 8)).toBe(0);
    expect(waitingWork(4, 40, 8)).toBeCloseTo((4 * 8) / 0.9);
    expect(waitingWork(20, 40, 8)).toBeCloseTo(20 * 8 * 2);
    // Beyond 90 % of the workers' limit the fluid backlog takes over: the waiting part stops growing steeply.
    expect(waitingWork(100, 40, 8)).toBeCloseTo(100 * 8 * 10);
  });
});

describe('instances', () => {
  const params = {
    ...DEFAULT_SERVICE.instances,
    bootSeconds: 120,
    healthCheckIntervalSeconds: 10,
    unhealthyThreshold: 3,
    healthCheckTimeoutSeconds: 10,
    healthCheckMaxLagSeconds: 100,
    bootChecks: 2,
    startTimeoutSeconds: 60,
    sensitivitySpread: 0.4,
  };
  const fine = { probeLatency: 0.01, freshestLag: 0.3 };
  const dead = { probeLatency: 1000, freshestLag: 0.3 };
  const run = (pool: InstancePool, seconds: number, input: typeof fine, bootstrapFromZero = true) => {
    let cycled = 0;
    let failedBoots = 0;
    let minHealthy = pool.healthy;
    for (let t = 0; t < seconds; t += 5) {
      const r = pool.step(5, { ...input, bootstrapFromZero });
      cycled += r.cycled;
      failedBoots += r.failedBoots;
      minHealthy = Math.min(minHealthy, pool.healthy);
    }
    return { cycled, failedBoots, minHealthy };
  };

  it('a probe fails on a slow database (a latency tail past the timeout) or a stale one (past the lag limit)', () => {
    expect(probeFailure(0.01, 0, params)).toBe(0);
    expect(probeFailure(10, 0, params)).toBeGreaterThan(0.3);
    expect(probeFailure(10, 0, params)).toBeLessThan(0.5);
    expect(probeFailure(1000, 0, params)).toBeGreaterThan(0.98);
    expect(probeFailure(0.01, 100, params)).toBe(0);
    expect(probeFailure(0.01, 112.5, params)).toBeCloseTo(0.5);
    expect(probeFailure(0.01, 200, params)).toBe(1);
  });

  it('healthy instances stay healthy while checks pass', () => {
    const pool = new InstancePool(6, params, new Prng(1));
    expect(run(pool, 3600, fine).cycled).toBe(0);
    expect(pool.healthy).toBe(6);
  });

  it('failing checks cycle instances; replacements boot, wait for the database, and join once it answers', () => {
    const pool = new InstancePool(6, params, new Prng(1));
    expect(run(pool, 60, dead).cycled).toBe(6);
    expect(pool.healthy).toBe(0);
    expect(pool.booting).toBe(6);
    // Booted, but the database still does not answer: each start times out and boots again.
    const failing = run(pool, 300, dead);
    expect(failing.failedBoots).toBeGreaterThanOrEqual(6);
    expect(pool.healthy).toBe(0);
    // Within a boot plus a couple of checks of the database answering, all are back.
    run(pool, params.bootSeconds + params.startTimeoutSeconds + 30, fine);
    expect(pool.healthy).toBe(6);
  });

  it('a booted instance joins as soon as the database answers, without booting again', () => {
    const pool = new InstancePool(1, params, new Prng(1));
    run(pool, 60, dead);
    run(pool, params.bootSeconds, dead);
    expect(pool.booting).toBe(1);
    // Starting and waiting; two good checks (10 s apart) later it serves.
    run(pool, 25, fine);
    expect(pool.healthy).toBe(1);
  });

  it('cannot bootstrap from zero while the switch is off, even with a healthy database', () => {
    const pool = new InstancePool(4, params, new Prng(1));
    run(pool, 60, dead, false);
    run(pool, 1200, fine, false);
    expect(pool.healthy).toBe(0);
    run(pool, params.bootSeconds + params.startTimeoutSeconds + 30, fine, true);
    expect(pool.healthy).toBe(4);
  });

  it('instances differ: a database stale enough for the sensitive ones leaves the others serving', () => {
    // The most sensitive instance sees 1.4x the lag, the least 0.6x: at 100 s of lag against a 100 s limit, the
    // sensitive half fails its checks and is cycled (its replacements cannot start), the rest keeps serving.
    const pool = new InstancePool(12, params, new Prng(3));
    const shrinking = run(pool, 600, { probeLatency: 0.01, freshestLag: 100 });
    expect(shrinking.cycled).toBeGreaterThanOrEqual(5);
    expect(shrinking.minHealthy).toBeGreaterThanOrEqual(5);
    expect(shrinking.minHealthy).toBeLessThanOrEqual(7);
    // Staler still, only the least sensitive serve; without the spread, the same database takes the whole fleet
    // down together.
    const staler = { probeLatency: 0.01, freshestLag: 140 };
    expect(run(new InstancePool(12, params, new Prng(3)), 600, staler).minHealthy).toBeGreaterThanOrEqual(1);
    const uniform = new InstancePool(12, { ...params, sensitivitySpread: 0 }, new Prng(3));
    expect(run(uniform, 600, staler).minHealthy).toBe(0);
  });

  it('restartBoots boots every instance that is not serving again', () => {
    const pool = new InstancePool(2, params, new Prng(1));
    run(pool, 60, dead);
    run(pool, params.bootSeconds - 10, dead);
    pool.restartBoots();
    run(pool, params.bootSeconds - 10, fine);
    expect(pool.healthy).toBe(0);
    run(pool, 40, fine);
    expect(pool.healthy).toBe(2);
  });

  it('scale-down drains the surplus and removes it; scale-up boots new instances', () => {
    const pool = new InstancePool(12, params, new Prng(1));
    pool.setDesired(8);
    expect(pool.desired).toBe(8);
    run(pool, params.drainSeconds + 5, fine);
    expect(pool.healthy).toBe(8);
    pool.setDesired(10);
    expect(pool.booting).toBe(2);
    run(pool, params.bootSeconds + 30, fine);
    expect(pool.healthy).toBe(10);
  });
});

describe('read routing', () => {
  it('sends a fresh replica its full share, half at the fallback lag, little beyond', () => {
    expect(freshnessWeight(0, 120)).toBe(1);
    expect(freshnessWeight(120, 120)).toBeCloseTo(0.5);
    expect(freshnessWeight(240, 120)).toBeLessThan(0.1);
    expect(freshnessWeight(60, 120)).toBeGreaterThan(freshnessWeight(90, 120));
  });
});

describe('the model clock', () => {
  const events = [
    {
      type: 'surge' as const,
      start: TUESDAY + 10 * 3600,
      end: TUESDAY + 12 * 3600,
      routes: { download: 4 },
      rampMinutes: 20,
      fallMinutes: 1,
      sourcesMultiplier: 5,
      writeCostMultiplier: 3,
      readCostMultiplier: 2,
    },
  ];
  const model = () =>
    new ServiceModel(DEFAULT_SERVICE, events, {
      anchor: TUESDAY,
      seed: 9,
      start: TUESDAY + 9 * 3600 + 2,
      releaseDeployedAt: TUESDAY - 86_400,
    });

  it('keeps to its own grid whatever times it is asked for', () => {
    const m = model();
    expect(m.time % MODEL_STEP_SECONDS).toBe(0);
    m.advanceTo(TUESDAY + 9 * 3600 + 17);
    expect(m.time).toBe(TUESDAY + 9 * 3600 + 15);
  });

  it('reaches the same state whether sampled every 15 s, every 60 s or not at all', () => {
    const end = TUESDAY + 12 * 3600;
    const states = [15, 60, 3 * 3600].map((every) => {
      const m = model();
      for (let t = m.time; t <= end; t += every) {
        m.advanceTo(t);
      }
      m.advanceTo(end);
      return { backlog: m.backlog, writes: m.writesTotal, util: m.primaryUtilization, counts: [...m.routes[0].counts] };
    });
    expect(states[1]).toEqual(states[0]);
    expect(states[2]).toEqual(states[0]);
    expect(states[0].backlog).toBeGreaterThan(1000);
  });
});

describe('drops', () => {
  const served = (multiple: number | undefined) => {
    const events =
      multiple === undefined
        ? []
        : [
            {
              type: 'surge' as const,
              start: TUESDAY + 10 * 3600,
              end: Infinity,
              routes: { download: multiple },
              rampMinutes: 2,
              fallMinutes: 1,
              sourcesMultiplier: 1,
              writeCostMultiplier: 1,
              readCostMultiplier: 1,
            },
          ];
    const m = new ServiceModel(DEFAULT_SERVICE, events, {
      anchor: TUESDAY,
      seed: 9,
      start: TUESDAY + 9 * 3600,
      releaseDeployedAt: TUESDAY - 86_400,
    });
    const total = (i: number) => m.routes[i].counts.reduce((a, b) => a + b, 0);
    m.advanceTo(TUESDAY + 10 * 3600 + 20 * 60);
    const before = [total(0), total(1)];
    m.advanceTo(TUESDAY + 10 * 3600 + 50 * 60);
    return [total(0) - before[0], total(1) - before[1]];
  };

  it("a negative multiple takes that share of the route's own traffic away, and only that route's", () => {
    const [download, api] = served(undefined);
    const [halved, apiDuringDrop] = served(-0.5);
    expect(halved / download).toBeCloseTo(0.5, 1);
    expect(apiDuringDrop).toBe(api);
    const [gone] = served(-1);
    expect(gone).toBeLessThan(download * 0.001);
  });
});

describe('a scaled service', () => {
  // A surge that saturates the primary, with contention and queue scans so that every scaled size is in play.
  const service = mergeParams(DEFAULT_SERVICE, { database: { contention: 2, queueScanCost: 0.002 } });
  const surge = {
    type: 'surge' as const,
    start: TUESDAY + 10 * 3600,
    end: TUESDAY + 11 * 3600,
    routes: { download: 6, api: 3 },
    rampMinutes: 10,
    fallMinutes: 1,
    sourcesMultiplier: 5,
    writeCostMultiplier: 4,
    readCostMultiplier: 2,
  };
  const batch = { type: 'batch' as const, start: TUESDAY + 9.5 * 3600, end: TUESDAY + 10 * 3600, writeRate: 20 };
  const run = (k: number) => {
    const m = new ServiceModel(k === 1 ? service : scaledService(service, k), scaledEvents([surge, batch], k), {
      anchor: TUESDAY,
      seed: 9,
      start: TUESDAY + 9 * 3600,
      releaseDeployedAt: TUESDAY - 86_400,
    });
    const trace: Array<{ util: number; backlog: number; lag: number; healthy: number }> = [];
    for (let t = TUESDAY + 9 * 3600; t <= TUESDAY + 13 * 3600; t += 60) {
      m.advanceTo(t);
      trace.push({
        util: m.primaryUtilization,
        backlog: m.backlog,
        lag: m.replicas[0].lagSeconds,
        healthy: m.pool.healthy,
      });
    }
    return { trace, milestones: m.milestones };
  };

  it('keeps the cascade (utilisation, lag, health, milestones) and scales the backlog with the traffic', () => {
    const base = run(1);
    expect(base.milestones.primarySaturated).toBeDefined();
    for (const k of [0.4, 2.5]) {
      const scaled = run(k);
      expect(scaled.milestones).toEqual(base.milestones);
      scaled.trace.forEach((s, i) => {
        const b = base.trace[i];
        expect(s.util).toBeCloseTo(b.util, 6);
        expect(s.lag).toBeCloseTo(b.lag, 3);
        expect(s.healthy).toBe(b.healthy);
        expect(Math.abs(s.backlog - k * b.backlog)).toBeLessThanOrEqual(k + 1);
      });
    }
  });

  it('refuses a scale that is not a positive number', () => {
    for (const k of [0, -1, NaN, Infinity]) {
      expect(() => scaledService(service, k)).toThrow(/scale: expected a positive number/);
    }
  });
});

describe('parameters', () => {
  it('merge deeply without touching the defaults', () => {
    const merged = mergeParams(DEFAULT_SERVICE, { database: { primaryCapacity: 1 }, latency: { buckets: [1, 2] } });
    expect(merged.database.primaryCapacity).toBe(1);
    expect(merged.database.replicas).toBe(DEFAULT_SERVICE.database.replicas);
    expect(merged.latency.buckets).toEqual([1, 2]);
    expect(DEFAULT_SERVICE.database.primaryCapacity).not.toBe(1);
  });
});

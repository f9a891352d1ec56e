import { InstancePool } from './instances';
import { DEFAULT_SERVICE, mergeParams } from './params';
import {
  attemptsPerRequest,
  cappedMean,
  fluidQueueStep,
  queueingBacklog,
  queueingLatency,
  tailShare,
} from './queueing';
import { hashNoise, Prng, valueNoise } from './random';
import { dailyShape, dayOfWeek, growthFactor, seasonalFactor, weeklyShape } from './seasonality';

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
  it('the queueing backlog grows slowly, then steeply near saturation', () => {
    expect(queueingBacklog(0, 100)).toBe(0);
    expect(queueingBacklog(0.5, 100)).toBeCloseTo(100);
    expect(queueingBacklog(0.9, 100)).toBeCloseTo(900);
    expect(queueingBacklog(5, 100)).toBe(queueingBacklog(0.98, 100));
    expect(queueingLatency(0.5, 0.01)).toBeCloseTo(0.02);
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

describe('instances', () => {
  const params = {
    ...DEFAULT_SERVICE.instances,
    bootSeconds: 120,
    healthCheckIntervalSeconds: 10,
    unhealthyThreshold: 3,
  };

  it('healthy instances stay healthy while checks pass', () => {
    const pool = new InstancePool(6, params, new Prng(1));
    for (let i = 0; i < 100; i++) {
      expect(pool.step(15, { probeFailure: 0, bootstrapFromZero: false }).cycled).toBe(0);
    }
    expect(pool.healthy).toBe(6);
  });

  it('failing checks cycle instances; they come back after booting once the database answers', () => {
    const pool = new InstancePool(6, params, new Prng(1));
    pool.step(30, { probeFailure: 1, bootstrapFromZero: true });
    expect(pool.healthy).toBe(0);
    expect(pool.booting).toBe(6);
    // Still failing: boots fail and start again.
    const failing = pool.step(150, { probeFailure: 1, bootstrapFromZero: true });
    expect(failing.failedBoots).toBe(6);
    expect(pool.healthy).toBe(0);
    pool.step(150, { probeFailure: 0, bootstrapFromZero: true });
    expect(pool.healthy).toBe(6);
  });

  it('cannot bootstrap from zero while the switch is off, even with a healthy database', () => {
    const pool = new InstancePool(4, params, new Prng(1));
    pool.step(30, { probeFailure: 1, bootstrapFromZero: false });
    for (let i = 0; i < 10; i++) {
      pool.step(60, { probeFailure: 0, bootstrapFromZero: false });
    }
    expect(pool.healthy).toBe(0);
    pool.step(150, { probeFailure: 0, bootstrapFromZero: true });
    expect(pool.healthy).toBe(4);
  });

  it('scale-down drains the surplus and removes it; scale-up boots new instances', () => {
    const pool = new InstancePool(12, params, new Prng(1));
    pool.setDesired(8);
    expect(pool.desired).toBe(8);
    pool.step(params.drainSeconds + 1, { probeFailure: 0, bootstrapFromZero: true });
    expect(pool.healthy).toBe(8);
    pool.setDesired(10);
    expect(pool.booting).toBe(2);
    pool.step(params.bootSeconds + 1, { probeFailure: 0, bootstrapFromZero: true });
    expect(pool.healthy).toBe(10);
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

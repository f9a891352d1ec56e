import { MINUTE, noise, timesBetween } from '../__fixtures__/frames';
import { computeBand, findAnomalies } from './baseline';
import { readSeries } from './series';

const PARAMS = { windowMs: 60 * MINUTE, width: 3, minRatio: 0.1 };
const FLOOR = { floor: 1, minDurationMs: 2 * MINUTE };

function series(values: number[], stepMs = 15_000) {
  const time = timesBetween(0, (values.length - 1) * stepMs, stepMs);
  return readSeries(time, values).series;
}

describe('computeBand', () => {
  it('centres on the level of steady noisy traffic and contains it', () => {
    const s = series(Array.from({ length: 960 }, (_, i) => 1000 + noise(i, 40)));
    const band = computeBand(s, PARAMS);
    const last = s.values.length - 1;
    expect(band.center[last]).toBeGreaterThan(980);
    expect(band.center[last]).toBeLessThan(1020);
    expect(band.upper[last]).toBeGreaterThan(1040);
    // never narrower than minRatio of the center
    expect(band.upper[last] - band.center[last]).toBeGreaterThanOrEqual(0.1 * band.center[last] - 1e-9);
    expect(findAnomalies(s, band, FLOOR)).toEqual([]);
  });

  it('has no band before it has seen enough history', () => {
    const s = series(Array.from({ length: 960 }, () => 100));
    const band = computeBand(s, PARAMS);
    expect(band.center[0]).toBeNaN();
    expect(band.center[959]).toBe(100);
  });

  it('leaves a surge outside the band: the current bucket does not raise its own bar', () => {
    const values = Array.from({ length: 960 }, (_, i) => (i < 720 ? 1000 + noise(i, 30) : 1000 + (i - 720) * 20));
    const s = series(values);
    const band = computeBand(s, PARAMS);
    const anomalies = findAnomalies(s, band, FLOOR);
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0].direction).toBe('high');
    // the surge starts at point 720 (3 h); 10% above the baseline takes 5 points, then 2 min to count
    expect(anomalies[0].start).toBeGreaterThanOrEqual(720 * 15_000);
    expect(anomalies[0].start).toBeLessThanOrEqual(735 * 15_000);
    expect(anomalies[0].end).toBe(959 * 15_000);
    expect(anomalies[0].peakRatio).toBeGreaterThan(4);
  });

  it('accepts a lasting new level as normal after about three windows', () => {
    // 2 h at 1000, then 6 h at 2000 (one point a minute)
    const values = Array.from({ length: 480 }, (_, i) => (i < 120 ? 1000 : 2000) + noise(i, 20));
    const s = series(values, MINUTE);
    const anomalies = findAnomalies(s, computeBand(s, PARAMS), FLOOR);
    expect(anomalies).toHaveLength(1);
    const lastedMinutes = (anomalies[0].end - anomalies[0].start) / MINUTE;
    expect(lastedMinutes).toBeGreaterThan(150);
    expect(lastedMinutes).toBeLessThan(200);
  });

  it('tolerates an ordinary ramp (a morning rise) within the band', () => {
    const values = Array.from({ length: 1440 }, (_, i) => 500 + i * 0.5 + noise(i, 10));
    const s = series(values);
    expect(findAnomalies(s, computeBand(s, PARAMS), FLOOR)).toEqual([]);
  });

  it('flags a drop as low, unless the traffic is under the floor', () => {
    const drop = Array.from({ length: 960 }, (_, i) => (i < 800 ? 200 + noise(i, 5) : 20));
    const low = findAnomalies(series(drop), computeBand(series(drop), PARAMS), FLOOR);
    expect(low.map((a) => a.direction)).toEqual(['low']);
    const quiet = Array.from({ length: 960 }, (_, i) => (i < 800 ? 0.5 : 0.01));
    expect(findAnomalies(series(quiet), computeBand(series(quiet), PARAMS), FLOOR)).toEqual([]);
  });

  it('ignores blips shorter than the minimum duration and keeps one segment across a single in-band point', () => {
    const values = Array.from({ length: 960 }, (_, i) => 1000 + noise(i, 10));
    values[900] = 5000; // a 15 s blip
    for (let i = 920; i < 940; i++) {
      values[i] = i === 930 ? 1000 : 5000;
    }
    const s = series(values);
    const anomalies = findAnomalies(s, computeBand(s, PARAMS), FLOOR);
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0].start).toBe(920 * 15_000);
    expect(anomalies[0].end).toBe(939 * 15_000);
  });

  it('handles gaps, one point and empty input', () => {
    const values = Array.from({ length: 400 }, (_, i) => (i % 7 === 0 ? NaN : 100 + noise(i, 3)));
    const s = series(values);
    const band = computeBand(s, PARAMS);
    expect(band.center[399]).toBeCloseTo(100, -1);
    expect(computeBand(series([5]), PARAMS).center[0]).toBeNaN();
    expect(computeBand(series([]), PARAMS).center.length).toBe(0);
  });
});

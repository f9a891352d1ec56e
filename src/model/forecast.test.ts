import { MINUTE, noise, timesBetween } from '../__fixtures__/frames';
import { fitTrend, forecastThreshold } from './forecast';
import { readSeries } from './series';
import { linearFit } from './stats';

function series(fn: (minute: number, i: number) => number, minutes = 30, stepMs = 15_000) {
  const time = timesBetween(0, minutes * MINUTE, stepMs);
  return readSeries(
    time,
    time.map((t, i) => fn(t / MINUTE, i))
  ).series;
}

const FIT = { now: 30 * MINUTE, fitWindowMs: 15 * MINUTE, horizonMs: 60 * MINUTE };

describe('fitTrend', () => {
  it('finds a rising trend and its slope', () => {
    const trend = fitTrend(
      series((m, i) => 1000 + 100 * m + noise(i, 20)),
      FIT
    )!;
    expect(trend.direction).toBe('rising');
    expect(trend.slope * MINUTE).toBeCloseTo(100, -1);
    expect(trend.valueNow).toBeCloseTo(4000, -2);
  });

  it('calls noise around a level flat', () => {
    expect(
      fitTrend(
        series((_, i) => 1000 + noise(i, 50)),
        FIT
      )!.direction
    ).toBe('flat');
  });

  it('follows the latest straight stretch when the trend changed inside the window', () => {
    // Flat at 20,000, drained to 3,000 between minutes 20 and 27, flat since: no longer falling.
    const drained = series((m) => (m < 20 ? 20_000 : m < 27 ? 20_000 - (17_000 * (m - 20)) / 7 : 3000));
    expect(fitTrend(drained, FIT)!.direction).toBe('flat');
    // Flat, then climbing 56/min over the last five minutes: the line starts at the curve's end.
    const climbing = series((m) => (m < 25 ? 2 : 2 + 56 * (m - 25)));
    const trend = fitTrend(climbing, FIT)!;
    expect(trend.slope * MINUTE).toBeCloseTo(56, 5);
    expect(trend.valueNow).toBeCloseTo(282, 5);
  });

  it('keeps the whole window for a noisy line', () => {
    const noisy = series((m, i) => 500 + 20 * m + noise(i, 40));
    // The window's points: after minute 15, up to minute 30.
    const start = Array.from(noisy.time).findIndex((t) => t > 15 * MINUTE);
    const whole = linearFit(noisy.time, noisy.values, start, noisy.time.length)!;
    expect(fitTrend(noisy, FIT)!.slope).toBeCloseTo(whole.slope, 12);
  });

  it('needs enough of the window covered', () => {
    const s = series((m) => m, 30);
    expect(fitTrend(s, { now: 30 * MINUTE, fitWindowMs: 15 * MINUTE })!.direction).toBe('rising');
    expect(fitTrend(s, { now: -1, fitWindowMs: 15 * MINUTE })).toBeNull();
  });
});

describe('forecastThreshold', () => {
  it('gives the ETA to a threshold a rising signal will reach', () => {
    // 100/min from 4000 at minute 30: 10000 in 60 min is beyond the horizon, 6000 in 20 min is not
    const s = series((m) => 1000 + 100 * m);
    expect(forecastThreshold(s, { ...FIT, threshold: 11_000 })).toBeNull();
    const f = forecastThreshold(s, { ...FIT, threshold: 6000 })!;
    expect(f.kind).toBe('crossing');
    expect(f.etaMs / MINUTE).toBeCloseTo(20, 5);
    expect(f.line![1]).toEqual([FIT.now + f.etaMs, 6000]);
  });

  it('says when the threshold is already passed', () => {
    expect(
      forecastThreshold(
        series((m) => 1000 + 100 * m),
        { ...FIT, threshold: 3000, current: 4000 }
      )!.kind
    ).toBe('above');
  });

  it('gives the drain time of a falling backlog only when asked', () => {
    const s = series((m) => 6000 - 100 * m);
    expect(forecastThreshold(s, { ...FIT, threshold: 10_000 })).toBeNull();
    const f = forecastThreshold(s, { ...FIT, threshold: 10_000, drain: true })!;
    expect(f.kind).toBe('draining');
    expect(f.etaMs / MINUTE).toBeCloseTo(30, 5);
  });

  it('forecasts nothing for a flat signal or without a threshold', () => {
    expect(
      forecastThreshold(
        series(() => 500),
        { ...FIT, threshold: 1000 }
      )
    ).toBeNull();
    expect(
      forecastThreshold(
        series((m) => 100 * m),
        { ...FIT, threshold: 0 }
      )
    ).toBeNull();
  });
});

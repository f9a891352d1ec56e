import { indexAtOrBefore, NumericSeries } from './series';
import { linearFit } from './stats';

export type TrendDirection = 'rising' | 'falling' | 'flat';

export interface Trend {
  readonly direction: TrendDirection;
  /** Units per millisecond. */
  readonly slope: number;
  /** The fitted value at `now` (less noisy than the last point). */
  readonly valueNow: number;
  readonly now: number;
}

export interface TrendParams {
  now: number;
  fitWindowMs: number;
}

/**
 * The straight-line trend of the last fitWindow of a series. A trend counts as rising or falling only
 * when the change it predicts over the window stands out from the scatter around the line (twice the
 * residual standard deviation), so noise on a flat signal does not produce ETAs.
 */
export function fitTrend(series: NumericSeries, params: TrendParams): Trend | null {
  const end = indexAtOrBefore(series.time, params.now) + 1;
  if (end <= 0) {
    return null;
  }
  const start = indexAtOrBefore(series.time, params.now - params.fitWindowMs) + 1;
  const fit = linearFit(series.time, series.values, Math.max(0, start), end);
  if (!fit) {
    return null;
  }
  const covered = series.time[end - 1] - series.time[Math.max(0, start)];
  const valueNow = fit.intercept + fit.slope * (params.now - fit.xMean);
  const change = fit.slope * params.fitWindowMs;
  const significant = covered >= params.fitWindowMs / 3 && Math.abs(change) > 2 * fit.residualSd && change !== 0;
  const direction: TrendDirection = !significant ? 'flat' : fit.slope > 0 ? 'rising' : 'falling';
  return { direction, slope: fit.slope, valueNow, now: params.now };
}

export type ForecastKind =
  /** Rising and will cross the threshold within the horizon. */
  | 'crossing'
  /** Already at or past the threshold. */
  | 'above'
  /** Falling towards zero: the ETA is the drain time. */
  | 'draining';

export interface Forecast {
  readonly kind: ForecastKind;
  readonly threshold: number;
  /** Milliseconds from now until the threshold (or zero, for draining); 0 for 'above'. */
  readonly etaMs: number;
  /** The dashed line to draw: from now at the fitted value to the crossing point. */
  readonly line: readonly [[number, number], [number, number]] | null;
  readonly trend: Trend | null;
}

export interface ForecastParams extends TrendParams {
  threshold: number;
  horizonMs: number;
  /** Also forecast the time to zero when falling (the drain time of a backlog). */
  drain?: boolean;
  /** The current value, when known better than the fit (e.g. the last point). */
  current?: number;
}

/**
 * When will a signal reach its threshold, at its current trend? Nothing when it is flat, falling without
 * drain, or further away than the horizon: an ETA of three days is not a warning.
 */
export function forecastThreshold(series: NumericSeries, params: ForecastParams): Forecast | null {
  const trend = fitTrend(series, params);
  const current = params.current ?? trend?.valueNow;
  if (current === undefined || Number.isNaN(current)) {
    return null;
  }
  if (params.threshold > 0 && current >= params.threshold) {
    return { kind: 'above', threshold: params.threshold, etaMs: 0, line: null, trend };
  }
  if (!trend) {
    return null;
  }
  const from: [number, number] = [params.now, trend.valueNow];
  if (trend.direction === 'rising' && params.threshold > 0) {
    const etaMs = (params.threshold - trend.valueNow) / trend.slope;
    if (etaMs > 0 && etaMs <= params.horizonMs) {
      return {
        kind: 'crossing',
        threshold: params.threshold,
        etaMs,
        line: [from, [params.now + etaMs, params.threshold]],
        trend,
      };
    }
    return null;
  }
  if (trend.direction === 'falling' && params.drain && trend.valueNow > 0) {
    // A drain time is worth showing however long it is: it says when the trouble ends.
    const etaMs = trend.valueNow / -trend.slope;
    return { kind: 'draining', threshold: 0, etaMs, line: [from, [params.now + etaMs, 0]], trend };
  }
  return null;
}

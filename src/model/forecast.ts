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

/** The fewest points a line through the latest stretch needs. */
const STRETCH_MIN_POINTS = 5;

/** The scatter of a series' points around any smooth curve: second differences cancel trends, lines and kinks aside. */
function noiseSd(values: ArrayLike<number>, start: number, end: number): number {
  const d: number[] = [];
  for (let i = start + 1; i < end - 1; i++) {
    const v = values[i - 1] - 2 * values[i] + values[i + 1];
    if (!Number.isNaN(v)) {
      d.push(Math.abs(v));
    }
  }
  if (d.length === 0) {
    return 0;
  }
  d.sort((a, b) => a - b);
  // For independent noise of sd s a second difference has sd s x sqrt(6); 1.4826 x MAD estimates an sd.
  return (1.4826 * d[d.length >> 1]) / Math.sqrt(6);
}

/**
 * Where the latest straight stretch of [start, end) begins: the earliest point from which one line describes
 * the data within twice its noise. A lag that started climbing five minutes ago, or a backlog that stopped
 * draining, is one line since the change, and the whole window's line would contradict the curve the lane
 * draws. A window that is one line with noise is kept whole. Prefix sums make each candidate O(1).
 */
function latestStretch(time: ArrayLike<number>, values: ArrayLike<number>, start: number, end: number): number {
  const n = end - start;
  if (n <= STRETCH_MIN_POINTS) {
    return start;
  }
  const x0 = time[start];
  const c = new Float64Array(n + 1);
  const sx = new Float64Array(n + 1);
  const sy = new Float64Array(n + 1);
  const sxx = new Float64Array(n + 1);
  const sxy = new Float64Array(n + 1);
  const syy = new Float64Array(n + 1);
  let scale = 0;
  for (let k = 0; k < n; k++) {
    const y = values[start + k];
    const ok = !Number.isNaN(y);
    // Minutes from the first point keep the squares well conditioned.
    const x = (time[start + k] - x0) / 60_000;
    c[k + 1] = c[k] + (ok ? 1 : 0);
    sx[k + 1] = sx[k] + (ok ? x : 0);
    sy[k + 1] = sy[k] + (ok ? y : 0);
    sxx[k + 1] = sxx[k] + (ok ? x * x : 0);
    sxy[k + 1] = sxy[k] + (ok ? x * y : 0);
    syy[k + 1] = syy[k] + (ok ? y * y : 0);
    scale = ok ? Math.max(scale, Math.abs(y)) : scale;
  }
  /** Residual sd of the line through the suffix starting at k. */
  const suffixSd = (k: number) => {
    const m = c[n] - c[k];
    const mx = sx[n] - sx[k];
    const my = sy[n] - sy[k];
    const vx = sxx[n] - sxx[k] - (mx * mx) / m;
    const vxy = sxy[n] - sxy[k] - (mx * my) / m;
    const vy = syy[n] - syy[k] - (my * my) / m;
    const sse = Math.max(0, vx > 0 ? vy - (vxy * vxy) / vx : vy);
    return Math.sqrt(sse / Math.max(1, m - 2));
  };
  // The epsilon keeps rounding on a perfect line from splitting it.
  const tolerance = 2 * noiseSd(values, start, end) + 1e-9 * scale;
  for (let k = 0; k <= n - STRETCH_MIN_POINTS; k++) {
    if (c[n] - c[k] >= STRETCH_MIN_POINTS && suffixSd(k) <= tolerance) {
      return start + k;
    }
  }
  // Curved all the way (a lag accelerating): the most recent points give the tangent.
  return start + n - STRETCH_MIN_POINTS;
}

/**
 * The straight-line trend of the last fitWindow of a series, or of its latest straight stretch when the trend
 * changed inside the window, so the line and its ETA agree with the curve as drawn. A trend counts as rising or
 * falling only when the change it makes over its stretch stands out from the scatter around the line (twice the
 * residual standard deviation), so noise on a flat signal does not produce ETAs.
 */
export function fitTrend(series: NumericSeries, params: TrendParams): Trend | null {
  const end = indexAtOrBefore(series.time, params.now) + 1;
  if (end <= 0) {
    return null;
  }
  const windowStart = Math.max(0, indexAtOrBefore(series.time, params.now - params.fitWindowMs) + 1);
  const start = latestStretch(series.time, series.values, windowStart, end);
  const fit = linearFit(series.time, series.values, start, end);
  if (!fit) {
    return null;
  }
  const covered = series.time[end - 1] - series.time[windowStart];
  const valueNow = fit.intercept + fit.slope * (params.now - fit.xMean);
  // The change the line makes over the stretch it was fitted to (the whole window when nothing changed).
  const change = fit.slope * Math.max(series.time[end - 1] - series.time[start], (end - start) * 1e-9);
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

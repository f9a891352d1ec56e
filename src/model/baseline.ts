import { lowerBound, Numbers, NumericSeries, typicalStep } from './series';
import { MAD_TO_SIGMA, madInPlace, medianInPlace } from './stats';

/** Expected value and bounds for every point of a traffic series. NaN where there is not enough history. */
export interface Band {
  readonly center: Numbers;
  readonly upper: Numbers;
  readonly lower: Numbers;
  /** Where it came from: the query's own series (e.g. the pack's seasonal baseline) or the panel's estimate. */
  readonly source: 'query' | 'computed';
}

export interface BandParams {
  /** Trailing window the estimate looks back over. */
  windowMs: number;
  /** Half-width in robust standard deviations. */
  width: number;
  /** Minimum half-width as a fraction of the center. */
  minRatio: number;
}

/**
 * The estimate works on buckets, not points: at most this many across the data and at most
 * BUCKETS_PER_WINDOW inside one window, which keeps it linear in the points and cheap on a million.
 */
const MAX_BUCKETS = 720;
const BUCKETS_PER_WINDOW = 60;
const LOOKBACK_WINDOWS = 3;
const SAMPLES_PER_BUCKET = 64;

/**
 * A rolling robust baseline for data that comes without one: for each bucket of time, the median of the
 * bucket medians over the trailing window, and a half-width from two robust spreads: how points scatter
 * inside buckets (noise) and how the bucket medians wander across the window (ordinary drift such as a
 * morning ramp). The band is never narrower than minRatio of the center.
 *
 * A surge must not raise its own bar: the current bucket is left out, and so are earlier buckets that were
 * themselves outside the band; the estimate then looks back up to LOOKBACK_WINDOWS windows for ordinary
 * ones. A level that lasts longer than that is accepted as the new normal (a shift, not an anomaly).
 */
export function computeBand(series: NumericSeries, params: BandParams): Band {
  const { time, values } = series;
  const n = time.length;
  const center = new Float64Array(n).fill(NaN);
  const upper = new Float64Array(n).fill(NaN);
  const lower = new Float64Array(n).fill(NaN);
  const band: Band = { center, upper, lower, source: 'computed' };
  if (n < 3 || !(params.windowMs > 0)) {
    return band;
  }
  const t0 = time[0];
  const span = time[n - 1] - t0;
  const step = typicalStep(time);
  const bucketMs = Math.max(step, span / MAX_BUCKETS, params.windowMs / BUCKETS_PER_WINDOW, 1);
  const bucketCount = Math.floor(span / bucketMs) + 1;

  // Per bucket: median of its points and their median absolute deviation.
  const bucketMedian = new Float64Array(bucketCount).fill(NaN);
  const bucketMad = new Float64Array(bucketCount).fill(NaN);
  const bucketStart = new Uint32Array(bucketCount + 1);
  const scratch = new Float64Array(n);
  const scratch2 = new Float64Array(n);
  let i = 0;
  for (let b = 0; b < bucketCount; b++) {
    bucketStart[b] = i;
    const end = t0 + (b + 1) * bucketMs;
    const base = i;
    // The bucket runs to the first point at or after its end (points are sorted).
    i = Math.max(i, lowerBound(time, end));
    // A bucket's median and spread are estimated from at most SAMPLES_PER_BUCKET evenly spaced points:
    // as good for a band, and it keeps a million points cheap.
    const stride = Math.max(1, Math.ceil((i - base) / SAMPLES_PER_BUCKET));
    let k = 0;
    for (let p = base; p < i; p += stride) {
      if (!Number.isNaN(values[p])) {
        scratch[base + k++] = values[p];
      }
    }
    if (k > 0) {
      const m = medianInPlace(scratch, base, base + k);
      bucketMedian[b] = m;
      bucketMad[b] = madInPlace(scratch, base, base + k, m, scratch2);
    }
  }
  bucketStart[bucketCount] = n;

  const windowBuckets = Math.max(1, Math.round(params.windowMs / bucketMs));
  const minBuckets = Math.max(3, Math.ceil(windowBuckets / 4));
  const medians = new Float64Array(windowBuckets);
  const mads = new Float64Array(windowBuckets);
  const deviations = new Float64Array(windowBuckets);
  const outside = new Uint8Array(bucketCount);
  // The most recent windowBuckets buckets before b; skipping those outside the band, looking back further.
  const gather = (b: number, skipOutside: boolean) => {
    let k = 0;
    const stop = Math.max(0, b - (skipOutside ? LOOKBACK_WINDOWS : 1) * windowBuckets);
    for (let w = b - 1; w >= stop && k < windowBuckets; w--) {
      if (!Number.isNaN(bucketMedian[w]) && !(skipOutside && outside[w])) {
        medians[k] = bucketMedian[w];
        mads[k] = bucketMad[w];
        k++;
      }
    }
    return k;
  };
  for (let b = 1; b < bucketCount; b++) {
    let k = gather(b, true);
    if (k < minBuckets) {
      k = gather(b, false);
    }
    if (k < minBuckets) {
      continue;
    }
    const c = medianInPlace(medians, 0, k);
    const levelSigma = madInPlace(medians, 0, k, c, deviations) * MAD_TO_SIGMA;
    const noiseSigma = medianInPlace(mads, 0, k) * MAD_TO_SIGMA;
    const half = Math.max(params.width * Math.hypot(levelSigma, noiseSigma), params.minRatio * Math.abs(c));
    const m = bucketMedian[b];
    outside[b] = m > c + half || m < c - half ? 1 : 0;
    for (let p = bucketStart[b]; p < bucketStart[b + 1]; p++) {
      center[p] = c;
      upper[p] = c + half;
      lower[p] = Math.max(0, c - half);
    }
  }
  return band;
}

export type AnomalyDirection = 'high' | 'low';

export interface AnomalySegment {
  readonly start: number;
  readonly end: number;
  readonly direction: AnomalyDirection;
  /** Largest value / center seen in the segment (for 'low': smallest). */
  readonly peakRatio: number;
}

export interface AnomalyParams {
  /** Points where both the value and the center are below this are never anomalous. */
  floor: number;
  /** Segments shorter than this are noise. */
  minDurationMs: number;
}

/**
 * Stretches where the series is outside its band, as time segments. One pass; a segment is a run of
 * points on the same side of the band, and runs interrupted by a single in-band point are joined so that
 * one noisy point does not split a surge in two.
 */
export function findAnomalies(series: NumericSeries, band: Band, params: AnomalyParams): AnomalySegment[] {
  const { time, values } = series;
  const step = typicalStep(time);
  const segments: AnomalySegment[] = [];
  let current: {
    start: number;
    end: number;
    direction: AnomalyDirection;
    peakRatio: number;
    lastIndex: number;
  } | null = null;

  const close = () => {
    if (current) {
      const duration = current.end - current.start + (Number.isFinite(step) ? step : 0);
      if (duration >= params.minDurationMs) {
        segments.push({
          start: current.start,
          end: current.end,
          direction: current.direction,
          peakRatio: current.peakRatio,
        });
      }
      current = null;
    }
  };

  for (let i = 0; i < time.length; i++) {
    const v = values[i];
    const c = band.center[i];
    if (Number.isNaN(v) || Number.isNaN(band.upper[i])) {
      continue;
    }
    let direction: AnomalyDirection | null = null;
    if (v > band.upper[i] && !(v < params.floor && c < params.floor)) {
      direction = 'high';
    } else if (v < band.lower[i] && c >= params.floor) {
      direction = 'low';
    }
    if (direction === null) {
      // Tolerate one in-band point inside a run.
      if (current && i - current.lastIndex > 2) {
        close();
      }
      continue;
    }
    const ratio = c > 0 ? v / c : Infinity;
    if (current && (current.direction !== direction || i - current.lastIndex > 2)) {
      close();
    }
    if (!current) {
      current = { start: time[i], end: time[i], direction, peakRatio: ratio, lastIndex: i };
    } else {
      current.end = time[i];
      current.lastIndex = i;
      current.peakRatio =
        direction === 'high' ? Math.max(current.peakRatio, ratio) : Math.min(current.peakRatio, ratio);
    }
  }
  close();
  return segments;
}

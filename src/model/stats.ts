/** Small robust statistics on typed arrays, written for the hot path: no allocation per call. */

/** The k-th smallest of values[from, to) (reorders that range in place). Hoare's quickselect. */
export function selectKth(values: Float64Array, from: number, to: number, k: number): number {
  let lo = from;
  let hi = to - 1;
  const target = from + k;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) {
        i++;
      }
      while (values[j] > pivot) {
        j--;
      }
      if (i <= j) {
        const tmp = values[i];
        values[i] = values[j];
        values[j] = tmp;
        i++;
        j--;
      }
    }
    if (target <= j) {
      hi = j;
    } else if (target >= i) {
      lo = i;
    } else {
      break;
    }
  }
  return values[target];
}

/** Median of values[from, to), reordering that range. NaN for an empty range. */
export function medianInPlace(values: Float64Array, from: number, to: number): number {
  const n = to - from;
  if (n <= 0) {
    return NaN;
  }
  const upper = selectKth(values, from, to, n >> 1);
  if (n % 2 === 1) {
    return upper;
  }
  // The lower middle is the largest value left of the upper middle after selection.
  let lower = -Infinity;
  for (let i = from; i < from + (n >> 1); i++) {
    if (values[i] > lower) {
      lower = values[i];
    }
  }
  return (lower + upper) / 2;
}

/** Median absolute deviation from `center` of values[from, to), using scratch[from, to). */
export function madInPlace(
  values: Float64Array,
  from: number,
  to: number,
  center: number,
  scratch: Float64Array
): number {
  for (let i = from; i < to; i++) {
    scratch[i] = Math.abs(values[i] - center);
  }
  return medianInPlace(scratch, from, to);
}

/** Scale from a median absolute deviation to a normal distribution's standard deviation. */
export const MAD_TO_SIGMA = 1.4826;

/**
 * Least-squares line through (x, y) pairs. Skips NaN. x is taken relative to the first point: epoch
 * milliseconds summed over many points exceed 2^53 and would lose the precision the slope needs.
 */
export function linearFit(
  time: ArrayLike<number>,
  values: ArrayLike<number>,
  from: number,
  to: number
): { slope: number; intercept: number; xMean: number; residualSd: number; points: number } | null {
  if (to - from < 3) {
    return null;
  }
  const x0 = time[from];
  let n = 0;
  let sx = 0;
  let sy = 0;
  for (let i = from; i < to; i++) {
    if (!Number.isNaN(values[i])) {
      n++;
      sx += time[i] - x0;
      sy += values[i];
    }
  }
  if (n < 3) {
    return null;
  }
  const dxMean = sx / n;
  const yMean = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = from; i < to; i++) {
    if (!Number.isNaN(values[i])) {
      const dx = time[i] - x0 - dxMean;
      sxx += dx * dx;
      sxy += dx * (values[i] - yMean);
    }
  }
  if (sxx === 0) {
    return null;
  }
  const slope = sxy / sxx;
  let sse = 0;
  for (let i = from; i < to; i++) {
    if (!Number.isNaN(values[i])) {
      const r = values[i] - (yMean + slope * (time[i] - x0 - dxMean));
      sse += r * r;
    }
  }
  return { slope, intercept: yMean, xMean: x0 + dxMean, residualSd: Math.sqrt(sse / Math.max(1, n - 2)), points: n };
}

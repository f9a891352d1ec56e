/** Summary statistics for benchmark samples: medians and spreads, never a single run. */

export interface Summary {
  readonly n: number;
  readonly median: number;
  /** First and third quartiles: the middle half of the runs lies between them. */
  readonly q1: number;
  readonly q3: number;
  readonly min: number;
  readonly max: number;
}

/** The q-quantile (0..1) of `values` with linear interpolation between the closest ranks. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) {
    throw new Error('quantile of no values');
  }
  if (!(q >= 0 && q <= 1)) {
    throw new Error(`quantile needs 0 <= q <= 1, got ${q}`);
  }
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
}

export function summarize(values: readonly number[]): Summary {
  if (values.some((v) => !Number.isFinite(v))) {
    throw new Error(`summarize needs finite numbers, got ${values.join(', ')}`);
  }
  return {
    n: values.length,
    median: quantile(values, 0.5),
    q1: quantile(values, 0.25),
    q3: quantile(values, 0.75),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/**
 * The candidate against the reference, both measured in the same run: the ratio of medians, and
 * the spread of the ratios of runs taken side by side (run i of one against run i of the other).
 */
export function compare(candidate: readonly number[], reference: readonly number[]) {
  if (candidate.length !== reference.length) {
    throw new Error(`compare needs paired runs, got ${candidate.length} and ${reference.length}`);
  }
  return {
    ratioOfMedians: quantile(candidate, 0.5) / quantile(reference, 0.5),
    pairedRatios: summarize(candidate.map((c, i) => c / reference[i])),
  };
}

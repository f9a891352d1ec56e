/**
 * Prometheus 2.42's `rate` / `increase` (extrapolatedRate, for counters) over the samples of one series in the
 * range [end - range, end], both ends included; times in milliseconds, as Prometheus keeps them. The increase
 * counts resets; it is extrapolated towards the range's edges (all the way when the first or last sample is within
 * 1.1 average intervals of an edge, half an interval otherwise, never below zero at the start); and, as in Go, the
 * result is multiplied by one factor (extrapolated / sampled, divided by the range for a rate), which keeps it
 * bit-identical to what Prometheus computes. Undefined with fewer than two samples.
 *
 * The demo's history backfill and the replays' seasonal run compute recorded rates with it.
 */
export function extrapolatedRate(
  timesMs: ArrayLike<number>,
  values: ArrayLike<number>,
  endMs: number,
  rangeMs: number,
  isRate: boolean
): number | undefined {
  const n = values.length;
  if (n < 2) {
    return undefined;
  }
  let result = values[n - 1] - values[0];
  let last = 0;
  for (let i = 0; i < n; i++) {
    // A counter reset: count what the counter had reached before it.
    if (values[i] < last) {
      result += last;
    }
    last = values[i];
  }
  let durationToStart = (timesMs[0] - (endMs - rangeMs)) / 1000;
  const durationToEnd = (endMs - timesMs[n - 1]) / 1000;
  const sampledInterval = (timesMs[n - 1] - timesMs[0]) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (n - 1);
  if (result > 0 && values[0] >= 0) {
    // The counter started at most this long before the first sample.
    const durationToZero = sampledInterval * (values[0] / result);
    if (durationToZero < durationToStart) {
      durationToStart = durationToZero;
    }
  }
  const threshold = averageDurationBetweenSamples * 1.1;
  let extrapolateTo = sampledInterval;
  extrapolateTo += durationToStart < threshold ? durationToStart : averageDurationBetweenSamples / 2;
  extrapolateTo += durationToEnd < threshold ? durationToEnd : averageDurationBetweenSamples / 2;
  let factor = extrapolateTo / sampledInterval;
  if (isRate) {
    factor /= rangeMs / 1000;
  }
  return result * factor;
}

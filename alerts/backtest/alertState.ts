/**
 * An alerting rule's states over a series of evaluations, as Prometheus 2.42's rule manager computes them
 * (rules/alerting.go, AlertingRule.Eval), given at which evaluation times the rule's expression returned the
 * alert's label set:
 *
 * - returned and not active → pending, active since that evaluation;
 * - pending and returned at an evaluation at least `for` after it became active → firing from that evaluation
 *   (with `for: 0`, firing at the first evaluation that returns it);
 * - not returned while pending → gone (inactive; a later return starts a new pending);
 * - not returned while firing → with `keep_firing_for`, still firing while less than `keep_firing_for` has
 *   passed since the first evaluation that did not return it (a return in between resets that); else resolved
 *   at that evaluation;
 * - returned while firing → still firing.
 *
 * The resolved alert Prometheus keeps for 15 minutes to tell Alertmanager does not change what fires.
 */

export interface FiringSpan {
  /** Unix seconds of the evaluation that first reported it firing. */
  start: number;
  /** Unix seconds of the first evaluation that reported it resolved; null: still firing at the last one. */
  end: number | null;
}

/**
 * Firing spans of one alert instance. `evaluations` are the rule's evaluation times in order; `returned` says at
 * which of them the expression returned the instance.
 */
export function firingSpans(
  evaluations: ArrayLike<number>,
  returned: (index: number) => boolean,
  forSeconds: number,
  keepFiringForSeconds: number
): FiringSpan[] {
  const spans: FiringSpan[] = [];
  let state: 'inactive' | 'pending' | 'firing' = 'inactive';
  let activeAt = 0;
  let keepFiringSince: number | null = null;
  for (let i = 0; i < evaluations.length; i++) {
    const ts = evaluations[i];
    if (returned(i)) {
      if (state === 'inactive') {
        state = 'pending';
        activeAt = ts;
      }
      keepFiringSince = null;
      if (state === 'pending' && ts - activeAt >= forSeconds) {
        state = 'firing';
        spans.push({ start: ts, end: null });
      }
      continue;
    }
    if (state === 'firing' && keepFiringForSeconds > 0) {
      keepFiringSince ??= ts;
      if (ts - keepFiringSince < keepFiringForSeconds) {
        continue;
      }
    }
    if (state === 'firing') {
      spans[spans.length - 1].end = ts;
    }
    state = 'inactive';
    keepFiringSince = null;
  }
  return spans;
}

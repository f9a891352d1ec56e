/** A Prometheus label matcher as a predicate on a label's value (a missing label reads as the empty string). */
export type MatchOp = '=' | '!=' | '=~' | '!~';

export function labelMatcher(op: MatchOp, value: string): (actual: string) => boolean {
  if (op === '=') {
    return (v) => v === value;
  }
  if (op === '!=') {
    return (v) => v !== value;
  }
  // Anchored, as Prometheus anchors its regex matchers.
  const re = new RegExp(`^(?:${value})$`);
  return op === '=~' ? (v) => re.test(v) : (v) => !re.test(v);
}

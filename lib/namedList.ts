/** Names in a sentence: "a", "a and b", "a, b and c", or the first `shown` and "N more" after them. */
export function namedList(names: readonly string[], shown = 3): string {
  const named = names.length > shown ? [...names.slice(0, shown), `${names.length - shown} more`] : [...names];
  return named.length > 1 ? `${named.slice(0, -1).join(', ')} and ${named[named.length - 1]}` : (named[0] ?? '');
}

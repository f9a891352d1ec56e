/**
 * The metric names a PromQL expression reads: enough of a PromQL scanner to tell metric names from
 * functions, keywords, label names, durations and strings. Used to check that dashboards only read the
 * signal contract's series and the rule pack's recorded ones, and to find the series a backtest must fetch.
 */

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'and',
  'or',
  'unless',
  'atan2',
  'start',
  'end',
  'inf',
  'nan',
]);

const NUMBER = /[0-9.]+(?:[eE][+-]?[0-9]+)?[0-9a-zA-Z]*/y;

/** Removes what cannot hold a metric name: strings, label matchers, ranges, grouping label lists. */
function strip(expr: string): string {
  return expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
}

export function metricNames(expr: string): string[] {
  const text = strip(expr);
  const names = new Set<string>();
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/[0-9.]/.test(ch)) {
      // a number or a duration: 0.5, 1e-3, 5m, 1h30m
      NUMBER.lastIndex = i;
      i += Math.max(1, NUMBER.exec(text)?.[0].length ?? 1);
      continue;
    }
    if (/[a-zA-Z_:]/.test(ch)) {
      let j = i;
      while (j < text.length && /[a-zA-Z0-9_:]/.test(text[j])) {
        j++;
      }
      const word = text.slice(i, j);
      let k = j;
      while (k < text.length && /\s/.test(text[k])) {
        k++;
      }
      const isCall = text[k] === '(';
      if (!isCall && !KEYWORDS.has(word.toLowerCase())) {
        names.add(word);
      }
      i = j;
      continue;
    }
    i++;
  }
  return [...names];
}

/** The metric a `label_values(metric, label)` variable query reads. */
export function labelValuesMetric(query: string): string | null {
  const m = /^label_values\(\s*([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(query.trim());
  return m ? m[1] : null;
}

/**
 * The time-compressed variant of the pack (config `timeScale` above 1): the rules as written, with every
 * PromQL range, subquery step, offset, `for`, `keep_firing_for` and group interval shorter than a day divided
 * by the scale. An end-to-end test can then watch a scenario the simulator plays 20 times faster unfold in
 * minutes through the same rules. Durations of a day or more (seasonal weeks, the slow SLO windows) stay real:
 * they compare with backfilled history, which is not compressed.
 *
 * Numbers the rules compare with ages and forecast horizons are scaled where they are written (`wallSeconds`);
 * quantities the simulator reports in its own seconds (drain time, replica lag) are not time windows and stay.
 */
import { seconds } from '../promql';
import type { AlertRule, Rule, RuleGroup } from './model';

const DAY = 86_400;
const DURATION = String.raw`(?:\d+(?:ms|s|m|h|d|w|y))+`;
/** `[5m]`, `[1h:1m]`, `[30m:]`, and `offset 5m`. */
const RANGE = new RegExp(String.raw`\[(${DURATION})(?::(${DURATION})?)?\]|\boffset (${DURATION})`, 'g');

/** A duration divided by `scale`, in whole milliseconds when seconds do not divide evenly (1500ms). */
export function compressDuration(duration: string, scale: number): string {
  const total = seconds(duration);
  if (total >= DAY) {
    return duration;
  }
  const ms = Math.max(1, Math.round((total * 1000) / scale));
  return ms % 1000 === 0 ? formatSeconds(ms / 1000) : `${ms}ms`;
}

function formatSeconds(s: number): string {
  const parts: string[] = [];
  for (const [unit, size] of [
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  return parts.join('') || '0s';
}

/** Every range, subquery and offset duration in a PromQL expression, compressed. */
export function compressExpr(expr: string, scale: number): string {
  return expr.replace(RANGE, (match, range?: string, step?: string, offset?: string) => {
    if (offset !== undefined) {
      return `offset ${compressDuration(offset, scale)}`;
    }
    const inner = compressDuration(range!, scale);
    if (!match.includes(':')) {
      return `[${inner}]`;
    }
    return `[${inner}:${step === undefined ? '' : compressDuration(step, scale)}]`;
  });
}

function compressRule(rule: Rule, scale: number): Rule {
  if (rule.kind === 'record') {
    return { ...rule, expr: compressExpr(rule.expr, scale) };
  }
  const context: AlertRule['context'] =
    rule.context &&
    Object.fromEntries(
      Object.entries(rule.context).map(([name, query]) => [name, (m: string) => compressExpr(query(m), scale)])
    );
  return {
    ...rule,
    expr: compressExpr(rule.expr, scale),
    for: compressDuration(rule.for, scale),
    ...(rule.keepFiringFor ? { keepFiringFor: compressDuration(rule.keepFiringFor, scale) } : {}),
    ...(context ? { context } : {}),
  };
}

export function compressPack(groups: RuleGroup[], scale: number): RuleGroup[] {
  if (scale === 1) {
    return groups;
  }
  return groups.map((g) => ({
    ...g,
    interval: compressDuration(g.interval, scale),
    rules: g.rules.map((r) => compressRule(r, scale)),
  }));
}

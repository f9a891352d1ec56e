/**
 * Small, pure helpers that build PromQL from the configuration: durations, label lists with the
 * user's grouping labels, and selectors that rename a source's labels onto the contract's.
 */
import type { CascadeConfig, SignalSourceConfig } from '../config/schema';

const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Seconds in a Prometheus duration such as `1h30m`. Throws on anything else. */
export function seconds(duration: string): number {
  const parts = [...duration.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== duration) {
    throw new Error(`not a Prometheus duration: "${duration}"`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_SECONDS[p[2]], 0);
}

/** The shortest Prometheus duration for a whole number of seconds (e.g. 604800 → 1w, 5400 → 1h30m). */
export function formatDuration(totalSeconds: number): string {
  if (!Number.isInteger(totalSeconds) || totalSeconds < 0) {
    throw new Error(`cannot format ${totalSeconds} s as a duration`);
  }
  if (totalSeconds === 0) {
    return '0s';
  }
  let rest = totalSeconds;
  let out = '';
  for (const unit of ['w', 'd', 'h', 'm', 's']) {
    const n = Math.floor(rest / UNIT_SECONDS[unit]);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * UNIT_SECONDS[unit];
    }
  }
  return out;
}

/**
 * Wall-clock seconds that a duration of the config stands for where the rules compare it with a number (a
 * forecast horizon, a deploy's age). In a time-compressed variant (`timeScale` above 1, for end-to-end tests
 * against a simulator playing faster than real time) it is that many times shorter, as the windows are.
 */
export function wallSeconds(config: CascadeConfig, duration: string): number {
  return seconds(duration) / config.timeScale;
}

/** A number as PromQL reads it, without float noise (0.1 * 3 → 0.3). */
export function num(value: number): string {
  if (!Number.isFinite(value)) {
    throw new Error(`not a finite number: ${value}`);
  }
  return String(Number(value.toPrecision(12)));
}

/** The PromQL label list for `by (...)` / `on (...)`: the given labels plus the grouping labels. */
export function labelList(config: CascadeConfig, ...labels: string[]): string {
  return [...labels, ...config.groupingLabels.filter((l) => !labels.includes(l))].join(', ');
}

export const by = (config: CascadeConfig, ...labels: string[]) => `by (${labelList(config, ...labels)})`;
export const on = (config: CascadeConfig, ...labels: string[]) => `on (${labelList(config, ...labels)})`;

/** `metric{matchers}` for a source, with extra matchers appended (e.g. the error codes). */
export function selector(source: SignalSourceConfig, ...extra: string[]): string {
  const matchers = [source.matchers.trim().replace(/,\s*$/, ''), ...extra].filter((m) => m.length > 0);
  return matchers.length > 0 ? `${source.metric}{${matchers.join(', ')}}` : source.metric;
}

/** The source label that carries a contract label (the contract's own name when unmapped). */
export function sourceLabel(source: SignalSourceConfig, contractLabel: string): string {
  return source.labels[contractLabel] ?? contractLabel;
}

/**
 * Wraps `expr` in label_replace calls that copy each mapped source label onto its contract
 * name. Labels that already carry the contract's name are left alone, so the default
 * configuration yields plain, readable expressions.
 */
export function renameLabels(source: SignalSourceConfig, expr: string): string {
  let out = expr;
  for (const [contract, from] of Object.entries(source.labels)) {
    if (from !== contract) {
      out = `label_replace(${out}, "${contract}", "$1", "${from}", "(.*)")`;
    }
  }
  return out;
}

/** Whether any label of the source needs renaming. */
export function isRenamed(source: SignalSourceConfig): boolean {
  return Object.entries(source.labels).some(([contract, from]) => contract !== from);
}

/** A source label used in a matcher against the raw series (e.g. the status code). */
export function matcher(
  source: SignalSourceConfig,
  contractLabel: string,
  op: '=' | '!=' | '=~' | '!~',
  value: string
) {
  return `${sourceLabel(source, contractLabel)}${op}"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/**
 * `sum by (labels) (rate(counter[window]))` over a counter source, with its labels renamed to
 * the contract's. Renaming happens before the aggregation so the result carries only
 * contract labels (plus the grouping labels).
 */
export function counterRate(
  config: CascadeConfig,
  source: SignalSourceConfig,
  window: string,
  labels: string[],
  ...extraMatchers: string[]
): string {
  const rate = `rate(${selector(source, ...extraMatchers)}[${window}])`;
  return `sum ${by(config, ...labels)} (${renameLabels(source, rate)})`;
}

/**
 * A gauge source aggregated to the given contract labels: `aggregation by (labels) (gauge)`, or
 * the user's own expression when the source is an `expr`.
 */
export function gauge(
  config: CascadeConfig,
  source: SignalSourceConfig,
  aggregation: 'sum' | 'max' | 'min',
  labels: string[]
): string {
  const raw = source.expr !== undefined ? `(${source.expr.trim()})` : renameLabels(source, selector(source));
  return `${aggregation} ${by(config, ...labels)} (${raw})`;
}

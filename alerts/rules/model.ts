/**
 * The pack as data, independent of any output format: rule groups of recording rules and alerts.
 * Renderers turn this into a Prometheus rule file or Grafana provisioning; the README and the
 * lint tests read it too.
 */
import type { InputSignal } from '../../config/schema';

export type Severity = 'critical' | 'warning' | 'info';
export type Stage = 'traffic' | 'deploy' | 'backlog' | 'replicas' | 'instances' | 'cascade' | 'slo' | 'meta';

/** How a number is shown in an annotation. */
export type Format =
  /** 1.234k, 12.5, 0.003 (SI prefixes) */
  | 'number'
  /** 12.5% for 0.125 */
  | 'percent'
  /** 5m 30s for 330 */
  | 'duration'
  /** 3.2 (one decimal; followed by "x" in the text) */
  | 'factor';

/**
 * Writes the dynamic parts of an annotation in one template dialect (Prometheus or Grafana), so
 * every description is written once.
 */
export interface TemplateWriter {
  /** The alert expression's value. */
  value(format: Format): string;
  /** A label of the alert. */
  label(name: string): string;
  /** The current value of one of the alert's context queries, for the same labels. */
  context(name: string, format: Format): string;
}

export type Template = (t: TemplateWriter) => string;

export interface RecordingRule {
  kind: 'record';
  /** Input signals the rule reads, directly or through other recorded series. */
  needs: InputSignal[];
  record: string;
  expr: string;
  /** Static labels added to the recorded series (e.g. `stage`). */
  labels?: Record<string, string>;
  /** Labels the recorded series carries (before the grouping labels), for the README. */
  by: string[];
  /** What the series means, with its unit, for the README. */
  help: string;
}

export interface AlertRule {
  kind: 'alert';
  /** Input signals the rule reads, directly or through recorded series. */
  needs: InputSignal[];
  alert: string;
  severity: Severity;
  stage: Stage;
  /** A PromQL expression that returns one series per firing instance, labelled exactly `by` (+ grouping labels). */
  expr: string;
  for: string;
  /** Keep firing this long after the condition clears (a page must not flap on a hand-off). */
  keepFiringFor?: string;
  /** How long the condition really waits, for the docs, when the expression holds part of the patience (two tiers). */
  patience?: string;
  /** The alert's identifying labels; context queries are matched on them. */
  by: string[];
  summary: string;
  description: Template;
  /**
   * Context queries: PromQL for numbers the description shows next to the value. Each is a
   * function of a label-matcher string that selects the alert's own series (empty when the
   * renderer matches by labels instead).
   */
  context?: Record<string, (matchers: string) => string>;
  /** Which dashboard the alert links to. */
  dashboard: 'overview' | 'deploy';
}

export type Rule = RecordingRule | AlertRule;

export interface RuleGroup {
  name: string;
  interval: string;
  rules: Rule[];
}

export function isAlert(rule: Rule): rule is AlertRule {
  return rule.kind === 'alert';
}

export function isRecording(rule: Rule): rule is RecordingRule {
  return rule.kind === 'record';
}

/** Strips the common indentation and surrounding blank lines of a multi-line PromQL literal. */
export function promql(strings: TemplateStringsArray, ...values: Array<string | number>): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n+|\s+$/g, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim().length > 0).map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

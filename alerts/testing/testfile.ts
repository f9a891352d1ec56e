/**
 * promtool unit-test files (`promtool test rules`), built from data, and reading back the samples
 * promtool prints for a failed `promql_expr_test` (how the replays read results out of it).
 */
import fs from 'fs';
import os from 'os';
import path from 'path';

import { toYaml } from '../render/yaml';
import type { InputSeries } from './series';

export interface ExpectedSample {
  labels: string;
  value: number;
}

export interface PromqlCheck {
  expr: string;
  evalTime: string;
  expSamples: ExpectedSample[];
}

export interface ExpectedAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface AlertCheck {
  evalTime: string;
  alertname: string;
  expAlerts: ExpectedAlert[];
}

export interface TestGroup {
  name: string;
  /** Step of the input series. */
  interval: string;
  inputSeries: InputSeries[];
  promql?: PromqlCheck[];
  alerts?: AlertCheck[];
}

/**
 * `groupOrder` fixes the order promtool evaluates rule groups in at each step (without it the
 * order is Go's map order, so a group may read another's output from the previous step).
 */
export function testFileYaml(
  ruleFiles: string[],
  evaluationInterval: string,
  groups: TestGroup[],
  groupOrder: string[] = []
): string {
  return toYaml({
    rule_files: ruleFiles,
    evaluation_interval: evaluationInterval,
    ...(groupOrder.length > 0 ? { group_eval_order: groupOrder } : {}),
    tests: groups.map((g) => ({
      name: g.name,
      interval: g.interval,
      input_series: g.inputSeries,
      ...(g.alerts && g.alerts.length > 0
        ? {
            alert_rule_test: g.alerts.map((a) => ({
              eval_time: a.evalTime,
              alertname: a.alertname,
              exp_alerts: a.expAlerts.map((e) => ({ exp_labels: e.labels, exp_annotations: e.annotations })),
            })),
          }
        : {}),
      ...(g.promql && g.promql.length > 0
        ? {
            promql_expr_test: g.promql.map((p) => ({
              expr: p.expr,
              eval_time: p.evalTime,
              exp_samples: p.expSamples.map((s) => ({ labels: s.labels, value: s.value })),
            })),
          }
        : {}),
    })),
  });
}

/** A Prometheus series literal with labels in a stable order: `ALERTS{alertname="X", ...}`. */
export function seriesLiteral(name: string, labels: Record<string, string>): string {
  const body = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k].replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(', ');
  return `${name}{${body}}`;
}

/** A fresh directory for one run's generated files; kept when a test fails, for a look at them. */
export function workDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `cascade-${prefix}-`));
}

export interface PrintedSample {
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /\{((?:[^{}"]|"(?:[^"\\]|\\.)*")*)\} ([-+]?(?:[0-9.]+(?:E[-+]?[0-9]+)?|Inf|NaN))/g;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

function parseValue(text: string): number {
  if (text.endsWith('Inf')) {
    return text.startsWith('-') ? -Infinity : Infinity;
  }
  return text === 'NaN' ? NaN : Number(text);
}

/**
 * Every sample on promtool's `got:` lines (printed for each failed promql_expr_test as
 * `got: {a="1", b="2"} 1.5E+00, {...} ...`). Queries tag their samples with a label so callers
 * can tell them apart.
 */
export function printedSamples(output: string): PrintedSample[] {
  const samples: PrintedSample[] = [];
  for (const line of output.split('\n')) {
    const got = /^\s*got:\s*(.*)$/.exec(line);
    if (!got || got[1].trim() === 'nil') {
      continue;
    }
    for (const m of got[1].matchAll(SAMPLE)) {
      const labels: Record<string, string> = {};
      for (const l of m[1].matchAll(LABEL)) {
        labels[l[1]] = l[2].replace(/\\(.)/g, '$1');
      }
      samples.push({ labels, value: parseValue(m[2]) });
    }
  }
  return samples;
}

/** promtool's own errors (a rule or query that failed to evaluate), as opposed to test mismatches. */
export function evaluationErrors(output: string): string[] {
  return output.split('\n').filter((line) => /(^\s+rule: .*, err: |, err: )/.test(line));
}

/** Formats seconds as a promtool duration from t=0 (e.g. 5400 → 1h30m). */
export function promDuration(secondsFromStart: number): string {
  const s = Math.round(secondsFromStart);
  if (s === 0) {
    return '0s';
  }
  const units: Array<[string, number]> = [
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  let rest = s;
  let out = '';
  for (const [unit, size] of units) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}

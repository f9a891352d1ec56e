/**
 * The demo's backfilled history, built in one pass: the simulator's run over the history window, and the pack's
 * first-level recording rules (those that read raw series only) evaluated over it here, with Prometheus' own
 * semantics (range selection, `rate` extrapolation, the 5-minute lookback), instead of through a temporary
 * Prometheus and `promtool tsdb create-blocks-from rules`, which took minutes. Raw series are kept for the last
 * hours only (rate windows at the seam with live data, graphs of recent raw series); the weeks before need
 * only the recorded series the seasonal rules compare with.
 *
 * At a speed above 1 the history is on the compressed time axis the live demo runs on: a model minute every
 * 60/speed wall seconds, counters divided by the speed, so the compressed pack's windows (and its week offsets,
 * see compressSeasonal) find data at its own resolution.
 */
import fs from 'fs';
import { seconds } from '../alerts/promql';
import { labelMatcher } from '../lib/labelMatcher';
import { extrapolatedRate } from '../lib/prometheusRate';
import {
  loadScenario,
  onWallClock,
  simulate,
  writeOpenMetrics,
  type Scenario,
  type Series,
  type SimulationRun,
} from '../simulator';

/** Prometheus' default lookback for an instant selector. */
const LOOKBACK_MS = 5 * 60 * 1000;
/** The simulator's sample step, in model seconds. */
export const MODEL_STEP_SECONDS = 60;

type Aggregation = 'sum' | 'max' | 'min' | 'avg' | 'count';

export interface FirstLevelRule {
  record: string;
  labels: Record<string, string>;
  aggregation: Aggregation;
  by: string[];
  /** `rate` over a range, or the instant value. */
  fn: 'rate' | 'increase' | null;
  metric: string;
  matchers: Array<{ label: string; op: '=' | '!=' | '=~' | '!~'; value: string }>;
  rangeMs: number;
}

export class UnsupportedRuleError extends Error {}

const NAME = String.raw`[a-zA-Z_:][a-zA-Z0-9_:]*`;
const RULE_SHAPE = new RegExp(
  String.raw`^(sum|max|min|avg|count) by \(([^)]*)\) \((?:(rate|increase)\((${NAME})(\{[^}]*\})?\[([^\]:]+)\]\)|(${NAME})(\{[^}]*\})?)\)$`
);
const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*$/;

/**
 * A first-level recording rule's expression in the shapes the pack writes (`sum by (service, route)
 * (rate(http_requests_total[5m]))`, `max by (service) (http_request_sources)`); anything else is refused with
 * the rule's name, so a new shape in the pack fails loudly here instead of leaving a hole in the history.
 */
export function parseFirstLevelRule(rule: {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}): FirstLevelRule {
  const m = RULE_SHAPE.exec(rule.expr.trim());
  if (!m) {
    throw new UnsupportedRuleError(
      `The demo's history cannot record ${rule.record}: expected "AGG by (labels) (rate(metric[range]))" or ` +
        `"AGG by (labels) (metric)", got: ${rule.expr}`
    );
  }
  const [, aggregation, by, fn, rangedMetric, rangedMatchers, range, metric, matchers] = m;
  const text = (rangedMatchers ?? matchers ?? '{}').slice(1, -1).trim();
  return {
    record: rule.record,
    labels: rule.labels ?? {},
    aggregation: aggregation as Aggregation,
    by: by
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean),
    fn: (fn as 'rate' | 'increase' | undefined) ?? null,
    metric: rangedMetric ?? metric,
    matchers: text
      ? text.split(',').map((part) => {
          const mm = MATCHER.exec(part);
          if (!mm) {
            throw new UnsupportedRuleError(`The demo's history cannot record ${rule.record}: matcher ${part}`);
          }
          return {
            label: mm[1],
            op: mm[2] as FirstLevelRule['matchers'][number]['op'],
            value: JSON.parse(`"${mm[3]}"`),
          };
        })
      : [],
    rangeMs: range ? Math.round(seconds(range) * 1000) : 0,
  };
}

function matches(rule: FirstLevelRule, s: Series): boolean {
  return (
    s.name === rule.metric &&
    rule.matchers.every(({ label, op, value }) => labelMatcher(op, value)(s.labels[label] ?? ''))
  );
}

/** One value per evaluation time, NaN where Prometheus would return nothing. */
export function evaluateFirstLevel(run: SimulationRun, rule: FirstLevelRule): Series[] {
  const stamps = Array.from(run.times, (t) => Math.round(t * 1000));
  const inputs = run.series.filter((s) => matches(rule, s));
  const groups = new Map<string, { labels: Record<string, string>; members: Series[] }>();
  for (const s of inputs) {
    const labels: Record<string, string> = {};
    for (const l of rule.by) {
      if (s.labels[l] !== undefined && s.labels[l] !== '') {
        labels[l] = s.labels[l];
      }
    }
    const key = JSON.stringify(labels);
    const g = groups.get(key) ?? { labels, members: [] };
    g.members.push(s);
    groups.set(key, g);
  }
  const out: Series[] = [];
  for (const { labels, members } of groups.values()) {
    const values = new Float64Array(stamps.length).fill(NaN);
    // Per member: the window's first index, moved forward as the evaluation time advances.
    const starts = members.map(() => 0);
    for (let k = 0; k < stamps.length; k++) {
      const t = stamps[k];
      const got: number[] = [];
      members.forEach((s, mi) => {
        const v = memberValue(s, stamps, k, t, rule, starts, mi);
        if (v !== undefined) {
          got.push(v);
        }
      });
      if (got.length > 0) {
        values[k] = aggregate(rule.aggregation, got);
      }
    }
    out.push({ name: rule.record, metric: rule.record, type: 'gauge', labels: { ...labels, ...rule.labels }, values });
  }
  return out;
}

function memberValue(
  s: Series,
  stamps: number[],
  k: number,
  t: number,
  rule: FirstLevelRule,
  starts: number[],
  mi: number
): number | undefined {
  if (rule.fn === null) {
    for (let j = k; j >= 0 && stamps[j] >= t - LOOKBACK_MS; j--) {
      if (!Number.isNaN(s.values[j])) {
        return s.values[j];
      }
    }
    return undefined;
  }
  while (stamps[starts[mi]] < t - rule.rangeMs) {
    starts[mi]++;
  }
  const ts: number[] = [];
  const vs: number[] = [];
  for (let j = starts[mi]; j <= k; j++) {
    if (!Number.isNaN(s.values[j])) {
      ts.push(stamps[j]);
      vs.push(s.values[j]);
    }
  }
  return extrapolatedRate(ts, vs, t, rule.rangeMs, rule.fn === 'rate');
}

function aggregate(aggregation: Aggregation, values: number[]): number {
  switch (aggregation) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'max':
      return Math.max(...values);
    case 'min':
      return Math.min(...values);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'count':
      return values.length;
  }
}

/**
 * The recording rules the history records, in the pack's order: every rule that reads raw series only (each
 * must be of a shape parseFirstLevelRule knows), and every later rule of such a shape over those (e.g.
 * `cascade:http_requests:rate5m`, the per-service sum the seasonal rules compare with weeks ago).
 */
export function historyRecordingRules(groups: Array<{ rules: Array<Record<string, unknown>> }>): FirstLevelRule[] {
  const records = groups.flatMap((g) => g.rules).filter((r) => typeof r.record === 'string') as Array<{
    record: string;
    expr: string;
    labels?: Record<string, string>;
  }>;
  const recordedByPack = new Set(records.map((r) => r.record));
  const recorded = new Set<string>();
  const out: FirstLevelRule[] = [];
  for (const r of records) {
    const readsRawOnly = !String(r.expr).includes('cascade:');
    let rule: FirstLevelRule;
    try {
      rule = parseFirstLevelRule(r);
    } catch (e) {
      if (readsRawOnly) {
        throw e;
      }
      continue;
    }
    if (!recordedByPack.has(rule.metric) || recorded.has(rule.metric)) {
      out.push(rule);
      recorded.add(rule.record);
    }
  }
  return out;
}

export interface HistoryOptions {
  scenario: Scenario;
  days: number;
  /** Unix seconds: where the history ends (model time and wall time agree there). */
  end: number;
  /** The pack's time scale: above 1, the history is laid on the compressed axis. */
  timeScale: number;
  rules: FirstLevelRule[];
  /** Model hours before `end` for which the raw series are kept too. */
  rawHours: number;
}

/** The history as a run: raw series for the last `rawHours`, recorded first-level series for all of it. */
export function buildHistory(o: HistoryOptions): SimulationRun {
  const modelRun = simulate(o.scenario, {
    from: o.end - o.days * 86_400,
    to: o.end,
    stepSeconds: MODEL_STEP_SECONDS,
  });
  const run = o.timeScale > 1 ? onWallClock(modelRun, o.timeScale) : modelRun;
  const recorded: Series[] = [];
  for (const rule of o.rules) {
    recorded.push(...evaluateFirstLevel({ ...run, series: [...run.series, ...recorded] }, rule));
  }
  const rawFrom = o.end - (o.rawHours * 3600) / o.timeScale;
  const firstRaw = run.times.findIndex((t) => t >= rawFrom);
  const raw = run.series.map((s) => {
    const values = s.values.slice();
    values.fill(NaN, 0, Math.max(0, firstRaw));
    return { ...s, values };
  });
  return { ...run, series: [...raw, ...recorded] };
}

/**
 * The compressed pack with its seasonal durations compressed too. The pack's `timeScale` leaves durations of a
 * day or more real (they compare with real-time history); the demo lays its history on the compressed axis,
 * where a week is `scale` times shorter, so its offsets and windows of days and weeks must be as well.
 */
export function compressSeasonal(rulesYaml: string, scale: number): string {
  const duration = String.raw`(?:\d+(?:ms|s|m|h|d|w|y))+`;
  const pattern = new RegExp(String.raw`(\[|\boffset )(${duration})(?![0-9a-z])`, 'g');
  return rulesYaml.replace(pattern, (match, before: string, d: string) => {
    const total = seconds(d);
    if (total < 86_400) {
      return match;
    }
    return `${before}${formatMs(Math.round((total * 1000) / scale))}`;
  });
}

function formatMs(ms: number): string {
  let rest = ms;
  let out = '';
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out || '0s';
}

if (require.main === module) {
  // `node --import tsx demo/history.ts OPTIONS.json OUT.om`: the stack builds its history in a child process,
  // so that its own progress lines keep coming while the simulation runs.
  void (async () => {
    const o = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as Omit<HistoryOptions, 'scenario'> & {
      scenario: string;
    };
    const run = buildHistory({ ...o, scenario: loadScenario(o.scenario) });
    const out = fs.createWriteStream(process.argv[3]);
    await writeOpenMetrics(run, out);
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  })().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}

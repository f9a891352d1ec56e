/**
 * The rate rules the seasonal group reads ("feeders"), computed in TypeScript from the input counters exactly
 * as promtool (Prometheus 2.42) evaluates them in the replay's seasonal run, so that run can take them as
 * input series instead of evaluating them at each of its ~6,000 steps.
 *
 * Only the shapes the pack renders are recognised: `sum by (...) (rate(metric{matchers}[range]))`,
 * `sum by (...) (gauge{matchers})`, `sum by (...) (recorded)` and `A or recorded * 0`. Anything else returns null and the replay evaluates the
 * feeders with promtool as before.
 */
import { labelMatcher, type MatchOp } from '../../lib/labelMatcher';
import { extrapolatedRate } from '../../lib/prometheusRate';
import type { Sample } from '../testing/series';

/** A value of a promtool input series: a number, no sample, or a staleness marker. */
export type Loaded = number | null | 'stale';

/** Decodes promtool's expanding notation as promtool 2.42 does (`a+bxn` adds b n times, in float64). */
export function decodeSeriesValues(values: string): Loaded[] {
  const out: Loaded[] = [];
  for (const token of values.trim().split(/\s+/).filter(Boolean)) {
    if (token === '_') {
      out.push(null);
    } else if (token === 'stale') {
      out.push('stale');
    } else if (/^_x\d+$/.test(token)) {
      out.push(...new Array<Loaded>(Number(token.slice(2))).fill(null));
    } else {
      const m = /^([-+]?(?:[0-9.]+(?:e[-+]?\d+)?|Inf|NaN))(?:([-+])((?:[0-9.]+(?:e[-+]?\d+)?|Inf))?x(\d+))?$/i.exec(
        token
      );
      if (!m) {
        throw new Error(`cannot decode promtool series value "${token}"`);
      }
      let value = parseNumber(m[1]);
      const step = m[2] === undefined ? 0 : (m[2] === '-' ? -1 : 1) * parseNumber(m[3] ?? '0');
      const times = m[4] === undefined ? 0 : Number(m[4]);
      for (let i = 0; i <= times; i++) {
        out.push(value);
        value += step;
      }
    }
  }
  return out;
}

function parseNumber(text: string): number {
  const t = text.replace(/^\+/, '');
  if (/^-?Inf$/i.test(t)) {
    return t.startsWith('-') ? -Infinity : Infinity;
  }
  return /^NaN$/i.test(t) ? NaN : Number(t);
}

/** A loaded input series: its sample name, labels and values at `interval` seconds from promtool's t=0. */
export interface LoadedSeries {
  name: string;
  labels: Record<string, string>;
  values: Loaded[];
}

/** A feeder rule as rendered (record, expr, labels). */
export interface RenderedRecording {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

/** A computed series: values at each evaluation step (null: no sample, 'stale': the rule stopped producing it). */
export interface ComputedSeries {
  name: string;
  labels: Record<string, string>;
  values: Loaded[];
}

type Matcher = (labels: Record<string, string>) => boolean;

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SUM_RATE = new RegExp(
  `^sum by \\(([\\w, ]*)\\) \\(rate\\((${NAME})(?:\\{(.*)\\})?\\[(\\d+)([smh])\\]\\)\\)$`,
  's'
);
const SUM_OF = new RegExp(`^sum by \\(([\\w, ]*)\\) \\((${NAME})(?:\\{(.*)\\})?\\)$`, 's');
const OR_ZERO = new RegExp(`^([\\s\\S]+?)\\s+or\\s+(${NAME}) \\* 0$`);

/** The labels of a `by (a, b)` clause. */
const byLabels = (text: string): string[] =>
  text
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean);

function parseMatchers(text: string | undefined): Matcher[] | null {
  const out: Matcher[] = [];
  let rest = (text ?? '').trim();
  while (rest.length > 0) {
    const m = /^([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,\s*)?/.exec(rest);
    if (!m || m[3].includes('\\')) {
      return null;
    }
    const [, label, op, value] = m;
    const test = labelMatcher(op as MatchOp, value);
    out.push((l) => test(l[label] ?? ''));
    rest = rest.slice(m[0].length);
  }
  return out;
}

/** Prometheus's label order (labels.Compare on sorted names): used to sum series in a stable order. */
function labelKey(labels: Record<string, string>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0000${labels[k]}`)
    .join('\u0001');
}

function groupBy(labels: Record<string, string>, by: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const l of by) {
    if (labels[l] !== undefined && labels[l] !== '') {
      out[l] = labels[l];
    }
  }
  return out;
}

/** One instant vector: series (without __name__) and values. */
type Vector = Map<string, { labels: Record<string, string>; value: number }>;

function sumBy(input: Array<{ labels: Record<string, string>; value: number }>, by: string[]): Vector {
  const out: Vector = new Map();
  const sorted = [...input].sort((a, b) => (labelKey(a.labels) < labelKey(b.labels) ? -1 : 1));
  for (const s of sorted) {
    const labels = groupBy(s.labels, by);
    const key = labelKey(labels);
    const group = out.get(key);
    if (group === undefined) {
      out.set(key, { labels, value: s.value });
    } else {
      group.value += s.value;
    }
  }
  return out;
}

/**
 * The feeder rules' series at each evaluation step (every `stepSeconds` from promtool's t=0 up to `lastStep`),
 * evaluated in the given order as promtool evaluates one rule group: a rule reading a series recorded by a
 * later rule sees that rule's previous step (the lookback finds it), as promtool does. Null when an expression
 * is not one of the recognised shapes.
 */
export function computeFeeders(
  rules: RenderedRecording[],
  inputs: LoadedSeries[],
  inputInterval: number,
  stepSeconds: number,
  lastStep: number,
  lookbackSeconds = 300
): ComputedSeries[] | null {
  type Eval = (t: number, index: number) => Vector | null;
  const recorded = new Set(rules.map((r) => r.record));
  // Each rule's result at the current and the previous step.
  const current = new Map<number, Vector>();
  const previous = new Map<number, Vector>();
  const doneThisStep = new Set<number>();

  const readRecorded = (name: string): Array<{ labels: Record<string, string>; value: number }> => {
    const out: Array<{ labels: Record<string, string>; value: number }> = [];
    rules.forEach((r, i) => {
      if (r.record !== name) {
        return;
      }
      // Evaluated earlier in this step: its sample at t. Otherwise its sample of the previous step (within the
      // lookback), unless it stopped (a staleness marker hides it).
      const v = doneThisStep.has(i) ? current.get(i) : stepSeconds <= lookbackSeconds ? previous.get(i) : undefined;
      for (const s of v?.values() ?? []) {
        out.push(s);
      }
    });
    return out;
  };

  const compile = (expr: string): Eval | null => {
    const e = expr.trim();
    let m = SUM_RATE.exec(e);
    if (m) {
      const by = byLabels(m[1]);
      const metric = m[2];
      const matchers = parseMatchers(m[3]);
      const range = Number(m[4]) * { s: 1, m: 60, h: 3600 }[m[5] as 's' | 'm' | 'h'];
      if (matchers === null || recorded.has(metric)) {
        return null;
      }
      const selected = inputs.filter((s) => s.name === metric && matchers.every((f) => f(s.labels)));
      return (t) => {
        const rates: Array<{ labels: Record<string, string>; value: number }> = [];
        const first = Math.ceil((t - range) / inputInterval);
        const last = Math.floor(t / inputInterval);
        for (const s of selected) {
          const times: number[] = [];
          const values: number[] = [];
          for (let k = Math.max(0, first); k <= last && k < s.values.length; k++) {
            const v = s.values[k];
            if (typeof v === 'number') {
              times.push(k * inputInterval * 1000);
              values.push(v);
            }
          }
          const rate = extrapolatedRate(times, values, t * 1000, range * 1000, true);
          if (rate !== undefined) {
            rates.push({ labels: s.labels, value: rate });
          }
        }
        return sumBy(rates, by);
      };
    }
    m = SUM_OF.exec(e);
    if (m && recorded.has(m[2]) && m[3] === undefined) {
      const by = byLabels(m[1]);
      const name = m[2];
      return () => sumBy(readRecorded(name), by);
    }
    if (m && !recorded.has(m[2])) {
      // A gauge summed: each series' latest sample within the lookback, unless a staleness marker ended it.
      const by = byLabels(m[1]);
      const matchers = parseMatchers(m[3]);
      if (matchers === null) {
        return null;
      }
      const selected = inputs.filter((s) => s.name === m![2] && matchers.every((f) => f(s.labels)));
      return (t) => {
        const latest: Array<{ labels: Record<string, string>; value: number }> = [];
        for (const s of selected) {
          for (let k = Math.min(Math.floor(t / inputInterval), s.values.length - 1); k >= 0; k--) {
            if (t - k * inputInterval > lookbackSeconds) {
              break;
            }
            const v = s.values[k];
            if (v === 'stale') {
              break;
            }
            if (typeof v === 'number') {
              latest.push({ labels: s.labels, value: v });
              break;
            }
          }
        }
        return sumBy(latest, by);
      };
    }
    m = OR_ZERO.exec(e);
    if (m && recorded.has(m[2])) {
      const left = compile(m[1]);
      const name = m[2];
      if (left === null) {
        return null;
      }
      return (t, i) => {
        const out: Vector = new Map(left(t, i) ?? []);
        for (const s of readRecorded(name)) {
          const key = labelKey(s.labels);
          if (!out.has(key)) {
            out.set(key, { labels: s.labels, value: s.value * 0 });
          }
        }
        return out;
      };
    }
    return null;
  };

  const compiled: Eval[] = [];
  for (const r of rules) {
    const f = compile(r.expr);
    if (f === null) {
      return null;
    }
    compiled.push(f);
  }

  const steps = Math.floor(lastStep / stepSeconds) + 1;
  const series = new Map<string, ComputedSeries>();
  for (let k = 0; k < steps; k++) {
    const t = k * stepSeconds;
    doneThisStep.clear();
    current.clear();
    compiled.forEach((f, i) => {
      const rule = rules[i];
      const out: Vector = new Map();
      for (const s of f(t, i)?.values() ?? []) {
        const labels = { ...s.labels, ...(rule.labels ?? {}) };
        out.set(labelKey(labels), { labels, value: s.value });
      }
      current.set(i, out);
      doneThisStep.add(i);
      for (const [key, s] of out) {
        const id = `${rule.record}\u0002${key}`;
        let cs = series.get(id);
        if (cs === undefined) {
          cs = { name: rule.record, labels: s.labels, values: new Array<Loaded>(steps).fill(null) };
          series.set(id, cs);
        }
        cs.values[k] = s.value;
      }
    });
    // A series a rule produced at the previous step and not now gets a staleness marker, as promtool writes.
    for (const cs of series.values()) {
      if (k > 0 && typeof cs.values[k - 1] === 'number' && cs.values[k] === null) {
        cs.values[k] = 'stale';
      }
    }
    previous.clear();
    for (const [i, v] of current) {
      previous.set(i, v);
    }
  }
  return [...series.values()];
}

/** Exact promtool notation (full float precision, no runs): `_xN` for gaps, `stale` for markers. */
export function encodeExact(values: ReadonlyArray<Loaded | Sample>): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length;) {
    if (values[i] === null) {
      let j = i;
      while (j < values.length && values[j] === null) {
        j++;
      }
      parts.push(j - i === 1 ? '_' : `_x${j - i}`);
      i = j;
      continue;
    }
    const v = values[i] as number | 'stale';
    parts.push(
      v === 'stale' ? 'stale' : Number.isNaN(v) ? 'NaN' : !Number.isFinite(v) ? (v > 0 ? 'Inf' : '-Inf') : String(v)
    );
    i++;
  }
  return parts.join(' ');
}

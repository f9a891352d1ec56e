/**
 * What a backtest must read and evaluate, worked out from the rendered pack alone (pure, no I/O):
 *
 * - the recording rules in dependency levels (level 1 reads input series only, level n reads what levels below
 *   it record), so that each level can be evaluated by Prometheus over a TSDB that already holds its inputs;
 * - for every rule and alert, the time range it must be evaluated over: the window for alerts (plus their `for`
 *   and `keep_firing_for`, so the state at the window's start is right), and for what they read, that range
 *   extended backwards by the longest range and offset of the reading expression (a seasonal rule reads three
 *   weeks and a day back, so the per-service rate must go back that far; a backlog rule needs minutes);
 * - the input selectors (from the configuration's signals) and how far back each must be fetched.
 */
import { metricNames } from '../../lib/promqlNames';
import type { CascadeConfig, InputSignal, SignalSourceConfig } from '../../config/schema';
import { seconds, selector, sourceLabel } from '../promql';
import { isAlert, isRecording, type AlertRule, type RecordingRule } from '../rules/model';
import { buildPack } from '../rules/pack';

/** A recording rule or alert with the interval of its group and the range it must be evaluated over. */
export interface PlannedRecording {
  rule: RecordingRule;
  group: string;
  intervalSeconds: number;
  /** Unix seconds, aligned to the interval. */
  from: number;
  level: number;
}

export interface PlannedAlert {
  rule: AlertRule;
  group: string;
  intervalSeconds: number;
  forSeconds: number;
  keepFiringForSeconds: number;
  from: number;
}

export interface PlannedInput {
  signal: InputSignal;
  /** What is fetched: a selector, or for an `expr` signal each selector its expression contains. */
  selectors: string[];
  /** Unix seconds, aligned to the step. */
  from: number;
}

export interface BacktestPlan {
  window: { from: number; to: number };
  stepSeconds: number;
  inputs: PlannedInput[];
  /** levels[0] holds level 1. */
  levels: PlannedRecording[][];
  alerts: PlannedAlert[];
}

const DURATION = String.raw`(?:\d+(?:ms|s|m|h|d|w|y))+`;
/** A range after a closing bracket, and its offset: a subquery over an expression. */
const SUBQUERY = new RegExp(String.raw`\)\s*\[(${DURATION}):(?:${DURATION})?\](?:\s*offset\s+(${DURATION}))?`, 'g');
/** Prometheus' default lookback for instant selectors, as the live pack sees its inputs. */
const LOOKBACK_SECONDS = 300;

/** Where the body of the subquery whose closing bracket is at `close` starts (its matching opening bracket). */
function openingBracket(expr: string, close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    depth += expr[i] === ')' ? 1 : expr[i] === '(' ? -1 : 0;
    if (depth === 0) {
      return i;
    }
  }
  return 0;
}

/**
 * How far back from an evaluation time an expression reads the series `name`: the range and offset written
 * right after each mention of it, plus the range and offset of the subqueries whose body holds a mention (a series
 * outside a subquery is read at the evaluation time), plus the lookback of an instant selector.
 */
export function reachSeconds(expr: string, name: string): number {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const attached = new RegExp(
    String.raw`(?<![a-zA-Z0-9_:])${escaped}(?![a-zA-Z0-9_:])\s*(?:\{[^}]*\})?\s*(?:\[(${DURATION})(?::(?:${DURATION})?)?\])?\s*(?:offset\s+(${DURATION}))?`,
    'g'
  );
  const subqueries = [...expr.matchAll(SUBQUERY)].map((m) => ({
    from: openingBracket(expr, m.index),
    to: m.index,
    reach: seconds(m[1]) + (m[2] ? seconds(m[2]) : 0),
  }));
  let reach = 0;
  for (const m of expr.matchAll(attached)) {
    const own = (m[1] ? seconds(m[1]) : 0) + (m[2] ? seconds(m[2]) : 0);
    const around = subqueries.filter((q) => m.index > q.from && m.index < q.to).reduce((sum, q) => sum + q.reach, 0);
    reach = Math.max(reach, own + around);
  }
  return reach + LOOKBACK_SECONDS;
}

/** Whether an expression names a series (not as part of a longer name). */
export function mentions(expr: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-zA-Z0-9_:])${escaped}(?![a-zA-Z0-9_:])`).test(expr);
}

/** The vector selectors inside a PromQL expression (for signals given as `expr`): metric names with matchers. */
export function selectorsIn(expr: string): string[] {
  const out = metricNames(expr);
  // Keep the matchers the expression gives each metric, when it gives exactly one set.
  return out.map((name) => {
    const withMatchers = [...expr.matchAll(new RegExp(`(?<![a-zA-Z0-9_:])${name}\\s*(\\{[^}]*\\})`, 'g'))];
    const sets = new Set(withMatchers.map((m) => m[1]));
    const bare = new RegExp(`(?<![a-zA-Z0-9_:])${name}(?![a-zA-Z0-9_:]|\\s*\\{)`).test(expr);
    return sets.size === 1 && !bare ? `${name}${[...sets][0]}` : name;
  });
}

function alignDown(t: number, step: number): number {
  return Math.floor(t / step) * step;
}

/** The matcher that keeps only the chosen services, for a signal that carries a service label. */
function serviceMatcher(source: SignalSourceConfig, services: string[]): string {
  const alternatives = services.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return `${sourceLabel(source, 'service')}=~"${alternatives.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export interface PlanOptions {
  window: { from: number; to: number };
  /** Resolution of the fetched input series and of every series written to the local TSDB. */
  stepSeconds: number;
  /** Only these services (signals with a service label); empty: all. */
  services?: string[];
}

export function planBacktest(config: CascadeConfig, options: PlanOptions): BacktestPlan {
  const step = options.stepSeconds;
  const groups = buildPack(config);
  for (const g of groups) {
    if (seconds(g.interval) % step !== 0) {
      throw new Error(`group ${g.name}: its interval ${g.interval} is not a multiple of the ${step} s step`);
    }
  }
  const recordings = groups.flatMap((g) =>
    g.rules.filter(isRecording).map((rule) => ({ rule, group: g.name, intervalSeconds: seconds(g.interval) }))
  );
  const recordedNames = [...new Set(recordings.map((r) => r.rule.record))];

  // Levels: 1 + the highest level of any rule recording a name the expression reads.
  const levelOf = new Map<RecordingRule, number>();
  const level = (rule: RecordingRule, seen: Set<RecordingRule> = new Set()): number => {
    const known = levelOf.get(rule);
    if (known !== undefined) {
      return known;
    }
    if (seen.has(rule)) {
      throw new Error(`recording rules read each other in a cycle (${rule.record})`);
    }
    seen.add(rule);
    let l = 1;
    for (const other of recordings) {
      if (other.rule !== rule && mentions(rule.expr, other.rule.record)) {
        l = Math.max(l, level(other.rule, seen) + 1);
      }
    }
    levelOf.set(rule, l);
    return l;
  };

  const alerts: PlannedAlert[] = groups.flatMap((g) =>
    g.rules.filter(isAlert).map((rule) => {
      const interval = seconds(g.interval);
      const forSeconds = seconds(rule.for);
      const keep = rule.keepFiringFor ? seconds(rule.keepFiringFor) : 0;
      return {
        rule,
        group: g.name,
        intervalSeconds: interval,
        forSeconds,
        keepFiringForSeconds: keep,
        from: alignDown(options.window.from - forSeconds - keep - interval, interval),
      };
    })
  );

  // Ranges, from the alerts back: a name is needed from the earliest time any reader needs it.
  const neededFrom = new Map<string, number>();
  const need = (name: string, from: number) => neededFrom.set(name, Math.min(neededFrom.get(name) ?? Infinity, from));
  const readers: Array<{ expr: string; from: number }> = alerts.map((a) => ({ expr: a.rule.expr, from: a.from }));
  const planned: PlannedRecording[] = [];
  // Highest levels first, so every reader of a rule is planned before it.
  const byLevel = [...recordings].sort((a, b) => level(b.rule) - level(a.rule));
  const visit = (expr: string, from: number) => {
    for (const name of recordedNames) {
      if (mentions(expr, name)) {
        need(name, from - reachSeconds(expr, name));
      }
    }
  };
  for (const r of readers) {
    visit(r.expr, r.from);
  }
  for (const r of byLevel) {
    const from = neededFrom.get(r.rule.record);
    if (from === undefined) {
      continue; // nothing reads it (a dashboard series): not needed to know what fires
    }
    const aligned = alignDown(from, r.intervalSeconds);
    planned.push({ ...r, from: aligned, level: level(r.rule) });
    visit(r.rule.expr, aligned);
    readers.push({ expr: r.rule.expr, from: aligned });
  }
  const maxLevel = Math.max(0, ...planned.map((p) => p.level));
  const levels = Array.from({ length: maxLevel }, (_, i) =>
    planned
      .filter((p) => p.level === i + 1)
      .sort((a, b) => recordings.findIndex((r) => r.rule === a.rule) - recordings.findIndex((r) => r.rule === b.rule))
  );

  const inputs: PlannedInput[] = [];
  for (const [key, source] of Object.entries(config.signals) as Array<[InputSignal, SignalSourceConfig]>) {
    if (!source.enabled) {
      continue;
    }
    const names = source.expr !== undefined ? selectorsIn(source.expr) : [source.metric];
    const metricNames = names.map((s) => s.replace(/\{.*$/, ''));
    let from = Infinity;
    for (const r of readers) {
      for (const n of metricNames.filter((m) => mentions(r.expr, m))) {
        from = Math.min(from, r.from - reachSeconds(r.expr, n));
      }
    }
    if (!Number.isFinite(from)) {
      continue; // no rule reads it
    }
    const services = options.services ?? [];
    const filtered =
      source.expr === undefined && services.length > 0 && 'service' in source.labels
        ? selector(source, serviceMatcher(source, services))
        : undefined;
    inputs.push({
      signal: key,
      selectors: source.expr !== undefined ? names : [filtered ?? selector(source)],
      from: alignDown(from, step),
    });
  }
  return { window: options.window, stepSeconds: step, inputs, levels, alerts };
}

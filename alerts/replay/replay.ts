/**
 * Replays a simulator scenario through the whole pack with promtool and reports when each alert
 * fired.
 *
 * promtool evaluates every rule at every step from t=0, at ~10 ms a step for the whole pack: three
 * weeks of history at one minute would take ten minutes a scenario. So a replay is two runs:
 *
 *  1. the seasonal group (and the rate rules it reads) over the weeks of history, evaluated every
 *     5 minutes as in production; its series are read back at each of its steps in the window;
 *  2. every other group at one minute over the window (plus a warm-up), with those series given
 *     as input at their 5-minute steps, exactly as the fast groups would find them in Prometheus.
 *
 * Run 1 computes what promtool would by evaluating both groups at each of the ~6,000 steps of the history
 * (seasonalByRules, ~20 s a replay), but more cheaply (seasonalByLayers, ~2 s): the rate rules it reads
 * ("feeders") are computed in TypeScript at every step exactly as promtool evaluates them (feeders.ts) and given
 * as input series, and each seasonal rule is queried only at the steps read back, layer by layer, since the
 * group reads its own series only at the same step. When the rules do not allow it (a feeder of an
 * unrecognised shape, a rule reading the group's series over time), run 1 is the full promtool run.
 *
 * A small harness group in run 2 records when each alert starts firing; queries at the end read
 * those times back from promtool's report of the failed (empty-expectation) expression tests.
 */
import { createHash } from 'crypto';
import fs from 'fs';
import path from 'path';

import { loadConfig } from '../../config/load';
import type { CascadeConfig } from '../../config/schema';
import { seconds } from '../promql';
import { prometheusRuleGroups } from '../render/prometheus';
import { toYaml } from '../render/yaml';
import { isRecording, type Rule, type RuleGroup } from '../rules/model';
import { buildPack, GROUP_PREFIX } from '../rules/pack';
import { SERIES } from '../rules/series';
import { promtool } from '../testing/promtool';
import { encode, type InputSeries, type Sample } from '../testing/series';
import { computeFeeders, decodeSeriesValues, encodeExact, type Loaded, type RenderedRecording } from './feeders';
import {
  evaluationErrors,
  printedSamples,
  promDuration,
  seriesLiteral,
  testFileYaml,
  workDir,
  type PrintedSample,
} from '../testing/testfile';

export const SLOW_GROUP = `${GROUP_PREFIX}.traffic-seasonal`;
const HARNESS_GROUP = 'replay-harness';
/** Fast evaluation before the window, so windows of up to 2 hours (SLO, velocity, latches) are full. */
export const DEFAULT_WARMUP_SECONDS = 3 * 3600;

/** The part of a simulator run a replay needs (simulator/run.ts SimulationRun satisfies it). */
export interface SeriesRun {
  from: number;
  stepSeconds: number;
  times: ArrayLike<number>;
  series: Array<{ name: string; metric: string; labels: Readonly<Record<string, string>>; values: ArrayLike<number> }>;
}

export interface ReplayOptions {
  /** Names the work directory and messages. */
  name: string;
  /** Input series from the start of the history to the end of the window, one sample a minute. */
  run: SeriesRun;
  /** Unix seconds: the alert timeline reported (the run before it is history and warm-up). */
  window: { from: number; to: number };
  config?: CascadeConfig;
  warmupSeconds?: number;
  /**
   * Also read back every series the pack records, and ALERTS, at each evaluation from `from` to `to` (Unix
   * seconds within the window), e.g. to load them into a Prometheus and look at them through the dashboards.
   */
  dump?: { from: number; to: number };
  /** Seasonal runs by their rules and inputs, shared by replays of the same series under several configurations. */
  seasonalCache?: Map<string, Promise<{ samples: PrintedSample[]; seconds: number }>>;
  /**
   * How run 1 evaluates the seasonal group: 'layers' (the default where the rules allow it) evaluates it only at
   * the steps read back, from feeder series computed in TypeScript; 'rules' evaluates it with its feeders at
   * every step of the history, as Prometheus would (slower; the reference the layers are checked against).
   */
  seasonalMethod?: 'layers' | 'rules';
}

/** One sample of a recorded series (or ALERTS) read back by `dump`; `t` in Unix seconds. */
export interface DumpedSample {
  t: number;
  labels: Record<string, string>;
  value: number;
}

export interface ReplayAlert {
  alertname: string;
  severity: string;
  stage: string;
  /** The alert's own labels (service, route, cluster...). */
  labels: Record<string, string>;
  /** Unix seconds of the first and the last time it started firing within the window (NaN: never). */
  firstFiring: number;
  lastOnset: number;
  /** How many times it started firing within the window. */
  onsets: number;
  firingAtStart: boolean;
  firingAtEnd: boolean;
}

export interface ReplayResult {
  name: string;
  window: { from: number; to: number };
  alerts: ReplayAlert[];
  /** Wall-clock seconds of the two promtool runs. */
  seconds: { seasonal: number; fast: number };
  /** Where the generated files are (kept when something failed). */
  dir: string;
  /** What `dump` asked for (empty without it). */
  recorded: DumpedSample[];
}

/** Recorded names a group reads from other groups, and those groups' rules that record them (transitively). */
export function dependencies(groups: RuleGroup[], target: RuleGroup): Rule[] {
  const recorders = new Map<string, Rule[]>();
  for (const g of groups.filter((x) => x !== target)) {
    for (const r of g.rules.filter(isRecording)) {
      recorders.set(r.record, [...(recorders.get(r.record) ?? []), r]);
    }
  }
  const needed = new Set<Rule>();
  const visit = (expr: string) => {
    for (const [name, rules] of recorders) {
      if (new RegExp(`${name}(?![a-z0-9_:])`).test(expr)) {
        for (const r of rules.filter((x) => !needed.has(x))) {
          needed.add(r);
          visit(r.expr);
        }
      }
    }
  };
  for (const r of target.rules) {
    visit(r.expr);
  }
  return [...needed];
}

/** The sample names of input series a set of rules selects. */
function readsSeries(rules: Rule[], run: SeriesRun): Set<string> {
  const exprs = rules.map((r) => r.expr).join('\n');
  return new Set(
    run.series.map((s) => s.name).filter((n) => new RegExp(`(^|[^a-z0-9_:])${n}(?![a-z0-9_:])`).test(exprs))
  );
}

/** Input series of a run, sliced to [from, to] (Unix seconds), optionally only some sample names. */
function inputSamples(
  run: SeriesRun,
  from: number,
  to: number,
  config: CascadeConfig,
  names?: Set<string>
): Array<{ name: string; labels: Record<string, string>; samples: Sample[] }> {
  const first = Math.round((from - run.from) / run.stepSeconds);
  const last = Math.round((to - run.from) / run.stepSeconds);
  const deploy = config.signals.lastDeploy;
  const out: Array<{ name: string; labels: Record<string, string>; samples: Sample[] }> = [];
  for (const s of run.series) {
    if (names !== undefined && !names.has(s.name)) {
      continue;
    }
    // promtool's clock starts at 0: a Unix timestamp value must be shifted to the run's clock.
    const shift = deploy.kind === 'timestamp' && s.name === deploy.metric ? from : 0;
    const samples: Sample[] = [];
    for (let k = first; k <= last; k++) {
      const v = s.values[k];
      samples.push(v === undefined || Number.isNaN(v) ? null : v - shift);
    }
    if (samples.some((v) => v !== null)) {
      out.push({ name: s.name, labels: { ...s.labels }, samples });
    }
  }
  return out;
}

function inputSeries(
  run: SeriesRun,
  from: number,
  to: number,
  config: CascadeConfig,
  names?: Set<string>
): InputSeries[] {
  return inputSamples(run, from, to, config, names).map((s) => ({
    series: seriesLiteral(s.name, s.labels),
    values: encode(s.samples),
  }));
}

function ruleFile(config: CascadeConfig, groups: RuleGroup[], extra: object[] = []): string {
  return toYaml({ groups: [...prometheusRuleGroups(config, groups), ...extra] });
}

async function runPromtool(dir: string, what: string): Promise<{ samples: PrintedSample[]; seconds: number }> {
  const result = await promtool(['test', 'rules', `${what}.test.yml`], { cwd: dir });
  fs.writeFileSync(path.join(dir, `${what}.out`), result.output);
  const errors = evaluationErrors(result.output);
  const samples = printedSamples(result.output);
  if (errors.length > 0 || (result.status !== 0 && samples.length === 0)) {
    throw new Error(
      `promtool failed in ${what} run (files in ${dir}):\n${(errors.length ? errors : [result.output]).slice(0, 20).join('\n')}`
    );
  }
  return { samples, seconds: result.seconds };
}

function withoutMarkers(labels: Record<string, string>, ...names: string[]): Record<string, string> {
  const out = { ...labels };
  for (const n of ['__name__', ...names]) {
    delete out[n];
  }
  return out;
}

/**
 * Where run 2 (the whole pack at one minute) starts: a warm-up before the window, on a step of
 * run 1 so that the seasonal series land on its own 5-minute steps.
 */
export function fastStart(
  runFrom: number,
  window: { from: number },
  config: CascadeConfig,
  warmupSeconds = DEFAULT_WARMUP_SECONDS
): number {
  const slowStep = seconds(config.slowEvaluationInterval);
  const start = window.from - warmupSeconds;
  return start - ((((start - runFrom) % slowStep) + slowStep) % slowStep);
}

interface SeasonalInputs {
  dir: string;
  name: string;
  config: CascadeConfig;
  groups: RuleGroup[];
  slow: RuleGroup;
  run: SeriesRun;
  fastFrom: number;
  window: { from: number; to: number };
}

type SeasonalCache = ReplayOptions['seasonalCache'];

/** Shares one run between replays whose run-1 text is the same (presets that leave the traffic alone). */
function cached(
  cache: SeasonalCache,
  key: string,
  run: () => Promise<{ samples: PrintedSample[]; seconds: number }>
): Promise<{ samples: PrintedSample[]; seconds: number }> {
  let pending = cache?.get(key);
  if (pending === undefined) {
    pending = run();
    cache?.set(key, pending);
  }
  return pending;
}

/** Run 1 as Prometheus evaluates it: the feeders and the seasonal group at every 5-minute step of the history. */
async function seasonalByRules(
  { dir, name, config, groups, slow, run, fastFrom, window }: SeasonalInputs,
  cache: SeasonalCache
): Promise<{ samples: PrintedSample[]; seconds: number }> {
  const slowStep = seconds(config.slowEvaluationInterval);
  const feeders = dependencies(groups, slow);
  const slowGroups: RuleGroup[] = [
    { name: `${GROUP_PREFIX}.replay-inputs`, interval: config.evaluationInterval, rules: feeders },
    slow,
  ];
  fs.writeFileSync(path.join(dir, 'seasonal.rules.yml'), ruleFile(config, slowGroups));
  const names = [...new Set(slow.rules.filter(isRecording).map((r) => r.record))];
  const checks = [];
  for (let t = fastFrom; t <= window.to; t += slowStep) {
    checks.push({
      expr: `label_replace({__name__=~"${names.join('|')}"}, "replay_t", "${t}", "", "")`,
      evalTime: promDuration(t - run.from),
      expSamples: [],
    });
  }
  const input = inputSeries(run, run.from, window.to, config, readsSeries([...feeders, ...slow.rules], run));
  fs.writeFileSync(
    path.join(dir, 'seasonal.test.yml'),
    testFileYaml(
      ['seasonal.rules.yml'],
      config.slowEvaluationInterval,
      [{ name: `${name}: seasonal group`, interval: `${run.stepSeconds}s`, inputSeries: input, promql: checks }],
      slowGroups.map((g) => g.name)
    )
  );
  const key = createHash('sha256')
    .update(ruleFile(config, slowGroups))
    .update(JSON.stringify([input, checks, run.stepSeconds]))
    .digest('hex');
  return cached(cache, key, () => runPromtool(dir, 'seasonal'));
}

/** Spans of an expression that a subquery (`(...)[range:step]`) re-evaluates at past steps. */
function subquerySpans(expr: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const m of expr.matchAll(/\[[^\]]*:[^\]]*\]/g)) {
    let end = (m.index ?? 0) - 1;
    while (end >= 0 && /\s/.test(expr[end])) {
      end--;
    }
    if (expr[end] !== ')') {
      continue; // a subquery of a plain selector: the selector itself is checked as a range read
    }
    let depth = 0;
    for (let i = end; i >= 0; i--) {
      depth += expr[i] === ')' ? 1 : expr[i] === '(' ? -1 : 0;
      if (depth === 0) {
        spans.push([i, end]);
        break;
      }
    }
  }
  return spans;
}

/** Names recorded by the group that an expression reads, and whether it reads each only at the current step. */
function instantReads(expr: string, names: Set<string>): { reads: string[]; onlyInstant: boolean } {
  const reads: string[] = [];
  const subqueries = subquerySpans(expr);
  let onlyInstant = true;
  for (const name of names) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    for (const m of expr.matchAll(new RegExp(`(?<![a-zA-Z0-9_:])${escaped}(?![a-zA-Z0-9_:])(\\{[^}]*\\})?`, 'g'))) {
      reads.push(name);
      const at = m.index ?? 0;
      const after = expr.slice(at + m[0].length);
      if (/^\s*(\[|offset\b|@)/.test(after) || subqueries.some(([from, to]) => at > from && at < to)) {
        onlyInstant = false;
      }
    }
  }
  return { reads: [...new Set(reads)], onlyInstant };
}

/**
 * Run 1 evaluated only where it is read back. The seasonal group's rules read their feeders over weeks but each
 * other only at the same step, so each rule's value at a step is a query at that step: its feeders come from
 * computeFeeders (promtool's own evaluation of them, in TypeScript) as input series, and the rules are queried
 * layer by layer (a rule after the rules it reads), each layer's results the input of the next. Null when the
 * rules do not allow it (an unrecognised feeder, an alert, a rule reading the group over time); run 1 then
 * evaluates every step with promtool.
 */
async function seasonalByLayers(
  { dir, name, config, groups, slow, run, fastFrom, window }: SeasonalInputs,
  cache: SeasonalCache
): Promise<{ samples: PrintedSample[]; seconds: number } | null> {
  const slowStep = seconds(config.slowEvaluationInterval);
  const step = run.stepSeconds;
  if (slowStep % step !== 0 || (fastFrom - run.from) % slowStep !== 0) {
    return null;
  }
  const feederRules = dependencies(groups, slow);
  if (!slow.rules.every(isRecording)) {
    return null;
  }
  const rendered: RenderedRecording[] = slow.rules.map((r) => ({ record: r.record, expr: r.expr, labels: r.labels }));
  // Layers: a rule may read only rules before it, only at the same step.
  const own = new Set(rendered.map((r) => r.record));
  const layer: number[] = [];
  for (const [i, r] of rendered.entries()) {
    const { reads, onlyInstant } = instantReads(r.expr, own);
    let l = 0;
    for (const n of reads) {
      const recorders = rendered.flatMap((x, j) => (x.record === n ? [j] : []));
      if (!onlyInstant || recorders.some((j) => j >= i)) {
        return null;
      }
      l = Math.max(l, ...recorders.map((j) => layer[j] + 1));
    }
    layer.push(l);
  }

  // The feeders at every 5-minute step of the history, as the rules would record them.
  const rawNames = readsSeries(feederRules, run);
  const raw = inputSamples(run, run.from, window.to, config, rawNames);
  const lastStep = window.to - run.from;
  const feeders = computeFeeders(
    feederRules.filter(isRecording).map((r) => ({ record: r.record, expr: r.expr, labels: r.labels })),
    // The counters as promtool reads them back from the test file's notation.
    raw.map((s) => ({ name: s.name, labels: s.labels, values: decodeSeriesValues(encode(s.samples)) })),
    step,
    slowStep,
    lastStep - (lastStep % slowStep)
  );
  if (feeders === null) {
    return null;
  }
  const every = slowStep / step;
  const total = Math.round(lastStep / step) + 1;
  const spread = (values: readonly Loaded[]) => {
    const out = new Array<Loaded>(total).fill(null);
    values.forEach((v, k) => {
      if (k * every < total) {
        out[k * every] = v;
      }
    });
    return out;
  };
  const feederInput = feeders.map((f) => ({
    series: seriesLiteral(f.name, f.labels),
    values: encodeExact(spread(f.values)),
  }));
  // Input series the group reads directly (not through a feeder).
  const direct = inputSeries(run, run.from, window.to, config, readsSeries(slow.rules, run));

  const outputSteps: number[] = [];
  for (let t = fastFrom; t <= window.to; t += slowStep) {
    outputSteps.push(t);
  }
  const key = createHash('sha256')
    .update(JSON.stringify([rendered, feederInput, direct, outputSteps, step, config.slowEvaluationInterval]))
    .digest('hex');
  return cached(cache, key, async () => {
    const samples: PrintedSample[] = [];
    let elapsed = 0;
    // Results so far, by series: values at the output steps.
    const results = new Map<string, { name: string; labels: Record<string, string>; values: Loaded[] }>();
    for (let l = 0; l <= Math.max(-1, ...layer); l++) {
      const rules = rendered.map((r, i) => ({ r, i })).filter((x) => layer[x.i] === l);
      const text = rules.map((x) => x.r.expr).join('\n');
      const reads = (n: string) => new RegExp(`(^|[^a-zA-Z0-9_:])${n}(?![a-zA-Z0-9_:])`).test(text);
      const earlier = [...results.values()]
        .filter((s) => reads(s.name))
        .map((s) => {
          const values = new Array<Loaded>(total).fill(null);
          s.values.forEach((v, k) => {
            values[(outputSteps[k] - run.from) / step] = v;
          });
          return { series: seriesLiteral(s.name, s.labels), values: encodeExact(values) };
        });
      const input = [
        ...feederInput.filter((s) => reads(s.series.replace(/\{.*$/s, ''))),
        ...direct.filter((s) => reads(s.series.replace(/\{.*$/s, ''))),
        ...earlier,
      ];
      const queries = rules.flatMap(({ r, i }) =>
        outputSteps.map((t) => ({
          expr: `label_replace(label_replace((${r.expr}), "replay_t", "${t}", "", ""), "replay_rule", "${i}", "", "")`,
          evalTime: promDuration(t - run.from),
          expSamples: [],
        }))
      );
      const what = `seasonal-${l}`;
      fs.writeFileSync(
        path.join(dir, `${what}.test.yml`),
        testFileYaml([], config.slowEvaluationInterval, [
          { name: `${name}: seasonal group, layer ${l}`, interval: `${step}s`, inputSeries: input, promql: queries },
        ])
      );
      const out = await runPromtool(dir, what);
      elapsed += out.seconds;
      const seen = new Set<string>();
      for (const s of out.samples) {
        const r = rendered[Number(s.labels.replay_rule)];
        const t = Number(s.labels.replay_t);
        const labels = { ...withoutMarkers(s.labels, 'replay_t', 'replay_rule') };
        for (const [k, v] of Object.entries(r.labels ?? {})) {
          if (v === '') {
            delete labels[k];
          } else {
            labels[k] = v;
          }
        }
        const id = seriesLiteral(r.record, labels);
        if (seen.has(`${id}@${t}`)) {
          throw new Error(`${name}: ${r.record} gives two series ${id} at ${t} (files in ${dir})`);
        }
        seen.add(`${id}@${t}`);
        const series = results.get(id) ?? {
          name: r.record,
          labels,
          values: new Array<Loaded>(outputSteps.length).fill(null),
        };
        series.values[(t - fastFrom) / slowStep] = s.value;
        results.set(id, series);
        samples.push({ labels: { __name__: r.record, ...labels, replay_t: String(t) }, value: s.value });
      }
      // A series that stops gets a staleness marker, as a rule group writes one: the lookback must not find it.
      for (const s of results.values()) {
        s.values.forEach((v, k) => {
          if (k > 0 && v === null && typeof s.values[k - 1] === 'number') {
            s.values[k] = 'stale';
          }
        });
      }
    }
    return { samples, seconds: elapsed };
  });
}

export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  const config = options.config ?? loadConfig();
  const { run, window } = options;
  const step = run.stepSeconds;
  const fastStep = seconds(config.evaluationInterval);
  if (step !== 60 || fastStep !== 60) {
    throw new Error(`${options.name}: a replay needs one sample and one evaluation a minute`);
  }
  const fastFrom = fastStart(run.from, window, config, options.warmupSeconds);
  if (fastFrom < run.from || window.to > run.times[run.times.length - 1]) {
    throw new Error(`${options.name}: the run does not cover the window and its warm-up`);
  }
  const dir = workDir(`replay-${options.name}`);
  const groups = buildPack(config);
  const slow = groups.find((g) => g.name === SLOW_GROUP);

  // Run 1: the seasonal group over the history, read back at each of its steps from fastFrom.
  let seasonal: PrintedSample[] = [];
  let seasonalSeconds = 0;
  if (slow !== undefined) {
    const inputs = { dir, name: options.name, config, groups, slow, run, fastFrom, window };
    const run1 = options.seasonalMethod === 'rules' ? undefined : seasonalByLayers(inputs, options.seasonalCache);
    const out = (await run1) ?? (await seasonalByRules(inputs, options.seasonalCache));
    seasonal = out.samples;
    seasonalSeconds = out.seconds;
  }

  // The seasonal series as input of run 2: a sample every 5 minutes, gaps between.
  const length = (window.to - fastFrom) / step + 1;
  const injected = new Map<string, Sample[]>();
  for (const s of seasonal) {
    const t = Number(s.labels.replay_t);
    const key = seriesLiteral(s.labels.__name__, withoutMarkers(s.labels, 'replay_t'));
    const samples = injected.get(key) ?? new Array<Sample>(length).fill(null);
    samples[(t - fastFrom) / step] = s.value;
    injected.set(key, samples);
  }

  // Run 2: everything else at one minute, and the harness group last.
  const fastGroups = groups.filter((g) => g !== slow);
  const onset = `(ALERTS{alertstate="firing"} unless ALERTS{alertstate="firing"} offset ${config.evaluationInterval}) * 0 + time()`;
  const harness = {
    name: HARNESS_GROUP,
    interval: config.evaluationInterval,
    rules: [{ record: 'replay:alert_onset:time', expr: onset }],
  };
  fs.writeFileSync(path.join(dir, 'fast.rules.yml'), ruleFile(config, fastGroups, [harness]));
  const windowRange = `${window.to - window.from}s`;
  const end = promDuration(window.to - fastFrom);
  const query = (q: string, expr: string, at: string) => ({
    expr: `label_replace(${expr}, "replay_q", "${q}", "", "")`,
    evalTime: at,
    expSamples: [],
  });
  const dumps = [];
  if (options.dump !== undefined) {
    const first = Math.max(options.dump.from, fastFrom);
    for (let t = first - ((first - fastFrom) % fastStep); t <= Math.min(options.dump.to, window.to); t += fastStep) {
      dumps.push(query(`dump_${t}`, '{__name__=~"cascade:.+|ALERTS"}', promDuration(t - fastFrom)));
    }
  }
  fs.writeFileSync(
    path.join(dir, 'fast.test.yml'),
    testFileYaml(
      ['fast.rules.yml'],
      config.evaluationInterval,
      [
        {
          name: `${options.name}: the pack over the window`,
          interval: `${step}s`,
          inputSeries: [
            ...inputSeries(run, fastFrom, window.to, config),
            ...[...injected].map(([series, samples]) => ({ series, values: encode(samples) })),
          ],
          promql: [
            query('first', `min_over_time(replay:alert_onset:time[${windowRange}])`, end),
            query('last', `max_over_time(replay:alert_onset:time[${windowRange}])`, end),
            query('onsets', `count_over_time(replay:alert_onset:time[${windowRange}])`, end),
            query('at_start', 'ALERTS{alertstate="firing"}', promDuration(window.from - fastFrom)),
            query('at_end', 'ALERTS{alertstate="firing"}', end),
            ...dumps,
          ],
        },
      ],
      [...fastGroups.map((g) => g.name), HARNESS_GROUP]
    )
  );
  const fast = await runPromtool(dir, 'fast');

  const alerts = new Map<string, ReplayAlert>();
  const recorded: DumpedSample[] = [];
  for (const s of fast.samples) {
    if (s.labels.replay_q.startsWith('dump_')) {
      // A recorded Unix time was computed on promtool's clock (t=0 at fastFrom): back to Unix seconds.
      const shift = s.labels.__name__ === SERIES.deployTimestamp ? fastFrom : 0;
      const labels = { ...s.labels };
      delete labels.replay_q;
      recorded.push({ t: Number(s.labels.replay_q.slice('dump_'.length)), labels, value: s.value + shift });
      continue;
    }
    const labels = withoutMarkers(s.labels, 'replay_q', 'alertstate');
    const { alertname, severity, stage, ...own } = labels;
    const key = seriesLiteral(alertname, labels);
    const alert = alerts.get(key) ?? {
      alertname,
      severity,
      stage,
      labels: own,
      firstFiring: NaN,
      lastOnset: NaN,
      onsets: 0,
      firingAtStart: false,
      firingAtEnd: false,
    };
    switch (s.labels.replay_q) {
      case 'first':
        alert.firstFiring = s.value + fastFrom;
        break;
      case 'last':
        alert.lastOnset = s.value + fastFrom;
        break;
      case 'onsets':
        alert.onsets = s.value;
        break;
      case 'at_start':
        alert.firingAtStart = true;
        break;
      case 'at_end':
        alert.firingAtEnd = true;
        break;
    }
    alerts.set(key, alert);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    name: options.name,
    window,
    alerts: [...alerts.values()].sort((a, b) => (a.firstFiring || Infinity) - (b.firstFiring || Infinity)),
    seconds: { seasonal: seasonalSeconds, fast: fast.seconds },
    dir,
    recorded,
  };
}

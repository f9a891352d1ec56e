/**
 * One backtest pass: the pack's input series fetched from the user's Prometheus into a local TSDB, the
 * recording rules evaluated by a local Prometheus level by level (each level's output added as a block before
 * the next level reads it), then every alert evaluated over the window at its group's interval, with `for` and
 * `keep_firing_for` applied as Prometheus applies them (alertState.ts).
 */
import fs from 'fs';
import path from 'path';

import type { CascadeConfig } from '../../config/schema';
import { firingSpans, type FiringSpan } from './alertState';
import { importOpenMetrics, LocalPrometheus } from './localPrometheus';
import { OpenMetricsFile } from './openMetricsFile';
import { planBacktest, type BacktestPlan, type PlannedInput } from './plan';
import { BacktestError, chunks, iso, PrometheusApi, type RangeSeries } from './prometheusApi';

export interface AlertInstance {
  alertname: string;
  severity: string;
  stage: string;
  /** The alert's own labels (service, route, cluster...). */
  labels: Record<string, string>;
  /** Firing spans that overlap the window; `start` may be before it (firing when the window began). */
  spans: FiringSpan[];
}

export interface BacktestResult {
  window: { from: number; to: number };
  stepSeconds: number;
  /** Every alert of the pack, with its instances (none: it never fired). */
  alerts: Array<{ alertname: string; severity: string; stage: string; instances: AlertInstance[] }>;
  /** For the timeline: the request rate (all chosen services) and the write backlog (all clusters). */
  background: { traffic: Array<[number, number]>; backlog: Array<[number, number]> };
  inputs: Array<{ signal: string; selectors: string[]; series: number; from: number }>;
  samples: { fetched: number; recorded: number };
  seconds: { fetch: number; rules: number; alerts: number };
}

export interface FetchedInputs {
  file: string;
  inputs: BacktestResult['inputs'];
  samples: number;
  seconds: number;
}

export interface PassOptions {
  config: CascadeConfig;
  window: { from: number; to: number };
  stepSeconds: number;
  services: string[];
  /** Working folder of this pass (TSDB, OpenMetrics files, logs). */
  workDir: string;
  timeoutMs: number;
  progress: (line: string, done?: boolean) => void;
}

/** Points per query: keeps one answer (series x points) to about this many samples in memory. */
const SAMPLES_PER_QUERY = 400_000;
const PARALLEL_QUERIES = 2;

/** Runs `task` over `items`, at most `parallel` at a time, in order of start. */
async function eachLimited<T>(items: T[], parallel: number, task: (item: T, index: number) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await task(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
}

function seriesLabels(metric: Record<string, string>): Record<string, string> {
  const { __name__: _name, ...rest } = metric;
  return rest;
}

/** The selectors' series counts over the range; refuses politely beyond `maxSeries`, names signals without any. */
export async function checkInputs(
  api: PrometheusApi,
  plan: BacktestPlan,
  maxSeries: number
): Promise<Map<PlannedInput, number>> {
  const counts = new Map<PlannedInput, number>();
  const missing: string[] = [];
  for (const input of plan.inputs) {
    let total = 0;
    for (const selector of input.selectors) {
      const n = await api.seriesCount(selector, input.from, plan.window.to);
      if (n > maxSeries) {
        throw new BacktestError(
          `${selector} (signal ${input.signal}) matches ${n} series between ${iso(input.from)} and ` +
            `${iso(plan.window.to)}, more than --max-series ${maxSeries}. Narrow it (signals.${input.signal}.matchers ` +
            `in your configuration, or --service), or raise --max-series if your machine can hold them.`
        );
      }
      total += n;
    }
    counts.set(input, total);
    if (total === 0) {
      missing.push(`${input.signal} (${input.selectors.join(', ')})`);
    }
  }
  if (missing.length === plan.inputs.length) {
    throw new BacktestError(
      `no input series of the pack between ${iso(plan.inputs.reduce((m, i) => Math.min(m, i.from), Infinity))} and ` +
        `${iso(plan.window.to)}: is this the right Prometheus, and does it keep data that far back? ` +
        `(looked for: ${plan.inputs.flatMap((i) => i.selectors).join(', ')})`
    );
  }
  if (missing.length > 0) {
    throw new BacktestError(
      `input signals with no series in the window: ${missing.join('; ')}. Map them onto your metrics ` +
        `(signals.<name>.metric / matchers / labels in your configuration, or a --preset), or leave them out ` +
        `with --set signals.<name>.enabled=false.`
    );
  }
  return counts;
}

/** Fetches the inputs over their ranges into one OpenMetrics file, chunk by chunk, saying how far it got. */
export async function fetchInputs(
  api: PrometheusApi,
  plan: BacktestPlan,
  counts: Map<PlannedInput, number>,
  file: string,
  progress: PassOptions['progress']
): Promise<FetchedInputs> {
  const started = Date.now();
  const out = new OpenMetricsFile(file);
  const step = plan.stepSeconds;
  const work = plan.inputs.flatMap((input) => {
    const perSelector = Math.max(1, counts.get(input) ?? 1);
    const points = Math.max(60, Math.floor(SAMPLES_PER_QUERY / perSelector));
    return input.selectors.flatMap((selector) =>
      chunks(input.from, plan.window.to, step, points).map(([from, to]) => ({ selector, from, to }))
    );
  });
  // In time order across selectors, so each series' samples reach the file in order.
  work.sort((a, b) => a.from - b.from);
  let done = 0;
  // One chunk at a time per series: chunks of the same selector must be written in order.
  for (const w of work) {
    const result = await api.queryRange(w.selector, w.from, w.to, step);
    for (const s of result) {
      await out.series(
        s.metric.__name__,
        seriesLabels(s.metric),
        s.values.map((v) => v[0]),
        s.values.map((v) => v[1])
      );
    }
    done++;
    progress(`fetching input series: ${done}/${work.length} queries, ${out.samples.toLocaleString('en')} samples`);
  }
  await out.close();
  progress(`fetched ${out.samples.toLocaleString('en')} samples of ${plan.inputs.length} signals`, true);
  return {
    file,
    samples: out.samples,
    seconds: (Date.now() - started) / 1000,
    inputs: plan.inputs.map((i) => ({
      signal: i.signal,
      selectors: i.selectors,
      series: counts.get(i) ?? 0,
      from: i.from,
    })),
  };
}

/**
 * Writes one rule's evaluations to the file with a sample at every step until the next evaluation, as the live
 * Prometheus' instant selectors see a series recorded every `interval` (see LocalPrometheus' lookback).
 */
async function writeRecorded(
  out: OpenMetricsFile,
  record: string,
  extraLabels: Record<string, string>,
  result: RangeSeries[],
  interval: number,
  step: number,
  to: number
) {
  for (const s of result) {
    const times: number[] = [];
    const values: string[] = [];
    for (const [t, v] of s.values) {
      for (let u = t; u < t + interval && u <= to; u += step) {
        times.push(u);
        values.push(v);
      }
    }
    await out.series(record, { ...seriesLabels(s.metric), ...extraLabels }, times, values);
  }
}

/** One pass over the fetched inputs: the recording rules level by level, then the alerts. */
export async function evaluatePass(
  options: PassOptions,
  plan: BacktestPlan,
  fetched: FetchedInputs
): Promise<BacktestResult> {
  const { workDir, progress } = options;
  const step = plan.stepSeconds;
  const to = plan.window.to;
  const dataDir = path.join(workDir, 'tsdb');
  fs.mkdirSync(dataDir, { recursive: true });
  const local = new LocalPrometheus(dataDir, workDir, step - 1, options.timeoutMs);
  const rulesStarted = Date.now();
  let recordedSamples = 0;
  try {
    progress('building the local TSDB from the input series (promtool tsdb create-blocks-from openmetrics)');
    const earliest = Math.min(...fetched.inputs.map((i) => i.from));
    await importOpenMetrics(fetched.file, dataDir, workDir, { samples: fetched.samples, seconds: to - earliest });
    let api = await local.start();
    const seriesGuess = Math.max(1, ...fetched.inputs.map((i) => i.series));
    for (const [index, level] of plan.levels.entries()) {
      const file = path.join(workDir, `level-${index + 1}.om`);
      const out = new OpenMetricsFile(file);
      const queries = level.flatMap((r) =>
        chunks(r.from, to, r.intervalSeconds, Math.floor(SAMPLES_PER_QUERY / seriesGuess)).map(([from, end]) => ({
          r,
          from,
          end,
        }))
      );
      // Answers arrive in any order; each rule's chunks are written in time order.
      const answers = new Map<number, RangeSeries[]>();
      let written = 0;
      let pending = Promise.resolve();
      await eachLimited(queries, PARALLEL_QUERIES, async (q, i) => {
        answers.set(i, await local.api!.queryRange(q.r.rule.expr, q.from, q.end, q.r.intervalSeconds));
        pending = pending.then(async () => {
          while (answers.has(written)) {
            const w = queries[written];
            await writeRecorded(
              out,
              w.r.rule.record,
              w.r.rule.labels ?? {},
              answers.get(written)!,
              w.r.intervalSeconds,
              step,
              to
            );
            answers.delete(written);
            written++;
          }
        });
        await pending;
        progress(
          `recording rules, level ${index + 1} of ${plan.levels.length}: ${i + 1}/${queries.length} queries (${level.length} rules)`
        );
      });
      await out.close();
      recordedSamples += out.samples;
      await local.stop();
      if (out.samples > 0) {
        const earliest = Math.min(...level.map((r) => r.from));
        await importOpenMetrics(file, dataDir, workDir, { samples: out.samples, seconds: to - earliest });
      }
      fs.rmSync(file, { force: true });
      api = await local.start();
    }
    const rulesSeconds = (Date.now() - rulesStarted) / 1000;
    progress(
      `recording rules done: ${recordedSamples.toLocaleString('en')} samples in ${plan.levels.length} levels`,
      true
    );

    const alertsStarted = Date.now();
    const byName = new Map<string, BacktestResult['alerts'][number]>();
    await eachLimited(plan.alerts, PARALLEL_QUERIES, async (a) => {
      const interval = a.intervalSeconds;
      const evaluations: number[] = [];
      for (let t = a.from; t <= to; t += interval) {
        evaluations.push(t);
      }
      const present = new Map<string, { labels: Record<string, string>; at: Set<number> }>();
      for (const [from, end] of chunks(a.from, to, interval, Math.floor(SAMPLES_PER_QUERY / seriesGuess))) {
        for (const s of await api.queryRange(a.rule.expr, from, end, interval)) {
          const labels = seriesLabels(s.metric);
          const key = JSON.stringify(Object.entries(labels).sort());
          const entry = present.get(key) ?? { labels, at: new Set<number>() };
          for (const [t] of s.values) {
            entry.at.add(t);
          }
          present.set(key, entry);
        }
      }
      const instances: AlertInstance[] = [];
      for (const { labels, at } of present.values()) {
        const spans = firingSpans(
          evaluations,
          (i) => at.has(evaluations[i]),
          a.forSeconds,
          a.keepFiringForSeconds
        ).filter((s) => (s.end === null || s.end > plan.window.from) && s.start <= to);
        if (spans.length > 0) {
          instances.push({ alertname: a.rule.alert, severity: a.rule.severity, stage: a.rule.stage, labels, spans });
        }
      }
      const entry = byName.get(a.rule.alert) ?? {
        alertname: a.rule.alert,
        severity: a.rule.severity,
        stage: a.rule.stage,
        instances: [],
      };
      entry.instances.push(...instances);
      byName.set(a.rule.alert, entry);
      progress(`alerts: ${byName.size}/${plan.alerts.length} evaluated`);
    });
    const alertsSeconds = (Date.now() - alertsStarted) / 1000;

    const backgroundStep = Math.max(step, Math.ceil((to - plan.window.from) / 900 / step) * step);
    const line = async (expr: string) => {
      const r = await api.queryRange(expr, plan.window.from, to, backgroundStep);
      return r.length === 0 ? [] : r[0].values.map(([t, v]) => [t, Number(v)] as [number, number]);
    };
    const background = {
      traffic: await line('sum(cascade:http_requests:rate5m)'),
      backlog: await line('sum(cascade:db_write_backlog:sum)'),
    };
    return {
      window: plan.window,
      stepSeconds: step,
      alerts: plan.alerts.map((a) => byName.get(a.rule.alert)!).filter((a, i, all) => all.indexOf(a) === i),
      background,
      inputs: fetched.inputs,
      samples: { fetched: fetched.samples, recorded: recordedSamples },
      seconds: { fetch: fetched.seconds, rules: rulesSeconds, alerts: alertsSeconds },
    };
  } finally {
    await local.stop();
  }
}

/** Fetched inputs by what was fetched, so that a second pass over the same inputs (`--set`) reads them once. */
export type FetchCache = Map<string, FetchedInputs>;

/** A whole pass, fetch included. */
export async function backtestPass(
  api: PrometheusApi,
  options: PassOptions & { maxSeries: number; fetched?: FetchCache }
): Promise<BacktestResult> {
  const plan = planBacktest(options.config, {
    window: options.window,
    stepSeconds: options.stepSeconds,
    services: options.services,
  });
  fs.mkdirSync(options.workDir, { recursive: true });
  const key = JSON.stringify([plan.inputs, plan.window, plan.stepSeconds]);
  let fetched = options.fetched?.get(key);
  if (fetched === undefined) {
    const counts = await checkInputs(api, plan, options.maxSeries);
    fetched = await fetchInputs(api, plan, counts, path.join(options.workDir, 'inputs.om'), options.progress);
    options.fetched?.set(key, fetched);
  }
  return evaluatePass(options, plan, fetched);
}

export { planBacktest };

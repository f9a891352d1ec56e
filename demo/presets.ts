/**
 * A preset end to end, as its user meets it: the whole set rendered for the preset (config/render.ts), the simulator speaking the
 * preset's dialect (the exporter's own names and labels), the pack evaluated over the first report, and a real
 * Prometheus on 127.0.0.1 holding the raw series and everything the pack recorded, laid on the wall clock so
 * that the host page's live Cascade panel reads it as "the last three hours".
 *
 * The pack is evaluated by promtool (alerts/replay/: three weeks of history for the seasonal group, then every
 * group at one minute over the report), the same Prometheus engine that evaluates it in production, because a
 * Prometheus evaluates rules only from the time it starts; the series it records are read back at every
 * minute and backfilled into the Prometheus the dashboards are queried through, with the rendered rule file
 * loaded as a user loads it.
 */
import fs from 'fs';
import path from 'path';
import YAML from 'yaml';

import { loadConfig } from '../config/load';
import type { CascadeConfig } from '../config/schema';
import { OUTPUT_FILES } from '../alerts/render';
import { replay, fastStart, type DumpedSample, type ReplayAlert, type ReplayOptions } from '../alerts/replay/replay';
import { HISTORY_SECONDS, stitch } from '../alerts/replay/scenarios';
import { renderEverything } from '../config/render';
import {
  loadScenario,
  runInDialects,
  simulate,
  writeOpenMetrics,
  type DialectName,
  type SimulationRun,
} from '../simulator';
import { formatLabels, formatValue } from '../simulator/output/format';
import { freePort } from '../lib/processes';
import { ProcessGroup, tail, type Started } from './processes';
import { requiredBinaries } from './stack';

export const FIRST_REPORT = 'cloudsmith-2020-02-04';
/** The contract's own names: the run every preset is compared with. */
export const CONTRACT = 'contract';
export type Variant = DialectName | typeof CONTRACT;

const STEP = 60;
/**
 * The part of the first report the dashboards and the panel are looked at over: the surge (21:02), the primary
 * saturated (21:47), no healthy instance (22:57) and the deploy of the bootstrap fix (23:24), before the first
 * instance is back (23:44).
 */
export const DISPLAY = { from: '20:30', to: '23:30', range: '3h' } as const;
/** Raw series are kept this long before the display, so rate windows at its start are full. */
const RAW_LEAD_SECONDS = 3600;

function at(anchor: number, hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return anchor + h * 3600 + m * 60;
}

export function configFor(variant: Variant): CascadeConfig {
  return variant === CONTRACT ? loadConfig() : loadConfig({ presets: [variant] });
}

/** The dashboards of a configuration's whole rendered set (what `npm run render -- --preset NAME --out DIR` writes). */
export function dashboardsFor(config: CascadeConfig): Map<string, string> {
  return new Map([...renderEverything(config)].filter(([file]) => /^dashboards\/[^/]+\.json$/.test(file)));
}

/** The first report with three weeks of history, in the contract's names (simulated once, shared). */
export function firstReportRun(config: CascadeConfig): {
  run: SimulationRun;
  window: { from: number; to: number };
  anchor: number;
  seasonalCache: NonNullable<ReplayOptions['seasonalCache']>;
} {
  const scenario = loadScenario(FIRST_REPORT);
  // From the scenario's start to midnight: the cascade and its last alert (replica lag high, 23:34); the
  // recovery after it is the replays' (alerts/replay/) to check.
  const window = { from: scenario.window.from, to: scenario.anchor + 24 * 3600 };
  const historyFrom = window.from - HISTORY_SECONDS;
  const seam = fastStart(historyFrom, window, config);
  const keep = (r: SimulationRun): SimulationRun => ({
    ...r,
    // The latency histogram is read by neither the pack nor the dashboards' Cascade panel.
    series: r.series.filter((s) => !s.name.startsWith('http_request_duration_seconds')),
  });
  const history = keep(simulate(scenario, { from: historyFrom, to: seam - STEP, stepSeconds: STEP }));
  const windowRun = keep(simulate(scenario, { from: seam, to: window.to, stepSeconds: STEP }));
  return { run: stitch(history, windowRun), window, anchor: scenario.anchor, seasonalCache: new Map() };
}

export interface VariantResult {
  variant: Variant;
  config: CascadeConfig;
  /** The dialect's run (raw series as the exporters expose them). */
  run: SimulationRun;
  alerts: ReplayAlert[];
  recorded: DumpedSample[];
  display: { from: number; to: number };
  promtoolSeconds: number;
}

/** The pack rendered for the variant, evaluated over the first report in the variant's dialect. */
export async function evaluate(variant: Variant, base: ReturnType<typeof firstReportRun>): Promise<VariantResult> {
  const config = configFor(variant);
  const run = variant === CONTRACT ? base.run : runInDialects(base.run, [variant]);
  const display = { from: at(base.anchor, DISPLAY.from), to: at(base.anchor, DISPLAY.to) };
  const result = await replay({
    name: `preset-${variant}`,
    run,
    window: base.window,
    config,
    dump: display,
    seasonalCache: base.seasonalCache,
  });
  return {
    variant,
    config,
    run,
    alerts: result.alerts,
    recorded: result.recorded,
    display,
    promtoolSeconds: result.seconds.seasonal + result.seconds.fast,
  };
}

/**
 * OpenMetrics for `promtool tsdb create-blocks-from openmetrics`: the raw series over the display (and an hour
 * before it) and the recorded series, every timestamp moved by `shift` seconds, and so every value that is a
 * Unix time (the contract's deploy timestamp, the pack's recorded deploy time).
 */
export async function writeBackfill(r: VariantResult, shift: number, file: string): Promise<number> {
  const first = Math.round((r.display.from - RAW_LEAD_SECONDS - r.run.from) / r.run.stepSeconds);
  const last = Math.round((r.display.to - r.run.from) / r.run.stepSeconds);
  const deploy = r.config.signals.lastDeploy;
  const timeValued = (name: string) => deploy.kind === 'timestamp' && name === deploy.metric;
  const slice: SimulationRun = {
    ...r.run,
    from: r.run.times[first] + shift,
    times: r.run.times.slice(first, last + 1).map((t) => t + shift),
    series: r.run.series
      .map((s) => ({
        ...s,
        values: s.values.slice(first, last + 1).map((v) => (timeValued(s.name) ? v + shift : v)),
      }))
      .filter((s) => s.values.some((v) => !Number.isNaN(v))),
  };
  const out = fs.createWriteStream(file);
  let text = '';
  await writeOpenMetrics(slice, (chunk) => (text += chunk));
  out.write(text.replace(/# EOF\n$/, ''));
  // Recorded series, one family at a time.
  const byName = new Map<string, DumpedSample[]>();
  for (const s of r.recorded) {
    const name = s.labels.__name__;
    byName.set(name, [...(byName.get(name) ?? []), s]);
  }
  let samples = slice.series.reduce((n, s) => n + s.values.filter((v) => !Number.isNaN(v)).length, 0);
  for (const [name, list] of byName) {
    out.write(`# TYPE ${name} gauge\n`);
    const bySeries = new Map<string, DumpedSample[]>();
    for (const s of list) {
      const labels = { ...s.labels };
      delete labels.__name__;
      const key = `${name}${formatLabels(labels)}`;
      bySeries.set(key, [...(bySeries.get(key) ?? []), s]);
    }
    for (const [key, points] of bySeries) {
      for (const p of points.sort((a, b) => a.t - b.t)) {
        const value = name === 'cascade:deploy:last_timestamp_seconds' ? p.value + shift : p.value;
        out.write(`${key} ${formatValue(value)} ${p.t + shift}\n`);
        samples++;
      }
    }
  }
  out.write('# EOF\n');
  await new Promise<void>((resolve, reject) => {
    out.once('error', reject);
    out.end(resolve);
  });
  return samples;
}

function runToCompletion(group: ProcessGroup, name: string, command: string, args: string[]): Promise<void> {
  const p = group.start(name, command, args);
  return new Promise((resolve, reject) =>
    p.child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${name} failed (exit ${code}):\n${tail(p.log)}`))
    )
  );
}

export interface PresetPrometheus {
  url: string;
  /** The rendered rule file as Prometheus loaded it: its groups. */
  ruleGroups: number;
  /** Series and samples backfilled. */
  series: number;
  samples: number;
  stop(): Promise<void>;
  prometheus: Started;
}

/**
 * The variant's rendered set written to `dir` (as `--out` would), its backfill built, and a Prometheus started
 * on a free loopback port with that data and the rendered rule file.
 */
export async function startPresetPrometheus(r: VariantResult, dir: string, shift: number): Promise<PresetPrometheus> {
  const bins = requiredBinaries();
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of renderEverything(r.config)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  const group = new ProcessGroup(path.join(dir, 'logs'));
  const backfill = path.join(dir, 'backfill.om');
  const samples = await writeBackfill(r, shift, backfill);
  const data = path.join(dir, 'data');
  await runToCompletion(group, 'promtool-backfill', bins.promtool, [
    'tsdb',
    'create-blocks-from',
    'openmetrics',
    backfill,
    data,
  ]);
  const port = await freePort();
  const configFile = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(
    configFile,
    YAML.stringify({
      global: { evaluation_interval: r.config.evaluationInterval },
      rule_files: [path.join(dir, OUTPUT_FILES.prometheusRules)],
    })
  );
  const prometheus = group.start('prometheus', bins.prometheus, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${data}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--storage.tsdb.retention.time=30d',
  ]);
  const url = `http://127.0.0.1:${port}`;
  await group.waitUntilReady(prometheus, `${url}/-/ready`, 60_000);
  const rules = (await (await fetch(`${url}/api/v1/rules`)).json()) as { data: { groups: unknown[] } };
  const series = new Set(r.recorded.map((s) => JSON.stringify(s.labels))).size + r.run.series.length;
  return {
    url,
    ruleGroups: rules.data.groups.length,
    series,
    samples,
    prometheus,
    stop: () => group.stopAll(),
  };
}

/** One query a dashboard runs, where it comes from, and the expression as Grafana sends it. */
export interface DashboardQuery {
  dashboard: string;
  where: string;
  expr: string;
}

interface Json {
  [key: string]: unknown;
}

function panelsOf(d: Json): Json[] {
  const out: Json[] = [];
  const walk = (list: unknown) => {
    for (const p of (Array.isArray(list) ? list : []) as Json[]) {
      out.push(p);
      walk(p.panels);
    }
  };
  walk(d.panels);
  return out;
}

/** Every PromQL expression of a dashboard: panels' targets, query variables and annotations. */
export function dashboardQueries(
  file: string,
  text: string
): { queries: DashboardQuery[]; variables: DashboardQuery[] } {
  const d = JSON.parse(text) as Json;
  const queries: DashboardQuery[] = [];
  for (const p of panelsOf(d)) {
    for (const t of (Array.isArray(p.targets) ? p.targets : []) as Json[]) {
      if (typeof t.expr === 'string') {
        queries.push({ dashboard: file, where: `panel "${String(p.title)}" ${String(t.refId)}`, expr: t.expr });
      }
    }
  }
  const annotations = ((d.annotations as Json | undefined)?.list ?? []) as Json[];
  for (const a of annotations) {
    const expr = typeof a.expr === 'string' ? a.expr : (a.target as Json | undefined)?.expr;
    if (typeof expr === 'string') {
      queries.push({ dashboard: file, where: `annotation "${String(a.name)}"`, expr });
    }
  }
  const variables: DashboardQuery[] = [];
  for (const v of (((d.templating as Json | undefined)?.list ?? []) as Json[]).filter((x) => x.type === 'query')) {
    const q = v.query;
    const expr = typeof q === 'string' ? q : (q as Json | undefined)?.query;
    if (typeof expr === 'string') {
      variables.push({ dashboard: file, where: `variable ${String(v.name)}`, expr });
    }
  }
  return { queries, variables };
}

/** Grafana's substitutions for a one-minute scrape interval: the scope, and the interval macros. */
export function substitute(expr: string, scope: Record<string, string>, rangeSeconds: number): string {
  const values: Record<string, string> = {
    ...scope,
    __rate_interval: '4m',
    __interval: '1m',
    __range: `${rangeSeconds}s`,
  };
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (m, a: string | undefined, b: string | undefined) => {
    const name = (a ?? b)!;
    return name in values ? values[name] : m;
  });
}

/** What a query returned over the range: series with at least one sample, or Prometheus' error. */
export async function rangeQuery(
  url: string,
  expr: string,
  range: { from: number; to: number }
): Promise<{ series: number; error?: string }> {
  const form = new URLSearchParams({ query: expr, start: String(range.from), end: String(range.to), step: '60s' });
  const res = await fetch(`${url}/api/v1/query_range`, { method: 'POST', body: form });
  const body = (await res.json()) as {
    status: string;
    error?: string;
    data?: { result: Array<{ values: unknown[] }> };
  };
  if (body.status !== 'success') {
    return { series: 0, error: body.error ?? body.status };
  }
  return { series: (body.data?.result ?? []).filter((r) => r.values.length > 0).length };
}

/** A variable's values: `label_values(selector, label)` through the series API, as Grafana's data source does. */
export async function variableValues(
  url: string,
  expr: string,
  range: { from: number; to: number }
): Promise<{ values: string[]; error?: string }> {
  const m = /^\s*label_values\((?:(.*),\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/.exec(expr);
  if (!m) {
    return { values: [], error: `not a label_values() query: ${expr}` };
  }
  const [, selector, label] = m;
  const params = new URLSearchParams({ start: String(range.from), end: String(range.to) });
  if (selector) {
    params.append('match[]', selector);
  }
  const res = await fetch(`${url}/api/v1/label/${label}/values?${params}`);
  const body = (await res.json()) as { status: string; error?: string; data?: string[] };
  return body.status === 'success' ? { values: body.data ?? [] } : { values: [], error: body.error };
}

/**
 * Cost of the pack in a real Prometheus (Debian's 2.42): per rule group, the evaluation time
 * (`prometheus_rule_group_last_duration_seconds`) and the series it records, against the same
 * Prometheus, on the same data, evaluating only plain `rate()` recording rules for the same
 * counters. Both run side by side; the result is a ratio measured in the same run.
 *
 *   npx tsx alerts/bench.ts [--services 100] [--routes 20] [--seconds 300] [--interval 1m] [--history-step 60]
 *                           [--port 19470] [--json FILE] [--keep]
 *
 * Data: the simulator's `normal-week` service, its per-route shapes scaled for each of N services
 * x M routes (different sizes per service and route): the inputs of the last 3 hours, the
 * recorded per-service rates the seasonal and SLO rules read from weeks back and the per-route rates
 * of the last day (each route's usual share reads them) are backfilled with
 * promtool; from then on both Prometheus scrape the same inputs, live, from a small exporter this
 * script serves every 15 s (backfilled data must end before now, or the TSDB refuses the rules' own
 * samples as out of bounds). The fast groups are evaluated at the production interval (1m: their
 * range functions over recorded series read one sample per evaluation), the seasonal group every
 * 30 s to collect evaluations quickly (its cost does not depend on its interval); the per-minute
 * cost is computed for the production intervals (1m and 5m).
 */
import { spawn, type ChildProcess } from 'child_process';
import fs from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';

import { SIGNALS } from '../contract/signals';
import { loadScenario, openMetricsChunks, simulate, type Series, type SimulationRun } from '../simulator';
import { loadConfig } from '../config/load';
import { seconds } from './promql';
import { renderPrometheusRules } from './render/prometheus';
import { toYaml } from './render/yaml';
import { buildPack } from './rules/pack';
import { SERIES } from './rules/series';
import { promtool } from './testing/promtool';

/** The pack's Prometheus, the plain one and the exporter listen on three ports from `--port` (default 19470). */
let PORTS = { pack: 19470, plain: 19471, exporter: 19472 };
let EXPORTER = `127.0.0.1:${PORTS.exporter}`;
const MINUTE = 60;
const DAY = 86400;
const WEEK = 7 * DAY;
/** Inputs are scraped every 15 s, a common production setting. */
const SCRAPE = '15s';
/**
 * The seasonal group is evaluated every 30 s to collect evaluations quickly: its cost per evaluation does not
 * depend on its interval (it reads weeks-old history). The fast groups run at `--interval` (production: 1m),
 * because their range functions over recorded series read one sample per evaluation interval.
 */
const SLOW = '30s';

interface Options {
  services: number;
  routes: number;
  seconds: number;
  /**
   * Step of the backfilled weeks of recorded rates (seconds): 60 by default, 300 above 200 services,
   * which keeps 1,000 services' history to a fifth (the seasonal and slow SLO rules read averages over it).
   */
  historyStep?: number;
  port: number;
  /** Evaluation interval of the fast groups and the plain rules (1m as in production; 15s was used before). */
  interval: string;
  json?: string;
  /** Leave both Prometheus and the exporter running afterwards, for a look (Ctrl-C ends it). */
  keep?: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { services: 100, routes: 20, seconds: 300, port: 19470, interval: '1m' };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const n = Number(value);
    if (flag === '--keep') {
      options.keep = true;
      continue;
    }
    if (flag === '--json') {
      options.json = value;
    } else if (flag === '--interval' && /^\d+[sm]$/.test(value ?? '')) {
      options.interval = value;
    } else if (['--services', '--routes', '--seconds', '--port'].includes(flag) && Number.isInteger(n) && n > 0) {
      options[flag.slice(2) as 'services' | 'routes' | 'seconds' | 'port'] = n;
    } else if (flag === '--history-step' && Number.isInteger(n) && n >= MINUTE && n % MINUTE === 0) {
      options.historyStep = n;
    } else {
      throw new Error(
        `unknown or invalid argument ${flag} ${value ?? ''}: expected --services N --routes N --seconds N ` +
          `--history-step SECONDS (a multiple of 60) --port N --json FILE`
      );
    }
    i++;
  }
  // A median needs evaluations: every group at least twice (one round may start just before the end).
  const slowest = Math.max(seconds(SLOW), seconds(options.interval));
  if (options.seconds < 2 * slowest) {
    throw new Error(`--seconds ${options.seconds}: expected at least ${2 * slowest}, two rounds of every group`);
  }
  return options;
}

/** A deterministic size factor in [0.2, 2) for service s, route r. */
function scale(s: number, r: number): number {
  const x = Math.sin(s * 12.9898 + r * 78.233) * 43758.5453;
  return 0.2 + 1.8 * (x - Math.floor(x));
}

const ROUTES = ['download', 'api', 'upload'];

/** Timestamps from `from` to `to` (Unix seconds), both included, a minute (or `step`) apart. */
function minutes(from: number, to: number, step = MINUTE): number[] {
  const out: number[] = [];
  for (let t = from; t <= to; t += step) {
    out.push(t);
  }
  return out;
}

function find(sim: SimulationRun, name: string, labels: Record<string, string>): Series {
  const s = sim.series.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  if (s === undefined) {
    throw new Error(`the simulator run has no ${name}${JSON.stringify(labels)}`);
  }
  return s;
}

interface LiveSeries {
  /** Name, type and labels (as scraped: with job and instance). */
  series: Omit<Series, 'values'>;
  template: Series;
  factor: number;
  /** Added to the template's value (a deploy time moved to the wall clock). */
  shift: number;
}

interface BenchData {
  /** Recorded per-service rates over the windows the seasonal and SLO rules read. */
  history: SimulationRun;
  /** The inputs, as backfilled for the last hours and served live afterwards. */
  live: LiveSeries[];
  /** An input's value at a wall-clock time. */
  valueAt: (l: LiveSeries, t: number) => number;
  /** The inputs of the 3 hours up to `end` (Unix seconds), as a run to backfill. */
  recent: (end: number) => SimulationRun;
}

/** The labels a scrape of the bench exporter adds (honor_labels keeps a series' own `instance`). */
function scraped(labels: Record<string, string>): Record<string, string> {
  return { job: 'bench', instance: EXPORTER, ...labels };
}

const byMetric = <T extends { metric: string }>(a: T, b: T) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0);

/**
 * The benchmark's data from the simulator: the recorded per-service rates from weeks back (to
 * backfill), and every input series as a scaled template of the simulated service (to backfill
 * the last hours just before Prometheus starts, and to serve live afterwards).
 */
function historyStepOf(options: Options): number {
  return options.historyStep ?? (options.services > 200 ? 5 * MINUTE : MINUTE);
}

/** Service `svc-NNN` and its database cluster: one cluster for every ten services. */
const serviceName = (s: number) => `svc-${String(s).padStart(3, '0')}`;
const clusterName = (s: number) => `db-${String(Math.floor(s / 10)).padStart(2, '0')}`;

function prepare(options: Options, now: number): BenchData {
  const scenario = loadScenario('normal-week');
  // The simulation's middle of the week stands for "now".
  const simNow = scenario.window.from + 3 * DAY + 14 * 3600;
  const sim = simulate(scenario, { from: simNow - 22 * DAY, to: simNow + DAY, stepSeconds: MINUTE });
  const offset = simNow - now;
  const service = sim.series.find((s) => s.name === SIGNALS.traffic.name)!.labels.service;

  const live: LiveSeries[] = [];
  const push = (template: Series, labels: Record<string, string>, factor: number, shift = 0) => {
    const { values: _values, ...meta } = template;
    live.push({ series: { ...meta, labels: scraped(labels) }, template, factor, shift });
  };
  const historyWindows = [
    [now - 3 * DAY - 15 * MINUTE, now - MINUTE],
    ...[1, 2, 3].map((k) => [now - k * WEEK - DAY - 2 * 3600, now - k * WEEK + 30 * MINUTE]),
  ];
  const historyStep = historyStepOf(options);
  const historyTimes = [...new Set(historyWindows.flatMap(([a, b]) => minutes(a, b, historyStep)))].sort(
    (a, b) => a - b
  );
  const history: Series[] = [];
  const byRoute: Array<{ name: string; labels: Record<string, string>; templates: Series[]; factor: number }> = [];
  const perMinuteRate = (template: Series, t: number) => {
    const k = Math.round((t + offset - sim.from) / sim.stepSeconds);
    return (template.values[k] - template.values[k - 5]) / (5 * MINUTE);
  };

  const requests = (r: string, code: string) => find(sim, SIGNALS.traffic.name, { service, route: r, code });
  const successCode: Record<string, string> = { download: '302', api: '200', upload: '201' };
  for (let s = 0; s < options.services; s++) {
    const svc = serviceName(s);
    const requestsRate = new Float64Array(historyTimes.length);
    const errorsRate = new Float64Array(historyTimes.length);
    for (let r = 0; r < options.routes; r++) {
      const template = ROUTES[r % ROUTES.length];
      const route = `${template}-${String(r).padStart(2, '0')}`;
      const f = scale(s, r);
      const success = requests(template, successCode[template]);
      const failed = requests(template, '500');
      for (const t of [success, failed]) {
        push(t, { service: svc, route, code: t.labels.code }, f);
      }
      byRoute.push(
        { name: SERIES.requestsByRoute, labels: { service: svc, route }, templates: [success, failed], factor: f },
        { name: SERIES.errorsByRoute, labels: { service: svc, route }, templates: [failed], factor: f }
      );
      // The route's own rate over the last day too, up to where the recent inputs take over: each route's usual
      // share (the seasonal group) reads a day of it.
      const routeRate = new Float64Array(historyTimes.length);
      historyTimes.forEach((t, i) => {
        const rate = (perMinuteRate(success, t) + perMinuteRate(failed, t)) * f;
        requestsRate[i] += rate;
        errorsRate[i] += perMinuteRate(failed, t) * f;
        routeRate[i] = t >= now - DAY - 2 * 3600 && t < now - 3 * 3600 - MINUTE ? rate : NaN;
      });
      history.push({
        name: SERIES.requestsByRoute,
        metric: SERIES.requestsByRoute,
        type: 'gauge',
        labels: { service: svc, route },
        values: routeRate,
      });
    }
    history.push(
      { name: SERIES.requests, metric: SERIES.requests, type: 'gauge', labels: { service: svc }, values: requestsRate },
      { name: SERIES.errors, metric: SERIES.errors, type: 'gauge', labels: { service: svc }, values: errorsRate }
    );
    const f = scale(s, 99);
    for (const key of ['trafficSources', 'healthyInstances', 'desiredInstances'] as const) {
      push(find(sim, SIGNALS[key].name, { service }), { service: svc }, key === 'trafficSources' ? f : 1);
    }
    const deploy = sim.series.filter((x) => x.name === SIGNALS.lastDeploy.name).at(-1)!;
    push(deploy, { service: svc, version: 'v1' }, 1, -offset - (s % 7) * DAY);
  }
  // One database cluster for every ten services.
  const database: string[] = [
    SIGNALS.writeBacklog.name,
    SIGNALS.writesApplied.name,
    SIGNALS.dbUtilization.name,
    SIGNALS.replicaLag.name,
  ];
  for (let c = 0; c < Math.ceil(options.services / 10); c++) {
    const cluster = clusterName(c * 10);
    for (const t of sim.series.filter((x) => database.includes(x.name))) {
      push(t, { ...t.labels, cluster }, 1);
    }
  }
  // The writers expect each metric's series together.
  live.sort((a, b) => byMetric(a.series, b.series));
  history.sort(byMetric);
  const base = { scenario: sim.scenario, seed: sim.seed, stepSeconds: MINUTE, milestones: {}, events: [] };
  const valueAt = (l: LiveSeries, t: number) => {
    // Linear between the template's minutes: counters keep rising between scrapes.
    const x = (t + offset - sim.from) / sim.stepSeconds;
    const k = Math.floor(x);
    const a = l.template.values[k];
    const b = l.template.values[k + 1];
    return (a + (b - a) * (x - k)) * l.factor + l.shift;
  };
  return {
    history: {
      ...base,
      from: historyTimes[0],
      to: historyTimes.at(-1)!,
      times: Float64Array.from(historyTimes),
      series: history,
    },
    live,
    valueAt,
    recent: (end) => {
      // Backfilled data must end before Prometheus starts: the TSDB refuses samples older than its newest block.
      // The last 10 minutes at the scrape interval, so rate() windows read as many samples from the first evaluation.
      const times = [...minutes(end - 3 * 3600, end - 10 * MINUTE - 1), ...minutes(end - 10 * MINUTE, end, 15)];
      const series = live.map((l) => ({ ...l.series, values: Float64Array.from(times, (t) => valueAt(l, t)) }));
      // The per-route rates the pack records, for the last 30 minutes: the pre-deploy latches read them 5 to 20
      // minutes back, which a pack started a minute ago would not have yet.
      for (const r of byRoute) {
        const values = Float64Array.from(times, (t) =>
          t < end - 30 * MINUTE ? NaN : r.templates.reduce((sum, tpl) => sum + perMinuteRate(tpl, t), 0) * r.factor
        );
        series.push({ name: r.name, metric: r.name, type: 'gauge', labels: r.labels, values });
      }
      series.sort(byMetric);
      return { ...base, from: times[0], to: end, times: Float64Array.from(times), series };
    },
  };
}

/** The live inputs in the text exposition format, at the current time. */
function exposition(data: BenchData): string {
  const t = Date.now() / 1000;
  const lines: string[] = [];
  let family = '';
  for (const l of data.live) {
    if (l.series.metric !== family) {
      family = l.series.metric;
      lines.push(`# TYPE ${family} ${l.series.type === 'counter' ? 'counter' : 'gauge'}`);
    }
    // job and the exporter's instance come from the scrape.
    const labels = Object.entries(l.series.labels)
      .filter(([k, v]) => k !== 'job' && !(k === 'instance' && v === EXPORTER))
      .map(([k, v]) => `${k}="${v}"`)
      .join(',');
    const v = data.valueAt(l, t);
    if (!Number.isNaN(v)) {
      lines.push(`${l.series.name}{${labels}} ${v}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Writes a run as OpenMetrics (the simulator's writer) and turns it into TSDB blocks in `blocks`. */
async function backfillBlocks(dir: string, name: string, run: SimulationRun, blocks: string): Promise<number> {
  const file = path.join(dir, `${name}.om`);
  const out = fs.createWriteStream(file);
  let bytes = 0;
  for (const chunk of openMetricsChunks(run)) {
    bytes += chunk.length;
    if (!out.write(chunk)) {
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    }
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  const created = await promtool(['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, blocks]);
  if (created.status !== 0) {
    throw new Error(`promtool tsdb create-blocks-from openmetrics (${name}) failed:\n${created.output.slice(-3000)}`);
  }
  fs.rmSync(file);
  return bytes;
}

function get(port: number, urlPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: urlPath, timeout: 5000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

interface GroupSample {
  evaluations: Map<number, { duration: number; samples: number }>;
  rules: number;
  interval: number;
}

/** Reads the rule-group metrics of one Prometheus into `groups`, keyed by group name. */
async function scrape(port: number, groups: Map<string, GroupSample>): Promise<void> {
  const text = await get(port, '/metrics');
  const values = new Map<string, Map<string, number>>();
  for (const line of text.split('\n')) {
    const m = /^prometheus_rule_group_(\w+)\{rule_group="[^;"]*;([^"]+)"\} (\S+)$/.exec(line);
    if (m) {
      const byGroup = values.get(m[2]) ?? new Map<string, number>();
      byGroup.set(m[1], Number(m[3]));
      values.set(m[2], byGroup);
    }
  }
  for (const [name, v] of values) {
    const g = groups.get(name) ?? { evaluations: new Map(), rules: 0, interval: 0 };
    g.rules = v.get('rules') ?? 0;
    g.interval = v.get('interval_seconds') ?? 0;
    const at = v.get('last_evaluation_timestamp_seconds') ?? 0;
    if (at > 0) {
      g.evaluations.set(at, {
        duration: v.get('last_duration_seconds') ?? 0,
        samples: v.get('last_evaluation_samples') ?? 0,
      });
    }
    groups.set(name, g);
  }
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

interface GroupResult {
  group: string;
  rules: number;
  evaluations: number;
  medianMs: number;
  series: number;
  /** Evaluations a minute at the production interval. */
  perMinute: number;
}

function summarise(groups: Map<string, GroupSample>, productionInterval: (group: string) => number): GroupResult[] {
  return [...groups].map(([group, g]) => {
    // The first evaluation warms caches and reads everything cold: leave it out.
    const all = [...g.evaluations.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => e);
    const evals = all.length > 1 ? all.slice(1) : all;
    return {
      group,
      rules: g.rules,
      evaluations: evals.length,
      medianMs: median(evals.map((e) => e.duration * 1000)),
      series: median(evals.map((e) => e.samples)),
      perMinute: 60 / productionInterval(group),
    };
  });
}

function startPrometheus(name: string, dir: string, port: number): ChildProcess {
  const log = fs.openSync(path.join(dir, `${name}.log`), 'w');
  return spawn(
    process.env.PROMETHEUS ?? 'prometheus',
    [
      `--config.file=${path.join(dir, `${name}.yml`)}`,
      `--storage.tsdb.path=${path.join(dir, `${name}-data`)}`,
      // Keep the backfilled weeks (the default 15 days would delete the oldest on start).
      '--storage.tsdb.retention.time=60d',
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ['ignore', log, log] }
  );
}

async function waitReady(port: number, proc: ChildProcess, log: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (proc.exitCode !== null) {
      throw new Error(
        `prometheus exited (${proc.exitCode}); see ${log}:\n${fs.readFileSync(log, 'utf8').slice(-2000)}`
      );
    }
    try {
      if ((await get(port, '/-/ready')).includes('Ready')) {
        return;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`prometheus on ${port} not ready after 2 minutes; see ${log}`);
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  PORTS = { pack: options.port, plain: options.port + 1, exporter: options.port + 2 };
  EXPORTER = `127.0.0.1:${PORTS.exporter}`;
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-bench-'));
  const now = Math.floor(Date.now() / 1000 / MINUTE) * MINUTE;
  const procs: ChildProcess[] = [];
  const stop = () => procs.forEach((p) => p.exitCode === null && p.kill('SIGTERM'));
  process.on('exit', stop);
  // Prometheus writes to its data folder until it has exited: the folder is removed only then.
  const stopped = () =>
    Promise.all(
      procs.map((p) =>
        p.exitCode !== null || p.signalCode !== null ? undefined : new Promise((resolve) => p.once('exit', resolve))
      )
    );
  try {
    // 1. The weeks of recorded history (the bulk of the data) into blocks.
    const data = prepare(options, now);
    const blocks = path.join(dir, 'blocks');
    let bytes = await backfillBlocks(dir, 'history', data.history, blocks);
    // 2. The inputs of the last 3 hours, up to a minute from now: then Prometheus starts and
    //    scrapes the same inputs live. The shorter that gap, the sooner rate() windows are whole.
    const end = Math.floor(Date.now() / 1000 / MINUTE) * MINUTE;
    bytes += await backfillBlocks(dir, 'recent', data.recent(end), blocks);
    const generated = (Date.now() - started) / 1000;
    const config = loadConfig();
    config.evaluationInterval = options.interval;
    config.slowEvaluationInterval = SLOW;
    // A fleet sets its topology: each service on its cluster, as the data has it.
    config.topology.services = Array.from({ length: options.services }, (_, s) => ({
      service: serviceName(s),
      cluster: clusterName(s),
    }));
    fs.writeFileSync(path.join(dir, 'pack.rules.yml'), renderPrometheusRules(config, buildPack(config)));
    const plainRules = [SIGNALS.traffic.name, SIGNALS.writesApplied.name].map((metric) => ({
      record: `bench:${metric}:rate5m`,
      expr: `rate(${metric}[5m])`,
    }));
    fs.writeFileSync(
      path.join(dir, 'plain.rules.yml'),
      toYaml({ groups: [{ name: 'plain-rate', interval: options.interval, rules: plainRules }] })
    );
    for (const name of ['pack', 'plain'] as const) {
      fs.writeFileSync(
        path.join(dir, `${name}.yml`),
        toYaml({
          global: { evaluation_interval: options.interval, scrape_interval: SCRAPE },
          rule_files: [path.join(dir, `${name}.rules.yml`)],
          scrape_configs: [{ job_name: 'bench', honor_labels: true, static_configs: [{ targets: [EXPORTER] }] }],
        })
      );
      fs.cpSync(path.join(dir, 'blocks'), path.join(dir, `${name}-data`), { recursive: true });
    }
    fs.rmSync(path.join(dir, 'blocks'), { recursive: true });

    const exporter = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain; version=0.0.4' });
      res.end(exposition(data));
    });
    await new Promise<void>((resolve) => exporter.listen(PORTS.exporter, '127.0.0.1', resolve));
    process.on('exit', () => exporter.close());
    const setupSeconds = (Date.now() - started) / 1000;
    for (const name of ['pack', 'plain'] as const) {
      const p = startPrometheus(name, dir, PORTS[name]);
      procs.push(p);
      await waitReady(PORTS[name], p, path.join(dir, `${name}.log`));
    }
    const pack = new Map<string, GroupSample>();
    const plain = new Map<string, GroupSample>();
    const until = Date.now() + options.seconds * 1000;
    while (Date.now() < until) {
      await Promise.all([scrape(PORTS.pack, pack), scrape(PORTS.plain, plain)]);
      await new Promise((r) => setTimeout(r, 3000));
    }
    // Which alerts were active at the end (the data is an ordinary week: this should be quiet).
    const alerts = JSON.parse(await get(PORTS.pack, '/api/v1/alerts')) as {
      data: { alerts: Array<{ labels: Record<string, string>; state: string }> };
    };
    const active = new Map<string, number>();
    for (const a of alerts.data.alerts) {
      const key = `${a.labels.alertname} (${a.state}${a.labels.signal ? `, ${a.labels.signal}` : ''})`;
      active.set(key, (active.get(key) ?? 0) + 1);
    }
    if (options.keep) {
      process.stdout.write(
        `Kept running: pack http://127.0.0.1:${PORTS.pack}, plain rate http://127.0.0.1:${PORTS.plain}, exporter http://${EXPORTER}/metrics (Ctrl-C ends them)\n`
      );
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
    stop();
    exporter.close();

    const slowGroup = `cascade-watch.traffic-seasonal`;
    const packResults = summarise(pack, (g) => (g === slowGroup ? seconds('5m') : seconds('1m')));
    const plainResults = summarise(plain, () => seconds('1m'));
    const perMinute = (rs: GroupResult[]) => rs.reduce((sum, r) => sum + r.medianMs * r.perMinute, 0);
    const series = (rs: GroupResult[]) => rs.reduce((sum, r) => sum + r.series, 0);
    const packMs = perMinute(packResults);
    const plainMs = perMinute(plainResults);

    const lines = [
      `Cascade Watch rule pack cost: ${options.services} services x ${options.routes} routes x 2 codes ` +
        `(${options.services * options.routes * 2} request series, ${data.live.length + data.history.series.length} backfilled series, ${(bytes / 1e6).toFixed(0)} MB OpenMetrics), ` +
        `Prometheus ${'2.42'} on ${os.cpus().length} cores; weeks of history at a ${historyStepOf(options)} s step; ${options.seconds} s of evaluations after ${setupSeconds.toFixed(0)} s of setup (${generated.toFixed(0)} s of it simulating and backfilling).`,
      '',
      '| group | rules | evaluations | median eval (ms) | series recorded | per production minute (ms) |',
      '|---|---|---|---|---|---|',
      ...[...packResults, ...plainResults].map(
        (r) =>
          `| ${r.group} | ${r.rules} | ${r.evaluations} | ${r.medianMs.toFixed(1)} | ${r.series} | ${(r.medianMs * r.perMinute).toFixed(1)} |`
      ),
      '',
      `Pack: ${packMs.toFixed(1)} ms of rule evaluation per minute, ${series(packResults)} series recorded per evaluation round.`,
      `Plain rate() rules for the same counters: ${plainMs.toFixed(1)} ms per minute, ${series(plainResults)} series.`,
      `Ratio (pack / plain rate): ${(packMs / plainMs).toFixed(2)}x the evaluation time, ${(series(packResults) / series(plainResults)).toFixed(3)}x the series.`,
      `Alerts active at the end: ${active.size === 0 ? 'none' : [...active].map(([k, n]) => `${n} x ${k}`).join(', ')}.`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (options.json) {
      fs.mkdirSync(path.dirname(options.json), { recursive: true });
      fs.writeFileSync(
        options.json,
        JSON.stringify({ options, pack: packResults, plain: plainResults, packMs, plainMs }, null, 2)
      );
    }
    await stopped();
    fs.rmSync(dir, { recursive: true, force: true });
  } catch (err) {
    stop();
    process.stderr.write(`bench failed (files kept in ${dir}): ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  // A bad argument (the run's own failures are reported inside main): a line, not a stack.
  process.stderr.write(`alerts/bench.ts: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});

/**
 * Cost of the pack in a real Prometheus (Debian's 2.42): per rule group, the evaluation time
 * (`prometheus_rule_group_last_duration_seconds`) and the series it records, against the same
 * Prometheus, on the same data, evaluating only plain `rate()` recording rules for the same
 * counters. Both run side by side; the result is a ratio measured in the same run.
 *
 *   npx tsx alerts/bench.ts [--services 100] [--routes 20] [--seconds 150] [--json FILE]
 *
 * Data: the simulator's `normal-week` service, its per-route shapes scaled for each of N services
 * x M routes (different sizes per service and route), backfilled with promtool as the inputs of
 * the last 3 hours (and the next minutes, so they stay fresh while Prometheus evaluates) plus the
 * recorded per-service rates the seasonal and SLO rules read from weeks back. Groups are evaluated
 * every 15 s (fast) and 30 s (seasonal) to collect many evaluations quickly; a group's cost per
 * evaluation does not depend on its interval, and the per-minute cost is computed for the
 * production intervals (1m and 5m).
 */
import { spawn, type ChildProcess } from 'child_process';
import fs from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';

import { SIGNALS } from '../contract/signals';
import { loadScenario, openMetricsChunks, simulate, type Series, type SimulationRun } from '../simulator';
import { loadConfig } from './config/load';
import { seconds } from './promql';
import { renderPrometheusRules } from './render/prometheus';
import { toYaml } from './render/yaml';
import { buildPack } from './rules/pack';
import { SERIES } from './rules/series';
import { promtool } from './testing/promtool';

const PORTS = { pack: 19470, plain: 19471 };
const MINUTE = 60;
const DAY = 86400;
const WEEK = 7 * DAY;
const FAST = '15s';
const SLOW = '30s';

interface Options {
  services: number;
  routes: number;
  seconds: number;
  json?: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { services: 100, routes: 20, seconds: 150 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1]];
    const n = Number(value);
    if (flag === '--json') {
      options.json = value;
    } else if (['--services', '--routes', '--seconds'].includes(flag) && Number.isInteger(n) && n > 0) {
      options[flag.slice(2) as 'services' | 'routes' | 'seconds'] = n;
    } else {
      throw new Error(
        `unknown or invalid argument ${flag} ${value ?? ''}: expected --services N --routes N --seconds N --json FILE`
      );
    }
    i++;
  }
  return options;
}

/** A deterministic size factor in [0.2, 2) for service s, route r. */
function scale(s: number, r: number): number {
  const x = Math.sin(s * 12.9898 + r * 78.233) * 43758.5453;
  return 0.2 + 1.8 * (x - Math.floor(x));
}

const ROUTES = ['download', 'api', 'upload'];

/** Minute timestamps from `from` to `to` (Unix seconds), both included. */
function minutes(from: number, to: number): number[] {
  const out: number[] = [];
  for (let t = from; t <= to; t += MINUTE) {
    out.push(t);
  }
  return out;
}

/** Values of a template series at wall-clock times, through the wall-to-simulation time offset. */
function sample(template: Series, sim: SimulationRun, times: number[], offset: number, factor: number): Float64Array {
  const out = new Float64Array(times.length);
  times.forEach((t, i) => {
    const k = Math.round((t + offset - sim.from) / sim.stepSeconds);
    out[i] = template.values[k] * factor;
  });
  return out;
}

function find(sim: SimulationRun, name: string, labels: Record<string, string>): Series {
  const s = sim.series.find((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v));
  if (s === undefined) {
    throw new Error(`the simulator run has no ${name}${JSON.stringify(labels)}`);
  }
  return s;
}

/**
 * The backfill as two simulator-shaped runs: inputs around now, and the recorded per-service
 * rates over the windows the seasonal and SLO rules read.
 */
function backfill(options: Options, now: number): { recent: SimulationRun; history: SimulationRun; series: number } {
  const scenario = loadScenario('normal-week');
  // The simulation's middle of the week stands for "now".
  const simNow = scenario.window.from + 3 * DAY + 14 * 3600;
  const sim = simulate(scenario, { from: simNow - 22 * DAY, to: simNow + DAY, stepSeconds: MINUTE });
  const offset = simNow - now;
  const service = sim.series.find((s) => s.name === SIGNALS.traffic.name)!.labels.service;

  const recentTimes = minutes(now - 3 * 3600, now + 15 * MINUTE);
  const recent: Series[] = [];
  const historyWindows = [
    [now - 3 * DAY - 15 * MINUTE, now - MINUTE],
    ...[1, 2, 3].map((k) => [now - k * WEEK - DAY - 2 * 3600, now - k * WEEK + 30 * MINUTE]),
  ];
  const historyTimes = [...new Set(historyWindows.flatMap(([a, b]) => minutes(a, b)))].sort((a, b) => a - b);
  const history: Series[] = [];
  const perMinuteRate = (template: Series, t: number) => {
    const k = Math.round((t + offset - sim.from) / sim.stepSeconds);
    return (template.values[k] - template.values[k - 5]) / (5 * MINUTE);
  };

  const byRoute = (name: string) => (r: string, code: string) => find(sim, name, { service, route: r, code });
  const requests = byRoute(SIGNALS.traffic.name);
  for (let s = 0; s < options.services; s++) {
    const svc = `svc-${String(s).padStart(3, '0')}`;
    const requestsRate = new Float64Array(historyTimes.length);
    const errorsRate = new Float64Array(historyTimes.length);
    for (let r = 0; r < options.routes; r++) {
      const template = ROUTES[r % ROUTES.length];
      const route = `${template}-${String(r).padStart(2, '0')}`;
      const f = scale(s, r);
      const success = requests(template, template === 'download' ? '302' : template === 'api' ? '200' : '201');
      const failed = requests(template, '500');
      for (const [code, t] of [
        ['2xx', success],
        ['500', failed],
      ] as const) {
        recent.push({
          ...t,
          labels: { service: svc, route, code: code === '2xx' ? t.labels.code : '500' },
          values: sample(t, sim, recentTimes, offset, f),
        });
      }
      historyTimes.forEach((t, i) => {
        requestsRate[i] += (perMinuteRate(success, t) + perMinuteRate(failed, t)) * f;
        errorsRate[i] += perMinuteRate(failed, t) * f;
      });
    }
    history.push(
      { name: SERIES.requests, metric: SERIES.requests, type: 'gauge', labels: { service: svc }, values: requestsRate },
      { name: SERIES.errors, metric: SERIES.errors, type: 'gauge', labels: { service: svc }, values: errorsRate }
    );
    const f = scale(s, 99);
    for (const key of ['trafficSources', 'healthyInstances', 'desiredInstances'] as const) {
      const t = find(sim, SIGNALS[key].name, { service });
      recent.push({
        ...t,
        labels: { service: svc },
        values: sample(t, sim, recentTimes, offset, key === 'trafficSources' ? f : 1),
      });
    }
    const deploy = sim.series.filter((x) => x.name === SIGNALS.lastDeploy.name).at(-1)!;
    recent.push({
      ...deploy,
      labels: { service: svc, version: 'v1' },
      values: sample(deploy, sim, recentTimes, offset, 1).map((v) => v - offset - (s % 7) * DAY),
    });
  }
  // One database cluster for every ten services.
  for (let c = 0; c < Math.ceil(options.services / 10); c++) {
    const cluster = `db-${String(c).padStart(2, '0')}`;
    const database: string[] = [
      SIGNALS.writeBacklog.name,
      SIGNALS.writesApplied.name,
      SIGNALS.dbUtilization.name,
      SIGNALS.replicaLag.name,
    ];
    for (const t of sim.series.filter((x) => database.includes(x.name))) {
      recent.push({ ...t, labels: { ...t.labels, cluster }, values: sample(t, sim, recentTimes, offset, 1) });
    }
  }
  // The writers expect each metric's series together.
  recent.sort((a, b) => (a.metric < b.metric ? -1 : a.metric > b.metric ? 1 : 0));
  const base = { scenario: sim.scenario, seed: sim.seed, stepSeconds: MINUTE, milestones: {}, events: [] };
  return {
    recent: {
      ...base,
      from: recentTimes[0],
      to: recentTimes.at(-1)!,
      times: Float64Array.from(recentTimes),
      series: recent,
    },
    history: {
      ...base,
      from: historyTimes[0],
      to: historyTimes.at(-1)!,
      times: Float64Array.from(historyTimes),
      series: history,
    },
    series: recent.length + history.length,
  };
}

async function writeBackfill(file: string, runs: SimulationRun[]): Promise<number> {
  const out = fs.createWriteStream(file);
  let bytes = 0;
  for (const [i, run] of runs.entries()) {
    for (const chunk of openMetricsChunks(run)) {
      // One `# EOF`, at the very end.
      const text = i < runs.length - 1 ? chunk.replace(/# EOF\n$/, '') : chunk;
      bytes += text.length;
      if (!out.write(text)) {
        await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
    }
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
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
    const evals = [...g.evaluations.entries()]
      .sort((a, b) => a[0] - b[0])
      .slice(1)
      .map(([, e]) => e);
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
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-bench-'));
  const now = Math.floor(Date.now() / 1000 / MINUTE) * MINUTE;
  const procs: ChildProcess[] = [];
  const stop = () => procs.forEach((p) => p.exitCode === null && p.kill('SIGTERM'));
  process.on('exit', stop);
  try {
    const data = backfill(options, now);
    const file = path.join(dir, 'backfill.om');
    const bytes = await writeBackfill(file, [data.recent, data.history]);
    const generated = (Date.now() - started) / 1000;
    const blocks = await promtool([
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      '--quiet',
      file,
      path.join(dir, 'blocks'),
    ]);
    if (blocks.status !== 0) {
      throw new Error(`promtool tsdb create-blocks-from openmetrics failed:\n${blocks.output.slice(-3000)}`);
    }
    fs.rmSync(file);

    const config = loadConfig();
    config.evaluationInterval = FAST;
    config.slowEvaluationInterval = SLOW;
    fs.writeFileSync(path.join(dir, 'pack.rules.yml'), renderPrometheusRules(config, buildPack(config)));
    const plainRules = [SIGNALS.traffic.name, SIGNALS.writesApplied.name].map((metric) => ({
      record: `bench:${metric}:rate5m`,
      expr: `rate(${metric}[5m])`,
    }));
    fs.writeFileSync(
      path.join(dir, 'plain.rules.yml'),
      toYaml({ groups: [{ name: 'plain-rate', interval: FAST, rules: plainRules }] })
    );
    for (const name of ['pack', 'plain'] as const) {
      fs.writeFileSync(
        path.join(dir, `${name}.yml`),
        toYaml({ global: { evaluation_interval: FAST }, rule_files: [path.join(dir, `${name}.rules.yml`)] })
      );
      fs.cpSync(path.join(dir, 'blocks'), path.join(dir, `${name}-data`), { recursive: true });
    }
    fs.rmSync(path.join(dir, 'blocks'), { recursive: true });

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
    stop();

    const slowGroup = `cascade-watch.traffic-seasonal`;
    const packResults = summarise(pack, (g) => (g === slowGroup ? seconds('5m') : seconds('1m')));
    const plainResults = summarise(plain, () => seconds('1m'));
    const perMinute = (rs: GroupResult[]) => rs.reduce((sum, r) => sum + r.medianMs * r.perMinute, 0);
    const series = (rs: GroupResult[]) => rs.reduce((sum, r) => sum + r.series, 0);
    const packMs = perMinute(packResults);
    const plainMs = perMinute(plainResults);

    const lines = [
      `Cascade Watch rule pack cost: ${options.services} services x ${options.routes} routes x 2 codes ` +
        `(${options.services * options.routes * 2} request series, ${data.series} backfilled series, ${(bytes / 1e6).toFixed(0)} MB OpenMetrics), ` +
        `Prometheus ${'2.42'} on ${os.cpus().length} cores; ${options.seconds} s of evaluations after ${setupSeconds.toFixed(0)} s of setup (data ${generated.toFixed(0)} s).`,
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
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (options.json) {
      fs.mkdirSync(path.dirname(options.json), { recursive: true });
      fs.writeFileSync(
        options.json,
        JSON.stringify({ options, pack: packResults, plain: plainResults, packMs, plainMs }, null, 2)
      );
    }
    fs.rmSync(dir, { recursive: true, force: true });
  } catch (err) {
    stop();
    process.stderr.write(`bench failed (files kept in ${dir}): ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

void main();

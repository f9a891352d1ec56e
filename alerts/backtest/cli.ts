/**
 * `cascade-rules backtest`: what the pack would have fired on your own history, before you load it.
 *
 *   cascade-rules backtest --prometheus http://127.0.0.1:9090 --from 28d --out report/
 *   cascade-rules backtest --prometheus URL --preset otel-http --incident 2024-03-05T21:00..2024-03-05T23:00
 *   cascade-rules backtest --prometheus URL --set traffic.baseline.stddevMultiplier=4   (a second pass, compared)
 */
import { Command, InvalidArgumentError } from 'commander';
import fs from 'fs';
import os from 'os';
import path from 'path';
import YAML from 'yaml';

import { ConfigError, deepMerge, loadConfig, validateConfig } from '../../config/load';
import type { CascadeConfig } from '../../config/schema';
import { seconds } from '../promql';
import { htmlReport } from './html';
import { namedList } from '../../lib/namedList';
import { BacktestError, PrometheusApi } from './prometheusApi';
import { terminalReport } from './report';
import { backtestPass, type BacktestResult, type FetchCache, type PassOptions } from './run';

export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
/** The longest window a backtest takes (the seasonal history comes on top). */
export const MAX_WINDOW_SECONDS = 92 * 86_400;

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress on one line, rewritten). */
  isTTY?: boolean;
  now?: () => number;
}

class UsageError extends Error {}

/**
 * A time: `now`, a duration back from `base` (`28d`, `6h`), an ISO 8601 date/time (UTC unless it says otherwise),
 * or Unix seconds.
 */
export function parseTime(text: string, base: number, now: number): number {
  const t = text.trim();
  if (t === 'now') {
    return now;
  }
  if (/^(\d+(ms|s|m|h|d|w|y))+$/.test(t)) {
    return base - seconds(t);
  }
  if (/^\d{9,11}(\.\d+)?$/.test(t)) {
    return Number(t);
  }
  if (/^\d{4}-\d{2}-\d{2}/.test(t)) {
    const zoned = /([zZ]|[+-]\d{2}:?\d{2})$/.test(t);
    const ms = Date.parse(t.includes('T') ? (zoned ? t : `${t}Z`) : `${t}T00:00:00Z`);
    if (Number.isFinite(ms)) {
      return ms / 1000;
    }
  }
  throw new UsageError(
    `"${text}" is not a time: expected now, a duration back (28d, 6h), an ISO date/time (2024-03-05T21:00) or Unix seconds`
  );
}

/** `key.path=value` as an override object; the value is read as YAML (numbers, true/false, null, strings). */
export function parseSet(text: string): Record<string, unknown> {
  const eq = text.indexOf('=');
  const key = eq > 0 ? text.slice(0, eq).trim() : '';
  if (!/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(key)) {
    throw new UsageError(
      `--set ${text}: expected key=value with a dotted key such as traffic.baseline.stddevMultiplier=4`
    );
  }
  let value: unknown;
  try {
    value = YAML.parse(text.slice(eq + 1));
  } catch {
    value = text.slice(eq + 1);
  }
  return key
    .split('.')
    .reverse()
    .reduce<unknown>((inner, k) => ({ [k]: inner }), value) as Record<string, unknown>;
}

/** The configuration with every `--set` applied, validated by the configuration's own schema. */
export function applySets(config: CascadeConfig, sets: string[]): CascadeConfig {
  let merged: unknown = config;
  for (const s of sets) {
    merged = deepMerge(merged, parseSet(s));
  }
  return validateConfig(merged, `--set ${sets.join(' ')}`);
}

interface Options {
  prometheus?: string;
  config?: string;
  preset: string[];
  from: string;
  to: string;
  service: string[];
  incident: string[];
  set: string[];
  maxSeries: number;
  step: string;
  timeout: string;
  out?: string;
}

const collect = (v: string, all: string[]) => [...all, v];

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) {
    throw new InvalidArgumentError('expected a whole number above 0.');
  }
  return n;
}

/** What the report folder holds: the only files a backtest replaces. */
export const REPORT_FILES = ['index.html', 'backtest.json'];

/**
 * Why `out` cannot take the report, or undefined: it may be new, or a folder holding only a report's files.
 * The folder is replaced whole, so anything else in it (a mistyped `--out .`, a file named like the report)
 * is refused rather than deleted.
 */
export function reportDirProblem(out: string): string | undefined {
  if (!fs.existsSync(out)) {
    return undefined;
  }
  if (!fs.statSync(out).isDirectory()) {
    return `--out ${out}: is a file; expected a folder for ${REPORT_FILES.join(' and ')} (created if missing)`;
  }
  const others = fs.readdirSync(out).filter((f) => !REPORT_FILES.includes(f));
  if (others.length === 0) {
    return undefined;
  }
  return (
    `--out ${out}: holds other files (${namedList(others)}); expected a new folder or one an earlier backtest wrote ` +
    `(the report replaces the folder whole)`
  );
}

/** Writes the report folder whole or not at all: into a temporary sibling, renamed into place at the end. */
export function writeReportDir(out: string, files: Record<string, string>): void {
  const problem = reportDirProblem(out);
  if (problem !== undefined) {
    throw new BacktestError(problem);
  }
  const target = path.resolve(out);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = fs.mkdtempSync(`${target}.partial-`);
  try {
    // mkdtemp's folder is private (0700); a report is for reading, as a folder mkdir makes (umask 022).
    fs.chmodSync(tmp, 0o755);
    for (const [name, content] of Object.entries(files)) {
      fs.writeFileSync(path.join(tmp, name), content);
    }
    let old: string | null = null;
    if (fs.existsSync(target)) {
      old = `${target}.old-${process.pid}`;
      fs.renameSync(target, old);
    }
    fs.renameSync(tmp, target);
    if (old !== null) {
      fs.rmSync(old, { recursive: true, force: true });
    }
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

function progressWriter(io: CliIO): PassOptions['progress'] {
  let last = 0;
  let shown = '';
  return (line, done) => {
    if (io.isTTY) {
      io.stderr(`\r\x1b[2K${line}${done ? '\n' : ''}`);
      return;
    }
    // Not a terminal: a line when a step ends, and where it is every 5 s.
    const now = Date.now();
    if (done || now - last >= 5000) {
      if (line !== shown) {
        io.stderr(`${line}\n`);
      }
      shown = line;
      last = now;
    }
  };
}

export async function runBacktest(argv: string[], io: CliIO): Promise<number> {
  const program = new Command()
    .name('cascade-rules backtest')
    .description(
      "Evaluate the whole pack over your Prometheus' history with a local Prometheus, and report what would have fired."
    )
    .option(
      '--prometheus <url>',
      'your Prometheus (or a compatible API: Thanos Query, Mimir) to read the input series from'
    )
    .option('-c, --config <file>', 'YAML configuration (as for rendering the pack)')
    .option('-p, --preset <name>', 'apply a preset before the configuration (repeatable)', collect, [])
    .option('--from <time>', 'window start: a duration back from --to (28d), an ISO time or Unix seconds', '28d')
    .option('--to <time>', 'window end: now, a duration back from now, an ISO time or Unix seconds', 'now')
    .option('--service <name...>', 'only these services (signals that carry a service label)', [])
    .option(
      '--incident <from..to>',
      'an incident window to report on: which alert fired first (repeatable)',
      collect,
      []
    )
    .option(
      '--set <key=value>',
      'a second pass with this configuration field changed, compared (repeatable)',
      collect,
      []
    )
    .option('--max-series <n>', 'refuse a selector that matches more series than this', positiveInt, 10_000)
    .option('--step <duration>', 'resolution of the fetched series (a divisor of the evaluation intervals)', '60s')
    .option('--timeout <duration>', 'how long to wait for one answer from a Prometheus', '120s')
    .option('-o, --out <dir>', 'write the HTML report (index.html) and the figures (backtest.json) here')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    const code = (err as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : EXIT_USAGE;
  }
  const o = program.opts<Options>();
  const now = Math.floor((io.now ?? Date.now)() / 1000);
  let config: CascadeConfig;
  let changedConfig: CascadeConfig | undefined;
  let window: { from: number; to: number };
  let step: number;
  let timeoutMs: number;
  let incidents: Array<{ from: number; to: number }>;
  try {
    if (!o.prometheus) {
      throw new UsageError('--prometheus URL is required: the Prometheus that holds your history');
    }
    if (!/^https?:\/\/[^\s]+$/.test(o.prometheus)) {
      throw new UsageError(`--prometheus ${o.prometheus}: expected an http(s) URL`);
    }
    config = loadConfig({
      file: o.config,
      presets: o.preset,
      warn: (message) => io.stderr(`cascade-rules backtest: warning: ${message}\n`),
    });
    if (o.set.length > 0) {
      changedConfig = applySets(config, o.set);
    }
    step = seconds(o.step);
    timeoutMs = seconds(o.timeout) * 1000;
    const to = Math.floor(parseTime(o.to, now, now) / step) * step;
    const from = Math.floor(parseTime(o.from, to, now) / step) * step;
    if (from >= to) {
      throw new UsageError(`the window is empty: --from is not before --to`);
    }
    if (to - from > MAX_WINDOW_SECONDS) {
      throw new UsageError(
        `the range is too large: ${Math.round((to - from) / 86_400)} days; a backtest takes at most ` +
          `${MAX_WINDOW_SECONDS / 86_400} days (plus the seasonal history before it). Run several windows.`
      );
    }
    // Before hours of fetching, not after: where the report goes.
    const outProblem = o.out === undefined ? undefined : reportDirProblem(o.out);
    if (outProblem !== undefined) {
      throw new UsageError(outProblem);
    }
    window = { from, to };
    incidents = o.incident.map((text) => {
      const parts = text.split('..');
      if (parts.length !== 2) {
        throw new UsageError(`--incident ${text}: expected FROM..TO (2024-03-05T21:00..2024-03-05T23:00)`);
      }
      const a = parseTime(parts[0], to, now);
      const b = parseTime(parts[1], to, now);
      if (a >= b) {
        throw new UsageError(`--incident ${text}: FROM is not before TO`);
      }
      return { from: a, to: b };
    });
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`cascade-rules backtest: invalid configuration\n${err.message}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof UsageError || (err instanceof Error && /Prometheus duration/.test(err.message))) {
      io.stderr(`cascade-rules backtest: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-backtest-'));
  const progress = progressWriter(io);
  try {
    const api = new PrometheusApi(o.prometheus, timeoutMs);
    await api.check();
    const fetched: FetchCache = new Map();
    const pass = (cfg: CascadeConfig, name: string) =>
      backtestPass(api, {
        config: cfg,
        window,
        stepSeconds: step,
        services: o.service,
        workDir: path.join(work, name),
        timeoutMs,
        maxSeries: o.maxSeries,
        progress,
        fetched,
      });
    const result: BacktestResult = await pass(config, 'base');
    let changed: { sets: string[]; result: BacktestResult } | undefined;
    if (changedConfig !== undefined) {
      progress(`second pass with ${o.set.join(' ')}`, true);
      changed = { sets: o.set, result: await pass(changedConfig, 'changed') };
    }
    const input = { result, incidents, changed };
    io.stdout(terminalReport(input));
    if (o.out !== undefined) {
      const command = ['cascade-rules', 'backtest', ...argv].join(' ');
      writeReportDir(o.out, {
        'index.html': htmlReport({ ...input, title: 'Cascade Watch backtest', command }),
        'backtest.json': JSON.stringify(input, null, 1) + '\n',
      });
      io.stderr(`wrote ${path.join(o.out, 'index.html')}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof BacktestError) {
      io.stderr(`cascade-rules backtest: ${err.message}\n`);
      return EXIT_FAILED;
    }
    throw err;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

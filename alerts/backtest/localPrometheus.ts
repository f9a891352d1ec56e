/**
 * The backtest's own Prometheus: a TSDB built with `promtool tsdb create-blocks-from openmetrics`, served on
 * 127.0.0.1 by a Prometheus that scrapes nothing, only answers queries. It is restarted after each level of
 * recording rules has been added as blocks (Prometheus loads blocks it did not write at start).
 *
 * Its lookback delta is one step minus a second: every series in this TSDB (fetched inputs and recorded
 * rules) holds a sample at every step where the live Prometheus would see one, so a series that the live
 * Prometheus marks stale (a recording rule that stops returning it) disappears here at the same step, where the
 * default 5-minute lookback would keep it for 5 more minutes.
 */
import { spawn, type ChildProcess } from 'child_process';
import fs from 'fs';
import path from 'path';

import { freePort, tail } from '../../lib/processes';
import { BacktestError, PrometheusApi } from './prometheusApi';

export const PROMETHEUS = process.env.PROMETHEUS ?? 'prometheus';
export const PROMTOOL = process.env.PROMTOOL ?? 'promtool';

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook() {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Whatever ends this process, the local Prometheus goes with it.
    process.once('exit', () => running.forEach((c) => c.kill('SIGKILL')));
  }
}

/** Why a command could not start: not installed (with the package to install), or the system's reason. */
function cannotStart(command: string, err: NodeJS.ErrnoException): BacktestError {
  return new BacktestError(
    err.code === 'ENOENT'
      ? `${command} is not installed: the backtest needs Prometheus and promtool (Debian: sudo apt-get install -y prometheus)`
      : `${command} failed to start: ${err.message}`
  );
}

/** Runs a command to its end; rejects with its output's end when it fails or cannot start. */
export function runCommand(command: string, args: string[], log: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(log, 'w');
    const child = spawn(command, args, { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    running.add(child);
    installExitHook();
    child.once('error', (err: NodeJS.ErrnoException) => {
      running.delete(child);
      reject(cannotStart(command, err));
    });
    child.once('exit', (code, signal) => {
      running.delete(child);
      if (code === 0) {
        resolve();
      } else {
        reject(
          new BacktestError(
            `${path.basename(command)} ${args.slice(0, 3).join(' ')} failed (${code ?? signal}):\n${tail(log)}`
          )
        );
      }
    });
  });
}

/** Samples promtool holds in memory for one block (about 75 bytes each while it builds it, measured). */
const SAMPLES_PER_BLOCK = 10_000_000;

/**
 * Adds the samples of an OpenMetrics file to a TSDB directory. promtool builds one block at a time in memory and
 * reads the whole file once per block: one block for the whole range while it holds at most SAMPLES_PER_BLOCK
 * samples, else as many blocks as keep each about that size (assuming samples spread evenly over the range).
 */
export async function importOpenMetrics(
  file: string,
  dataDir: string,
  logDir: string,
  extent: { samples: number; seconds: number } = { samples: 0, seconds: 0 }
): Promise<void> {
  fs.mkdirSync(dataDir, { recursive: true });
  const blocks = Math.max(1, Math.ceil(extent.samples / SAMPLES_PER_BLOCK));
  // promtool aligns blocks to multiples of the duration, a multiple of 2 hours.
  const hours = blocks === 1 ? 100_000 : Math.max(2, 2 * Math.ceil(extent.seconds / 3600 / blocks / 2));
  await runCommand(
    PROMTOOL,
    ['tsdb', 'create-blocks-from', 'openmetrics', `--max-block-duration=${hours}h`, file, dataDir],
    path.join(logDir, `promtool-${path.basename(file)}.log`)
  );
}

export class LocalPrometheus {
  private child: ChildProcess | null = null;
  private port = 0;
  api: PrometheusApi | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly logDir: string,
    private readonly lookbackSeconds: number,
    private readonly queryTimeoutMs: number
  ) {}

  async start(): Promise<PrometheusApi> {
    const config = path.join(this.logDir, 'prometheus.yml');
    fs.writeFileSync(config, 'global:\n  scrape_interval: 1h\n');
    this.port = await freePort();
    const log = path.join(this.logDir, 'prometheus.log');
    const out = fs.openSync(log, 'a');
    const child = spawn(
      PROMETHEUS,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${this.dataDir}`,
        `--web.listen-address=127.0.0.1:${this.port}`,
        // Retention counts back from the newest sample: the history may be weeks older than that.
        '--storage.tsdb.retention.time=36500d',
        `--query.lookback-delta=${this.lookbackSeconds}s`,
        `--query.timeout=${Math.ceil(this.queryTimeoutMs / 1000)}s`,
        '--query.max-samples=500000000',
        '--log.level=warn',
      ],
      { stdio: ['ignore', out, out] }
    );
    fs.closeSync(out);
    running.add(child);
    installExitHook();
    this.child = child;
    const failedToStart = new Promise<never>((_, reject) => {
      child.once('error', (err: NodeJS.ErrnoException) => reject(cannotStart(PROMETHEUS, err)));
      child.once('exit', (code, signal) => {
        running.delete(child);
        reject(new BacktestError(`the local Prometheus exited (${code ?? signal}):\n${tail(log)}`));
      });
    });
    failedToStart.catch(() => undefined);
    const url = `http://127.0.0.1:${this.port}`;
    const ready = (async () => {
      for (let i = 0; i < 600; i++) {
        try {
          const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(2000) });
          if (res.ok) {
            return;
          }
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new BacktestError(`the local Prometheus was not ready within a minute:\n${tail(log)}`);
    })();
    await Promise.race([ready, failedToStart]);
    this.api = new PrometheusApi(url, this.queryTimeoutMs, 'the local Prometheus');
    return this.api;
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    this.api = null;
    if (child === null || child.exitCode !== null || child.signalCode !== null) {
      return;
    }
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    running.delete(child);
  }
}

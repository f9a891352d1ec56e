/**
 * A real Prometheus on 127.0.0.1 holding a simulator scenario's history, the stand-in for a user's Prometheus
 * in the backtest's tests and benchmark. The history is built as the incident replays build theirs
 * (alerts/replay/scenarios.ts: the window simulated on its own as the scenario defines it, the weeks before from
 * a second run, counters continued across the seam), so the backtest and the replays read the same data.
 * `services` above 1 copies the service (and its database cluster) under numbered names.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';

import { SIGNALS } from '../../contract/signals';
import { loadConfig } from '../../config/load';
import { loadScenario, simulate, writeOpenMetrics, type SimulationRun } from '../../simulator';
import { fastStart } from '../replay/replay';
import { HISTORY_SECONDS, stitch } from '../replay/scenarios';
import { importOpenMetrics, LocalPrometheus } from './localPrometheus';

export interface SimulatedPrometheus {
  url: string;
  /** The scenario's window (Unix seconds). */
  window: { from: number; to: number };
  anchor: number;
  stop(): Promise<void>;
}

const DAY = 86_400;

/** The scenario's window and the weeks before it, as the replay builds them. */
export function scenarioRun(scenarioName: string, window?: { from: number; to: number }, extraDays = 0): SimulationRun {
  const scenario = loadScenario(scenarioName);
  const w = window ?? scenario.window;
  // The seasonal rules read three weeks and a day back, and their history an hour more.
  const historyFrom = w.from - HISTORY_SECONDS - extraDays * DAY;
  const seam = fastStart(historyFrom, w, loadConfig());
  const step = 60;
  const keep = (r: SimulationRun): SimulationRun => ({
    ...r,
    series: r.series.filter((s) => s.metric !== SIGNALS.latency.name),
  });
  const history = keep(simulate(scenario, { from: historyFrom, to: seam - step, stepSeconds: step }));
  const windowRun = keep(simulate(scenario, { from: seam, to: w.to, stepSeconds: step }));
  return stitch(history, windowRun);
}

/** The run with its service and cluster copied `copies` times under numbered names. */
export function multiplied(run: SimulationRun, copies: number): SimulationRun {
  if (copies <= 1) {
    return run;
  }
  const series = run.series.flatMap((s) =>
    Array.from({ length: copies }, (_, i) => {
      const labels = { ...s.labels };
      const suffix = `-${String(i + 1).padStart(3, '0')}`;
      if (labels.service !== undefined) {
        labels.service += suffix;
      }
      if (labels.cluster !== undefined) {
        labels.cluster += suffix;
      }
      return { ...s, labels };
    })
  );
  return { ...run, series };
}

export async function startSimulatedPrometheus(
  scenarioName: string,
  options: { window?: { from: number; to: number }; services?: number; dir?: string } = {}
): Promise<SimulatedPrometheus> {
  const scenario = loadScenario(scenarioName);
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), `cascade-sim-prom-${scenarioName}-`));
  fs.mkdirSync(dir, { recursive: true });
  const run = multiplied(scenarioRun(scenarioName, options.window), options.services ?? 1);
  const file = path.join(dir, 'history.om');
  const out = fs.createWriteStream(file);
  await writeOpenMetrics(run, out);
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  const dataDir = path.join(dir, 'data');
  const samples = run.series.reduce((n, s) => n + s.values.length, 0);
  await importOpenMetrics(file, dataDir, dir, { samples, seconds: run.times[run.times.length - 1] - run.from });
  fs.rmSync(file);
  // The default lookback: this one stands for the user's Prometheus.
  const prometheus = new LocalPrometheus(dataDir, dir, 300, 120_000);
  const api = await prometheus.start();
  return {
    url: api.baseUrl,
    window: options.window ?? scenario.window,
    anchor: scenario.anchor,
    stop: async () => {
      await prometheus.stop();
      if (options.dir === undefined) {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The simulator's scenarios as replays: which window of each is replayed, over how much history.
 */
import { SIGNALS } from '../../contract/signals';
import { loadScenario, simulate, type SimulationRun } from '../../simulator';
import { loadConfig } from '../../config/load';
import { fastStart, replay, type ReplayResult } from './replay';

const DAY = 86400;
/** Three weeks of history: the seasonal baseline's earlier weeks. */
export const HISTORY_SECONDS = 21 * DAY;

export interface ScenarioReplay {
  scenario: string;
  /** What the replay shows, for reports. */
  title: string;
  kind: 'incident' | 'ordinary';
  /** The replayed window, relative to the scenario's own window (default: all of it). */
  window?: (scenarioWindow: { from: number; to: number }) => { from: number; to: number };
}

export const REPLAYS: ScenarioReplay[] = [
  { scenario: 'cloudsmith-2020-02-04', title: 'First report: traffic surge to total outage', kind: 'incident' },
  { scenario: 'crates-io-2023-07-20', title: 'Second report: a deploy breaks downloads', kind: 'incident' },
  { scenario: 'normal-week', title: 'An ordinary week with a weekly release', kind: 'ordinary' },
  { scenario: 'busy-peak', title: 'A busy but healthy peak (+60 %)', kind: 'ordinary' },
  {
    scenario: 'organic-growth',
    title: 'Steady organic growth (4 % a week), its fourth week',
    kind: 'ordinary',
    // The growth has been going on for three weeks by then: the baseline must keep up.
    window: (w) => ({ from: w.to - 7 * DAY, to: w.to }),
  },
  { scenario: 'nightly-batch', title: 'A nightly batch that fills and drains the backlog', kind: 'ordinary' },
  { scenario: 'routine-deploy', title: 'A routine deploy', kind: 'ordinary' },
  { scenario: 'planned-scale-down', title: 'A planned scale-down (12 to 8 instances)', kind: 'ordinary' },
];

export interface ScenarioResult extends ReplayResult {
  spec: ScenarioReplay;
  anchor: number;
  /** The simulated window (its milestones say when the model's stages happened). */
  run: SimulationRun;
}

/**
 * The history and the window as one run. The window (from run 2's start) is simulated on its own,
 * as the scenario defines it; the weeks before come from a second run and end where it starts.
 * Counters continue across the seam. (A single run from three weeks earlier draws different random
 * numbers and, for the first report, plays a different incident than the one calibrated.)
 */
export function stitch(history: SimulationRun, window: SimulationRun): SimulationRun {
  if (history.stepSeconds !== window.stepSeconds || history.to + history.stepSeconds !== window.from) {
    throw new Error('stitch: the window run must start one step after the history run ends');
  }
  const n = history.times.length + window.times.length;
  const times = new Float64Array(n);
  times.set(history.times);
  times.set(window.times, history.times.length);
  const series = window.series.map((w) => {
    const h = history.series.find((x) => x.name === w.name && seriesLabelsEqual(x.labels, w.labels));
    const values = new Float64Array(n).fill(NaN);
    if (h !== undefined) {
      values.set(h.values);
    }
    let offset = 0;
    if (w.type === 'counter' && h !== undefined) {
      // Continue from the history's last value, with the window's own first step as the increase.
      const last = lastNumber(h.values);
      const [first, second] = [w.values[0], w.values[1]];
      if (!Number.isNaN(last) && !Number.isNaN(first)) {
        offset = last + (Number.isNaN(second) ? 0 : second - first) - first;
      }
    }
    for (let k = 0; k < window.times.length; k++) {
      values[history.times.length + k] = w.values[k] + offset;
    }
    return { ...w, values };
  });
  return { ...window, from: history.from, times, series };
}

function seriesLabelsEqual(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
}

function lastNumber(values: ArrayLike<number>): number {
  for (let k = values.length - 1; k >= 0; k--) {
    if (!Number.isNaN(values[k])) {
      return values[k];
    }
  }
  return NaN;
}

/** A scenario simulated for a replay: three weeks of history stitched before its window. */
export interface ScenarioRun {
  /** History and window, one sample a minute. */
  run: SimulationRun;
  /** The replayed window (Unix seconds). */
  window: { from: number; to: number };
  /** The window's own simulation (its milestones say when the model's stages happened). */
  windowRun: SimulationRun;
  anchor: number;
}

export function simulateForReplay(spec: ScenarioReplay, config = loadConfig()): ScenarioRun {
  const scenario = loadScenario(spec.scenario);
  const window = spec.window ? spec.window(scenario.window) : scenario.window;
  const historyFrom = window.from - HISTORY_SECONDS;
  const seam = fastStart(historyFrom, window, config);
  const step = 60;
  const keep = (r: SimulationRun): SimulationRun => ({
    ...r,
    // The latency histogram is not read by the pack: leave it out of promtool's input.
    series: r.series.filter((s) => s.metric !== SIGNALS.latency.name),
  });
  const history = keep(simulate(scenario, { from: historyFrom, to: seam - step, stepSeconds: step }));
  const windowRun = keep(simulate(scenario, { from: seam, to: window.to, stepSeconds: step }));
  return { run: stitch(history, windowRun), window, windowRun, anchor: scenario.anchor };
}

/** Simulates three weeks of history and the scenario's window, and replays them. */
export async function replayScenario(spec: ScenarioReplay, config = loadConfig()): Promise<ScenarioResult> {
  const { run, window, windowRun, anchor } = simulateForReplay(spec, config);
  const result = await replay({ name: spec.scenario, run, window, config });
  return { ...result, spec, anchor, run: windowRun };
}

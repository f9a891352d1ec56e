/**
 * A run as OpenMetrics text with timestamps, the input of `promtool tsdb create-blocks-from openmetrics`:
 * one metric family at a time (HELP, TYPE, then its samples, each series in time order), `# EOF` at the end.
 * Absent samples (NaN in the run) are left out. Text is produced in chunks so weeks of history stream to a file
 * without being held in memory.
 */
import { SIGNALS } from '../../contract/signals';
import { dialectHelp } from '../dialects';
import type { SimulationRun } from '../run';
import { formatLabels, formatValue } from './format';

/** Size of the chunks handed to the sink. */
const CHUNK_CHARS = 1 << 20;

export interface OpenMetricsOptions {
  /** Called after each series with the share of samples written so far (0..1). */
  onProgress?: (done: number) => void;
}

/** OpenMetrics family name: a counter's family drops its `_total` suffix. */
function familyName(metric: string, type: string): string {
  return type === 'counter' && metric.endsWith('_total') ? metric.slice(0, -'_total'.length) : metric;
}

/** The text, chunk by chunk. */
export function* openMetricsChunks(run: SimulationRun, opts: OpenMetricsOptions = {}): Generator<string> {
  const help = new Map<string, string>(Object.values(SIGNALS).map((s) => [s.name, s.help]));
  const stamps: string[] = Array.from(run.times, (t) => formatValue(t));
  const total = run.series.length;
  let buffer = '';
  let family = '';
  for (let i = 0; i < total; i++) {
    const s = run.series[i];
    if (s.metric !== family) {
      family = s.metric;
      const name = familyName(s.metric, s.type);
      buffer += `# HELP ${name} ${help.get(s.metric) ?? dialectHelp(s.metric) ?? ''}\n# TYPE ${name} ${s.type}\n`;
    }
    const prefix = `${s.name}${formatLabels(s.labels)} `;
    const values = s.values;
    for (let k = 0; k < values.length; k++) {
      const v = values[k];
      if (v === v) {
        buffer += prefix + formatValue(v) + ' ' + stamps[k] + '\n';
        if (buffer.length >= CHUNK_CHARS) {
          yield buffer;
          buffer = '';
        }
      }
    }
    opts.onProgress?.((i + 1) / total);
  }
  yield `${buffer}# EOF\n`;
}

/** The whole text at once: for small runs and tests. */
export function toOpenMetrics(run: SimulationRun): string {
  let out = '';
  for (const chunk of openMetricsChunks(run)) {
    out += chunk;
  }
  return out;
}

type Sink = NodeJS.WritableStream | ((chunk: string) => void);

/**
 * Write the run to a stream (waiting when it asks to, so a slow disk does not pile text up in memory) or to a
 * function. Resolves when everything has been handed over.
 */
export async function writeOpenMetrics(run: SimulationRun, out: Sink, opts: OpenMetricsOptions = {}): Promise<void> {
  for (const chunk of openMetricsChunks(run, opts)) {
    if (typeof out === 'function') {
      out(chunk);
    } else if (!out.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const done = (err?: Error) => {
          out.removeListener('drain', onDrain);
          out.removeListener('error', done);
          if (err) {
            reject(err);
          } else {
            resolve();
          }
        };
        const onDrain = () => done();
        out.once('drain', onDrain);
        out.once('error', done);
      });
    }
  }
}

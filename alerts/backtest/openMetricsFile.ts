/**
 * Samples streamed to an OpenMetrics file for `promtool tsdb create-blocks-from openmetrics`: one line a sample,
 * written in buffered pieces that wait for the disk, so weeks of series never sit in memory. Each series' samples
 * must come in time order (promtool refuses a sample older than the one before it); series may interleave.
 */
import fs from 'fs';

import { formatLabels } from '../../simulator/output/format';

const FLUSH_CHARS = 1 << 20;

export class OpenMetricsFile {
  private readonly out: fs.WriteStream;
  private buffer = '';
  samples = 0;

  constructor(readonly path: string) {
    this.out = fs.createWriteStream(path);
  }

  /** One series' samples: `values` as Prometheus' API spells them ("1.5", "NaN", "+Inf"). */
  async series(name: string, labels: Record<string, string>, times: number[], values: string[]): Promise<void> {
    const prefix = `${name}${formatLabels(labels)} `;
    for (let i = 0; i < times.length; i++) {
      this.buffer += `${prefix}${values[i]} ${times[i]}\n`;
    }
    this.samples += times.length;
    if (this.buffer.length >= FLUSH_CHARS) {
      await this.flush();
    }
  }

  private async flush(): Promise<void> {
    const text = this.buffer;
    this.buffer = '';
    if (!this.out.write(text)) {
      await new Promise<void>((resolve, reject) => {
        const onError = (err: Error) => reject(err);
        this.out.once('error', onError);
        this.out.once('drain', () => {
          this.out.removeListener('error', onError);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    this.buffer += '# EOF\n';
    await this.flush();
    await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

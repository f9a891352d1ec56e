/**
 * Model throughput: the panel's whole model (frames -> signals -> band, anomalies, forecasts, deploys,
 * status) on 7 series of 10k, 100k and 1M points each, in Node.
 *
 * Timings are reported against a reference measured in the same run on the same data: one plain pass
 * that reads every value of every field (the least any model could do), so the ratio says how much work
 * the model does per point, whatever the machine's speed. Linearity: time per point at each size
 * against time per point at 100k.
 *
 * Run: npx tsx scripts/bench-model.ts
 */
import { JSDOM } from 'jsdom';

// @grafana/data reads window/document at import time; give it a DOM as the browser would.
const dom = new JSDOM('<!doctype html><html><body></body></html>', { url: 'http://127.0.0.1/' });
Object.assign(globalThis, {
  window: dom.window,
  document: dom.window.document,
  navigator: dom.window.navigator,
  localStorage: dom.window.localStorage,
});

type Frames = Array<{ fields: Array<{ values: unknown[] }> }>;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function time(fn: () => unknown, runs: number): number {
  const samples: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    fn();
    samples.push(performance.now() - t);
  }
  return median(samples);
}

/** The reference: read every value of every field once, as any model must. */
function onePass(frames: Frames): number {
  let sum = 0;
  for (const frame of frames) {
    for (const field of frame.fields) {
      const values = field.values;
      for (let i = 0; i < values.length; i++) {
        sum += values[i] as number;
      }
    }
  }
  return sum;
}

async function main() {
  const { buildCascadeModel } = await import('../src/model/cascade');
  const { promFrame } = await import('../src/__fixtures__/frames');

  const build = (n: number): Frames => {
    const t0 = 1_600_000_000_000;
    const times = Array.from({ length: n }, (_, i) => t0 + i * 1000);
    const wave = (phase: number, scale = 1) =>
      times.map((_, i) => scale * (1000 + 200 * Math.sin(i / 5000 + phase) + (i % 13)));
    return [
      promFrame('cascade:http_requests:rate5m', { service: 'registry' }, times, wave(0)),
      promFrame('db_write_backlog', { cluster: 'main' }, times, wave(1, 4)),
      promFrame('db_replication_lag_seconds', { instance: 'db-replica-1' }, times, wave(2, 0.01)),
      promFrame('db_replication_lag_seconds', { instance: 'db-replica-2' }, times, wave(3, 0.01)),
      promFrame('db_utilization_ratio', { instance: 'db-primary', role: 'primary' }, times, wave(4, 0.0005)),
      promFrame(
        'instances_healthy',
        { service: 'registry' },
        times,
        times.map((_, i) => 10 + (i % 3))
      ),
      promFrame(
        'instances_desired',
        { service: 'registry' },
        times,
        times.map(() => 12)
      ),
    ] as unknown as Frames;
  };
  const options = { database: { backlogLimit: 6000 } };

  console.log('Model throughput (7 series; whole model per data change)');
  console.log('points/series    model ms   one-pass ms   model/one-pass   ns/point   per-point vs 100k');
  const rows: Array<{ n: number; model: number; pass: number }> = [];
  for (const n of [10_000, 100_000, 1_000_000]) {
    const frames = build(n);
    const runs = n >= 1_000_000 ? 5 : n >= 100_000 ? 15 : 40;
    // Warm the JIT before measuring (the band's inner loops run interpreted for the first hundred calls).
    for (const until = performance.now() + 1500; performance.now() < until;) {
      buildCascadeModel({ series: frames }, options);
      onePass(frames);
    }
    rows.push({
      n,
      model: time(() => buildCascadeModel({ series: frames }, options), runs),
      pass: time(() => onePass(frames), runs),
    });
  }
  const perPoint100k = rows[1].model / rows[1].n;
  for (const r of rows) {
    console.log(
      `${String(r.n).padStart(13)}  ${r.model.toFixed(2).padStart(9)}  ${r.pass.toFixed(2).padStart(12)}  ${(r.model / r.pass).toFixed(1).padStart(15)}x  ${((r.model * 1e6) / (r.n * 7)).toFixed(1).padStart(8)}  ${(r.model / r.n / perPoint100k).toFixed(2).padStart(17)}`
    );
  }
  console.log(`target: whole model on 100k points/series under 10 ms -> measured ${rows[1].model.toFixed(2)} ms`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

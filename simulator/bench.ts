/**
 * Benchmark: three weeks of history for every contract series, at a 60 s and a 15 s step, simulated and
 * written as OpenMetrics (to a counting sink: disk speed is not the simulator's). Prints steps, series,
 * samples, seconds, samples per second, and the cost per step of the 15 s run against the 60 s run (1.0 means
 * the cost is linear in steps). Run with `npx tsx simulator/bench.ts`.
 */
import { openMetricsChunks } from './output/openmetrics';
import { simulate } from './run';
import { loadScenario } from './scenario/load';

const WEEK = 7 * 86_400;

interface Result {
  step: number;
  steps: number;
  series: number;
  samples: number;
  simulateSeconds: number;
  writeSeconds: number;
  bytes: number;
}

function measure(stepSeconds: number): Result {
  const scenario = loadScenario('normal-week');
  const from = scenario.anchor - 3 * WEEK;
  const to = scenario.anchor;
  const t0 = process.hrtime.bigint();
  const run = simulate(scenario, { from, to, stepSeconds });
  const t1 = process.hrtime.bigint();
  let bytes = 0;
  for (const chunk of openMetricsChunks(run)) {
    bytes += chunk.length;
  }
  const t2 = process.hrtime.bigint();
  const samples = run.series.reduce((n, s) => n + s.values.length - s.values.filter(Number.isNaN).length, 0);
  return {
    step: stepSeconds,
    steps: run.times.length,
    series: run.series.length,
    samples,
    simulateSeconds: Number(t1 - t0) / 1e9,
    writeSeconds: Number(t2 - t1) / 1e9,
    bytes,
  };
}

const results = [measure(60), measure(15)];
console.log('three weeks of history, all contract series, simulated and written as OpenMetrics');
console.log('step  steps    series  samples     simulate_s  write_s  total_s  samples/s   MB');
for (const r of results) {
  const total = r.simulateSeconds + r.writeSeconds;
  console.log(
    [
      `${r.step}s`.padEnd(5),
      String(r.steps).padEnd(8),
      String(r.series).padEnd(7),
      String(r.samples).padEnd(11),
      r.simulateSeconds.toFixed(2).padEnd(11),
      r.writeSeconds.toFixed(2).padEnd(8),
      total.toFixed(2).padEnd(8),
      Math.round(r.samples / total)
        .toString()
        .padEnd(11),
      (r.bytes / 1e6).toFixed(0),
    ].join(' ')
  );
}
const [coarse, fine] = results;
const perStep = (r: Result) => (r.simulateSeconds + r.writeSeconds) / r.steps;
console.log(
  `cost per step, 15s run / 60s run: ${(perStep(fine) / perStep(coarse)).toFixed(2)} (1.00 = linear in steps)`
);
console.log(
  `targets: 60s step under 10 s: ${coarse.simulateSeconds + coarse.writeSeconds < 10 ? 'met' : 'MISSED'}; ` +
    `15s step under 40 s: ${fine.simulateSeconds + fine.writeSeconds < 40 ? 'met' : 'MISSED'}`
);

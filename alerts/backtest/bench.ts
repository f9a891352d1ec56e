/**
 * `npm run bench -- backtest`: the backtest's time and peak memory on the simulator's normal-week service at a
 * 1-minute resolution, against a real Prometheus holding that history (3 weeks of seasonal history before the
 * window), for 1 and 10 services over 4 weeks and 100 services over 1 day (4 weeks of 100 services would be
 * about 300 million samples, some 25 GB of OpenMetrics to build the stand-in Prometheus from: more than a
 * benchmark on a shared machine should take).
 *
 * Each run is the command a user runs (`bin/cascade-rules.js backtest`) under GNU time: wall time and the peak
 * resident memory of its largest process (the CLI, its local Prometheus or promtool). The reference, measured in
 * the same run: the time the backtest spent fetching its input series (the one part any tool must spend).
 *
 *   npx tsx alerts/backtest/bench.ts [--only 1,10,100]
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

import type { ReportInput } from './report';
import { startSimulatedPrometheus } from './simulatedPrometheus';

const ROOT = path.resolve(__dirname, '../..');
const DAY = 86_400;
const END = Date.parse('2024-03-11T00:00:00Z') / 1000;

const CASES = [
  { services: 1, days: 28 },
  { services: 10, days: 28 },
  { services: 100, days: 1 },
];

async function main() {
  const onlyArg = process.argv.indexOf('--only');
  const only = onlyArg > 0 ? process.argv[onlyArg + 1].split(',').map(Number) : undefined;
  const rows: string[][] = [];
  for (const c of CASES.filter((x) => only === undefined || only.includes(x.services))) {
    const window = { from: END - c.days * DAY, to: END };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-backtest-bench-'));
    const t0 = Date.now();
    console.log(
      `building the stand-in Prometheus: normal-week, ${c.services} service(s), ${c.days} d + 21 d history...`
    );
    const prom = await startSimulatedPrometheus('normal-week', {
      window,
      services: c.services,
      dir: path.join(dir, 'prom'),
    });
    console.log(`  ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    try {
      const out = path.join(dir, 'report');
      const run = spawnSync(
        '/usr/bin/time',
        [
          '-f',
          'TIME %e %M',
          process.execPath,
          path.join(ROOT, 'bin/cascade-rules.js'),
          'backtest',
          '--prometheus',
          prom.url,
          '--from',
          String(window.from),
          '--to',
          String(window.to),
          '--max-series',
          '100000',
          '--out',
          out,
        ],
        { encoding: 'utf8', maxBuffer: 64 << 20 }
      );
      const measured = /TIME ([\d.]+) (\d+)/.exec(run.stderr);
      if (run.status !== 0 || measured === null) {
        console.log(`  failed (${run.status}):\n${run.stderr.slice(-2000)}`);
        continue;
      }
      const seconds = Number(measured[1]);
      const peakMb = Number(measured[2]) / 1024;
      const report = JSON.parse(fs.readFileSync(path.join(out, 'backtest.json'), 'utf8')) as ReportInput;
      const r = report.result;
      const firings = r.alerts.reduce((n, a) => n + a.instances.reduce((k, i) => k + i.spans.length, 0), 0);
      rows.push([
        String(c.services),
        `${c.days} d`,
        (r.samples.fetched / 1e6).toFixed(1),
        (r.samples.recorded / 1e6).toFixed(1),
        seconds.toFixed(1),
        `${r.seconds.fetch.toFixed(1)} / ${r.seconds.rules.toFixed(1)} / ${r.seconds.alerts.toFixed(1)}`,
        (seconds / r.seconds.fetch).toFixed(1),
        peakMb.toFixed(0),
        String(firings),
      ]);
      console.log(`  ${rows[rows.length - 1].join(' | ')}`);
    } finally {
      await prom.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log('\nBacktest of the pack at 1-minute resolution (normal-week service copied N times; 2 cores)');
  console.log(
    '| services | window | samples fetched (M) | samples recorded (M) | wall time (s) | fetch / rules / alerts (s) | wall / fetch | peak RSS, largest process (MB) | firings |'
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(`| ${r.join(' | ')} |`);
  }
  const one = rows.find((r) => r[0] === '1' && r[1] === '28 d');
  if (one) {
    console.log(
      `target: 4 weeks of one service in under 60 s -> ${Number(one[4]) < 60 ? 'met' : 'NOT met'} (${one[4]} s)`
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

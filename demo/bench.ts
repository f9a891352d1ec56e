/**
 * Demo start benchmark (measures, never fails): how long `npm run demo` takes from the command to "Ready", at
 * speed 1 and 20 with the default three weeks of history, against a bare Prometheus started on an empty folder
 * in the same run (the part of the start no demo can avoid). The plugin is built first, so the build is not
 * counted. Prints each run's steps, the medians and the ratio; target: ready in under 60 s.
 *
 *   npx tsx demo/bench.ts [--runs 2]
 */
import { spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { ensurePluginBuilt } from '../sandbox/plugin';
import { freePorts, spawnDemo } from './spawnDemo';

const TARGET_SECONDS = 60;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Seconds from spawning Prometheus on an empty folder to its /-/ready answering. */
async function barePrometheus(): Promise<number> {
  const [port] = await freePorts(1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-bench-prom-'));
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), 'global: {}\n');
  const started = performance.now();
  const prom = spawn(
    'prometheus',
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' }
  );
  try {
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/-/ready`)).ok) {
          return (performance.now() - started) / 1000;
        }
      } catch {
        // not yet
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    prom.kill('SIGTERM');
    await new Promise((r) => prom.once('exit', r));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Seconds from `npm run demo` to its "Ready" line, and when each step began. */
async function demoStart(speed: number): Promise<{ total: number; steps: string[] }> {
  const started = performance.now();
  const demo = await spawnDemo(['--speed', String(speed)]);
  const steps: string[] = [];
  let seen = 0;
  demo.npm.stdout!.on('data', () => {
    const lines = demo.output().split('\n');
    for (; seen < lines.length - 1; seen++) {
      if (/^(Starting|History|  [a-z]|Ready)/.test(lines[seen]) && !/\.\.\. \d+ s$|npm run/.test(lines[seen])) {
        steps.push(`${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s  ${lines[seen].trim()}`);
      }
    }
  });
  try {
    await demo.waitFor(/Ready in \d+ s/);
    return { total: (performance.now() - started) / 1000, steps };
  } finally {
    demo.npm.kill('SIGTERM');
    await demo.exited;
    fs.rmSync(demo.stateDir, { recursive: true, force: true });
  }
}

async function main() {
  const i = process.argv.indexOf('--runs');
  const runs = i > 0 ? Math.max(1, Number(process.argv[i + 1]) || 2) : 2;
  await ensurePluginBuilt();
  console.log(
    `Demo start: \`npm run demo\` to "Ready" (21 days of history), ${runs} runs per speed; reference: a bare Prometheus to /-/ready`
  );
  const bare: number[] = [];
  for (let r = 0; r < 5; r++) {
    bare.push(await barePrometheus());
  }
  const ref = median(bare);
  console.log(`  bare Prometheus: median ${ref.toFixed(2)} s (5 runs)`);
  for (const speed of [1, 20]) {
    const totals: number[] = [];
    for (let r = 0; r < runs; r++) {
      const { total, steps } = await demoStart(speed);
      totals.push(total);
      if (r === runs - 1) {
        console.log(
          `  speed ${speed}, last run's steps (seconds since the command):\n${steps.map((s) => `    ${s}`).join('\n')}`
        );
      }
    }
    const m = median(totals);
    console.log(
      `  speed ${speed}: ready in ${totals.map((t) => t.toFixed(1)).join(', ')} s; median ${m.toFixed(1)} s = ` +
        `${(m / ref).toFixed(0)}x a bare Prometheus start; target under ${TARGET_SECONDS} s -> ${m < TARGET_SECONDS ? 'met' : 'NOT met'}`
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

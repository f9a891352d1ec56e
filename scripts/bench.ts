/**
 * `npm run bench`: every benchmark of the project, one after the other, each printing its measurements as
 * ratios against a reference measured in the same run. Benchmarks measure; they never fail on a timing.
 * Pass names to run only some: npm run bench -- model bundle
 * Options from the first one starting with -- on go to the benchmarks: npm run bench -- detection --seeds 1-40
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import zlib from 'zlib';

const root = path.resolve(__dirname, '..');

function bundle() {
  const module = path.join(root, 'dist', 'module.js');
  if (!fs.existsSync(module)) {
    console.log('dist/module.js is missing: run `npm run build` first');
    return;
  }
  const uplot = path.join(root, 'node_modules', 'uplot', 'dist', 'uPlot.iife.min.js');
  const size = fs.statSync(module).size;
  const gz = zlib.gzipSync(fs.readFileSync(module)).length;
  const ref = fs.statSync(uplot).size;
  console.log('Bundle size (dist/module.js, minified; reference: uPlot\u2019s own minified build, bundled inside)');
  console.log(
    `  module.js ${(size / 1024).toFixed(1)} KB (gzip ${(gz / 1024).toFixed(1)} KB); uPlot ${(ref / 1024).toFixed(1)} KB; module/uPlot ${(size / ref).toFixed(2)}x`
  );
  console.log(`  target: under 150 KB -> ${size < 150 * 1024 ? 'met' : 'NOT met'}`);
}

/** Benchmarks that live with their parts; each is skipped with a note when its part is absent. */
const BENCHES: Record<string, string | (() => void)> = {
  model: 'scripts/bench-model.ts',
  bundle,
  render: 'sandbox/bench.ts',
  simulator: 'simulator/bench.ts',
  rules: 'alerts/bench.ts',
  servers: 'demo/abuse.ts',
  demo: 'demo/bench.ts',
  backtest: 'alerts/backtest/bench.ts',
  detection: 'alerts/replay/detectionBench.ts',
};

const args = process.argv.slice(2);
const firstOption = args.findIndex((a) => a.startsWith('--'));
const wanted = firstOption < 0 ? args : args.slice(0, firstOption);
const options = firstOption < 0 ? [] : args.slice(firstOption);
for (const [name, bench] of Object.entries(BENCHES)) {
  if (wanted.length > 0 && !wanted.includes(name)) {
    continue;
  }
  console.log(`\n## ${name}`);
  if (typeof bench === 'function') {
    bench();
    continue;
  }
  if (!fs.existsSync(path.join(root, bench))) {
    console.log(`(${bench} not present)`);
    continue;
  }
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, bench), ...options], {
    cwd: root,
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    console.log(`(${bench} exited with ${run.status})`);
    // The rest still run; the exit status says that one did not.
    process.exitCode = 1;
  }
}

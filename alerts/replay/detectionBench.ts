/**
 * `npm run bench -- detection`: the rendered pack on generated worlds (alerts/replay/detection.ts), per alert
 * and per incident kind, and the issue's targets. Worlds run `--parallel` at a time (promtool itself at most
 * two, CASCADE_PROMTOOL_PARALLEL); no new world starts after `--minutes`.
 *
 *   npx tsx alerts/replay/detectionBench.ts [--seeds 1-200] [--minutes 60] [--parallel 3] [--json FILE]
 */
import fs from 'fs';

import { compactSeeds, detectionMarkdown, replayWorlds, type WorldResult } from './detection';

function parseSeeds(spec: string): number[] {
  const seeds: number[] = [];
  for (const part of spec.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) {
      throw new Error(`--seeds: expected numbers and ranges such as "1-200" or "1,5,9-12", got "${spec}"`);
    }
    const [a, b] = [Number(m[1]), Number(m[2] ?? m[1])];
    for (let s = a; s <= b; s++) {
      seeds.push(s);
    }
  }
  return seeds;
}

function option(argv: string[], name: string, fallback: string): string {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : fallback;
}

async function main(argv: string[]): Promise<number> {
  const seedSpec = option(argv, '--seeds', '1-200');
  const seeds = parseSeeds(seedSpec);
  const minutes = Number(option(argv, '--minutes', '60'));
  const parallel = Number(option(argv, '--parallel', '3'));
  if (!(minutes > 0) || !(parallel >= 1)) {
    throw new Error('--minutes and --parallel: expected positive numbers');
  }
  const started = Date.now();
  console.log(
    `Detection on generated worlds: seeds ${seedSpec}, ${parallel} at a time, no new world after ${minutes} min`
  );
  const { results, skipped, failed } = await replayWorlds(seeds, {
    parallel,
    deadline: started + minutes * 60_000,
    onResult: (r: WorldResult) =>
      console.log(
        `  world ${r.world.seed} ${r.world.kind}: ${r.alerts.filter((a) => a.onsets > 0).length} alerts fired (${((Date.now() - started) / 1000).toFixed(0)} s)`
      ),
  });
  const json = option(argv, '--json', '');
  if (json) {
    fs.writeFileSync(json, JSON.stringify(results, null, 1));
  }
  const scored = results.map((r) => r.world.seed);
  console.log(`\n${detectionMarkdown(results, compactSeeds(scored))}\n`);
  console.log(
    `${results.length} worlds in ${((Date.now() - started) / 60_000).toFixed(1)} min; ${skipped.length} not started (time bound)` +
      (failed.length ? `; ${failed.length} failed: ${failed.map((f) => `${f.seed} (${f.error})`).join('; ')}` : '')
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  }
);

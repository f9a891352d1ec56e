/**
 * `npm run bench -- detection`: the rendered pack on generated worlds (alerts/replay/detection.ts), per alert
 * and per incident kind, and the issue's targets. Worlds run `--parallel` at a time (promtool itself at most
 * two, CASCADE_PROMTOOL_PARALLEL); no new world starts after `--minutes`.
 *
 *   npx tsx alerts/replay/detectionBench.ts [--seeds 1-200] [--minutes 60] [--parallel 3] [--json FILE]
 *     [--kinds surge-one-route,surge-routes]   force the kinds, in turn, instead of drawing them
 *     [--update-readme]           write the report into alerts/README.md (the seeds it scored are named there)
 *     [--from-json FILE]          score the results a previous --json saved, without replaying
 *     [--before FILE]             show another pack's saved results (--json) on the same seeds beside these
 */
import fs from 'fs';
import path from 'path';

import { BENIGN_KINDS, INCIDENT_KINDS, type WorldKind } from '../../simulator/worlds/generate';
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
  const saved = option(argv, '--from-json', '');
  if (saved) {
    const results = readResults(saved);
    report(results, argv.includes('--update-readme'), before(argv));
    return 0;
  }
  const kinds = option(argv, '--kinds', '').split(',').filter(Boolean) as WorldKind[];
  const unknown = kinds.filter((k) => ![...INCIDENT_KINDS, ...BENIGN_KINDS].includes(k));
  if (unknown.length) {
    throw new Error(
      `--kinds: unknown ${unknown.join(', ')}; expected some of ${[...INCIDENT_KINDS, ...BENIGN_KINDS].join(', ')}`
    );
  }
  const started = Date.now();
  console.log(
    `Detection on generated worlds: seeds ${seedSpec}, ${parallel} at a time, no new world after ${minutes} min`
  );
  const { results, skipped, failed } = await replayWorlds(seeds, {
    parallel,
    deadline: started + minutes * 60_000,
    kinds: kinds.length ? kinds : undefined,
    onResult: (r: WorldResult) =>
      console.log(
        `  world ${r.world.seed} ${r.world.kind}: ${r.alerts.filter((a) => a.onsets > 0).length} alerts fired (${((Date.now() - started) / 1000).toFixed(0)} s)`
      ),
  });
  const json = option(argv, '--json', '');
  if (json) {
    fs.writeFileSync(json, JSON.stringify(results, null, 1));
  }
  report(results, argv.includes('--update-readme'), before(argv));
  console.log(
    `${results.length} worlds in ${((Date.now() - started) / 60_000).toFixed(1)} min; ${skipped.length} not started (time bound)` +
      (failed.length ? `; ${failed.length} failed: ${failed.map((f) => `${f.seed} (${f.error})`).join('; ')}` : '')
  );
  return 0;
}

const README = path.join(__dirname, '..', 'README.md');
const MARKERS = ['<!-- detection-report:start -->', '<!-- detection-report:end -->'];

function readResults(file: string): WorldResult[] {
  const results = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(results) || results.some((r) => typeof r?.world?.seed !== 'number' || !Array.isArray(r.alerts))) {
    throw new Error(`${file}: expected the results a previous --json saved (a list of worlds with their alerts)`);
  }
  return results as WorldResult[];
}

function before(argv: string[]): WorldResult[] | undefined {
  const file = option(argv, '--before', '');
  return file ? readResults(file) : undefined;
}

function report(results: WorldResult[], updateReadme: boolean, earlier?: WorldResult[]): void {
  const markdown = detectionMarkdown(results, compactSeeds(results.map((r) => r.world.seed)), earlier);
  console.log(`\n${markdown}\n`);
  if (updateReadme) {
    const text = fs.readFileSync(README, 'utf8');
    const [start, end] = MARKERS.map((m) => text.indexOf(m));
    if (start < 0 || end < start) {
      throw new Error(`alerts/README.md has no ${MARKERS.join(' ... ')} section`);
    }
    fs.writeFileSync(README, `${text.slice(0, start + MARKERS[0].length)}\n\n${markdown}\n\n${text.slice(end)}`);
    console.log('updated alerts/README.md');
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  }
);

/**
 * Runs the replays and prints their results (and, with --update-readme, writes them into
 * alerts/README.md).
 *
 *   npx tsx alerts/replay/cli.ts                       all scenarios
 *   npx tsx alerts/replay/cli.ts crates-io-2023-07-20  one
 *   npx tsx alerts/replay/cli.ts --update-readme       all, and the README's results section
 */
import { hhmm } from './expectations';
import { resultsMarkdown, updateReadme } from './report';
import { REPLAYS, replayScenario } from './scenarios';

async function main(argv: string[]): Promise<number> {
  const update = argv.includes('--update-readme');
  const names = argv.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !REPLAYS.some((r) => r.scenario === n));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown scenario ${unknown.join(', ')}; expected one of ${REPLAYS.map((r) => r.scenario).join(', ')}\n`
    );
    return 2;
  }
  if (update && names.length > 0) {
    process.stderr.write('--update-readme needs every scenario: leave the names out\n');
    return 2;
  }
  const specs = names.length > 0 ? REPLAYS.filter((r) => names.includes(r.scenario)) : REPLAYS;
  const results = await Promise.all(specs.map((spec) => replayScenario(spec)));
  for (const r of results) {
    process.stdout.write(
      `\n== ${r.spec.scenario} (promtool: seasonal ${r.seconds.seasonal.toFixed(1)} s, window ${r.seconds.fast.toFixed(1)} s)\n`
    );
    for (const a of r.alerts) {
      const labels = Object.entries(a.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      process.stdout.write(
        `${hhmm(a.firstFiring)}  ${a.severity.padEnd(8)} ${a.alertname.padEnd(34)} ${labels}  onsets ${a.onsets}${a.firingAtStart ? ', firing at the start' : ''}${a.firingAtEnd ? ', firing at the end' : ''}\n`
      );
    }
  }
  if (update) {
    updateReadme(resultsMarkdown(results));
    process.stdout.write('\nupdated alerts/README.md\n');
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
);

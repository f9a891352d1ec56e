/**
 * The calibration table: the two incidents' milestones in the model against their reports' times, at 60 s, 30 s
 * and 15 s steps (they must agree: the model does not depend on the step), plus the facts about the write backlog
 * and the fall to zero instances that the rule pack and the panel rely on. Run with
 * `npx tsx simulator/calibration.ts` (add `--markdown` for the README's table).
 */
import type { MilestoneKind } from './model/service';
import { filterSeries, findSeries, indexAt, simulate, type SimulationRun } from './run';
import { loadScenario } from './scenario/load';

const STEPS = [60, 30, 15];

/** The first report's timeline (docs/incidents.md): [milestone, time, days after]. */
const REPORT: ReadonlyArray<readonly [MilestoneKind, string, number, string]> = [
  ['surgeStart', '21:02', 0, 'traffic spike begins'],
  ['primarySaturated', '21:49', 0, 'primary at 100 %'],
  ['replicasSaturated', '21:54', 0, 'replicas at 100 %'],
  ['first504', '22:20', 0, 'first 504s'],
  ['instancesCycling', '22:30', 0, 'instances start to cycle'],
  ['surgeEnd', '22:53', 0, 'traffic blocked'],
  ['zeroHealthy', '22:59', 0, 'no healthy instance'],
  ['instancesRecovered', '23:41', 0, 'instances come up'],
  ['replicasOnline', '23:47', 0, 'new replicas online'],
  ['backlogDrained', '02:01', 1, 'backlogs clear'],
];

const hhmm = (t: number) => new Date(t * 1000).toISOString().slice(11, 16);
const at = (day: number, time: string, plusDays: number) => {
  const [h, m] = time.split(':').map(Number);
  return day + plusDays * 86_400 + h * 3600 + m * 60;
};

function firstAtOrAbove(run: SimulationRun, name: string, threshold: number): number | undefined {
  const values = findSeries(run, name)!.values;
  const k = values.findIndex((v) => v >= threshold);
  return k < 0 ? undefined : run.times[k];
}

function rate(run: SimulationRun, labels: Record<string, string>, t: number, window: number): number {
  const k = indexAt(run, t);
  const j = indexAt(run, t - window);
  const series = filterSeries(run, 'http_requests_total', labels);
  return series.reduce((sum, x) => sum + x.values[k] - x.values[j], 0) / (run.times[k] - run.times[j]);
}

function main(markdown: boolean): void {
  const s = loadScenario('cloudsmith-2020-02-04');
  const runs = STEPS.map((stepSeconds) => simulate(s, { from: s.window.from, to: s.window.to, stepSeconds }));
  const rows = REPORT.map(([kind, time, plusDays, what]) => {
    const report = at(s.anchor, time, plusDays);
    const model = runs.map((r) => r.milestones[kind]);
    const worst = Math.max(...model.map((t) => (t === undefined ? Infinity : Math.abs(t - report) / 60)));
    return [what, time, ...model.map((t) => (t === undefined ? 'never' : hhmm(t))), worst.toFixed(1)];
  });
  const header = ['cloudsmith-2020-02-04', 'report', ...STEPS.map((x) => `model ${x} s`), 'largest gap (min)'];
  print(markdown, header, rows);

  const run = runs[0];
  const backlog = findSeries(run, 'db_write_backlog')!;
  const b = (time: string) => backlog.values[indexAt(run, at(s.anchor, time, 0))];
  const healthy = findSeries(run, 'instances_healthy')!;
  const h = (time: string) => healthy.values[indexAt(run, at(s.anchor, time, 0))];
  const crossing = firstAtOrAbove(run, 'db_write_backlog', 50_000);
  console.log('');
  console.log(
    `write backlog: ${b('21:00')} at 21:00, ${b('21:15')} at 21:15, ${b('21:30')} at 21:30; ` +
      `passes 50,000 at ${crossing === undefined ? 'never' : hhmm(crossing)} ` +
      `(the primary saturates at ${hhmm(run.milestones.primarySaturated!)}); ` +
      `${b('22:53')} when the traffic is blocked`
  );
  console.log(
    `healthy instances: ${['22:30', '22:35', '22:40', '22:45', '22:50', '22:55', '23:00']
      .map((t) => `${h(t)} at ${t}`)
      .join(', ')}`
  );

  const crates = loadScenario('crates-io-2023-07-20');
  const c = simulate(crates, { from: crates.window.from, to: crates.window.to, stepSeconds: 60 });
  const t = (time: string) => at(crates.anchor, time, 0);
  const download = { route: 'download', code: '302' };
  const ratio = rate(c, download, t('12:29'), 600) / rate(c, download, t('12:16'), 600);
  const deploys = c.events.filter((e) => e.type === 'deploy').map((e) => hhmm(e.time));
  console.log('');
  console.log(
    `crates-io-2023-07-20: deploys at ${deploys.join(' and ')}; download 302s x${ratio.toFixed(2)} ` +
      `between them (api x${(rate(c, { route: 'api' }, t('12:29'), 600) / rate(c, { route: 'api' }, t('12:16'), 600)).toFixed(2)})`
  );
}

function print(markdown: boolean, header: string[], rows: string[][]): void {
  if (markdown) {
    console.log(`| ${header.join(' | ')} |`);
    console.log(`|${header.map(() => ' --- ').join('|')}|`);
    rows.forEach((r) => console.log(`| ${r.join(' | ')} |`));
    return;
  }
  const widths = header.map((_, i) => Math.max(header[i].length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((x, i) => x.padEnd(widths[i])).join('  ');
  console.log(line(header));
  rows.forEach((r) => console.log(line(r)));
}

main(process.argv.includes('--markdown'));

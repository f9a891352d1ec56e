/**
 * `npm run demo`: the whole product on this machine without Docker. Builds the plugin if needed, backfills
 * three weeks of the simulator's history into a local Prometheus with the rule pack, starts the simulator,
 * Alertmanager and the host page, prints the URLs, and stops everything on Ctrl-C.
 *
 *   npm run demo                                  start the stack (ports 3001, 9090, 9093, 9464, 9095)
 *   npm run demo -- start cloudsmith-2020-02-04   start a scenario in the running demo
 */
import { Command, InvalidArgumentError } from 'commander';
import path from 'path';
import { ensurePluginBuilt } from '../sandbox/plugin';
import { ProcessError } from './processes';
import { DEFAULT_PORTS, defaultStackOptions, speedSettings, startStack } from './stack';

function positive(raw: string): number {
  const n = Number(raw);
  if (!(n > 0 && n <= 600)) {
    throw new InvalidArgumentError(`expected a number above 0, at most 600, got "${raw}"`);
  }
  return n;
}

async function up(opts: { speed: number; days: number }) {
  const started = Date.now();
  console.log('Cascade Watch demo: building what is missing, then starting the stack on 127.0.0.1');
  await ensurePluginBuilt();
  const settings = speedSettings(opts.speed);
  const stack = await startStack(
    defaultStackOptions({
      speed: opts.speed,
      timeScale: settings.timeScale,
      scrapeInterval: settings.scrapeInterval,
      historyDays: opts.days,
    })
  );
  const { urls } = stack;
  console.log(`
Ready in ${Math.round((Date.now() - started) / 1000)} s.

  Cascade panel (live):  ${urls.host}?case=live&theme=dark&width=1100&height=620&range=${settings.panelRange}
  Prometheus:            ${urls.prometheus}/alerts
  Alertmanager:          ${urls.alertmanager}
  Simulator:             ${urls.simulator}/api/state

Start the first report's incident with the button beside the panel, or:
  npm run demo -- start cloudsmith-2020-02-04
${
  opts.speed === 1
    ? 'At real speed it takes two hours; `npm run demo -- --speed 20` plays it (and the pack) 20x faster.\n'
    : `Playing ${opts.speed}x faster than real time, with the rule pack's windows ${settings.timeScale}x shorter to match.\n`
}Logs: ${path.relative(process.cwd(), defaultStackOptions().stateDir)}/logs/. Ctrl-C stops everything.`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log('\nStopping...');
  await stack.stop();
}

async function start(name: string) {
  const url = `http://127.0.0.1:${DEFAULT_PORTS.simulator}/api/scenarios/${encodeURIComponent(name)}/start`;
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST' });
  } catch {
    throw new ProcessError(`No demo is running (nothing answers ${url}): start it with \`npm run demo\` first.`);
  }
  const body = await res.json();
  if (!res.ok) {
    throw new ProcessError(`The simulator refused: ${body.error ?? res.status}`);
  }
  console.log(`Started ${name}. Watch the panel and the alerts beside it.`);
}

const program = new Command()
  .name('demo')
  .description('Run Cascade Watch locally: simulator, Prometheus with the rule pack, Alertmanager, the Cascade panel.')
  .option(
    '--speed <n>',
    'how many times faster than real time the simulator plays (above 1, the rule pack is time-compressed to match)',
    positive,
    1
  )
  .option('--days <n>', 'days of history to backfill (seasonal baselines need 21)', positive, 21)
  .action((opts) => up(opts));
program
  .command('start <scenario>')
  .description('start a scenario in the running demo (e.g. cloudsmith-2020-02-04, crates-io-2023-07-20)')
  .action((name: string) => start(name));

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(e instanceof ProcessError ? e.message : e);
  process.exit(1);
});

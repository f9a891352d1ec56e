/**
 * `npm run demo`: the whole product on this machine without Docker. Builds the plugin if needed, backfills
 * three weeks of the simulator's history into a local Prometheus with the rule pack, starts the simulator,
 * Alertmanager and the host page, prints the URLs, and stops everything on Ctrl-C, SIGINT or SIGTERM (at any
 * point, the backfill included), or when one of its processes dies.
 *
 *   npm run demo                                  start the stack (ports 3001, 9090, 9093, 9464, 9095)
 *   npm run demo -- start cloudsmith-2020-02-04   start a scenario in the running demo
 */
import { Command, InvalidArgumentError } from 'commander';
import path from 'path';
import { ensurePluginBuilt } from '../sandbox/plugin';
import { ProcessError, terminateDescendants } from './processes';
import { DEFAULT_PORTS, defaultStackOptions, demoStackOptions, Ports, speedSettings, Stack, startStack } from './stack';

function positive(raw: string): number {
  const n = Number(raw);
  if (!(n > 0 && n <= 600)) {
    throw new InvalidArgumentError(`expected a number above 0, at most 600, got "${raw}"`);
  }
  return n;
}

function port(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < 1 || n > 65535) {
    throw new InvalidArgumentError(`expected a port number 1-65535, got "${raw}"`);
  }
  return n;
}

interface UpOptions {
  speed: number;
  days: number;
  stateDir: string;
  port: number;
  prometheusPort: number;
  alertmanagerPort: number;
  simulatorPort: number;
  receiverPort: number;
}

/**
 * Resolves with the signal's name at the first SIGINT or SIGTERM. The handlers stay for good: a terminal's Ctrl-C
 * reaches npm and this process at once and npm passes its copy on, so a second signal comes at once, and without
 * a handler Node would die of it before anything it started was stopped.
 */
function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.on('SIGINT', resolve);
    process.on('SIGTERM', resolve);
  });
}

async function up(opts: UpOptions) {
  const started = Date.now();
  // Listening from the first moment: a signal during the build or the backfill stops it as promptly.
  const signalled = nextSignal();
  let ready = false;
  void signalled.then((sig) => {
    if (!ready) {
      console.log(`\n${sig}: stopping...`);
      // The build or the backfill under way, however started; the group's exit handler kills the rest.
      terminateDescendants();
      process.exit(130);
    }
  });
  const stateDir = path.resolve(opts.stateDir);
  const shown = stateDir.startsWith(process.cwd() + path.sep) ? path.relative(process.cwd(), stateDir) : stateDir;
  console.log(
    'Cascade Watch demo: building what is missing, then starting the stack on 127.0.0.1.\n' +
      `Data: ${shown}/ (the previous run's there is replaced: the history is ` +
      'rebuilt for the current time; pass --state-dir to keep a run elsewhere)'
  );
  await ensurePluginBuilt();
  const settings = speedSettings(opts.speed);
  const ports: Ports = {
    host: opts.port,
    prometheus: opts.prometheusPort,
    alertmanager: opts.alertmanagerPort,
    simulator: opts.simulatorPort,
    receiver: opts.receiverPort,
  };
  const stack: Stack = await startStack(demoStackOptions(opts.speed, { historyDays: opts.days, stateDir, ports }));
  ready = true;
  const { urls } = stack;
  const startCommand = `npm run demo -- start cloudsmith-2020-02-04${
    ports.simulator === DEFAULT_PORTS.simulator ? '' : ` --simulator-port ${ports.simulator}`
  }`;
  console.log(`
Ready in ${Math.round((Date.now() - started) / 1000)} s.

  Cascade panel (live):  ${urls.host}?case=live&theme=dark&width=1100&height=620&range=${settings.panelRange}
  Prometheus alerts:     ${urls.prometheus}/classic/alerts
  Alertmanager (API):    ${urls.alertmanager}/api/v2/alerts
  Alerts delivered:      ${urls.receiver}/alerts
  Simulator:             ${urls.simulator}/api/state

Start the first report's incident with the button beside the panel, or:
  ${startCommand}
${
  opts.speed === 1
    ? 'At real speed it takes two hours; `npm run demo -- --speed 20` plays it (and the pack) 20x faster.\n'
    : `Playing ${opts.speed}x faster than real time, with the rule pack's windows ${settings.timeScale}x shorter to match.\n`
}Logs: ${shown}/logs/. Ctrl-C stops everything.`);

  const outcome = await Promise.race([signalled.then((sig) => ({ sig })), stack.failed.then((why) => ({ why }))]);
  if ('why' in outcome) {
    console.error(`\n${outcome.why}\nStopping everything else...`);
    await stack.stop();
    console.error('Stopped. Start the demo again with `npm run demo`.');
    process.exit(1);
  }
  console.log(`\n${outcome.sig}: stopping...`);
  await stack.stop();
  process.exit(0);
}

async function start(name: string, opts: { simulatorPort: number }) {
  const url = `http://127.0.0.1:${opts.simulatorPort}/api/scenarios/${encodeURIComponent(name)}/start`;
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
  // The demo's options before `start`, start's after it: both have a --simulator-port.
  .enablePositionalOptions()
  .description('Run Cascade Watch locally: simulator, Prometheus with the rule pack, Alertmanager, the Cascade panel.')
  .option(
    '--speed <n>',
    'how many times faster than real time the simulator plays (above 1, the rule pack is time-compressed to match)',
    positive,
    1
  )
  .option('--days <n>', 'days of history to backfill (seasonal baselines need 21)', positive, 21)
  .option(
    '--state-dir <dir>',
    'folder for the history, Prometheus and Alertmanager data, logs (replaced at start)',
    defaultStackOptions().stateDir
  )
  .option('--port <n>', 'port of the host page (the Cascade panel)', port, DEFAULT_PORTS.host)
  .option('--prometheus-port <n>', "Prometheus' port", port, DEFAULT_PORTS.prometheus)
  .option('--alertmanager-port <n>', "Alertmanager's port", port, DEFAULT_PORTS.alertmanager)
  .option('--simulator-port <n>', "the simulator's port", port, DEFAULT_PORTS.simulator)
  .option('--receiver-port <n>', "the alert receiver's port", port, DEFAULT_PORTS.receiver)
  .action((opts: UpOptions) => up(opts));
program
  .command('start <scenario>')
  .description('start a scenario in the running demo (e.g. cloudsmith-2020-02-04, crates-io-2023-07-20)')
  .option('--simulator-port <n>', "the running demo's simulator port", port, DEFAULT_PORTS.simulator)
  .action((name: string, opts: { simulatorPort: number }) => start(name, opts));

program.parseAsync(process.argv).catch((e: unknown) => {
  console.error(e instanceof ProcessError ? e.message : e);
  process.exit(1);
});

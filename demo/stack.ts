/**
 * The local stack without Docker: the simulator serving live metrics, its history up to that moment backfilled
 * into Prometheus (the pack's recording rules over raw series evaluated over it, see history.ts, so seasonal
 * baselines work at once; on the compressed time axis above speed 1), Prometheus evaluating the rule pack, Alertmanager with the pack's routes and
 * inhibitions delivering to a webhook receiver, and the host page reading Prometheus. Everything binds
 * 127.0.0.1. Used by `npm run demo` and by the end-to-end test.
 */
import fs from 'fs';
import path from 'path';
import YAML from 'yaml';
import { DEFAULT_CONFIG } from '../config/schema';
import { seconds } from '../alerts/promql';
import { OUTPUT_FILES, renderAll } from '../alerts/render';
import { alertmanagerConfigOf, firstLevelRecordingRulesOf, prometheusConfig } from './configs';
import { compressSeasonal, FirstLevelRule, historyRecordingRules } from './history';
import { assertPortFree, findCommand, ProcessError, ProcessGroup, Started, tail } from './processes';
import { AlertReceiver, startReceiver } from './receiver';

export const ROOT = path.resolve(__dirname, '..');
const HOST = '127.0.0.1';

export { prometheusConfig };
/** Model hours of raw series kept in the history (the rest is recorded series only): the panel's default range. */
const RAW_HISTORY_HOURS = 3;

export interface Ports {
  host: number;
  prometheus: number;
  alertmanager: number;
  simulator: number;
  receiver: number;
}

export const DEFAULT_PORTS: Ports = {
  host: 3001,
  prometheus: 9090,
  alertmanager: 9093,
  simulator: 9464,
  receiver: 9095,
};

export interface StackOptions {
  /** Working folder: history, TSDB, logs, generated configs. Emptied at start. */
  stateDir: string;
  ports: Ports;
  /** The simulator's scenario for the history and the live service. */
  scenario: string;
  historyDays: number;
  /** Rule file Prometheus evaluates (the pack's, or a test variant rendered by cascade-rules). */
  rulesFile: string;
  /** Alertmanager config whose receivers the stack points at its webhook receiver. */
  alertmanagerConfig: string;
  scrapeInterval: string;
  /** Simulator speed: model seconds per wall second for started scenarios. */
  speed: number;
  /**
   * Above 1: Prometheus evaluates the pack rendered with this `timeScale` (every window, and here every seasonal
   * offset too, that many times shorter) instead of `rulesFile`, and the history is laid on that compressed
   * axis, to match a simulator playing that much faster.
   */
  timeScale: number;
  /** Serve the host page (sandbox) with the live Prometheus source. */
  hostPage: boolean;
  progress: (line: string) => void;
}

export interface Stack {
  readonly urls: { host?: string; prometheus: string; alertmanager: string; simulator: string; receiver: string };
  readonly receiver: AlertReceiver;
  /** Resolves, with a sentence saying which, when one of the stack's processes exits while the stack runs. */
  readonly failed: Promise<string>;
  /** Starts a scenario in the simulator, its first event `leadMinutes` of model time from now (default: the simulator's). */
  startScenario(name: string, leadMinutes?: number): Promise<unknown>;
  stop(): Promise<void>;
}

export function defaultStackOptions(overrides: Partial<StackOptions> = {}): StackOptions {
  return {
    stateDir: path.join(ROOT, '.demo'),
    ports: DEFAULT_PORTS,
    scenario: 'normal-week',
    historyDays: 21,
    rulesFile: path.join(ROOT, 'alerts', 'cascade-watch.rules.yml'),
    alertmanagerConfig: path.join(ROOT, 'alerts', 'alertmanager.example.yml'),
    scrapeInterval: '15s',
    speed: 1,
    timeScale: 1,
    hostPage: true,
    progress: (line) => console.log(line),
    ...overrides,
  };
}

/**
 * What a simulator `speed` implies for the rest of the stack: the pack's windows that much shorter (never
 * longer: slow motion keeps the real pack), scrapes often enough to fill the shortest rate window, and a panel
 * window of three model hours (at least ten wall minutes).
 */
export function speedSettings(speed: number): { timeScale: number; scrapeInterval: string; panelRange: string } {
  const timeScale = Math.max(1, speed);
  return {
    timeScale,
    scrapeInterval: `${Math.max(1, Math.floor(15 / timeScale))}s`,
    panelRange: `${Math.max(10, Math.round(180 / speed))}m`,
  };
}

/**
 * The stack `npm run demo -- --speed SPEED` starts: the defaults with what the speed implies. The end-to-end test
 * starts this same stack (on its own ports and folder), so it meets what a user meets.
 */
export function demoStackOptions(
  speed: number,
  overrides: Partial<Pick<StackOptions, 'stateDir' | 'ports' | 'historyDays' | 'progress'>> = {}
): StackOptions {
  const { timeScale, scrapeInterval } = speedSettings(speed);
  return defaultStackOptions({ speed, timeScale, scrapeInterval, ...overrides });
}

/** The Debian packages' binaries, or a message saying how to get them. */
export function requiredBinaries(): { prometheus: string; promtool: string; alertmanager: string } {
  const prometheus = findCommand('prometheus');
  const promtool = findCommand('promtool');
  const alertmanager = findCommand('prometheus-alertmanager', 'alertmanager');
  const missing = [!prometheus && 'prometheus', !promtool && 'promtool', !alertmanager && 'alertmanager'].filter(
    Boolean
  );
  if (missing.length > 0) {
    throw new ProcessError(
      `The demo needs ${missing.join(', ')}. On Debian or Ubuntu: sudo apt-get install -y prometheus prometheus-alertmanager\n` +
        '(no service needs to run: the demo starts its own on 127.0.0.1). With Docker instead: docker compose up'
    );
  }
  return { prometheus: prometheus!, promtool: promtool!, alertmanager: alertmanager! };
}

/** The pack's recording rules that read raw series only, from the rendered rule file on disk. */
export function firstLevelRecordingRules(rulesFile: string): { groups: unknown[] } {
  return firstLevelRecordingRulesOf(fs.readFileSync(rulesFile, 'utf8'));
}

/** The pack's Alertmanager example on disk, every receiver delivering to `webhookUrl`. */
export function alertmanagerConfig(exampleFile: string, webhookUrl: string): string {
  return alertmanagerConfigOf(fs.readFileSync(exampleFile, 'utf8'), webhookUrl);
}

function run(group: ProcessGroup, name: string, command: string, args: string[]): Promise<void> {
  // The repository as working folder: `--import tsx` resolves there.
  const p = group.start(name, command, args, { cwd: ROOT });
  return new Promise((resolve, reject) =>
    p.child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new ProcessError(`${name} failed (exit ${code}):\n${tail(p.log)}`))
    )
  );
}

function startPrometheus(
  group: ProcessGroup,
  bin: string,
  o: StackOptions,
  name: string,
  configFile: string,
  dataDir: string
): Started {
  return group.start(name, bin, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${dataDir}`,
    `--web.listen-address=${HOST}:${o.ports.prometheus}`,
    '--storage.tsdb.retention.time=30d',
    '--web.enable-lifecycle',
  ]);
}

/** Logs "  what... 12 s" every 5 s while `work` runs, so no step longer than that is silent. */
async function withProgress<T>(o: StackOptions, what: string, work: Promise<T>): Promise<T> {
  const started = Date.now();
  o.progress(`  ${what}...`);
  const timer = setInterval(() => o.progress(`  ${what}... ${Math.round((Date.now() - started) / 1000)} s`), 5000);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}

/**
 * The pack Prometheus evaluates: the pack's own at speed 1; above, rendered with `timeScale` and its seasonal
 * durations compressed as well, to match history laid on the compressed axis.
 */
export function stackRules(o: Pick<StackOptions, 'timeScale' | 'rulesFile'>): string {
  if (o.timeScale === 1) {
    return fs.readFileSync(o.rulesFile, 'utf8');
  }
  const files = renderAll({ ...DEFAULT_CONFIG, timeScale: o.timeScale });
  return compressSeasonal(files.get(OUTPUT_FILES.prometheusRules)!, o.timeScale);
}

/** The longest raw-series range the pack's first-level rules read (their `rate` windows), in seconds. */
function longestRawWindow(rules: FirstLevelRule[]): number {
  return Math.max(0, ...rules.map((r) => r.rangeMs / 1000));
}

export async function startStack(o: StackOptions): Promise<Stack> {
  const bins = requiredBinaries();
  for (const [what, port] of Object.entries(o.ports)) {
    await assertPortFree(port, what);
  }
  replaceStateDir(o.stateDir);
  const dirs = {
    logs: path.join(o.stateDir, 'logs'),
    tsdb: path.join(o.stateDir, 'prometheus'),
    am: path.join(o.stateDir, 'alertmanager'),
  };
  Object.values(dirs).forEach((d) => fs.mkdirSync(d, { recursive: true }));
  const group = new ProcessGroup(dirs.logs);
  const receiver = await startReceiver(o.ports.receiver);
  const stop = async () => {
    await group.stopAll();
    await receiver.close();
  };

  try {
    const rulesFile = path.join(o.stateDir, 'cascade-watch.rules.yml');
    fs.writeFileSync(rulesFile, stackRules(o));
    const historyRules = historyRecordingRules(YAML.parse(fs.readFileSync(rulesFile, 'utf8')).groups);
    const prometheusUrl = `http://${HOST}:${o.ports.prometheus}`;

    // The simulator first: the history ends where its live model begins, so counters and gauges carry on.
    o.progress('Starting the simulator');
    const end = Math.floor(Date.now() / 1000);
    const sim = group.start('simulator', process.execPath, [
      path.join(ROOT, 'bin', 'cascade-sim.js'),
      'serve',
      '--scenario',
      o.scenario,
      '--host',
      HOST,
      '--port',
      String(o.ports.simulator),
      '--speed',
      String(o.speed),
    ]);
    const simReady = group.waitUntilReady(sim, `http://${HOST}:${o.ports.simulator}/api/state`);

    o.progress(
      `History: ${o.historyDays} days of the simulator's ${o.scenario}` +
        (o.timeScale > 1
          ? `, on the ${o.timeScale}x compressed time axis (${formatHours((o.historyDays * 24) / o.timeScale)} of wall time)`
          : '')
    );
    const history = path.join(o.stateDir, 'history.om');
    const historyOptions = path.join(o.stateDir, 'history.json');
    fs.writeFileSync(
      historyOptions,
      JSON.stringify({
        scenario: o.scenario,
        days: o.historyDays,
        end,
        timeScale: o.timeScale,
        rules: historyRules,
        rawHours: RAW_HISTORY_HOURS,
      })
    );
    await withProgress(
      o,
      `simulating it and recording ${historyRules.length} of the pack's recording rules over it`,
      run(group, 'history', process.execPath, [
        '--import',
        'tsx',
        path.join(__dirname, 'history.ts'),
        historyOptions,
        history,
      ])
    );
    const historyHours = Math.ceil((o.historyDays * 24) / o.timeScale);
    await withProgress(
      o,
      'writing TSDB blocks (promtool tsdb create-blocks-from openmetrics)',
      run(group, 'backfill', bins.promtool, [
        'tsdb',
        'create-blocks-from',
        'openmetrics',
        // One block for the whole history: promtool reads the file once per block.
        `--max-block-duration=${Math.max(2, 3 * historyHours)}h`,
        history,
        dirs.tsdb,
      ])
    );
    fs.rmSync(history);
    await simReady;

    o.progress('Starting Prometheus with the rule pack, and Alertmanager');
    const promConfig = path.join(o.stateDir, 'prometheus.yml');
    const writePromConfig = (withRules: boolean) =>
      fs.writeFileSync(
        promConfig,
        YAML.stringify(
          prometheusConfig({
            scrapeInterval: o.scrapeInterval,
            simulator: `${HOST}:${o.ports.simulator}`,
            alertmanager: `${HOST}:${o.ports.alertmanager}`,
            rulesFile: withRules ? rulesFile : null,
          })
        )
      );
    // A rate window that holds neither the history's last sample nor a full window of live samples reads low:
    // Prometheus extrapolates only half a scrape interval into the gap before the first live sample. When the
    // backfill took longer than a scrape interval (always at speed 20: 1 s scrapes), the rules start one window
    // after scraping does, so that no recorded value reads the seam as a dip (and no velocity rule reads the
    // next full window as a surge).
    const window = longestRawWindow(historyRules);
    const gap = Date.now() / 1000 - end;
    const delayRules = gap > 1.1 * seconds(o.scrapeInterval);
    writePromConfig(!delayRules);
    const prom = startPrometheus(group, bins.prometheus, o, 'prometheus', promConfig, dirs.tsdb);

    const amConfig = path.join(o.stateDir, 'alertmanager.yml');
    fs.writeFileSync(amConfig, alertmanagerConfig(o.alertmanagerConfig, `${receiver.url}/webhook`));
    const am = group.start('alertmanager', bins.alertmanager, [
      `--config.file=${amConfig}`,
      `--storage.path=${dirs.am}`,
      `--web.listen-address=${HOST}:${o.ports.alertmanager}`,
      // Debian's default is a gossip listener on 0.0.0.0:9094; a lone demo Alertmanager needs none.
      '--cluster.listen-address=',
    ]);
    await group.waitUntilReady(prom, `${prometheusUrl}/-/ready`);
    await group.waitUntilReady(am, `http://${HOST}:${o.ports.alertmanager}/-/ready`);
    if (delayRules) {
      await withProgress(
        o,
        `scraping one ${window} s rate window before the rules start`,
        new Promise((r) => setTimeout(r, window * 1000))
      );
      writePromConfig(true);
      const res = await fetch(`${prometheusUrl}/-/reload`, { method: 'POST' });
      if (!res.ok) {
        throw new ProcessError(`Prometheus refused to load the rule pack: ${await res.text()}\n${tail(prom.log)}`);
      }
    }
    group.watch();

    const urls: Stack['urls'] = {
      prometheus: prometheusUrl,
      alertmanager: `http://${HOST}:${o.ports.alertmanager}`,
      simulator: `http://${HOST}:${o.ports.simulator}`,
      receiver: receiver.url,
    };
    if (!o.hostPage) {
      return stackHandle(urls, receiver, group, stop);
    }
    const { startSandbox } = await import('../sandbox/serve');
    const sandbox = await startSandbox({
      port: o.ports.host,
      live: { prometheus: urls.prometheus, simulator: urls.simulator, receiver: urls.receiver },
    });
    return stackHandle({ ...urls, host: sandbox.url }, receiver, group, async () => {
      await Promise.race([sandbox.close(), new Promise((r) => setTimeout(r, 1000).unref())]);
      await stop();
    });
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Marks a folder as the demo's, so that a later run may replace it. */
const STATE_MARKER = '.cascade-watch-demo';

/** Empties the demo's folder of a previous run; refuses a non-empty folder that is not one. */
export function replaceStateDir(dir: string): void {
  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0 && !fs.existsSync(path.join(dir, STATE_MARKER))) {
    throw new ProcessError(
      `${dir} is not empty and is not a folder of an earlier demo run: pick an empty or new folder for --state-dir.`
    );
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, STATE_MARKER), 'Cascade Watch demo data: replaced at every start of the demo.\n');
}

function formatHours(hours: number): string {
  return hours >= 48 ? `${Math.round(hours / 24)} days` : `${Math.round(hours * 10) / 10} h`;
}

function stackHandle(
  urls: Stack['urls'],
  receiver: AlertReceiver,
  group: ProcessGroup,
  stop: () => Promise<void>
): Stack {
  return {
    urls,
    receiver,
    failed: group.failed,
    async startScenario(name: string, leadMinutes?: number) {
      const lead = leadMinutes === undefined ? '' : `?lead=${encodeURIComponent(leadMinutes)}`;
      const res = await fetch(`${urls.simulator}/api/scenarios/${encodeURIComponent(name)}/start${lead}`, {
        method: 'POST',
      });
      const body = await res.json();
      if (!res.ok) {
        throw new ProcessError(`The simulator refused to start ${name}: ${JSON.stringify(body)}`);
      }
      return body;
    },
    stop,
  };
}

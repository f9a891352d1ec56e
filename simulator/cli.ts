/**
 * cascade-sim: replay the cascade scenarios as metrics.
 *   serve            /metrics and a small JSON API, live
 *   history          weeks of history as OpenMetrics, for promtool tsdb create-blocks-from openmetrics
 *   promtool-series  the same run as promtool unit-test input_series
 *   timeline         a run's milestones and events, to read
 *   list             the built-in scenarios
 * Exit codes: 0 done, 2 bad flags or a bad scenario (with a message saying what was expected), 1 anything else.
 */
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DIALECT_NAMES, DialectError, parseDialects, runInDialects, type DialectName } from './dialects';
import { LiveSimulation } from './live';
import { writeOpenMetrics } from './output/openmetrics';
import { promtoolSeriesYaml } from './output/promtool';
import { simulate, type SimulationRun } from './run';
import { listScenarios, loadScenario, ScenarioError, type Scenario } from './scenario/load';
import { parseDuration, parseTimeSpec, TIME_SPEC_EXAMPLES, toIso } from './scenario/time';
import { createServer, isLoopback, listenUrl, listenWarning } from './server';

const EXIT_USAGE = 2;

class UsageError extends Error {}

function parsePort(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 65535) {
    throw new InvalidArgumentError('expected a port number 0-65535.');
  }
  return n;
}

function parseSpeed(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n > 100_000) {
    throw new InvalidArgumentError('expected a positive number (model seconds per real second), at most 100000.');
  }
  return n;
}

function parseStep(v: string): number {
  const n = /^\d+(\.\d+)?$/.test(v) ? Number(v) : parseDuration(v);
  if (n === undefined || !(n > 0)) {
    throw new InvalidArgumentError('expected a duration such as "60s", "15s" or "1m".');
  }
  return n;
}

function parseSeed(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || n > 2 ** 31 - 1) {
    throw new InvalidArgumentError('expected a whole number 0-2147483647.');
  }
  return n;
}

function resolveTime(spec: string | undefined, scenario: Scenario, flag: string, fallback: number): number {
  if (spec === undefined) {
    return fallback;
  }
  const t = parseTimeSpec(spec, scenario.anchor);
  if (t === undefined) {
    throw new UsageError(`${flag}: expected a time such as ${TIME_SPEC_EXAMPLES}, got ${JSON.stringify(spec)}`);
  }
  return t;
}

interface RunFlags {
  scenario: string;
  from?: string;
  to?: string;
  step: number;
  seed?: number;
  dialect: string[];
}

/** `--dialect a,b --dialect c`: collected as given, checked by parseDialects. */
function collectDialects(v: string, previous: string[]): string[] {
  return [...previous, v];
}

const DIALECT_HELP = `expose the series under an exporter's names and labels, the preset of the same name reads them: ${DIALECT_NAMES.join(', ')} (repeat or comma-separate; default: the signal contract's names)`;

function dialectOption(): Option {
  return new Option('--dialect <names>', DIALECT_HELP).argParser(collectDialects).default([]);
}

function runFromFlags(flags: RunFlags): SimulationRun {
  const dialects = parseDialects(flags.dialect);
  const scenario = loadScenario(flags.scenario);
  const from = resolveTime(flags.from, scenario, '--from', scenario.window.from);
  const to = resolveTime(flags.to, scenario, '--to', scenario.window.to);
  if (to <= from) {
    throw new UsageError(`--to: expected a time after --from (${toIso(from)}), got ${toIso(to)}`);
  }
  return runInDialects(simulate(scenario, { from, to, stepSeconds: flags.step, seed: flags.seed }), dialects);
}

function runOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--scenario <name|file>', 'built-in scenario name (see `cascade-sim list`) or a scenario file')
    .option('--from <time>', `first sample: ${TIME_SPEC_EXAMPLES} (default: the scenario's window)`)
    .option('--to <time>', "last sample, same forms (default: the scenario's window)")
    .option('--step <duration>', 'time between samples', parseStep, 60)
    .option('--seed <n>', "randomness seed (default: the scenario's)", parseSeed)
    .addOption(dialectOption());
}

/** A one-line progress bar on a terminal; nothing when stderr is a file or a pipe. */
function progressBar(label: string): ((done: number) => void) | undefined {
  if (!process.stderr.isTTY) {
    return undefined;
  }
  let last = -1;
  return (done) => {
    const pct = Math.floor(done * 100);
    if (pct !== last) {
      last = pct;
      const width = Math.max(10, Math.min(40, (process.stderr.columns ?? 80) - label.length - 10));
      const filled = Math.round((width * pct) / 100);
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}%`);
      if (pct === 100) {
        process.stderr.write('\n');
      }
    }
  };
}

export function buildProgram(): Command {
  const program = new Command('cascade-sim')
    .description('Replay the traffic -> backlog -> replica lag -> instances cascade as metrics of the signal contract.')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('list')
    .description('list the built-in scenarios')
    .action(() => {
      for (const s of listScenarios()) {
        process.stdout.write(`${s.name.padEnd(24)} ${s.description}\n`);
      }
    });

  program
    .command('serve')
    .description('serve /metrics (Prometheus text format) and a JSON API, the model running in real time (or faster)')
    .requiredOption(
      '--scenario <name|file>',
      'scenario whose service runs (its events start with POST /api/scenarios/NAME/start)'
    )
    .option('--port <n>', 'port to listen on (0: any free port)', parsePort, 9464)
    .addOption(new Option('--host <address>', 'address to listen on').default('127.0.0.1'))
    .option('--speed <n>', 'model seconds per real second (60: an hour a minute)', parseSpeed, 1)
    .option('--start', "start the scenario's events at once", false)
    .addOption(dialectOption())
    .action(
      async (flags: {
        scenario: string;
        port: number;
        host: string;
        speed: number;
        start: boolean;
        dialect: string[];
      }) => {
        const dialects: DialectName[] = parseDialects(flags.dialect);
        const scenario = loadScenario(flags.scenario);
        const live = new LiveSimulation({ scenario, speed: flags.speed });
        if (flags.start) {
          live.start(scenario);
        }
        const server = createServer({
          live,
          listenHost: flags.host,
          onError: (m) => process.stderr.write(`${m}\n`),
          dialects,
        });
        await new Promise<void>((resolve, reject) => {
          server.once('error', (e: NodeJS.ErrnoException) =>
            reject(new UsageError(`cannot listen on ${flags.host}:${flags.port}: ${e.code ?? e.message}`))
          );
          server.listen(flags.port, flags.host, resolve);
        });
        const address = server.address() as AddressInfo;
        process.stdout.write(
          `cascade-sim serving scenario ${scenario.name} at ${listenUrl(address)}/metrics (speed ${flags.speed}` +
            `${dialects.length ? `, dialects ${dialects.join(', ')}` : ''})\n`
        );
        if (!isLoopback(address.address)) {
          process.stderr.write(`${listenWarning(address)}\n`);
        }
        const stop = () => server.close(() => process.exit(0));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }
    );

  runOptions(program.command('history'))
    .description('write a run as OpenMetrics for `promtool tsdb create-blocks-from openmetrics FILE DIR`')
    .requiredOption('--out <file>', 'file to write ("-" for standard output)')
    .action(async (flags: RunFlags & { out: string }) => {
      const run = runFromFlags(flags);
      // Opened here, so a folder that is missing or not writable fails at once with its path (see main).
      const out =
        flags.out === '-' ? process.stdout : fs.createWriteStream(flags.out, { fd: fs.openSync(flags.out, 'w') });
      await writeOpenMetrics(run, out, { onProgress: flags.out === '-' ? undefined : progressBar('writing') });
      if (out !== process.stdout) {
        await new Promise<void>((resolve, reject) => {
          out.once('error', reject);
          out.end(resolve);
        });
        const samples = run.series.reduce((n, s) => n + s.values.filter((v) => !Number.isNaN(v)).length, 0);
        process.stderr.write(
          `${flags.out}: ${run.series.length} series, ${samples} samples, ${toIso(run.from)} to ${toIso(run.times[run.times.length - 1])}\n`
        );
      }
    });

  runOptions(program.command('promtool-series'))
    .description('write a run as promtool unit-test input_series (t=0 is --from)')
    .option('--out <file>', 'file to write (default: standard output)')
    .action((flags: RunFlags & { out?: string }) => {
      const text = promtoolSeriesYaml(runFromFlags(flags));
      if (flags.out) {
        fs.writeFileSync(flags.out, text);
      } else {
        process.stdout.write(text);
      }
    });

  runOptions(program.command('timeline'))
    .description("print a run's milestones (saturation, first 504s, zero healthy...) and events")
    .action((flags: RunFlags) => {
      const run = runFromFlags(flags);
      const rows = [
        ...Object.entries(run.milestones).map(([k, t]) => ({ t: t!, text: `milestone ${k}` })),
        ...run.events.map((e) => ({ t: e.time, text: `${e.type}: ${e.detail}` })),
      ].sort((a, b) => a.t - b.t);
      for (const r of rows) {
        process.stdout.write(`${toIso(r.t)}  ${r.text}\n`);
      }
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; commander has already printed the message for anything else.
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (e instanceof ScenarioError || e instanceof UsageError || e instanceof RangeError || e instanceof DialectError) {
      process.stderr.write(`cascade-sim: ${e.message}\n`);
      return EXIT_USAGE;
    }
    const io = e as NodeJS.ErrnoException;
    if (typeof io.code === 'string' && typeof io.path === 'string') {
      // A file it cannot open or write (--out in a missing folder): its path, not a stack trace.
      process.stderr.write(`cascade-sim: cannot ${io.syscall ?? 'write'} ${io.path}: ${io.code}\n`);
      return 1;
    }
    process.stderr.write(`cascade-sim: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    // serve keeps the process alive through its server; everything else exits with its code.
    if (code !== 0 || !process.argv.slice(2).includes('serve')) {
      process.exitCode = code;
    }
  });
}

/**
 * cascade-rules: renders the pack for a configuration.
 *
 *   cascade-rules --out .                         the checked-in files, from the defaults
 *   cascade-rules --config my.yaml --out DIR      a user's own
 *   cascade-rules --preset otel-http --out DIR    defaults with a preset applied
 *   cascade-rules --print-config > my.yaml        the effective configuration, to start from
 *   cascade-rules --check --out .                 exit 1 if the files in DIR differ from the output
 *   cascade-rules backtest --prometheus URL ...   what the pack would have fired on your history (backtest/cli.ts)
 */
import { Command } from 'commander';
import fs from 'fs';
import path from 'path';

import { ConfigError, listPresets, loadConfig } from '../config/load';
import { runBacktest } from './backtest/cli';
import { renderAll } from './render';
import { toYaml } from './render/yaml';

export const EXIT_BAD_CONFIG = 2;
export const EXIT_OUT_OF_DATE = 1;

interface CliOptions {
  config?: string;
  preset: string[];
  out: string;
  recordingOnly?: boolean;
  printConfig?: boolean;
  listPresets?: boolean;
  check?: boolean;
}

export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Runs the command line; returns the exit status instead of exiting, so tests can call it. */
export function run(argv: string[], io: CliIO): number {
  const program = new Command()
    .name('cascade-rules')
    .description(
      'Render the Cascade Watch alert-rule pack: Prometheus rules, Grafana provisioning, Alertmanager example.'
    )
    .option('-c, --config <file>', 'YAML configuration (selectors, thresholds, windows, URLs)')
    .option(
      '-p, --preset <name>',
      'apply a preset before the configuration (repeatable)',
      (v: string, all: string[]) => [...all, v],
      []
    )
    .option('-o, --out <dir>', 'output directory (files go to <dir>/alerts and <dir>/provisioning/alerting)', '.')
    .option('--recording-only', 'leave the alerts out of the Prometheus rule file (alert from Grafana instead)')
    .option('--print-config', 'print the effective configuration as YAML and exit')
    .option('--list-presets', 'list the presets and exit')
    .option('--check', 'write nothing; exit 1 if the files in --out differ from what would be written')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  try {
    program.parse(argv, { from: 'user' });
  } catch (err) {
    const code = (err as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : EXIT_BAD_CONFIG;
  }
  const options = program.opts<CliOptions>();

  if (options.listPresets) {
    io.stdout(listPresets().join('\n') + '\n');
    return 0;
  }

  let files: Map<string, string>;
  try {
    const config = loadConfig({ file: options.config, presets: options.preset });
    if (options.printConfig) {
      io.stdout(toYaml(config, ['Effective cascade-rules configuration (defaults, presets, your file).', '']));
      return 0;
    }
    files = renderAll(config, { recordingOnly: options.recordingOnly });
  } catch (err) {
    if (err instanceof ConfigError) {
      io.stderr(`cascade-rules: invalid configuration\n${err.message}\n`);
      return EXIT_BAD_CONFIG;
    }
    throw err;
  }

  if (options.check) {
    const stale = [...files].filter(([file, content]) => {
      const target = path.join(options.out, file);
      return !fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== content;
    });
    for (const [file] of stale) {
      io.stderr(`out of date: ${path.join(options.out, file)}\n`);
    }
    return stale.length > 0 ? EXIT_OUT_OF_DATE : 0;
  }

  for (const [file, content] of files) {
    const target = path.join(options.out, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, content);
    io.stdout(`wrote ${target}\n`);
  }
  return 0;
}

/** Every command: `backtest` (asynchronous) or rendering. */
export function main(argv: string[], io: CliIO & { isTTY?: boolean }): Promise<number> {
  return argv[0] === 'backtest' ? runBacktest(argv.slice(1), io) : Promise.resolve(run(argv, io));
}

if (require.main === module) {
  void main(process.argv.slice(2), {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: process.stderr.isTTY,
  }).then((code) => (process.exitCode = code));
}

/**
 * cascade-rules: the installed command for the one renderer (config/render.ts), whose command line it is, and
 * for the backtest (backtest/cli.ts).
 *
 *   cascade-rules --out DIR                       the whole set from the defaults: rules, Grafana provisioning,
 *                                                 Alertmanager example, dashboards and their provider
 *   cascade-rules --config my.yaml --out DIR      a user's own
 *   cascade-rules --preset otel-http --out DIR    defaults with a preset applied
 *   cascade-rules --print-config > my.yaml        the effective configuration, to start from
 *   cascade-rules --check --out DIR               exit 1 if the files in DIR differ from the output
 *   cascade-rules backtest --prometheus URL ...   what the pack would have fired on your history
 */
import { run, type CliIO } from '../config/render';
import { runBacktest } from './backtest/cli';

export { EXIT_BAD_CONFIG, EXIT_OUT_OF_DATE, run, type CliIO } from '../config/render';

/** Every command: `backtest` (asynchronous) or rendering. */
export function main(argv: string[], io: CliIO & { isTTY?: boolean }): Promise<number> {
  return argv[0] === 'backtest' ? runBacktest(argv.slice(1), io) : Promise.resolve(run(argv, io));
}

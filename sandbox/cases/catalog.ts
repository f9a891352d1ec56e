/**
 * What the synthetic cases are called and the dashboard they share (query refIds, the backlog limit),
 * apart from the generator: Node code (the server, browser tests) reads these without loading
 * @grafana/data, which needs a window.
 */
export const CASE_NAMES = [
  'ordinary-day',
  'traffic-surge',
  'backlog-limit',
  'zero-healthy',
  'deploy-retry-storm',
  'nothing-usable',
  'bench-100k',
] as const;
export type SyntheticCaseName = (typeof CASE_NAMES)[number];

/** The cases the browser tests walk through (the benchmark case is for the benchmark). */
export const PANEL_CASES: readonly SyntheticCaseName[] = CASE_NAMES.filter((n) => n !== 'bench-100k');

/** The write-backlog limit the dashboards' thresholds use in these cases (units of write work). */
export const BACKLOG_LIMIT = 60_000;

/** Query refIds of the dashboard every case shares, one query per signal. */
export const REF = {
  rate: 'A',
  baseline: 'B',
  upper: 'C',
  lower: 'D',
  errors: 'E',
  backlog: 'F',
  lag: 'G',
  utilization: 'H',
  healthy: 'I',
  desired: 'J',
  deploy: 'K',
} as const;

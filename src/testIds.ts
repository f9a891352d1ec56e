/**
 * data-testid values shared by the unit tests (Testing Library) and the browser tests (Playwright):
 * one list, so a renamed element breaks both at once instead of silently passing one of them.
 */
export const TestIds = {
  panel: 'cascade-panel',
  header: 'cascade-header',
  /** Text is one of the status-page words: Operational, Degraded performance, Partial outage, Major outage. */
  status: 'cascade-status',
  reasons: 'cascade-reasons',
  stage: 'cascade-stage',
  /** Shown instead of the lanes when the data has nothing usable; says what is missing. */
  message: 'cascade-message',
  /** Non-fatal notes about the data (sorted timestamps, dropped values, missing optional roles). */
  notices: 'cascade-notices',
  lane: (name: LaneName) => `cascade-lane-${name}`,
  /** ETA labels of forecasts ("backlog limit in ~14 min", "drains in ~9 min"). */
  eta: 'cascade-eta',
  /** "+62% req/s since deploy 7 min ago". */
  deployImpact: 'cascade-deploy-impact',
  tooltip: 'cascade-tooltip',
  /** A legend entry a click can hide or isolate (aria-pressed: shown). */
  legendItem: 'cascade-legend-item',
  /** A data link in the tooltip. */
  dataLink: 'cascade-data-link',
  /** A non-deploy annotation's text in the tooltip. */
  annotation: 'cascade-annotation',
} as const;

export type LaneName = 'traffic' | 'database' | 'instances';
export const LANES: readonly LaneName[] = ['traffic', 'database', 'instances'];

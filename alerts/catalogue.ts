/**
 * The alert catalogue of docs/alerts.md as code: the public names, severities and stages
 * (Alertmanager routes, silences and inhibitions are written against them). The lint test
 * checks this list against docs/alerts.md and the rendered pack against this list.
 */
import type { Severity, Stage } from './rules/model';

export interface CatalogueEntry {
  severity: Severity;
  stage: Stage;
  /** One line for the README's alerts table. */
  meaning: string;
}

export const CATALOGUE = {
  CascadeTrafficAnomalyHigh: {
    severity: 'warning',
    stage: 'traffic',
    meaning:
      "Request rate above the upper band of the service's seasonal baseline (same time in earlier weeks); far above it, sooner.",
  },
  CascadeTrafficAnomalyLow: {
    severity: 'warning',
    stage: 'traffic',
    meaning:
      'Request rate below the lower band of the seasonal baseline, one route far below its usual rate, or either a fifth below and still falling: a drop can be as serious as a spike.',
  },
  CascadeTrafficSurge: {
    severity: 'warning',
    stage: 'traffic',
    meaning:
      "Request rate (or the number of client networks), or one route's, rising much faster than usual, even at normal volume.",
  },
  CascadeDeployTrafficAnomaly: {
    severity: 'warning',
    stage: 'deploy',
    meaning:
      "Soon after a deploy, a route's request rate has risen well above its pre-deploy rate, and well beyond the rest of the service's (clients retrying).",
  },
  CascadeDeployErrorRatio: {
    severity: 'warning',
    stage: 'deploy',
    meaning: "Soon after a deploy, a route's error ratio is well above its pre-deploy ratio.",
  },
  CascadeWriteBacklogGrowing: {
    severity: 'warning',
    stage: 'backlog',
    meaning: 'The write backlog keeps growing and, on its trend, will soon take too long to drain (or pass its limit).',
  },
  CascadeWriteBacklogElevated: {
    severity: 'warning',
    stage: 'backlog',
    meaning:
      'The write backlog has needed several times its usual drain time for an hour: the database works near its ceiling, though the backlog is not growing.',
  },
  CascadeDatabaseSaturationImminent: {
    severity: 'warning',
    stage: 'backlog',
    meaning: "A database node's utilisation is on course to reach saturation within the horizon.",
  },
  CascadeDatabaseSaturated: {
    severity: 'critical',
    stage: 'backlog',
    meaning: 'The primary database is saturated and staying there.',
  },
  CascadeReplicaLagGrowing: {
    severity: 'warning',
    stage: 'replicas',
    meaning: "A replica's lag is past a small threshold and climbing steadily.",
  },
  CascadeReplicaLagHigh: {
    severity: 'critical',
    stage: 'replicas',
    meaning: "A replica's lag is above the critical threshold.",
  },
  CascadeHealthyInstancesLow: {
    severity: 'warning',
    stage: 'instances',
    meaning: 'Healthy instances below a fraction of the desired count.',
  },
  CascadeHealthyInstancesCritical: {
    severity: 'critical',
    stage: 'instances',
    meaning: 'Healthy instances below a smaller fraction of the desired count.',
  },
  CascadeNoHealthyInstances: {
    severity: 'critical',
    stage: 'instances',
    meaning: 'No healthy instance while some are desired: a total outage; may need a bootstrap from zero.',
  },
  CascadeInstanceChurn: {
    severity: 'warning',
    stage: 'instances',
    meaning: 'Instances are cycling: the healthy count keeps dropping and recovering, outside deploys and scaling.',
  },
  CascadeInProgress: {
    severity: 'critical',
    stage: 'cascade',
    meaning:
      'Two or more cascade stages (traffic, backlog, replicas, instances) are active at once, one of them traffic or instances.',
  },
  CascadeErrorBudgetBurnFast: {
    severity: 'critical',
    stage: 'slo',
    meaning: 'Error budget burning fast: 14.4x over 1h and 5m, or 6x over 6h and 30m.',
  },
  CascadeErrorBudgetBurnSlow: {
    severity: 'warning',
    stage: 'slo',
    meaning: 'Error budget burning steadily: 3x over 1d and 2h, or 1x over 3d and 6h.',
  },
  CascadeSignalMissing: {
    severity: 'warning',
    stage: 'meta',
    meaning: 'An input signal has been absent long enough that the pack is blind to its stage.',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type AlertName = keyof typeof CATALOGUE;

export const ALERT_NAMES = Object.keys(CATALOGUE) as AlertName[];

/** The four stages whose simultaneous activity is the cascade (CascadeInProgress): config/definitions.ts. */
export { CASCADE_STAGES } from '../config/definitions';

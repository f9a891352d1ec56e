/**
 * The definitions every part shares: the cascade's stages and the default thresholds. The pack's
 * configuration (config/schema.ts DEFAULT_CONFIG), the panel's defaults (src/defaults.ts) and the
 * dashboards take them from here, so a threshold or a stage is written down once.
 *
 * No imports, and zod stays out: the panel's bundle loads this module.
 */

/** The cascade's stages, in the order the first report's outage went through them. */
export const CASCADE_STAGES = ['traffic', 'backlog', 'replicas', 'instances'] as const;
export type CascadeStage = (typeof CASCADE_STAGES)[number];

/** The default thresholds: alerts fire, and the panel's status changes, at the same values. */
export const THRESHOLDS = {
  /** Replica lag (s) that counts as behind (growing alert; the panel's warning). */
  replicaLagWarningSeconds: 30,
  /** Replica lag (s) that is critical on its own. */
  replicaLagCriticalSeconds: 300,
  /** Database utilisation (0..1) counted as saturated. */
  databaseSaturation: 0.95,
  /** Healthy instances below this fraction of desired: low (degraded). */
  instancesLowFraction: 0.75,
  /** Healthy instances below this fraction of desired: critical (partial outage). */
  instancesCriticalFraction: 0.5,
  /**
   * Hard limit on the write backlog, in the system's own units of write work; null when there is
   * none (the pack then alerts on drain time only, and the panel takes the limit from the backlog
   * field's thresholds, if any). Units differ between systems, so there is no default number.
   */
  backlogLimit: null as number | null,
} as const;

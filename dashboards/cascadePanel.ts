import { THRESHOLDS } from '../config/definitions';
import { RECORDED, SIGNALS } from '../contract/signals';
import { Panel, target, Target } from './grafana';

/** The scope a dashboard shows: template variables in the dashboards, concrete values in the host page. */
export interface Scope {
  service: string;
  cluster: string;
}

export const DASHBOARD_SCOPE: Scope = { service: '$service', cluster: '$cluster' };

/** The plugin's id (src/plugin.json): the panel type the dashboards use. */
export const CASCADE_PANEL_TYPE = 'cascadewatch-cascade-panel';

/**
 * The Cascade panel's queries: one per role, each refId the role's name, so the panel's default role
 * matchers find them (and a reader of the dashboard sees which query is which). The pack's recorded series
 * where it records them, the contract's raw series otherwise.
 */
export function cascadeTargets(scope: Scope): Target[] {
  const svc = `{service="${scope.service}"}`;
  const db = `{cluster="${scope.cluster}"}`;
  return [
    target('traffic', `${RECORDED.requestRate}${svc}`),
    target('baseline', `${RECORDED.baselineRate}${svc}`),
    target('upper', `${RECORDED.baselineUpper}${svc}`),
    target('lower', `${RECORDED.baselineLower}${svc}`),
    target('errors', `${RECORDED.errorRatio}${svc}`),
    target('backlog', `${SIGNALS.writeBacklog.name}${db}`),
    target('lag', `${SIGNALS.replicaLag.name}${db}`, '{{instance}}'),
    target('utilization', `${SIGNALS.dbUtilization.name}${db}`, '{{instance}}'),
    target('healthy', `${SIGNALS.healthyInstances.name}${svc}`),
    target('desired', `${SIGNALS.desiredInstances.name}${svc}`),
    target('deploy', `${SIGNALS.lastDeploy.name}${svc}`, '{{version}}'),
  ];
}

/**
 * The backlog limit the panel draws and forecasts to: the configuration's `backlog.limit` (config/definitions.ts),
 * 0 (none) when it has none, since units differ between systems.
 */
export const BACKLOG_LIMIT = THRESHOLDS.backlogLimit ?? 0;

export function cascadePanel(scope: Scope): Panel {
  return {
    type: CASCADE_PANEL_TYPE,
    title: 'Cascade',
    description:
      'Traffic against its seasonal baseline, database backlog and replica lag with forecasts, healthy instances, deploys, and the status in status-page words.',
    w: 24,
    h: 14,
    targets: cascadeTargets(scope),
    options: { database: { backlogLimit: BACKLOG_LIMIT } },
    fieldConfig: { defaults: {}, overrides: [] },
  };
}

import type { CascadeConfig } from '../config/schema';
import { RECORDED } from '../contract/signals';
import { DEFAULT_ROLES } from '../src/defaults';
import type { CascadeOptions } from '../src/types';
import { PluginPanel, target, Target } from './grafana';

/**
 * The scope a dashboard shows: template variables in the dashboards, concrete values in the host page.
 * `groups` holds a value for each of the configuration's grouping labels (e.g. `namespace`), if any.
 */
export interface Scope {
  service: string;
  cluster: string;
  groups?: Readonly<Record<string, string>>;
}

/** The dashboards' scope: a template variable per grouping label, then `$service` and `$cluster`. */
export function dashboardScope(config: Pick<CascadeConfig, 'groupingLabels'>): Scope {
  return {
    service: '$service',
    cluster: '$cluster',
    groups: Object.fromEntries(config.groupingLabels.map((l) => [l, `$${l}`])),
  };
}

function matchers(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([l, v]) => `${l}="${v}"`)
    .join(', ')}}`;
}

/** `{namespace="$namespace", service="$service"}`: a service's series within the scope. */
export function serviceSelector(scope: Scope): string {
  return matchers({ ...scope.groups, service: scope.service });
}

/** The same for the scope's database cluster. */
export function clusterSelector(scope: Scope): string {
  return matchers({ ...scope.groups, cluster: scope.cluster });
}

/** The plugin's id (src/plugin.json): the panel type the dashboards use. */
export const CASCADE_PANEL_TYPE = 'cascadewatch-cascade-panel';

/**
 * The Cascade panel's queries: one per role, each refId the role's name, so the panel's default role
 * matchers find them (and a reader of the dashboard sees which query is which). Every one reads a series
 * the pack records, so a preset that maps other exporters' metrics onto the contract fills them all.
 */
export function cascadeTargets(scope: Scope): Target[] {
  const svc = serviceSelector(scope);
  const db = clusterSelector(scope);
  return [
    target('traffic', `${RECORDED.requestRate}${svc}`),
    target('baseline', `${RECORDED.baselineRate}${svc}`),
    target('upper', `${RECORDED.baselineUpper}${svc}`),
    target('lower', `${RECORDED.baselineLower}${svc}`),
    target('errors', `${RECORDED.errorRatio}${svc}`),
    target('backlog', `${RECORDED.backlog}${db}`),
    target('lag', `${RECORDED.replicaLag}${db}`, '{{instance}}'),
    target('utilization', `${RECORDED.utilization}${db}`, '{{instance}}'),
    target('healthy', `${RECORDED.healthyInstances}${svc}`),
    target('desired', `${RECORDED.desiredInstances}${svc}`),
    target('deploy', `${RECORDED.deployTimestamp}${svc}`, '{{service}}'),
  ];
}

/**
 * The panel options the dashboard sets: the role matchers, and the thresholds the pack alerts on. The backlog
 * limit is the configuration's `backlog.limit`, 0 (none) when it has none, since units differ between systems.
 */
export type CascadePanelOptions = Pick<CascadeOptions, 'roles'> & {
  database: Pick<CascadeOptions['database'], 'backlogLimit' | 'lagWarnSeconds' | 'lagCriticalSeconds' | 'saturation'>;
  instances: Pick<CascadeOptions['instances'], 'lowFraction' | 'criticalFraction'>;
};

export function cascadePanelOptions(config: CascadeConfig): CascadePanelOptions {
  return {
    roles: DEFAULT_ROLES,
    database: {
      backlogLimit: config.backlog.limit ?? 0,
      lagWarnSeconds: config.replicas.lagWarning,
      lagCriticalSeconds: config.replicas.lagCritical,
      saturation: config.database.saturation,
    },
    instances: { lowFraction: config.instances.lowRatio, criticalFraction: config.instances.criticalRatio },
  };
}

export function cascadePanel(scope: Scope, config: CascadeConfig): PluginPanel<CascadePanelOptions> {
  return {
    type: CASCADE_PANEL_TYPE,
    title: 'Cascade',
    description:
      'Traffic against its seasonal baseline, database backlog and replica lag with forecasts, healthy instances, deploys, and the status in status-page words.',
    w: 24,
    h: 14,
    targets: cascadeTargets(scope),
    options: cascadePanelOptions(config),
    fieldConfig: { defaults: {}, overrides: [] },
  };
}

/**
 * The alerts as Grafana-managed alert provisioning (apiVersion 1), plus a contact point and a
 * notification policy tree in their own files.
 *
 * Each rule mirrors Prometheus semantics the way Grafana's own importer does: an instant query
 * (A) that returns only firing series, a math expression (B) that turns any returned value into
 * 1, and a threshold (C, the condition) on it. No data therefore means OK, like in Prometheus.
 * Context queries for the description are further instant queries, matched by labels.
 */
import type { CascadeConfig } from '../../config/schema';
import { seconds } from '../promql';
import { identityLabels } from '../rules/build';
import type { AlertRule, RuleGroup } from '../rules/model';
import { packAlerts } from '../rules/pack';
import { alertAnnotations, alertLabels, alertPanel } from './annotations';
import { contextExpr, contextsUsed, GRAFANA_QUERY_REF, grafanaWriter } from './templates';
import { generatedHeader, toYaml } from './yaml';

export const EXPRESSION_DATASOURCE_UID = '__expr__';
const MATH_REF = 'B';
const CONDITION_REF = 'C';
/** Grafana's scheduler ticks every 10 s; a group interval must be a multiple of it. */
export const GRAFANA_BASE_INTERVAL_SECONDS = 10;
/** How far back the instant queries may look (Grafana requires a range even for instant queries). */
const QUERY_RANGE_SECONDS = 600;

export const CONTACT_POINT = 'cascade-watch-alertmanager';

/** `CascadeTrafficAnomalyHigh` → `cascade-traffic-anomaly-high` (Grafana uids: ≤ 40 of [a-zA-Z0-9_-]). */
export function grafanaRuleUid(alertName: string): string {
  return alertName
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .slice(0, 40);
}

function grafanaGroupName(group: RuleGroup): string {
  return group.name.replace(/\./g, '-');
}

function prometheusQuery(config: CascadeConfig, refId: string, expr: string) {
  return {
    refId,
    relativeTimeRange: { from: QUERY_RANGE_SECONDS, to: 0 },
    datasourceUid: config.grafanaDatasourceUid,
    model: {
      refId,
      datasource: { type: 'prometheus', uid: config.grafanaDatasourceUid },
      expr,
      instant: true,
      range: false,
      intervalMs: 1000,
      maxDataPoints: 43200,
    },
  };
}

function expression(refId: string, model: Record<string, unknown>) {
  return {
    refId,
    relativeTimeRange: { from: 0, to: 0 },
    datasourceUid: EXPRESSION_DATASOURCE_UID,
    model: { refId, datasource: { type: '__expr__', uid: EXPRESSION_DATASOURCE_UID }, ...model },
  };
}

export function grafanaRule(config: CascadeConfig, rule: AlertRule) {
  const identity = identityLabels(config, rule);
  // Aggregating to the identity labels drops the metric name, so context values match exactly.
  const main = `max by (${identity.join(', ')}) (\n  ${rule.expr.replace(/\n/g, '\n  ')}\n)`;
  const contexts = contextsUsed(rule).map((name) =>
    // A context query that returns nothing would make the whole rule "no data": fall back to NaN.
    prometheusQuery(config, name, `${contextExpr(rule, name, '', identity)} or on () vector(NaN)`)
  );
  const panel = alertPanel(config, rule);
  return {
    uid: grafanaRuleUid(rule.alert),
    title: rule.alert,
    condition: CONDITION_REF,
    data: [
      prometheusQuery(config, GRAFANA_QUERY_REF, main),
      ...contexts,
      expression(MATH_REF, {
        type: 'math',
        expression: `is_number($${GRAFANA_QUERY_REF}) || is_nan($${GRAFANA_QUERY_REF}) || is_inf($${GRAFANA_QUERY_REF})`,
      }),
      expression(CONDITION_REF, {
        type: 'threshold',
        expression: MATH_REF,
        conditions: [{ evaluator: { type: 'gt', params: [0] } }],
      }),
    ],
    noDataState: config.grafana.noDataState,
    execErrState: config.grafana.execErrState,
    for: rule.for,
    ...(rule.keepFiringFor ? { keepFiringFor: rule.keepFiringFor } : {}),
    annotations: {
      ...alertAnnotations(config, rule, grafanaWriter()),
      // Link the rule to its panel, so Grafana shows the alert's state (heart icon, state annotations) there.
      __dashboardUid__: panel.uid,
      __panelId__: String(panel.panelId),
    },
    labels: alertLabels(rule),
    isPaused: false,
    // Resolve as soon as the series is gone, as Prometheus does.
    missing_series_evals_to_resolve: 1,
  };
}

export function grafanaRuleGroups(config: CascadeConfig, groups: RuleGroup[]) {
  const interval = seconds(config.evaluationInterval);
  if (interval % GRAFANA_BASE_INTERVAL_SECONDS !== 0) {
    throw new Error(
      `evaluationInterval ${config.evaluationInterval} is not a multiple of Grafana's ${GRAFANA_BASE_INTERVAL_SECONDS}s scheduler interval`
    );
  }
  return groups
    .filter((g) => packAlerts([g]).length > 0)
    .map((g) => ({
      orgId: 1,
      name: grafanaGroupName(g),
      folder: config.grafanaFolder,
      interval: config.evaluationInterval,
      rules: packAlerts([g]).map((rule) => grafanaRule(config, rule)),
    }));
}

export function renderGrafanaRules(config: CascadeConfig, groups: RuleGroup[]): string {
  return toYaml(
    { apiVersion: 1, groups: grafanaRuleGroups(config, groups) },
    generatedHeader(
      'Cascade Watch alerts as Grafana-managed alert rules. They query the cascade:* series: load the recording rules into Prometheus.'
    )
  );
}

export function renderGrafanaContactPoints(config: CascadeConfig): string {
  return toYaml(
    {
      apiVersion: 1,
      contactPoints: [
        {
          orgId: 1,
          name: CONTACT_POINT,
          receivers: [
            {
              uid: CONTACT_POINT,
              type: 'prometheus-alertmanager',
              settings: { url: config.grafana.alertmanagerUrl },
              disableResolveMessage: false,
            },
          ],
        },
      ],
    },
    generatedHeader(
      'Cascade Watch contact point: hands Grafana-managed alerts to an Alertmanager (see alerts/alertmanager.example.yml for its routes and inhibitions).'
    )
  );
}

export function renderGrafanaPolicies(): string {
  const severity = (value: string) => [['severity', '=', value]];
  return toYaml(
    {
      apiVersion: 1,
      policies: [
        {
          orgId: 1,
          receiver: CONTACT_POINT,
          group_by: ['grafana_folder', 'alertname', 'service', 'cluster'],
          group_wait: '30s',
          group_interval: '5m',
          repeat_interval: '4h',
          routes: [
            {
              receiver: CONTACT_POINT,
              object_matchers: severity('critical'),
              group_wait: '10s',
              repeat_interval: '1h',
            },
            { receiver: CONTACT_POINT, object_matchers: severity('warning'), repeat_interval: '12h' },
          ],
        },
      ],
    },
    generatedHeader(
      "Cascade Watch notification policy tree. Provisioning replaces the organisation's whole tree: merge it into yours if you have one."
    )
  );
}

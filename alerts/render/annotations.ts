/** Labels and annotations every alert carries, in either template dialect. */
import { dashboardPath } from '../../config/dashboards';
import type { CascadeConfig } from '../../config/schema';
import { identityLabels } from '../rules/build';
import type { AlertRule, TemplateWriter } from '../rules/model';

/** Which of the configuration's dashboards (config/dashboards.ts) a rule's `dashboard` names. */
const DASHBOARD_KEYS = { overview: 'overview', deploy: 'deployWatch' } as const;

/**
 * The panel each alert's state shows on (Grafana-managed rules only): its dashboard's uid and the panel's id
 * in the rendered dashboard. The overview's alerts go to the Cascade panel (id 1); the deploy alerts to the
 * deploy watch's request-rate or error-ratio panel. dashboards.test.ts checks these ids against the JSON.
 */
export const ALERT_PANEL_IDS = { overview: 1, deploy: 5 } as const;
/** Deploy alerts about errors show on the error-ratio panel rather than the request-rate one. */
export const DEPLOY_ERROR_PANEL_ID = 7;

export function alertPanel(config: CascadeConfig, rule: AlertRule): { uid: string; panelId: number } {
  const uid = config.dashboards[DASHBOARD_KEYS[rule.dashboard]].uid;
  const panelId =
    rule.dashboard === 'deploy' && /Error/.test(rule.alert) ? DEPLOY_ERROR_PANEL_ID : ALERT_PANEL_IDS[rule.dashboard];
  return { uid, panelId };
}

export function runbookUrl(config: CascadeConfig, rule: AlertRule): string {
  return `${config.runbookBaseUrl.replace(/\/+$/, '')}/${rule.alert}.md`;
}

/**
 * The dashboard link, with the alert's service (or cluster) preselected. An alert that may carry
 * either (or neither) gets a template that picks whichever label it has.
 */
export function dashboardUrl(config: CascadeConfig, rule: AlertRule, t: TemplateWriter): string {
  const base = `${config.grafanaUrl.replace(/\/+$/, '')}${dashboardPath(config, DASHBOARD_KEYS[rule.dashboard])}`;
  const identity = identityLabels(config, rule);
  const variables = ['service', 'cluster'].filter((l) => identity.includes(l));
  if (variables.length === 0) {
    return base;
  }
  if (variables.length === 1) {
    return `${base}?var-${variables[0]}=${t.label(variables[0])}`;
  }
  const choices = variables.map((v, i) => `{{ ${i === 0 ? 'if' : 'else if'} $labels.${v} }}?var-${v}=${t.label(v)}`);
  return `${base}${choices.join('')}{{ end }}`;
}

export function alertLabels(rule: AlertRule): Record<string, string> {
  return { severity: rule.severity, stage: rule.stage };
}

export function alertAnnotations(config: CascadeConfig, rule: AlertRule, t: TemplateWriter): Record<string, string> {
  return {
    summary: rule.summary,
    description: rule.description(t),
    runbook_url: runbookUrl(config, rule),
    dashboard_url: dashboardUrl(config, rule, t),
  };
}

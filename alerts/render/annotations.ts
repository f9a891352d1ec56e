/** Labels and annotations every alert carries, in either template dialect. */
import type { CascadeConfig } from '../../config/schema';
import { identityLabels } from '../rules/build';
import type { AlertRule, TemplateWriter } from '../rules/model';

export const DASHBOARDS = {
  overview: '/d/cascade-overview/cascade-overview',
  deploy: '/d/cascade-deploy-watch/deploy-watch',
} as const;

/**
 * The panel each alert's state shows on (Grafana-managed rules only): its dashboard's uid and the panel's id
 * in the rendered dashboard. The overview's alerts go to the Cascade panel (id 1); the deploy alerts to the
 * deploy watch's request-rate or error-ratio panel. dashboards.test.ts checks these ids against the JSON.
 */
export const ALERT_PANELS = {
  overview: { uid: 'cascade-overview', panelId: 1 },
  deploy: { uid: 'cascade-deploy-watch', panelId: 5 },
} as const;
/** Deploy alerts about errors show on the error-ratio panel rather than the request-rate one. */
export const DEPLOY_ERROR_PANEL_ID = 7;

export function alertPanel(rule: AlertRule): { uid: string; panelId: number } {
  const panel = ALERT_PANELS[rule.dashboard];
  return rule.dashboard === 'deploy' && /Error/.test(rule.alert) ? { ...panel, panelId: DEPLOY_ERROR_PANEL_ID } : panel;
}

export function runbookUrl(config: CascadeConfig, rule: AlertRule): string {
  return `${config.runbookBaseUrl.replace(/\/+$/, '')}/${rule.alert}.md`;
}

/**
 * The dashboard link, with the alert's service (or cluster) preselected. An alert that may carry
 * either (or neither) gets a template that picks whichever label it has.
 */
export function dashboardUrl(config: CascadeConfig, rule: AlertRule, t: TemplateWriter): string {
  const base = `${config.grafanaUrl.replace(/\/+$/, '')}${DASHBOARDS[rule.dashboard]}`;
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

/** The pack as one Prometheus (and Mimir, Thanos) rule file. */
import type { CascadeConfig } from '../../config/schema';
import { identityLabels } from '../rules/build';
import { isAlert, type Rule, type RuleGroup } from '../rules/model';
import { alertAnnotations, alertLabels } from './annotations';
import { prometheusWriter } from './templates';
import { generatedHeader, toYaml } from './yaml';

export interface PrometheusRenderOptions {
  /** Leave the alerts out (for Grafana-managed alerting, which reads the recorded series). */
  recordingOnly?: boolean;
}

function renderRule(config: CascadeConfig, rule: Rule): Record<string, unknown> {
  if (!isAlert(rule)) {
    return { record: rule.record, expr: rule.expr, ...(rule.labels ? { labels: rule.labels } : {}) };
  }
  const writer = prometheusWriter(rule, identityLabels(config, rule));
  return {
    alert: rule.alert,
    expr: rule.expr,
    for: rule.for,
    ...(rule.keepFiringFor ? { keep_firing_for: rule.keepFiringFor } : {}),
    labels: alertLabels(rule),
    annotations: alertAnnotations(config, rule, writer),
  };
}

export function prometheusRuleGroups(
  config: CascadeConfig,
  groups: RuleGroup[],
  options: PrometheusRenderOptions = {}
) {
  return groups
    .map((g) => ({ ...g, rules: options.recordingOnly ? g.rules.filter((r) => !isAlert(r)) : g.rules }))
    .filter((g) => g.rules.length > 0)
    .map((g) => ({ name: g.name, interval: g.interval, rules: g.rules.map((r) => renderRule(config, r)) }));
}

export function renderPrometheusRules(
  config: CascadeConfig,
  groups: RuleGroup[],
  options: PrometheusRenderOptions = {}
): string {
  return toYaml(
    { groups: prometheusRuleGroups(config, groups, options) },
    generatedHeader(
      config.timeScale !== 1
        ? `Cascade Watch rule pack, TIME-COMPRESSED ${config.timeScale}x for end-to-end tests: not for real services.`
        : options.recordingOnly
          ? 'Cascade Watch recording rules (no alerts): load next to the Grafana-managed alerts.'
          : 'Cascade Watch rule pack for Prometheus, Mimir and Thanos: recording rules and alerts.'
    )
  );
}

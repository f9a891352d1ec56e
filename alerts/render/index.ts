/** Every file the generator writes, by path relative to the output directory. */
import type { CascadeConfig } from '../../config/schema';
import { buildPack } from '../rules/pack';
import { renderAlertmanagerExample } from './alertmanager';
import { renderGrafanaContactPoints, renderGrafanaPolicies, renderGrafanaRules } from './grafana';
import { renderPrometheusRules } from './prometheus';

export const OUTPUT_FILES = {
  prometheusRules: 'alerts/cascade-watch.rules.yml',
  alertmanager: 'alerts/alertmanager.example.yml',
  grafanaRules: 'provisioning/alerting/cascade-watch.yaml',
  grafanaContactPoints: 'provisioning/alerting/cascade-watch-contact-points.yaml',
  grafanaPolicies: 'provisioning/alerting/cascade-watch-policies.yaml',
} as const;

export interface RenderOptions {
  /** The Prometheus file without alerts, for setups that alert from Grafana. */
  recordingOnly?: boolean;
}

export function renderAll(config: CascadeConfig, options: RenderOptions = {}): Map<string, string> {
  const groups = buildPack(config);
  const prometheus = new Map<string, string>([
    [OUTPUT_FILES.prometheusRules, renderPrometheusRules(config, groups, { recordingOnly: options.recordingOnly })],
    [OUTPUT_FILES.alertmanager, renderAlertmanagerExample()],
  ]);
  if (config.timeScale !== 1) {
    // A compressed variant evaluates every few seconds; Grafana's scheduler runs every 10 s at the fastest.
    return prometheus;
  }
  return new Map<string, string>([
    ...prometheus,
    [OUTPUT_FILES.grafanaRules, renderGrafanaRules(config, groups)],
    [OUTPUT_FILES.grafanaContactPoints, renderGrafanaContactPoints(config)],
    [OUTPUT_FILES.grafanaPolicies, renderGrafanaPolicies()],
  ]);
}

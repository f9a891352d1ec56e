/**
 * The pack the way Kubernetes and jsonnet users load packs: a prometheus-operator `PrometheusRule`, the
 * dashboards as ConfigMaps for Grafana's dashboard sidecar (kube-prometheus-stack), and a monitoring mixin
 * (`mixin/mixin.libsonnet`) whose rules, alerts and dashboards are the rendered JSON.
 *
 * The rule groups are the ones the Prometheus rule file carries (`prometheusRuleGroups`), so every output
 * evaluates the same rules.
 */
import path from 'path';

import { ConfigError } from '../../config/load';
import type { CascadeConfig } from '../../config/schema';
import { isAlert, type RuleGroup } from '../rules/model';
import { prometheusRuleGroups } from './prometheus';
import { generatedHeader, toYaml } from './yaml';

/** Where each file goes, relative to the output directory. */
export const KUBERNETES_FILES = {
  prometheusRule: 'kubernetes/cascade-watch.prometheusrule.yaml',
  dashboardConfigMaps: 'kubernetes/cascade-watch-dashboards.configmap.yaml',
  mixin: 'mixin/mixin.libsonnet',
  mixinRules: 'mixin/rules.json',
  mixinAlerts: 'mixin/alerts.json',
  mixinDashboardsDir: 'mixin/dashboards',
} as const;

/** prometheus-operator refuses a PrometheusRule whose rendered groups exceed half of a Secret's 1 MiB. */
export const OPERATOR_RULE_LIMIT_BYTES = 512 * 1024;
/** The API server refuses a ConfigMap whose data exceeds 1 MiB. */
export const CONFIGMAP_DATA_LIMIT_BYTES = 1024 * 1024;
/**
 * Client-side `kubectl apply` stores the whole object in the `last-applied-configuration` annotation, and
 * all annotations of an object together may hold at most 256 KiB.
 */
export const APPLY_ANNOTATION_LIMIT_BYTES = 256 * 1024;

/** Marks every object of the pack, so `kubectl get/delete -l app.kubernetes.io/part-of=...` finds them all. */
const PART_OF = 'app.kubernetes.io/part-of';

/** An object Kubernetes would refuse (too big, a bad key): the CLI reports it as it reports a bad configuration. */
export class KubernetesRenderError extends ConfigError {
  constructor(message: string) {
    super(message);
    this.name = 'KubernetesRenderError';
  }
}

function metadata(
  config: CascadeConfig,
  name: string,
  labels: Record<string, string>,
  annotations: Record<string, string> = {}
) {
  return {
    name,
    namespace: config.kubernetes.namespace,
    labels: { [PART_OF]: config.kubernetes.name, ...labels },
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
}

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The PrometheusRule object (before YAML), for tests that measure it as `kubectl apply` would. */
export function prometheusRuleObject(config: CascadeConfig, groups: RuleGroup[]) {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: metadata(config, config.kubernetes.name, config.kubernetes.ruleLabels),
    spec: { groups: prometheusRuleGroups(config, groups) },
  };
}

/**
 * The whole pack (recording rules and alerts) as one prometheus-operator `PrometheusRule`, labelled for the
 * Prometheus object's `ruleSelector` (`kubernetes.ruleLabels`).
 */
export function prometheusRuleManifest(config: CascadeConfig, groups: RuleGroup[]): string {
  const object = prometheusRuleObject(config, groups);
  const specBytes = bytes(toYaml(object.spec));
  if (specBytes > OPERATOR_RULE_LIMIT_BYTES) {
    throw new KubernetesRenderError(
      `the PrometheusRule's groups take ${specBytes} bytes; prometheus-operator accepts at most ${OPERATOR_RULE_LIMIT_BYTES}`
    );
  }
  const [, ...generated] = generatedHeader('');
  return toYaml(object, [
    'Cascade Watch rule pack as a prometheus-operator PrometheusRule: `kubectl apply -f` this file.',
    "Its labels must match your Prometheus's ruleSelector: set them in the configuration's kubernetes.ruleLabels.",
    ...generated,
  ]);
}

/** `dashboards/cascade-overview.json` → `cascade-overview` (the part of a ConfigMap's name after the prefix). */
function dashboardSlug(file: string): string {
  return path.posix
    .basename(file, '.json')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** One ConfigMap object per dashboard, sorted by file, for the YAML writer and for tests. */
export function dashboardConfigMapObjects(config: CascadeConfig, dashboards: Map<string, string>) {
  const { name, dashboardLabel, dashboardFolder } = config.kubernetes;
  const annotations = dashboardFolder ? { [dashboardFolder.annotation]: dashboardFolder.folder } : {};
  return [...dashboards.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([file, json]) => {
      const key = path.posix.basename(file);
      try {
        JSON.parse(json);
      } catch (err) {
        throw new KubernetesRenderError(`dashboard ${file} is not JSON: ${(err as Error).message}`);
      }
      if (!/^[-._a-zA-Z0-9]+\.json$/.test(key)) {
        throw new KubernetesRenderError(`dashboard ${file}: a ConfigMap key may hold only letters, digits, -, _ and .`);
      }
      if (bytes(json) > CONFIGMAP_DATA_LIMIT_BYTES) {
        throw new KubernetesRenderError(
          `dashboard ${file} takes ${bytes(json)} bytes; a ConfigMap holds at most ${CONFIGMAP_DATA_LIMIT_BYTES}`
        );
      }
      const objectName = `${name}-${dashboardSlug(file)}`;
      if (objectName.length > 63) {
        throw new KubernetesRenderError(`dashboard ${file}: the ConfigMap name ${objectName} is over 63 characters`);
      }
      return {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: metadata(config, objectName, { [dashboardLabel.name]: dashboardLabel.value }, annotations),
        data: { [key]: json },
      };
    });
}

/**
 * Every dashboard as its own ConfigMap (one YAML document each), labelled for the Grafana sidecar of
 * kube-prometheus-stack and, if configured, annotated with the folder. `dashboards` maps each dashboard's
 * path (only the file name is used) to its JSON text, which is embedded as it is.
 */
export function dashboardConfigMaps(config: CascadeConfig, dashboards: Map<string, string>): string {
  const { dashboardLabel } = config.kubernetes;
  const header = [
    `Cascade Watch dashboards as ConfigMaps for Grafana's dashboard sidecar (label ${dashboardLabel.name}: "${dashboardLabel.value}").`,
    'Generated by cascade-rules from dashboards/: do not edit by hand, change the configuration and render again.',
    '`kubectl apply -f` this file (add --server-side if a dashboard grows past the 256 KiB client-side apply keeps).',
    '',
  ];
  const objects = dashboardConfigMapObjects(config, dashboards);
  if (objects.length === 0) {
    throw new KubernetesRenderError('no dashboards to put in ConfigMaps');
  }
  return objects.map((object, i) => toYaml(object, i === 0 ? header : [])).join('---\n');
}

/**
 * A monitoring mixin (`prometheusRules`, `prometheusAlerts`, `grafanaDashboards`, hidden fields that add to
 * whatever they are mixed into), reading the rendered JSON beside it so it evaluates with any jsonnet and can
 * be vendored alone (jsonnet-bundler `subdir: mixin`). Groups with an alert go to `prometheusAlerts`, the rest
 * to `prometheusRules`; no group is split, so each keeps its evaluation order.
 */
export function mixinFiles(
  config: CascadeConfig,
  groups: RuleGroup[],
  dashboards: Map<string, string>
): Map<string, string> {
  const rendered = prometheusRuleGroups(config, groups);
  const hasAlert = new Set(groups.filter((g) => g.rules.some(isAlert)).map((g) => g.name));
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const dashboardFiles = [...dashboards.entries()]
    .map(([file, text]) => [path.posix.basename(file), text] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  const mixin = [
    '// Cascade Watch as a monitoring mixin. Generated by cascade-rules: do not edit by hand; change the',
    '// configuration and render again (the thresholds are in the rendered JSON, not in a _config here).',
    '//',
    "//   local cascade = import 'cascade-watch/mixin.libsonnet';",
    '//   cascade.prometheusRules, cascade.prometheusAlerts, cascade.grafanaDashboards',
    '{',
    "  prometheusRules+:: { groups+: (import 'rules.json').groups },",
    "  prometheusAlerts+:: { groups+: (import 'alerts.json').groups },",
    '  grafanaDashboards+:: {',
    ...dashboardFiles.map(([file]) => `    '${file}': import 'dashboards/${file}',`),
    '  },',
    '}',
    '',
  ].join('\n');
  return new Map<string, string>([
    [KUBERNETES_FILES.mixin, mixin],
    [KUBERNETES_FILES.mixinRules, json({ groups: rendered.filter((g) => !hasAlert.has(g.name)) })],
    [KUBERNETES_FILES.mixinAlerts, json({ groups: rendered.filter((g) => hasAlert.has(g.name)) })],
    ...dashboardFiles.map(([file, text]) => [`${KUBERNETES_FILES.mixinDashboardsDir}/${file}`, text] as const),
  ]);
}

/**
 * Every Kubernetes and jsonnet file, keyed by path relative to the output directory. `dashboards` is what the
 * dashboard renderer returns (path → JSON text).
 */
export function renderKubernetes(
  config: CascadeConfig,
  groups: RuleGroup[],
  dashboards: Map<string, string>
): Map<string, string> {
  return new Map<string, string>([
    [KUBERNETES_FILES.prometheusRule, prometheusRuleManifest(config, groups)],
    [KUBERNETES_FILES.dashboardConfigMaps, dashboardConfigMaps(config, dashboards)],
    ...mixinFiles(config, groups, dashboards),
  ]);
}

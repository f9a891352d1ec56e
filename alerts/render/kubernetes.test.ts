/**
 * The Kubernetes and jsonnet outputs as the API server, prometheus-operator (v0.93.0's CRD), Grafana's dashboard
 * sidecar and jsonnet read them: the fields and formats the CRD declares, object names, size limits, the
 * dashboards' JSON round trip, and the mixin evaluated by a real jsonnet (Debian's `jsonnet` package).
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import YAML from 'yaml';

import { ConfigError, deepMerge, listPresets, loadConfig, validateConfig } from '../../config/load';
import { DEFAULT_CONFIG, type CascadeConfig } from '../../config/schema';
import { renderDashboards } from '../../dashboards/render';
import type { RuleGroup } from '../rules/model';
import { buildPack } from '../rules/pack';
import {
  configMapSchema,
  CRD_DURATION,
  DNS_1123_LABEL,
  DNS_1123_SUBDOMAIN,
  LIMITS,
  prometheusRuleSchema,
  ruleGroupsSchema,
} from '../testing/kubernetesSchemas';
import { promtool, runTool } from '../testing/promtool';
import { workDir } from '../testing/testfile';
import {
  dashboardConfigMaps,
  KUBERNETES_FILES,
  KubernetesRenderError,
  mixinFiles,
  OPERATOR_RULE_LIMIT_BYTES,
  prometheusRuleManifest,
  prometheusRuleObject,
} from './kubernetes';
import { prometheusRuleGroups } from './prometheus';

const ROOT = path.join(__dirname, '..', '..');
const JSONNET = process.env.JSONNET ?? 'jsonnet';

/** The dashboards as the renderer returns them now, keyed by repository path. */
function currentDashboards(): Map<string, string> {
  return renderDashboards(DEFAULT_CONFIG);
}

function parseSingle(text: string): any {
  const docs = YAML.parseAllDocuments(text);
  expect(docs).toHaveLength(1);
  expect(docs[0].errors).toEqual([]);
  return docs[0].toJSON();
}

function zodIssues(result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) {
  return result.success ? [] : result.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

const CONFIGS: Array<[string, CascadeConfig]> = [
  ['defaults', DEFAULT_CONFIG],
  ...listPresets().map((p): [string, CascadeConfig] => [`preset ${p}`, loadConfig({ presets: [p] })]),
  ['time-compressed 20x', validateConfig(deepMerge(DEFAULT_CONFIG, { timeScale: 20 }), 'test')],
];

describe('the CRD schema written down for the test', () => {
  it('takes the durations the CRD takes and refuses the ones it refuses', () => {
    for (const ok of ['0', '30s', '5m', '1h30m', '1w', '2d12h', '500ms', '1y2w3d4h5m6s7ms']) {
      expect(ok).toMatch(CRD_DURATION);
    }
    for (const bad of ['30m1h', '1.5h', '5 m', '-5m', '1h1h', 'm', '5M', '0s0']) {
      expect(bad).not.toMatch(CRD_DURATION);
    }
  });

  it('refuses a manifest with a field the CRD lacks, a bad duration, a nameless group or two groups of one name', () => {
    const object = JSON.parse(JSON.stringify(prometheusRuleObject(DEFAULT_CONFIG, buildPack(DEFAULT_CONFIG))));
    expect(zodIssues(prometheusRuleSchema.safeParse(object))).toEqual([]);
    const broken = (edit: (o: any) => void) => {
      const copy = JSON.parse(JSON.stringify(object));
      edit(copy);
      return zodIssues(prometheusRuleSchema.safeParse(copy));
    };
    const firstAlert = (o: any) => o.spec.groups.flatMap((g: any) => g.rules).find((r: any) => r.alert);
    expect(broken((o) => (firstAlert(o).for = '1.5m'))).not.toEqual([]);
    expect(broken((o) => (firstAlert(o).keep_firing_for = ''))).not.toEqual([]);
    expect(broken((o) => (firstAlert(o).severity = 'critical'))).not.toEqual([]);
    expect(broken((o) => (o.spec.groups[0].name = ''))).not.toEqual([]);
    expect(broken((o) => (o.spec.groups[1].name = o.spec.groups[0].name))).not.toEqual([]);
    expect(broken((o) => (o.spec.groups[0].rules[0].alert = 'Both'))).not.toEqual([]);
    expect(broken((o) => (o.metadata.name = 'Cascade_Watch'))).not.toEqual([]);
  });
});

describe('PrometheusRule (prometheus-operator)', () => {
  it.each(CONFIGS)('%s: every field it emits is one the CRD declares, in the CRD’s format', (_, config) => {
    const manifest = parseSingle(prometheusRuleManifest(config, buildPack(config)));
    expect(zodIssues(prometheusRuleSchema.safeParse(manifest))).toEqual([]);
  });

  it('carries exactly the rule file’s groups, and the labels the ruleSelector of kube-prometheus-stack matches', () => {
    const manifest = parseSingle(prometheusRuleManifest(DEFAULT_CONFIG, buildPack(DEFAULT_CONFIG)));
    expect(manifest.spec.groups).toEqual(prometheusRuleGroups(DEFAULT_CONFIG, buildPack(DEFAULT_CONFIG)));
    const rulesFile = YAML.parse(fs.readFileSync(path.join(ROOT, 'alerts/cascade-watch.rules.yml'), 'utf8'));
    expect(manifest.spec.groups).toEqual(rulesFile.groups);
    expect(manifest.metadata).toMatchObject({
      name: 'cascade-watch',
      namespace: 'monitoring',
      labels: { release: 'kube-prometheus-stack' },
    });
    const alerts = manifest.spec.groups.flatMap((g: any) => g.rules).filter((r: any) => r.alert);
    expect(alerts.some((r: any) => r.keep_firing_for)).toBe(true);
    expect(alerts.every((r: any) => r.for && r.labels && r.annotations)).toBe(true);
  });

  it('is a valid rule file for Prometheus once the operator lifts its groups out (what its webhook checks)', async () => {
    const manifest = parseSingle(prometheusRuleManifest(DEFAULT_CONFIG, buildPack(DEFAULT_CONFIG)));
    const file = path.join(workDir('k8s-rule'), 'spec.rules.yml');
    fs.writeFileSync(file, YAML.stringify({ groups: manifest.spec.groups }));
    const checked = await promtool(['check', 'rules', file]);
    expect(checked.output).toContain('SUCCESS');
    expect(checked.status).toBe(0);
  });

  it('has a DNS-1123 name and stays under the operator’s, client-side apply’s and etcd’s limits', () => {
    const object = prometheusRuleObject(DEFAULT_CONFIG, buildPack(DEFAULT_CONFIG));
    const manifest = prometheusRuleManifest(DEFAULT_CONFIG, buildPack(DEFAULT_CONFIG));
    expect(object.metadata.name).toMatch(DNS_1123_SUBDOMAIN);
    expect(object.metadata.name).toMatch(DNS_1123_LABEL);
    // The operator renders spec.groups to a rule file and refuses one over 512 KiB (it shards by ConfigMaps).
    expect(bytes(YAML.stringify(object.spec))).toBeLessThan(OPERATOR_RULE_LIMIT_BYTES);
    // `kubectl apply` (client side) copies the object as JSON into an annotation: the tightest limit.
    expect(bytes(JSON.stringify(object))).toBeLessThan(LIMITS.annotations);
    expect(bytes(manifest)).toBeLessThan(LIMITS.etcdObject);
  });

  it('refuses, with the sizes, a pack the operator would refuse', () => {
    const huge: RuleGroup[] = [
      {
        name: 'huge',
        interval: '1m',
        rules: [
          {
            kind: 'record',
            needs: [],
            record: 'huge:series:sum',
            expr: `vector(1)${' + 0'.repeat(150_000)}`,
            by: [],
            help: '',
          },
        ],
      },
    ];
    expect(() => prometheusRuleManifest(DEFAULT_CONFIG, huge)).toThrow(
      /the PrometheusRule's groups take \d+ bytes; prometheus-operator accepts at most 524288/
    );
  });

  it('takes its name, namespace and labels from the user’s configuration file', () => {
    const file = path.join(workDir('k8s-config'), 'my.yaml');
    fs.writeFileSync(
      file,
      'kubernetes:\n  namespace: observability\n  name: payments-cascade\n  ruleLabels: { release: prom, team: sre }\n'
    );
    const config = loadConfig({ file });
    const manifest = parseSingle(prometheusRuleManifest(config, buildPack(config)));
    expect(manifest.metadata).toEqual({
      name: 'payments-cascade',
      namespace: 'observability',
      labels: { 'app.kubernetes.io/part-of': 'payments-cascade', release: 'prom', team: 'sre' },
    });
    expect(zodIssues(prometheusRuleSchema.safeParse(manifest))).toEqual([]);
  });
});

describe('the kubernetes configuration', () => {
  const bad = (kubernetes: unknown) => () => validateConfig(deepMerge(DEFAULT_CONFIG, { kubernetes }), 'my.yaml');

  it('refuses names Kubernetes would refuse, naming the field', () => {
    expect(bad({ namespace: 'Monitoring' })).toThrow(/my\.yaml: kubernetes\.namespace: expected a namespace/);
    expect(bad({ name: 'cascade_watch' })).toThrow(/my\.yaml: kubernetes\.name: expected a name/);
    expect(bad({ name: 'x'.repeat(31) })).toThrow(/kubernetes\.name: expected a name of at most 30 characters/);
    expect(bad({ ruleLabels: { 'bad key!': 'x' } })).toThrow(/kubernetes\.ruleLabels.*label key/);
    expect(bad({ dashboardFolder: { annotation: 'grafana_folder', folder: 'a/b' } })).toThrow(/no slashes/);
  });

  it('asks for a quoted label value when YAML read a number', () => {
    const file = path.join(workDir('k8s-config'), 'my.yaml');
    fs.writeFileSync(file, 'kubernetes:\n  dashboardLabel: { name: grafana_dashboard, value: 1 }\n');
    expect(() => loadConfig({ file })).toThrow(
      /my\.yaml: kubernetes\.dashboardLabel\.value: expected a Kubernetes label value \(quote numbers: "1"\)/
    );
  });
});

describe('dashboard ConfigMaps (Grafana sidecar)', () => {
  const dashboards = currentDashboards();
  const text = dashboardConfigMaps(DEFAULT_CONFIG, dashboards);
  const docs = YAML.parseAllDocuments(text);

  it('is valid YAML: one ConfigMap per dashboard, each of the fields a ConfigMap has', () => {
    expect(docs.map((d) => d.errors)).toEqual(docs.map(() => []));
    expect(docs).toHaveLength(dashboards.size);
    for (const doc of docs) {
      expect(zodIssues(configMapSchema.safeParse(doc.toJSON()))).toEqual([]);
    }
  });

  it('embeds each dashboard’s JSON so that it parses back equal to the input, under <file>.json', () => {
    const byKey = new Map(docs.flatMap((d) => Object.entries(d.toJSON().data as Record<string, string>)));
    expect([...byKey.keys()].sort()).toEqual(['cascade-overview.json', 'deploy-watch.json']);
    for (const [file, json] of dashboards) {
      expect(JSON.parse(byKey.get(path.basename(file))!)).toEqual(JSON.parse(json));
    }
  });

  it('is labelled for kube-prometheus-stack’s sidecar (grafana_dashboard: "1", a string) and annotated with the folder', () => {
    for (const doc of docs) {
      const { metadata } = doc.toJSON();
      expect(metadata.labels.grafana_dashboard).toBe('1');
      expect(metadata.annotations).toEqual({ grafana_folder: 'Cascade Watch' });
      expect(metadata.namespace).toBe('monitoring');
    }
    const noFolder = validateConfig(deepMerge(DEFAULT_CONFIG, { kubernetes: { dashboardFolder: null } }), 'test');
    for (const doc of YAML.parseAllDocuments(dashboardConfigMaps(noFolder, dashboards))) {
      expect(doc.toJSON().metadata.annotations).toBeUndefined();
    }
  });

  it('has distinct DNS-1123 names and stays under the ConfigMap, annotation and etcd limits', () => {
    const objects = docs.map((d) => d.toJSON());
    const names = objects.map((o) => o.metadata.name);
    expect(names).toEqual(['cascade-watch-cascade-overview', 'cascade-watch-deploy-watch']);
    for (const object of objects) {
      expect(object.metadata.name).toMatch(DNS_1123_SUBDOMAIN);
      expect(object.metadata.name).toMatch(DNS_1123_LABEL);
      const data = Object.values(object.data as Record<string, string>).reduce((n, v) => n + bytes(v), 0);
      expect(data).toBeLessThan(LIMITS.configMapData);
      expect(bytes(JSON.stringify(object))).toBeLessThan(LIMITS.annotations);
      expect(bytes(YAML.stringify(object))).toBeLessThan(LIMITS.etcdObject);
    }
  });

  it('refuses a dashboard that is not JSON or too big for a ConfigMap, naming it', () => {
    expect(() => dashboardConfigMaps(DEFAULT_CONFIG, new Map([['dashboards/broken.json', '{"uid": ']]))).toThrow(
      /dashboard dashboards\/broken\.json is not JSON/
    );
    const huge = JSON.stringify({ description: 'x'.repeat(LIMITS.configMapData) });
    expect(() => dashboardConfigMaps(DEFAULT_CONFIG, new Map([['dashboards/huge.json', huge]]))).toThrow(
      /dashboard dashboards\/huge\.json takes \d+ bytes; a ConfigMap holds at most 1048576/
    );
    // The CLI prints a ConfigError as one clear line and exits 2, without a stack trace.
    expect(() => dashboardConfigMaps(DEFAULT_CONFIG, new Map([['dashboards/huge.json', huge]]))).toThrow(ConfigError);
    expect(() => dashboardConfigMaps(DEFAULT_CONFIG, new Map())).toThrow(KubernetesRenderError);
  });
});

describe('jsonnet mixin', () => {
  async function jsonnet(dir: string, code: string): Promise<any> {
    let result;
    try {
      result = await runTool(JSONNET, ['-J', dir, '-e', code]);
    } catch (err) {
      throw new Error(`${JSONNET} could not run (${(err as Error).message}): apt-get install jsonnet`);
    }
    if (result.status !== 0) {
      throw new Error(`jsonnet failed: ${result.output}`);
    }
    return JSON.parse(result.stdout);
  }

  function writeMixin(): string {
    const dir = workDir('mixin');
    const files = mixinFiles(DEFAULT_CONFIG, buildPack(DEFAULT_CONFIG), currentDashboards());
    for (const [file, text] of files) {
      // As jsonnet-bundler vendors it: the mixin/ folder alone, under the package's name.
      const target = path.join(dir, 'cascade-watch', path.relative('mixin', file));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
    }
    return dir;
  }

  it('evaluates to the rule file’s groups and the dashboards, vendored alone', async () => {
    const dir = writeMixin();
    const mixin = await jsonnet(
      dir,
      "local m = import 'cascade-watch/mixin.libsonnet'; " +
        '{ rules: m.prometheusRules, alerts: m.prometheusAlerts, dashboards: m.grafanaDashboards }'
    );
    const groups = prometheusRuleGroups(DEFAULT_CONFIG, buildPack(DEFAULT_CONFIG));
    expect([...mixin.rules.groups, ...mixin.alerts.groups]).toEqual(groups);
    expect(mixin.rules.groups.flatMap((g: any) => g.rules).some((r: any) => r.alert)).toBe(false);
    expect(mixin.alerts.groups.every((g: any) => g.rules.some((r: any) => r.alert))).toBe(true);
    // kube-prometheus puts both lists into one PrometheusRule: together they must pass the CRD.
    expect(zodIssues(ruleGroupsSchema.safeParse([...mixin.rules.groups, ...mixin.alerts.groups]))).toEqual([]);
    const dashboards = currentDashboards();
    expect(Object.keys(mixin.dashboards).sort()).toEqual([...dashboards.keys()].map((f) => path.basename(f)).sort());
    for (const [file, json] of dashboards) {
      expect(mixin.dashboards[path.basename(file)]).toEqual(JSON.parse(json));
    }
  });

  it('adds to another mixin’s rules, alerts and dashboards instead of replacing them', async () => {
    const dir = writeMixin();
    const mixin = await jsonnet(
      dir,
      "local other = { prometheusRules+:: { groups+: [{ name: 'other.rules', rules: [] }] }, " +
        "prometheusAlerts+:: { groups+: [{ name: 'other.alerts', rules: [] }] }, " +
        "grafanaDashboards+:: { 'other.json': {} } }; " +
        "local m = other + (import 'cascade-watch/mixin.libsonnet'); " +
        '{ rules: [g.name for g in m.prometheusRules.groups], alerts: [g.name for g in m.prometheusAlerts.groups], ' +
        'dashboards: std.objectFields(m.grafanaDashboards) }'
    );
    expect(mixin.rules[0]).toBe('other.rules');
    expect(mixin.rules.length).toBeGreaterThan(1);
    expect(mixin.alerts[0]).toBe('other.alerts');
    expect(mixin.alerts.length).toBeGreaterThan(1);
    expect(mixin.dashboards).toContain('other.json');
    expect(mixin.dashboards).toContain('cascade-overview.json');
  });
});

describe('checked-in files', () => {
  // That they are what the renderer writes for the defaults is config/render.test.ts's (`npm run render -- --check`).
  it("are formatted as the repository's prettier formats them (the dashboards' copies are the dashboard renderer's)", () => {
    // Otherwise `prettier --write .` would make them differ from the renderer's output.
    const prettier = require.resolve('prettier/bin/prettier.cjs');
    const files = [
      KUBERNETES_FILES.prometheusRule,
      KUBERNETES_FILES.dashboardConfigMaps,
      KUBERNETES_FILES.mixinRules,
      KUBERNETES_FILES.mixinAlerts,
    ];
    const checked = spawnSync(process.execPath, [prettier, '--check', ...files], { cwd: ROOT, encoding: 'utf8' });
    expect(`${checked.stdout}${checked.stderr}`).toContain('All matched files use Prettier code style!');
    expect(checked.status).toBe(0);
  }, 30_000);
});

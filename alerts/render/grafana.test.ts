/**
 * The Grafana-managed output against Grafana's provisioning format (apiVersion 1): structure,
 * enums, refIds, the condition, relative time ranges, durations, uids. Grafana has no offline
 * validator and a bad value puts it in a restart loop, so every field it parses is checked here
 * the way its provisioning code reads it (pkg/services/provisioning/alerting).
 */
import fs from 'fs';
import path from 'path';
import YAML from 'yaml';

import { CATALOGUE } from '../catalogue';
import { listPresets, loadConfig } from '../../config/load';
import type { CascadeConfig } from '../../config/schema';
import { seconds } from '../promql';
import { promtool } from '../testing/promtool';
import { workDir } from '../testing/testfile';
import { renderAll, OUTPUT_FILES } from '.';
import { GRAFANA_BASE_INTERVAL_SECONDS } from './grafana';

const NO_DATA_STATES = ['Alerting', 'NoData', 'OK', 'KeepLast'];
const EXEC_ERR_STATES = ['Alerting', 'Error', 'OK', 'KeepLast'];
const EXPRESSION_TYPES = ['math', 'reduce', 'resample', 'threshold', 'classic_conditions', 'sql'];
const THRESHOLD_TYPES = [
  'gt',
  'lt',
  'within_range',
  'outside_range',
  'within_range_included',
  'outside_range_included',
];
const MATCHER_OPERATORS = ['=', '!=', '=~', '!~'];
/** Contact point types Grafana ships (a subset; the ones a provisioning file is likely to use). */
const CONTACT_POINT_TYPES = ['prometheus-alertmanager', 'webhook', 'email', 'slack', 'pagerduty', 'opsgenie'];
const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const UID = /^[a-zA-Z0-9_-]{1,40}$/;

/** Parsed YAML, checked field by field below. */
type Doc = Record<string, any>;

function parse(files: Map<string, string>, file: string): Doc {
  return YAML.parse(files.get(file)!) as Doc;
}

/** Every problem with the rule groups, as readable strings (an empty list is a pass). */
function ruleProblems(doc: Doc, config: CascadeConfig): string[] {
  const problems: string[] = [];
  const say = (where: string, what: string) => problems.push(`${where}: ${what}`);
  if (doc.apiVersion !== 1) {
    say('file', `apiVersion ${doc.apiVersion}`);
  }
  const uids = new Set<string>();
  const titles = new Set<string>();
  for (const [gi, g] of (doc.groups as Doc[]).entries()) {
    const where = `groups[${gi}]`;
    if (g.orgId !== 1) {
      say(where, 'orgId');
    }
    if (typeof g.name !== 'string' || g.name.trim() === '' || g.name.length > 190 || /[/\\]/.test(g.name)) {
      say(where, `name ${g.name}`);
    }
    if (g.folder !== config.grafanaFolder) {
      say(where, `folder ${g.folder}`);
    }
    if (!DURATION.test(g.interval) || seconds(g.interval) % GRAFANA_BASE_INTERVAL_SECONDS !== 0) {
      say(where, `interval ${g.interval} is not a multiple of ${GRAFANA_BASE_INTERVAL_SECONDS}s`);
    }
    for (const [ri, r] of (g.rules as Doc[]).entries()) {
      const at = `${where}.rules[${ri}] ${r.title}`;
      if (!UID.test(r.uid) || uids.has(r.uid)) {
        say(at, `uid ${r.uid} (1-40 of [a-zA-Z0-9_-], unique)`);
      }
      uids.add(r.uid);
      if (typeof r.title !== 'string' || r.title.length === 0 || r.title.length > 190 || titles.has(r.title)) {
        say(at, 'title (non-empty, at most 190, unique in the folder)');
      }
      titles.add(r.title);
      if (!NO_DATA_STATES.includes(r.noDataState)) {
        say(at, `noDataState ${r.noDataState}`);
      }
      if (!EXEC_ERR_STATES.includes(r.execErrState)) {
        say(at, `execErrState ${r.execErrState}`);
      }
      if (!DURATION.test(r.for)) {
        say(at, `for ${r.for}`);
      }
      if (r.keepFiringFor !== undefined && !DURATION.test(r.keepFiringFor)) {
        say(at, `keepFiringFor ${r.keepFiringFor}`);
      }
      if (r.isPaused !== false) {
        say(at, 'isPaused');
      }
      if (!Number.isInteger(r.missing_series_evals_to_resolve) || r.missing_series_evals_to_resolve < 0) {
        say(at, 'missing_series_evals_to_resolve');
      }
      // Provisioning expands $VAR in labels and ${VAR} in annotations: neither may appear.
      for (const [k, v] of Object.entries(r.labels as Record<string, string>)) {
        if (v.includes('$') || !/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k)) {
          say(at, `label ${k}=${v}`);
        }
      }
      for (const [k, v] of Object.entries(r.annotations as Record<string, string>)) {
        if (v.includes('${')) {
          say(at, `annotation ${k} contains \${`);
        }
      }
      const refIds = (r.data as Doc[]).map((d) => d.refId as string);
      if (new Set(refIds).size !== refIds.length) {
        say(at, `duplicate refIds ${refIds.join(',')}`);
      }
      if (!refIds.includes(r.condition)) {
        say(at, `condition ${r.condition} is not a refId`);
      }
      for (const d of r.data as Doc[]) {
        const q = `${at} data ${d.refId}`;
        const range = d.relativeTimeRange;
        if (!Number.isInteger(range?.from) || !Number.isInteger(range?.to) || range.from < range.to || range.to < 0) {
          say(q, `relativeTimeRange ${JSON.stringify(range)}`);
        }
        if (d.model?.refId !== d.refId) {
          say(q, 'model.refId differs from refId');
        }
        if (d.datasourceUid === '__expr__') {
          if (!EXPRESSION_TYPES.includes(d.model.type) || d.model.datasource?.uid !== '__expr__') {
            say(q, `expression type ${d.model.type}`);
          }
          if (d.model.type === 'math') {
            for (const ref of (d.model.expression as string).matchAll(/\$\{?([A-Za-z0-9_]+)\}?/g)) {
              if (!refIds.includes(ref[1]) || ref[1] === d.refId) {
                say(q, `math refers to ${ref[1]}`);
              }
            }
          }
          if (d.model.type === 'threshold') {
            if (!refIds.includes(d.model.expression) || d.model.expression === d.refId) {
              say(q, `threshold on ${d.model.expression}`);
            }
            for (const c of d.model.conditions as Doc[]) {
              if (
                !THRESHOLD_TYPES.includes(c.evaluator?.type) ||
                !(c.evaluator.params as unknown[]).every((p) => typeof p === 'number')
              ) {
                say(q, `threshold evaluator ${JSON.stringify(c.evaluator)}`);
              }
            }
          }
        } else {
          if (
            d.datasourceUid !== config.grafanaDatasourceUid ||
            d.model.datasource?.uid !== config.grafanaDatasourceUid
          ) {
            say(q, `datasource ${d.datasourceUid}`);
          }
          if (
            d.model.instant !== true ||
            d.model.range !== false ||
            typeof d.model.expr !== 'string' ||
            d.model.expr === ''
          ) {
            say(q, 'a Prometheus query must be an instant query with an expr');
          }
        }
      }
      // Every $values.X an annotation reads is one of the rule's refIds.
      for (const text of Object.values(r.annotations as Record<string, string>)) {
        for (const ref of text.matchAll(/\$values\.([A-Za-z0-9_]+)/g)) {
          if (!refIds.includes(ref[1])) {
            say(at, `annotation reads $values.${ref[1]}, which is no refId`);
          }
        }
      }
    }
  }
  return problems;
}

describe('Grafana-managed alert rules', () => {
  const configs: Array<[string, CascadeConfig]> = [
    ['defaults', loadConfig()],
    ...listPresets().map((p): [string, CascadeConfig] => [p, loadConfig({ presets: [p] })]),
  ];

  it.each(configs)('%s: every rule has the structure and enums Grafana accepts', (_name, config) => {
    const doc = parse(renderAll(config), OUTPUT_FILES.grafanaRules);
    expect(ruleProblems(doc, config)).toEqual([]);
  });

  it('mirror the Prometheus alerts: same names, labels and `for`, Prometheus semantics for no data', () => {
    const config = loadConfig();
    const files = renderAll(config);
    const grafana = (parse(files, OUTPUT_FILES.grafanaRules).groups as Doc[]).flatMap((g) => g.rules as Doc[]);
    const prometheus = (parse(files, OUTPUT_FILES.prometheusRules).groups as Doc[])
      .flatMap((g) => g.rules as Doc[])
      .filter((r) => 'alert' in r);
    expect(grafana.map((r) => r.title).sort()).toEqual(prometheus.map((r) => r.alert).sort());
    for (const p of prometheus) {
      const g = grafana.find((r) => r.title === p.alert)!;
      expect({ name: p.alert, for: g.for, keep: g.keepFiringFor, labels: g.labels }).toEqual({
        name: p.alert,
        for: p.for,
        keep: p.keep_firing_for,
        labels: p.labels,
      });
      const { __dashboardUid__: _uid, __panelId__: _panel, ...shared } = g.annotations;
      expect(Object.keys(shared).sort()).toEqual(Object.keys(p.annotations).sort());
      expect(g.noDataState).toBe('OK');
      expect(g.execErrState).toBe('Error');
      expect(g.annotations.runbook_url).toBe(p.annotations.runbook_url);
      expect(CATALOGUE[p.alert as keyof typeof CATALOGUE]).toBeDefined();
    }
  });

  it('link every rule to a panel of the checked-in dashboards, so Grafana shows its state there', () => {
    const dashboards = ['cascade-overview.json', 'deploy-watch.json'].map(
      (f) => JSON.parse(fs.readFileSync(path.join(__dirname, '../../dashboards', f), 'utf8')) as Doc
    );
    const rules = (parse(renderAll(loadConfig()), OUTPUT_FILES.grafanaRules).groups as Doc[]).flatMap(
      (g) => g.rules as Doc[]
    );
    const linked = rules.map((r) => {
      const dashboard = dashboards.find((d) => d.uid === r.annotations.__dashboardUid__);
      const panel = dashboard?.panels.find((p: Doc) => String(p.id) === r.annotations.__panelId__);
      return { alert: r.title, panel: panel ? `${dashboard!.uid}/${panel.type}` : 'missing' };
    });
    // Grafana requires both annotations together, the panel id as a string.
    expect(rules.every((r) => typeof r.annotations.__panelId__ === 'string')).toBe(true);
    const expected = (alert: string) =>
      alert.startsWith('CascadeDeploy')
        ? 'cascade-deploy-watch/timeseries'
        : 'cascade-overview/cascadewatch-cascade-panel';
    expect(linked).toEqual(linked.map(({ alert }) => ({ alert, panel: expected(alert) })));
    expect(linked.find((l) => l.alert === 'CascadeDeployErrorRatio')).toBeDefined();
  });

  it('the checks catch what Grafana would reject', () => {
    const config = loadConfig();
    const doc = parse(renderAll(config), OUTPUT_FILES.grafanaRules);
    const rule = doc.groups[0].rules[0];
    rule.noDataState = 'Nodata';
    rule.condition = 'Z';
    rule.data[0].relativeTimeRange = { from: 0, to: 600 };
    doc.groups[0].interval = '15s';
    const problems = ruleProblems(doc, config).join('\n');
    expect(problems).toMatch(/noDataState Nodata/);
    expect(problems).toMatch(/condition Z is not a refId/);
    expect(problems).toMatch(/relativeTimeRange/);
    expect(problems).toMatch(/interval 15s/);
  });

  it('every query is PromQL that Prometheus parses (checked as recording rules by promtool)', async () => {
    const doc = parse(renderAll(loadConfig()), OUTPUT_FILES.grafanaRules);
    const queries = (doc.groups as Doc[])
      .flatMap((g) => g.rules as Doc[])
      .flatMap((r) =>
        (r.data as Doc[]).filter((d) => d.datasourceUid !== '__expr__').map((d) => d.model.expr as string)
      );
    const dir = workDir('grafana');
    const file = path.join(dir, 'queries.yml');
    fs.writeFileSync(
      file,
      YAML.stringify({
        groups: [
          { name: 'grafana-queries', rules: queries.map((expr, i) => ({ record: `grafana:query:q${i}`, expr })) },
        ],
      })
    );
    const checked = await promtool(['check', 'rules', file]);
    expect(checked.output).toContain(`SUCCESS: ${queries.length} rules found`);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});

describe('Grafana contact points and notification policies', () => {
  const files = renderAll(loadConfig());
  const contactPoints = parse(files, OUTPUT_FILES.grafanaContactPoints);
  const policies = parse(files, OUTPUT_FILES.grafanaPolicies);

  it('define contact points Grafana accepts', () => {
    expect(contactPoints.apiVersion).toBe(1);
    for (const cp of contactPoints.contactPoints as Doc[]) {
      expect(cp.orgId).toBe(1);
      expect(typeof cp.name).toBe('string');
      for (const r of cp.receivers as Doc[]) {
        expect(r.uid).toMatch(UID);
        expect(CONTACT_POINT_TYPES).toContain(r.type);
        expect(Object.keys(r.settings).length).toBeGreaterThan(0);
        expect(JSON.stringify(r.settings)).not.toContain('$');
      }
    }
  });

  it('route every policy to a defined contact point, with valid matchers and durations', () => {
    expect(policies.apiVersion).toBe(1);
    const names = (contactPoints.contactPoints as Doc[]).map((c) => c.name);
    const walk = (route: Doc) => {
      expect(names).toContain(route.receiver);
      for (const key of ['group_wait', 'group_interval', 'repeat_interval']) {
        if (route[key] !== undefined) {
          expect(route[key]).toMatch(DURATION);
        }
      }
      for (const m of (route.object_matchers ?? []) as string[][]) {
        expect(m).toHaveLength(3);
        expect(MATCHER_OPERATORS).toContain(m[1]);
      }
      for (const child of (route.routes ?? []) as Doc[]) {
        walk(child);
      }
    };
    for (const p of policies.policies as Doc[]) {
      expect(p.orgId).toBe(1);
      walk(p);
    }
    expect(JSON.stringify(policies)).not.toContain('$');
  });
});

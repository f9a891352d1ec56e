import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import YAML from 'yaml';
import { listPresets, loadConfig } from '../config/load';
import { renderEverything } from '../config/render';
import { DEFAULT_CONFIG, type CascadeConfig } from '../config/schema';
import { RECORDED } from '../contract/signals';
import { DEFAULT_ROLES } from '../src/defaults';
import { compileMatchers } from '../src/model/matchers';
import type { Role } from '../src/types';
import { CASCADE_PANEL_TYPE } from './cascadePanel';
import { SERVICE_CLUSTER_INFO } from './overview';
import { labelValuesMetric, metricNames } from '../lib/promqlNames';
import { dashboardQueries, parseLabelValues, substituteVariables, variableQueries } from './queries';
import { renderDashboards } from './render';

const ROOT = path.resolve(__dirname, '..');
const rendered = renderDashboards(DEFAULT_CONFIG);
const parsed = (r: Map<string, string>) =>
  Object.fromEntries([...r].map(([file, text]) => [file, JSON.parse(text)])) as Record<string, any>;
const dashboards = Object.fromEntries(
  [...rendered.keys()].map((file) => [file, JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8'))])
) as Record<string, any>;

/** What a dashboard's variables stand for when its queries are checked. */
const VARIABLES: Record<string, string> = {
  service: 'registry',
  cluster: 'main',
  datasource: 'prometheus',
  namespace: 'prod',
};

/** Every PromQL expression a dashboard runs (panels, annotations, variables), variables substituted. */
function expressions(d: any): Array<{ where: string; expr: string }> {
  return [
    ...dashboardQueries(d).map((q) => ({
      where: `${d.uid} / ${q.title} / ${q.refId}`,
      expr: substituteVariables(q.expr, VARIABLES),
    })),
    ...variableQueries(d).map((v) => ({
      where: `${d.uid} / variable ${v.name}`,
      expr: substituteVariables(parseLabelValues(v.query)!.selector, VARIABLES),
    })),
  ];
}

const presetConfigs: Array<[string, CascadeConfig]> = listPresets().map((p) => [p, loadConfig({ presets: [p] })]);

describe('the provisioned dashboards', () => {
  it.each([...rendered.keys()])('%s is what DEFAULT_CONFIG renders (run `npm run render`)', (file) => {
    expect(fs.readFileSync(path.join(ROOT, file), 'utf8')).toBe(rendered.get(file));
  });

  it('have stable, distinct uids, a data-source variable and a service variable', () => {
    const uids = Object.values(dashboards).map((d) => d.uid);
    expect(uids.sort()).toEqual(['cascade-deploy-watch', 'cascade-overview']);
    for (const d of Object.values(dashboards)) {
      const names = d.templating.list.map((v: any) => v.name);
      expect(names).toEqual(expect.arrayContaining(['datasource', 'service']));
      const datasource = d.templating.list.find((v: any) => v.name === 'datasource');
      expect(datasource.type).toBe('datasource');
      expect(datasource.current.value).toBe(DEFAULT_CONFIG.grafanaDatasourceUid);
    }
  });

  it('link to each other', () => {
    for (const d of Object.values(dashboards)) {
      const others = Object.values(dashboards).filter((o) => o !== d);
      for (const other of others) {
        expect(d.links.some((l: any) => l.url.startsWith(`/d/${other.uid}/`))).toBe(true);
      }
    }
  });

  it('are where the rule pack\u2019s dashboard_url annotations point', () => {
    const rules = fs.readFileSync(path.join(ROOT, 'alerts', 'cascade-watch.rules.yml'), 'utf8');
    const linked = new Set([...rules.matchAll(/\/d\/([a-z0-9-]+)\//g)].map((m) => m[1]));
    expect(linked.size).toBeGreaterThan(0);
    for (const uid of linked) {
      expect(Object.values(dashboards).map((d) => d.uid)).toContain(uid);
    }
  });

  it('put the Cascade panel first on the overview, with a query per role', () => {
    const overview = dashboards['dashboards/cascade-overview.json'];
    const pluginId = JSON.parse(fs.readFileSync(path.join(ROOT, 'src', 'plugin.json'), 'utf8')).id;
    expect(CASCADE_PANEL_TYPE).toBe(pluginId);
    const panel = overview.panels[0];
    expect(panel.type).toBe(pluginId);
    expect(panel.targets.map((t: any) => t.refId).sort()).toEqual(Object.keys(DEFAULT_ROLES).sort());
  });

  it('give the Cascade panel the pack\u2019s thresholds and the default role matchers', () => {
    const options = dashboards['dashboards/cascade-overview.json'].panels[0].options;
    expect(options.roles).toEqual(DEFAULT_ROLES);
    expect(options.database).toMatchObject({
      lagWarnSeconds: DEFAULT_CONFIG.replicas.lagWarning,
      lagCriticalSeconds: DEFAULT_CONFIG.replicas.lagCritical,
      saturation: DEFAULT_CONFIG.database.saturation,
    });
  });

  it('lay panels on the 24-column grid without overlaps, with unique ids', () => {
    for (const d of Object.values(dashboards)) {
      const ids = d.panels.map((p: any) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      const cells = new Set<string>();
      for (const p of d.panels) {
        const { x, y, w, h } = p.gridPos;
        expect(x + w).toBeLessThanOrEqual(24);
        for (let i = x; i < x + w; i++) {
          for (let j = y; j < y + h; j++) {
            expect(cells.has(`${i},${j}`)).toBe(false);
            cells.add(`${i},${j}`);
          }
        }
      }
    }
  });
});

describe('what the dashboards read', () => {
  it('only the pack\u2019s recorded series, each named in contract/signals.ts', () => {
    const allowed = new Set<string>(Object.values(RECORDED));
    const read: string[] = [];
    const unknown: string[] = [];
    for (const d of Object.values(dashboards)) {
      for (const { where, expr } of expressions(d)) {
        for (const name of metricNames(expr)) {
          read.push(name);
          if (!allowed.has(name)) {
            unknown.push(`${where}: ${name}`);
          }
        }
      }
    }
    expect(unknown).toEqual([]);
    expect(read.every((n) => n.startsWith('cascade:'))).toBe(true);
  });

  it('series the checked-in pack records', () => {
    const rules = YAML.parse(fs.readFileSync(path.join(ROOT, 'alerts', 'cascade-watch.rules.yml'), 'utf8'));
    const recorded = new Set<string>(
      rules.groups.flatMap((g: any) => g.rules.filter((r: any) => r.record).map((r: any) => r.record))
    );
    const missing = Object.values(dashboards)
      .flatMap((d) => expressions(d).flatMap(({ expr }) => metricNames(expr)))
      .filter((n) => !recorded.has(n));
    expect(missing).toEqual([]);
  });

  it('variables from recorded series: service from the request rate, cluster from the service \u2192 cluster map', () => {
    const overview = dashboards['dashboards/cascade-overview.json'];
    expect(variableQueries(overview)).toEqual([
      { name: 'service', query: `label_values(${RECORDED.requestRate}, service)` },
      { name: 'cluster', query: `label_values(${SERVICE_CLUSTER_INFO}{service="$service"}, cluster)` },
    ]);
    for (const d of Object.values(dashboards)) {
      for (const v of variableQueries(d)) {
        expect(labelValuesMetric(v.query)).toMatch(/^cascade:/);
      }
    }
  });

  it('no raw rate window: any rate()/increase() left uses $__rate_interval', () => {
    const fixedWindows = Object.values(dashboards)
      .flatMap((d) => dashboardQueries(d))
      .filter((q) => /\b(rate|irate|increase)\s*\(/.test(q.expr) && !q.expr.includes('[$__rate_interval]'))
      .map((q) => `${q.title} / ${q.refId}: ${q.expr}`);
    expect(fixedWindows).toEqual([]);
  });

  it('the Cascade panel\u2019s default role matchers find each of its queries under its own role', () => {
    const notices: string[] = [];
    const compiled = compileMatchers(DEFAULT_ROLES, notices);
    expect(notices).toEqual([]);
    const panel = dashboards['dashboards/cascade-overview.json'].panels[0];
    for (const t of panel.targets) {
      const [name] = metricNames(substituteVariables(t.expr, VARIABLES));
      // A series from Prometheus carries its __name__ and no other name: the refId alone must not be needed.
      const roles = (Object.keys(DEFAULT_ROLES) as Role[]).filter((role) =>
        compiled.byRole[role].some((m) => m([name], [name.toLowerCase()]))
      );
      expect({ refId: t.refId, roles }).toEqual({ refId: t.refId, roles: [t.refId] });
    }
  });

  it.each(presetConfigs)('are the same for the %s preset (presets change the rules, not the dashboards)', (_, c) => {
    expect(parsed(renderDashboards(c))).toEqual(parsed(rendered));
  });

  it('run only queries that parse (promtool checks them as recording rules)', () => {
    const all = Object.values(dashboards).flatMap(expressions);
    expect(all.length).toBeGreaterThan(20);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-dashboards-')), 'queries.rules.yml');
    const groups = [
      { name: 'dashboard-queries', rules: all.map(({ expr }, i) => ({ record: `dashboard:query:${i}`, expr })) },
    ];
    fs.writeFileSync(file, YAML.stringify({ groups }));
    try {
      execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      const err = e as { stdout?: string; stderr?: string };
      throw new Error(
        `promtool rejected a dashboard query:\n${err.stdout}${err.stderr}\n${all.map((q, i) => `${i}: ${q.where}: ${q.expr}`).join('\n')}`
      );
    }
  });
});

describe('dashboards as functions of the configuration', () => {
  const custom: CascadeConfig = {
    ...DEFAULT_CONFIG,
    grafanaDatasourceUid: 'mimir-prod',
    groupingLabels: ['namespace'],
    slo: { ...DEFAULT_CONFIG.slo, target: 0.99 },
    replicas: { ...DEFAULT_CONFIG.replicas, lagWarning: 45, lagCritical: 600 },
    dashboards: {
      overview: { uid: 'team-a-cascade', title: 'Team A: cascade' },
      deployWatch: { uid: 'team-a-deploys', title: 'Team A: deploys' },
      tags: ['team-a'],
      refresh: { overview: '1m', deployWatch: '30s' },
    },
  };
  const out = parsed(renderDashboards(custom));
  const overview = out['dashboards/cascade-overview.json'];
  const deploys = out['dashboards/deploy-watch.json'];

  it('take uids, titles, tags, refresh and the data source from it, and link by them', () => {
    expect([overview.uid, overview.title, overview.tags, overview.refresh]).toEqual([
      'team-a-cascade',
      'Team A: cascade',
      ['team-a'],
      '1m',
    ]);
    expect([deploys.uid, deploys.title, deploys.refresh]).toEqual(['team-a-deploys', 'Team A: deploys', '30s']);
    expect(overview.links[0].url).toMatch(/^\/d\/team-a-deploys\/team-a-deploys\?/);
    expect(deploys.links[0].url).toMatch(/^\/d\/team-a-cascade\/team-a-cascade\?/);
    expect(overview.templating.list[0].current.value).toBe('mimir-prod');
  });

  it('are where the alerts of the same render link, and where Grafana-managed alerts show their state', () => {
    const files = renderEverything(custom);
    const rules = files.get('alerts/cascade-watch.rules.yml')!;
    const linked = new Set([...rules.matchAll(/\/d\/([A-Za-z0-9_-]+)\//g)].map((m) => m[1]));
    expect([...linked].sort()).toEqual(['team-a-cascade', 'team-a-deploys']);
    const grafanaRules = [...files].filter(([f]) => f.startsWith('provisioning/alerting/')).map(([, t]) => t);
    const panelUids = new Set(
      grafanaRules.flatMap((t) => [...t.matchAll(/__dashboardUid__: ['"]?([A-Za-z0-9_-]+)/g)].map((m) => m[1]))
    );
    expect([...panelUids].sort()).toEqual(['team-a-cascade', 'team-a-deploys']);
  });

  it('turn grouping labels into variables and matchers on every query and alert list', () => {
    for (const d of [overview, deploys]) {
      const names = d.templating.list.map((v: any) => v.name);
      expect(names.indexOf('namespace')).toBeGreaterThan(0);
      expect(names.indexOf('namespace')).toBeLessThan(names.indexOf('service'));
      for (const q of dashboardQueries(d)) {
        expect(`${q.title}: ${q.expr}`).toContain('namespace="$namespace"');
      }
      for (const v of variableQueries(d).filter((v) => v.name !== 'namespace')) {
        expect(v.query).toContain('namespace="$namespace"');
      }
      for (const p of d.panels.filter((p: any) => p.type === 'alertlist')) {
        expect(p.options.alertInstanceLabelFilter).toContain('namespace=$namespace');
      }
      expect(d.links[0].url).toContain('${namespace:queryparam}');
    }
  });

  it('draw the SLO and thresholds it sets', () => {
    const burn = overview.panels.find((p: any) => p.title === 'Error budget burn rate');
    expect(burn.targets[0].expr).toContain('/ 0.0100');
    const lag = overview.panels.find((p: any) => p.title === 'Replica lag');
    expect(lag.fieldConfig.defaults.thresholds.steps.map((s: any) => s.value)).toEqual([null, 45, 600]);
    expect(overview.panels[0].options.database).toMatchObject({ lagWarnSeconds: 45, lagCriticalSeconds: 600 });
  });
});

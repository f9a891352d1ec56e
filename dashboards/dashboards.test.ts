import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import YAML from 'yaml';
import { SIGNALS } from '../contract/signals';
import { CASCADE_PANEL_TYPE } from './cascadePanel';
import { labelValuesMetric, metricNames } from './promqlNames';
import { renderDashboards } from './render';

const ROOT = path.resolve(__dirname, '..');
const rendered = renderDashboards();
const dashboards = Object.fromEntries(
  Object.keys(rendered).map((file) => [file, JSON.parse(fs.readFileSync(path.join(__dirname, file), 'utf8'))])
) as Record<string, any>;

/** What a dashboard's variables stand for when its queries are checked. */
const VARIABLES: Record<string, string> = { service: 'registry', cluster: 'main', datasource: 'prometheus' };

function substitute(expr: string): string {
  return expr.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (_, a, b) => VARIABLES[a ?? b] ?? `$${a ?? b}`);
}

/** Every PromQL expression a dashboard runs: panel targets and annotation queries. */
function expressions(d: any): Array<{ where: string; expr: string }> {
  const out: Array<{ where: string; expr: string }> = [];
  for (const panel of d.panels) {
    for (const t of panel.targets ?? []) {
      out.push({ where: `${d.uid} / ${panel.title} / ${t.refId}`, expr: substitute(t.expr) });
    }
  }
  for (const a of d.annotations.list) {
    if (a.expr) {
      out.push({ where: `${d.uid} / annotation ${a.name}`, expr: substitute(a.expr) });
    }
  }
  return out;
}

/** Everything the pack records, read from the rendered rule file (its one source of truth). */
function recordedByPack(): Set<string> {
  const rules = YAML.parse(fs.readFileSync(path.join(ROOT, 'alerts', 'cascade-watch.rules.yml'), 'utf8'));
  return new Set(rules.groups.flatMap((g: any) => g.rules.filter((r: any) => r.record).map((r: any) => r.record)));
}

/** The contract's series, histograms with their _bucket/_sum/_count. */
function contractSeries(): Set<string> {
  return new Set(
    Object.values(SIGNALS).flatMap((s) =>
      s.type === 'histogram' ? ['_bucket', '_sum', '_count'].map((x) => s.name + x) : [s.name]
    )
  );
}

describe('the provisioned dashboards', () => {
  it.each(Object.keys(rendered))('%s is what the definitions render (run `npm run dashboards`)', (file) => {
    expect(fs.readFileSync(path.join(__dirname, file), 'utf8')).toBe(rendered[file]);
  });

  it('have stable, distinct uids, a data-source variable and a service variable', () => {
    const uids = Object.values(dashboards).map((d) => d.uid);
    expect(uids.sort()).toEqual(['cascade-deploy-watch', 'cascade-overview']);
    for (const d of Object.values(dashboards)) {
      const names = d.templating.list.map((v: any) => v.name);
      expect(names).toEqual(expect.arrayContaining(['datasource', 'service']));
      expect(d.templating.list.find((v: any) => v.name === 'datasource').type).toBe('datasource');
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
    const overview = dashboards['cascade-overview.json'];
    const pluginId = JSON.parse(fs.readFileSync(path.join(ROOT, 'src', 'plugin.json'), 'utf8')).id;
    expect(CASCADE_PANEL_TYPE).toBe(pluginId);
    const panel = overview.panels[0];
    expect(panel.type).toBe(pluginId);
    expect(panel.targets.map((t: any) => t.refId)).toEqual(
      expect.arrayContaining([
        'traffic',
        'baseline',
        'upper',
        'lower',
        'errors',
        'backlog',
        'lag',
        'utilization',
        'healthy',
        'desired',
        'deploy',
      ])
    );
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

  it('only read the contract\u2019s series and the pack\u2019s recorded ones', () => {
    const known = new Set([...contractSeries(), ...recordedByPack()]);
    const unknown: string[] = [];
    for (const d of Object.values(dashboards)) {
      for (const { where, expr } of expressions(d)) {
        unknown.push(
          ...metricNames(expr)
            .filter((n) => !known.has(n))
            .map((n) => `${where}: ${n}`)
        );
      }
      for (const v of d.templating.list.filter((v: any) => v.type === 'query')) {
        const metric = labelValuesMetric(v.definition);
        expect(metric !== null && known.has(metric)).toBe(true);
      }
    }
    expect(unknown).toEqual([]);
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

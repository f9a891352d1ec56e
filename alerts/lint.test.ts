/**
 * The pack against its public interface: the catalogue of docs/alerts.md, the runbooks, the
 * checked-in files (they must be what the generator renders), and promtool's and amtool's checks
 * of everything rendered, for the defaults and for every preset.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import YAML from 'yaml';

import { codeSpan, readDoc, tableRows } from '../contract/docs';
import { RECORDED, RECORDED_LABELS, type RecordedKey } from '../contract/signals';
import { ALERT_NAMES, CATALOGUE } from './catalogue';
import { README } from './docs';
import { listPresets, loadConfig } from '../config/load';
import { renderAll, OUTPUT_FILES } from './render';
import { seconds } from './promql';
import { INHIBITIONS } from './render/alertmanager';
import { identityLabels } from './rules/build';
import { isAlert, isRecording } from './rules/model';
import { buildPack, packAlerts } from './rules/pack';
import { amtool, promtool } from './testing/promtool';
import { workDir } from './testing/testfile';

const REPO = path.resolve(__dirname, '..');
const RUNBOOKS = path.join(__dirname, 'runbooks');

/** The catalogue table of docs/alerts.md: | `Name` | severity | stage | fires on | */
function documentedCatalogue(): Map<string, { severity: string; stage: string }> {
  const rows = new Map<string, { severity: string; stage: string }>();
  for (const [alert, severity, stage] of tableRows(readDoc('alerts.md'), 'alert')) {
    const name = codeSpan(alert);
    if (name === undefined) {
      throw new Error(`docs/alerts.md: the alert cell "${alert}" is not one \`name\``);
    }
    rows.set(name, { severity, stage });
  }
  return rows;
}

describe('catalogue', () => {
  const documented = documentedCatalogue();

  it('matches docs/alerts.md name for name, with the same severities and stages', () => {
    expect([...documented.keys()].sort()).toEqual([...ALERT_NAMES].sort());
    for (const name of ALERT_NAMES) {
      expect({ name, ...documented.get(name) }).toEqual({
        name,
        severity: CATALOGUE[name].severity,
        stage: CATALOGUE[name].stage,
      });
    }
  });

  it('is what the checked-in rule file raises, name for name, with the documented labels', () => {
    const file = YAML.parse(fs.readFileSync(path.join(REPO, OUTPUT_FILES.prometheusRules), 'utf8')) as {
      groups: Array<{ rules: Array<{ alert?: string; labels?: Record<string, string> }> }>;
    };
    const raised = file.groups.flatMap((g) => g.rules.filter((r) => r.alert !== undefined));
    expect(raised.map((r) => r.alert!).sort()).toEqual([...documented.keys()].sort());
    for (const r of raised) {
      expect({ alert: r.alert, ...r.labels }).toEqual({ alert: r.alert, ...documented.get(r.alert!) });
    }
  });
});

describe('the default pack', () => {
  const config = loadConfig();
  const groups = buildPack(config);
  const alerts = packAlerts(groups);
  const rendered = YAML.parse(renderAll(config).get(OUTPUT_FILES.prometheusRules)!) as {
    groups: Array<{ name: string; rules: Array<Record<string, unknown>> }>;
  };
  const renderedAlerts = rendered.groups.flatMap((g) => g.rules.filter((r) => 'alert' in r));

  it('has every alert of the catalogue exactly once, with its labels and all four annotations', () => {
    expect(renderedAlerts.map((a) => a.alert).sort()).toEqual([...ALERT_NAMES].sort());
    for (const a of renderedAlerts) {
      const entry = CATALOGUE[a.alert as keyof typeof CATALOGUE];
      expect(a.labels).toEqual({ severity: entry.severity, stage: entry.stage });
      const annotations = a.annotations as Record<string, string>;
      expect(Object.keys(annotations).sort()).toEqual(['dashboard_url', 'description', 'runbook_url', 'summary']);
      for (const value of Object.values(annotations)) {
        expect(value.trim().length).toBeGreaterThan(10);
      }
      expect(annotations.summary).not.toContain('{{');
      expect(annotations.description).toContain('{{');
      expect(annotations.runbook_url).toBe(`${config.runbookBaseUrl}/${a.alert}.md`);
      expect(annotations.dashboard_url.startsWith(`${config.grafanaUrl}/d/cascade-`)).toBe(true);
    }
  });

  it('has a runbook for every alert, with the four sections', () => {
    for (const name of ALERT_NAMES) {
      const file = path.join(RUNBOOKS, `${name}.md`);
      expect(fs.existsSync(file)).toBe(true);
      const text = fs.readFileSync(file, 'utf8');
      expect(text.startsWith(`# ${name}: `)).toBe(true);
      for (const section of ['## What it means', '## How to confirm it', '## What to do first', '## What not to do']) {
        expect(text).toContain(section);
      }
    }
    expect(fs.readdirSync(RUNBOOKS).sort()).toEqual(ALERT_NAMES.map((n) => `${n}.md`).sort());
  });

  it('links the deploy alerts to the deploy dashboard and the others to the overview', () => {
    for (const a of renderedAlerts) {
      const deploy = CATALOGUE[a.alert as keyof typeof CATALOGUE].stage === 'deploy';
      expect((a.annotations as Record<string, string>).dashboard_url).toContain(
        deploy ? '/d/cascade-deploy-watch/deploy-watch' : '/d/cascade-overview/cascade-overview'
      );
    }
  });

  it('records the names the panel and dashboards read, with their labels, and names everything cascade:<what>:<how>', () => {
    const records = groups.flatMap((g) => g.rules.filter(isRecording));
    for (const [key, name] of Object.entries(RECORDED) as Array<[RecordedKey, string]>) {
      const rule = records.find((r) => r.record === name);
      expect({ name, by: rule?.by }).toEqual({ name, by: [...RECORDED_LABELS[key]] });
    }
    for (const r of records) {
      expect(r.record).toMatch(/^cascade:[a-z0-9_]+:[a-z0-9_]+$/);
    }
  });

  it('declares each alert identity the way Alertmanager routes and inhibits it', () => {
    for (const i of INHIBITIONS) {
      for (const name of [i.source, ...i.targets]) {
        const rule = alerts.find((a) => a.alert === name);
        expect(rule).toBeDefined();
        for (const label of i.equal) {
          expect(identityLabels(config, rule!)).toContain(label);
        }
      }
    }
  });

  it('keeps every `for` a whole number of evaluation intervals (stage activity counts evaluations)', () => {
    for (const g of groups) {
      for (const rule of g.rules.filter(isAlert)) {
        expect({ alert: rule.alert, remainder: seconds(rule.for) % seconds(g.interval) }).toEqual({
          alert: rule.alert,
          remainder: 0,
        });
      }
    }
  });
});

// The checked-in files and the README's generated sections are checked against the one renderer by
// config/render.test.ts (`npm run render -- --check`).
describe('alerts/README.md', () => {
  it('links every runbook it names', () => {
    const text = fs.readFileSync(README, 'utf8');
    for (const link of text.matchAll(/\]\((runbooks\/[A-Za-z]+\.md)\)/g)) {
      expect(fs.existsSync(path.join(__dirname, link[1]))).toBe(true);
    }
  });
});

describe('formatting', () => {
  it("the checked-in generated files are formatted as the repository's prettier formats them", () => {
    // Otherwise `prettier --write .` would make them differ from the generator's output.
    const prettier = require.resolve('prettier/bin/prettier.cjs');
    const files = Object.values(OUTPUT_FILES);
    const checked = spawnSync(process.execPath, [prettier, '--check', ...files], { cwd: REPO, encoding: 'utf8' });
    expect(`${checked.stdout}${checked.stderr}`).toContain('All matched files use Prettier code style!');
    expect(checked.status).toBe(0);
  }, 30_000);
});

describe('promtool check rules and amtool check-config', () => {
  const variants: Array<[string, () => Map<string, string>]> = [
    ['defaults', () => renderAll(loadConfig())],
    ['defaults, recording rules only', () => renderAll(loadConfig(), { recordingOnly: true })],
    ...listPresets().map((p): [string, () => Map<string, string>] => [
      `preset ${p}`,
      () => renderAll(loadConfig({ presets: [p] })),
    ]),
    ['all presets together', () => renderAll(loadConfig({ presets: listPresets() }))],
  ];

  it.each(variants)(
    '%s',
    async (_name, render) => {
      const dir = workDir('check');
      const files = render();
      const rules = path.join(dir, 'rules.yml');
      fs.writeFileSync(rules, files.get(OUTPUT_FILES.prometheusRules)!);
      const am = path.join(dir, 'alertmanager.yml');
      fs.writeFileSync(am, files.get(OUTPUT_FILES.alertmanager)!);
      const checked = await promtool(['check', 'rules', rules]);
      expect(checked.output).toMatch(/SUCCESS: \d+ rules found/);
      expect(checked.status).toBe(0);
      const amChecked = await amtool(['check-config', am]);
      expect(amChecked.output).toContain('SUCCESS');
      expect(amChecked.status).toBe(0);
      fs.rmSync(dir, { recursive: true, force: true });
    },
    60_000
  );

  it('promtool rejects a broken rule file (the check can fail)', async () => {
    const dir = workDir('check');
    const rules = path.join(dir, 'rules.yml');
    fs.writeFileSync(rules, 'groups:\n  - name: x\n    rules:\n      - record: a:b:c\n        expr: sum(rate(x[5m])\n');
    const checked = await promtool(['check', 'rules', rules]);
    expect(checked.status).not.toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});

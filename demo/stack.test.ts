import fs from 'fs';
import os from 'os';
import path from 'path';
import YAML from 'yaml';
import { alertmanagerConfig, firstLevelRecordingRules, replaceStateDir, ROOT, speedSettings } from './stack';

const PACK_RULES = path.join(ROOT, 'alerts', 'cascade-watch.rules.yml');

describe('the stack\u2019s configs', () => {
  it('backfills only the recording rules that read raw series', () => {
    const { groups } = firstLevelRecordingRules(PACK_RULES) as {
      groups: Array<{ rules: Array<{ record: string; expr: string }> }>;
    };
    const rules = groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.record)).toContain('cascade:http_requests_by_route:rate5m');
    expect(rules.every((r) => !r.expr.includes('cascade:'))).toBe(true);
    expect(rules.every((r) => !('alert' in r))).toBe(true);
  });

  it('points every receiver of the pack\u2019s Alertmanager config at the webhook, keeping routes and inhibitions', () => {
    const example = YAML.parse(fs.readFileSync(path.join(ROOT, 'alerts', 'alertmanager.example.yml'), 'utf8'));
    const config = YAML.parse(
      alertmanagerConfig(path.join(ROOT, 'alerts', 'alertmanager.example.yml'), 'http://127.0.0.1:1/webhook')
    );
    expect(config.receivers.map((r: { name: string }) => r.name)).toEqual(
      example.receivers.map((r: { name: string }) => r.name)
    );
    for (const r of config.receivers) {
      expect(r.webhook_configs).toEqual([{ url: 'http://127.0.0.1:1/webhook', send_resolved: true }]);
    }
    expect(config.inhibit_rules).toEqual(example.inhibit_rules);
    expect(config.route.routes).toEqual(example.route.routes);
  });

  it('writes an Alertmanager config that amtool accepts', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-am-')), 'alertmanager.yml');
    fs.writeFileSync(
      file,
      alertmanagerConfig(path.join(ROOT, 'alerts', 'alertmanager.example.yml'), 'http://127.0.0.1:9095/webhook')
    );
    expect(() =>
      require('child_process').execFileSync('amtool', ['check-config', file], { stdio: 'pipe' })
    ).not.toThrow();
  });

  it.each([
    [1, { timeScale: 1, scrapeInterval: '15s', panelRange: '180m' }],
    [20, { timeScale: 20, scrapeInterval: '1s', panelRange: '10m' }],
    [5, { timeScale: 5, scrapeInterval: '3s', panelRange: '36m' }],
    [0.5, { timeScale: 1, scrapeInterval: '15s', panelRange: '360m' }],
  ])('at speed %s, compresses the pack, scrapes and sizes the panel to match', (speed, expected) => {
    expect(speedSettings(speed)).toEqual(expected);
  });

  it('replaces an earlier run\u2019s folder, and refuses to empty a folder that is not one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-state-'));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    expect(() => replaceStateDir(dir)).toThrow(/not a folder of an earlier demo run/);
    expect(fs.readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    const demoDir = path.join(dir, 'demo');
    replaceStateDir(demoDir);
    fs.writeFileSync(path.join(demoDir, 'old.log'), 'previous run');
    replaceStateDir(demoDir);
    expect(fs.existsSync(path.join(demoDir, 'old.log'))).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

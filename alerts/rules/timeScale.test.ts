import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

import { loadConfig } from '../../config/load';
import { DEFAULT_CONFIG } from '../../config/schema';
import { renderAll, OUTPUT_FILES } from '../render';
import type { AlertRule } from './model';
import { buildPack } from './pack';
import { compressDuration, compressExpr, compressPack } from './timeScale';

describe('time-compressed variant', () => {
  it('divides durations under a day and leaves days and weeks alone', () => {
    expect(compressDuration('5m', 20)).toBe('15s');
    expect(compressDuration('1h30m', 20)).toBe('4m30s');
    expect(compressDuration('30s', 20)).toBe('1500ms');
    expect(compressDuration('1d', 20)).toBe('1d');
    expect(compressDuration('1w', 20)).toBe('1w');
  });

  it('rewrites ranges, subquery steps and offsets, and nothing else', () => {
    const expr = 'rate(x_total[5m]) / avg_over_time(y[30m] offset 5m) > 300 and max_over_time(z[1h:1m]) and w[10m:] offset 1w';
    expect(compressExpr(expr, 10)).toBe(
      'rate(x_total[30s]) / avg_over_time(y[3m] offset 30s) > 300 and max_over_time(z[6m:6s]) and w[1m:] offset 1w'
    );
  });

  it('leaves the real pack untouched at timeScale 1', () => {
    const real = buildPack(DEFAULT_CONFIG);
    // compressPack is the identity at 1, and the rendered pack keeps its real windows and horizons.
    expect(compressPack(real, 1)).toBe(real);
    const rendered = renderAll(DEFAULT_CONFIG).get(OUTPUT_FILES.prometheusRules)!;
    expect(rendered).not.toContain('TIME-COMPRESSED');
    expect(rendered).toContain('[5m]');
    expect(rendered).toContain('cascade:deploy:age_seconds < 1800');
    expect(rendered).not.toMatch(/\[\d+ms\]/);
  });

  it('keeps every rule and name, shortens windows, for and intervals, and scales forecast horizons', () => {
    const real = buildPack(DEFAULT_CONFIG);
    const fast = buildPack({ ...DEFAULT_CONFIG, timeScale: 20 });
    const names = (groups: typeof real) =>
      groups.flatMap((g) => g.rules.map((r) => (r.kind === 'record' ? r.record : r.alert)));
    expect(names(fast)).toEqual(names(real));
    expect(fast.find((g) => g.name.endsWith('.traffic'))!.interval).toBe('3s');
    const rules = fast.flatMap((g) => g.rules);
    const alert = (name: string) => rules.find((r): r is AlertRule => r.kind === 'alert' && r.alert === name)!;
    expect(alert('CascadeWriteBacklogGrowing').for).toBe('9s');
    // The deploy window (30 min) compares with a deploy's age in seconds: 1800 / 20.
    expect(alert('CascadeDeployTrafficAnomaly').expr).toContain('cascade:deploy:age_seconds < 90');
    // Drain times and lag are the simulator's own seconds, not windows: unchanged.
    expect(alert('CascadeReplicaLagHigh').expr).toContain('> 300');
    expect(alert('CascadeWriteBacklogGrowing').expr).toContain('predicted_drain_seconds > 300');
    expect(rules.every((r) => !/\[(5m|15m|30m|10m)\]/.test(r.expr))).toBe(true);
  });

  it('renders a rule file promtool accepts, and no Grafana provisioning', () => {
    const files = renderAll({ ...DEFAULT_CONFIG, timeScale: 20 });
    expect([...files.keys()].sort()).toEqual([OUTPUT_FILES.alertmanager, OUTPUT_FILES.prometheusRules].sort());
    const rules = files.get(OUTPUT_FILES.prometheusRules)!;
    expect(rules).toContain('TIME-COMPRESSED 20x');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-timescale-'));
    try {
      const file = path.join(dir, 'rules.yml');
      fs.writeFileSync(file, rules);
      expect(execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8' })).toMatch(/SUCCESS/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is set from a config file and validated', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-timescale-'));
    try {
      const file = path.join(dir, 'fast.yaml');
      fs.writeFileSync(file, 'timeScale: 20\n');
      expect(loadConfig({ file }).timeScale).toBe(20);
      fs.writeFileSync(file, 'timeScale: 0.5\n');
      expect(() => loadConfig({ file })).toThrow(/timeScale.*expected 1 \(real time\) or more/s);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

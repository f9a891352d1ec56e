import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

import { EXIT_BAD_CONFIG, EXIT_OUT_OF_DATE, run } from './cli';
import { loadConfig } from '../config/load';
import { OUTPUT_FILES } from './render';
import { DASHBOARD_PROVIDER_FILE, EXIT_CANNOT_WRITE } from '../config/render';

function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-cli-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('cascade-rules', () => {
  it('writes the pack, the dashboards and their provider under --out', () => {
    const result = cli('--out', dir);
    expect(result.status).toBe(0);
    for (const file of [...Object.values(OUTPUT_FILES), 'dashboards/cascade-overview.json', DASHBOARD_PROVIDER_FILE]) {
      expect(fs.existsSync(path.join(dir, file))).toBe(true);
      expect(result.stdout).toContain(path.join(dir, file));
    }
  });

  it('names the backtest in its help, so a user who types --help finds it', () => {
    const result = cli('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('cascade-rules backtest --prometheus URL');
  });

  it('renders a user configuration with presets', () => {
    const config = path.join(dir, 'mine.yaml');
    fs.writeFileSync(config, 'presets: [otel-http]\ngrafanaDatasourceUid: mimir\n');
    expect(cli('--config', config, '--out', dir).status).toBe(0);
    const rules = fs.readFileSync(path.join(dir, OUTPUT_FILES.prometheusRules), 'utf8');
    expect(rules).toContain('http_server_request_duration_seconds_count');
    expect(rules).toContain('label_replace(');
    expect(fs.readFileSync(path.join(dir, OUTPUT_FILES.grafanaRules), 'utf8')).toContain('datasourceUid: mimir');
  });

  it('exits 2 with the file, field and expectation on a bad configuration', () => {
    const config = path.join(dir, 'bad.yaml');
    fs.writeFileSync(config, 'slo:\n  target: 99.9\n');
    const result = cli('--config', config, '--out', dir);
    expect(result.status).toBe(EXIT_BAD_CONFIG);
    expect(result.stderr).toContain(`${config}: slo.target: expected a fraction below 1`);
    expect(fs.existsSync(path.join(dir, 'alerts'))).toBe(false);
  });

  it('exits 2 on an unknown option or preset', () => {
    expect(cli('--frobnicate').status).toBe(EXIT_BAD_CONFIG);
    const result = cli('--preset', 'nope', '--out', dir);
    expect(result.status).toBe(EXIT_BAD_CONFIG);
    expect(result.stderr).toContain('unknown preset "nope"');
  });

  it('--print-config writes YAML that loads back to the same configuration', () => {
    const result = cli('--preset', 'kube-state-metrics', '--print-config');
    expect(result.status).toBe(0);
    const file = path.join(dir, 'printed.yaml');
    fs.writeFileSync(file, result.stdout);
    expect(loadConfig({ file })).toEqual(loadConfig({ presets: ['kube-state-metrics'] }));
  });

  it('warns when a file printed without the presets undoes them; printed with them, it is quiet', () => {
    const plain = path.join(dir, 'plain.yaml');
    fs.writeFileSync(plain, cli('--print-config').stdout);
    const undone = cli('--preset', 'postgres-exporter', '--config', plain, '--out', dir);
    expect(undone.status).toBe(0);
    expect(undone.stderr).toContain(
      `cascade-rules: warning: ${plain}: undoes preset postgres-exporter: it sets signals.replicaLag.metric and ` +
        'signals.replicaLag.labels.cluster back to their defaults.'
    );
    expect(undone.stderr).toContain('cascade-rules --preset postgres-exporter --print-config');
    expect(fs.readFileSync(path.join(dir, OUTPUT_FILES.prometheusRules), 'utf8')).not.toContain('pg_replication_lag');

    const withPreset = path.join(dir, 'with-preset.yaml');
    fs.writeFileSync(withPreset, cli('--preset', 'postgres-exporter', '--print-config').stdout);
    const kept = cli('--config', withPreset, '--out', dir);
    expect([kept.status, kept.stderr]).toEqual([0, '']);
    expect(fs.readFileSync(path.join(dir, OUTPUT_FILES.prometheusRules), 'utf8')).toContain('pg_replication_lag');
    // A preset on top of its own printed file is not undone.
    expect(cli('--preset', 'postgres-exporter', '--config', withPreset, '--out', dir).stderr).toBe('');
  });

  it('says in a line, without a stack trace, when --out is a file or a folder under it cannot be made', () => {
    const file = path.join(dir, 'report.txt');
    fs.writeFileSync(file, 'kept');
    const onFile = cli('--out', file);
    expect([onFile.status, onFile.stderr]).toEqual([
      EXIT_CANNOT_WRITE,
      `cascade-rules: --out ${file}: is a file; expected a folder (it is created if missing)\n`,
    ]);
    expect(fs.readFileSync(file, 'utf8')).toBe('kept');
    fs.writeFileSync(path.join(dir, 'alerts'), 'in the way');
    const blocked = cli('--out', dir);
    expect(blocked.status).toBe(EXIT_CANNOT_WRITE);
    expect(blocked.stderr).toMatch(/^cascade-rules: cannot write .*alerts\/cascade-watch\.rules\.yml: E[A-Z]+\n$/);
  });

  it('--check exits 1 when the files differ and 0 once written', () => {
    expect(cli('--check', '--out', dir).status).toBe(EXIT_OUT_OF_DATE);
    cli('--out', dir);
    expect(cli('--check', '--out', dir).status).toBe(0);
    fs.appendFileSync(path.join(dir, OUTPUT_FILES.alertmanager), '# edited\n');
    const result = cli('--check', '--out', dir);
    expect(result.status).toBe(EXIT_OUT_OF_DATE);
    expect(result.stderr).toContain(`out of date: ${path.join(dir, OUTPUT_FILES.alertmanager)}`);
  });

  it('--recording-only leaves the alerts out of the Prometheus file', () => {
    cli('--recording-only', '--out', dir);
    const rules = fs.readFileSync(path.join(dir, OUTPUT_FILES.prometheusRules), 'utf8');
    expect(rules).toContain('record: cascade:http_requests:rate5m');
    expect(rules).not.toContain('alert:');
  });

  it('runs as bin/cascade-rules.js', () => {
    const bin = path.resolve(__dirname, '..', 'bin', 'cascade-rules.js');
    const listed = spawnSync(process.execPath, [bin, '--list-presets'], { encoding: 'utf8' });
    expect(listed.status).toBe(0);
    expect(listed.stdout.split('\n')).toContain('otel-http');
    const bad = spawnSync(process.execPath, [bin, '--preset', 'nope'], { encoding: 'utf8' });
    expect(bad.status).toBe(EXIT_BAD_CONFIG);
  }, 30_000);
});

import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import YAML from 'yaml';

import { OUTPUT_FILES } from '../alerts/render';
import { KUBERNETES_FILES } from '../alerts/render/kubernetes';
import { readSection } from '../alerts/docs';
import { loadConfig } from './load';
import {
  ALERTS_README,
  DASHBOARD_PROVIDER_FILE,
  dashboardFiles,
  EXIT_OUT_OF_DATE,
  isUpToDate,
  renderEverything,
  REPOSITORY_ROOT,
  run,
} from './render';

const BIN = path.join(REPOSITORY_ROOT, 'bin', 'cascade-rules.js');

/**
 * What a user's render holds: the pack, the dashboards and their provider, the Kubernetes manifests and the
 * mixin (no demo, no README).
 */
const USER_SET = [
  ...Object.values(OUTPUT_FILES),
  ...dashboardFiles(loadConfig()).keys(),
  DASHBOARD_PROVIDER_FILE,
  ...[...dashboardFiles(loadConfig()).keys()].map((f) => `${KUBERNETES_FILES.mixinDashboardsDir}/${path.basename(f)}`),
  KUBERNETES_FILES.prometheusRule,
  KUBERNETES_FILES.dashboardConfigMaps,
  KUBERNETES_FILES.mixin,
  KUBERNETES_FILES.mixinRules,
  KUBERNETES_FILES.mixinAlerts,
].sort();

function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = run(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-render-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the checked-in tree', () => {
  it('is what `npm run render` renders: `npm run render -- --check` passes', () => {
    const checked = spawnSync('npm', ['run', '--silent', 'render', '--', '--check'], {
      cwd: REPOSITORY_ROOT,
      encoding: 'utf8',
    });
    // On failure the output lists the stale files; regenerate them with `npm run render`.
    expect({ status: checked.status, stderr: checked.stderr }).toEqual({ status: 0, stderr: '' });
  }, 60_000);

  it('renders the demo and the README sections besides what a user gets, leaving the measured section alone', () => {
    const files = renderEverything(loadConfig(), { repositoryRoot: REPOSITORY_ROOT });
    expect([...files.keys()].filter((f) => !USER_SET.includes(f)).sort()).toEqual([
      ALERTS_README,
      'demo/alertmanager.docker.yml',
      'demo/first-level.rules.yml',
      'demo/prometheus.docker.yml',
    ]);
    const readme = fs.readFileSync(path.join(REPOSITORY_ROOT, ALERTS_README), 'utf8');
    const rendered = files.get(ALERTS_README)!;
    expect(readSection(rendered, 'replay-results')).toBe(readSection(readme, 'replay-results'));
    expect(readSection(rendered, 'alerts-table')).toContain('`CascadeInProgress`');
  });
});

describe('formatting', () => {
  it("the rendered YAML is formatted as the repository's prettier formats it", () => {
    // Otherwise `prettier --write .` would make the checked-in files differ from the render, and --check fail.
    const yaml = [...renderEverything(loadConfig(), { repositoryRoot: REPOSITORY_ROOT }).keys()].filter((f) =>
      /\.ya?ml$/.test(f)
    );
    expect(yaml).toEqual(expect.arrayContaining([DASHBOARD_PROVIDER_FILE, 'demo/prometheus.docker.yml']));
    const prettier = require.resolve('prettier/bin/prettier.cjs');
    const checked = spawnSync(process.execPath, [prettier, '--check', ...yaml], {
      cwd: REPOSITORY_ROOT,
      encoding: 'utf8',
    });
    expect(`${checked.stdout}${checked.stderr}`).toContain('All matched files use Prettier code style!');
  }, 30_000);
});

describe('a user render', () => {
  it('writes every file of the whole set for a preset, through the installed command', () => {
    const out = path.join(dir, 'out');
    const result = spawnSync(process.execPath, [BIN, '--preset', 'otel-http', '--out', out], { encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    expect(filesUnder(out)).toEqual(USER_SET);
    // Both dashboards, besides the pack's files, the provider, the manifests and the mixin.
    expect(USER_SET.filter((f) => /^dashboards\/.+\.json$/.test(f))).toEqual(
      expect.arrayContaining(['dashboards/cascade-overview.json', 'dashboards/deploy-watch.json'])
    );
    const rules = fs.readFileSync(path.join(out, OUTPUT_FILES.prometheusRules), 'utf8');
    expect(rules).toContain('http_server_request_duration_seconds_count');
    for (const file of USER_SET.filter((f) => f.endsWith('.json'))) {
      expect(() => JSON.parse(fs.readFileSync(path.join(out, file), 'utf8'))).not.toThrow();
    }
    const again = spawnSync(process.execPath, [BIN, '--preset', 'otel-http', '--out', out, '--check'], {
      encoding: 'utf8',
    });
    expect(again.status).toBe(0);
  }, 60_000);

  it('gets a dashboard provider for its folder and the path it names', () => {
    const config = path.join(dir, 'mine.yaml');
    fs.writeFileSync(config, 'grafanaFolder: SRE cascade\n');
    const out = path.join(dir, 'out');
    expect(cli('--config', config, '--out', out, '--grafana-dashboards-path', '/srv/dashboards').status).toBe(0);
    const provider = YAML.parse(fs.readFileSync(path.join(out, DASHBOARD_PROVIDER_FILE), 'utf8'));
    expect(provider.providers).toEqual([
      expect.objectContaining({
        folder: 'SRE cascade',
        type: 'file',
        options: expect.objectContaining({ path: '/srv/dashboards' }),
      }),
    ]);
  });

  it('--check writes nothing and exits 1 listing each stale or missing file', () => {
    const missing = cli('--check', '--out', dir);
    expect(missing.status).toBe(EXIT_OUT_OF_DATE);
    expect(fs.readdirSync(dir)).toEqual([]);
    for (const file of USER_SET) {
      expect(missing.stderr).toContain(`out of date: ${path.join(dir, file)}`);
    }
    expect(cli('--out', dir).status).toBe(0);
    fs.appendFileSync(path.join(dir, 'dashboards', 'deploy-watch.json'), ' ');
    const stale = cli('--check', '--out', dir);
    expect(stale.status).toBe(EXIT_OUT_OF_DATE);
    expect(stale.stderr.trim().split('\n')).toEqual([
      `out of date: ${path.join(dir, 'dashboards', 'deploy-watch.json')}`,
      'Render again without --check to update them.',
    ]);
  });
});

describe('isUpToDate', () => {
  it('ignores the table padding prettier adds to markdown, and nothing else', () => {
    const generated = '| a | b |\n|---|---|\n| 1 | 2 |\n';
    const padded = '| a   | b   |\n| --- | --- |\n| 1   | 2   |\n';
    expect(isUpToDate('README.md', padded, generated)).toBe(true);
    expect(isUpToDate('README.md', padded.replace('1', '3'), generated)).toBe(false);
    expect(isUpToDate('rules.yml', 'a:  1\n', 'a: 1\n')).toBe(false);
    expect(isUpToDate('rules.yml', undefined, 'a: 1\n')).toBe(false);
  });
});

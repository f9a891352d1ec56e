import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

import { ConfigError, deepMerge, listPresets, loadConfig, validateConfig } from './load';
import { DEFAULT_CONFIG } from './schema';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-config-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

/** The ConfigError message loading `text` gives. */
function problem(text: string, name = 'my.yaml'): string {
  const p = file(name, text);
  try {
    loadConfig({ file: p });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`expected ${name} to be rejected`);
}

describe('loadConfig', () => {
  it('without a file gives the defaults, which are valid', () => {
    expect(loadConfig()).toEqual(DEFAULT_CONFIG);
    expect(validateConfig(DEFAULT_CONFIG, 'defaults')).toEqual(DEFAULT_CONFIG);
  });

  it('merges the file over presets over defaults, objects key by key', () => {
    const p = file(
      'merge.yaml',
      [
        'presets: [otel-http]',
        'traffic:',
        '  lowTrafficFloor: 5',
        'signals:',
        '  traffic:',
        '    matchers: job="api"',
      ].join('\n')
    );
    const config = loadConfig({ file: p });
    expect(config.traffic.lowTrafficFloor).toBe(5);
    expect(config.traffic.baseline).toEqual(DEFAULT_CONFIG.traffic.baseline);
    expect(config.signals.traffic).toEqual({
      enabled: true,
      metric: 'http_server_request_duration_seconds_count',
      matchers: 'job="api"',
      labels: { service: 'job', route: 'http_route', code: 'http_response_status_code' },
    });
  });

  it('applies every shipped preset to a valid configuration', () => {
    expect(listPresets()).toEqual(['kube-state-metrics', 'mysqld-exporter', 'otel-http', 'postgres-exporter']);
    for (const preset of listPresets()) {
      expect(() => loadConfig({ presets: [preset] })).not.toThrow();
    }
    expect(loadConfig({ presets: ['kube-state-metrics'] }).signals.lastDeploy.kind).toBe('generation');
    expect(loadConfig({ presets: ['postgres-exporter'] }).signals.replicaLag.metric).toBe('pg_replication_lag_seconds');
    expect(loadConfig({ presets: ['mysqld-exporter'] }).signals.replicaLag.metric).toBe(
      'mysql_slave_status_seconds_behind_master'
    );
  });

  it('an empty file is the defaults', () => {
    expect(loadConfig({ file: file('empty.yaml', '') })).toEqual(DEFAULT_CONFIG);
  });
});

describe('configuration errors name the file, the field and what was expected', () => {
  it.each([
    ['a typo in a key', 'trafic:\n  lowTrafficFloor: 2\n', /my\.yaml: \(top level\): unknown field "trafic"/],
    ['a nested typo', 'traffic:\n  lowTraficFloor: 2\n', /my\.yaml: traffic: unknown field "lowTraficFloor"/],
    [
      'a string for a number',
      'traffic:\n  lowTrafficFloor: lots\n',
      /my\.yaml: traffic\.lowTrafficFloor: expected a number/,
    ],
    [
      'a negative floor',
      'traffic:\n  lowTrafficFloor: -1\n',
      /traffic\.lowTrafficFloor: expected a number of 0 or more/,
    ],
    ['a bad duration', 'deploy:\n  window: 30 minutes\n', /my\.yaml: deploy\.window: expected a Prometheus duration/],
    ['null for a duration', 'deploy:\n  window: null\n', /deploy\.window: expected a Prometheus duration/],
    [
      'a bad metric name',
      'signals:\n  traffic:\n    metric: http-requests\n',
      /signals\.traffic\.metric: expected a Prometheus metric name/,
    ],
    ['a bad label name', 'groupingLabels: [env, 9x]\n', /groupingLabels\.1: expected a Prometheus label name/],
    [
      'braces in matchers',
      'signals:\n  traffic:\n    matchers: \'{job="api"}\'\n',
      /signals\.traffic\.matchers: expected label matchers/,
    ],
    [
      'an unknown contract label',
      'signals:\n  healthyInstances:\n    labels: { service: deployment, pod: pod }\n',
      /labels\.pod: unknown contract label/,
    ],
    [
      'an invalid enum',
      'grafana:\n  noDataState: Nodata\n',
      /grafana\.noDataState: expected one of Alerting, NoData, OK, KeepLast/,
    ],
    [
      'inconsistent thresholds',
      'instances:\n  criticalRatio: 0.9\n',
      /instances\.criticalRatio: expected a ratio below instances\.lowRatio \(0\.75\)/,
    ],
    [
      'a falling tier at or under the deep ratio',
      'traffic:\n  anomalyLow:\n    falling: { ratio: 0.6 }\n',
      /traffic\.anomalyLow\.falling\.ratio: expected a ratio above traffic\.anomalyLow\.deep\.ratio \(0\.65\)/,
    ],
    [
      'a falling tier whose steepest minute is not steeper than its gentlest',
      'traffic:\n  anomalyLow:\n    falling: { maxPerMinute: 0.004 }\n',
      /traffic\.anomalyLow\.falling\.maxPerMinute: expected a fraction above traffic\.anomalyLow\.falling\.minPerMinute \(0\.005\)/,
    ],
    [
      'a falling tier no longer than a step takes',
      'traffic:\n  anomalyLow:\n    falling: { for: 5m }\n',
      /traffic\.anomalyLow\.falling\.for: expected a duration longer than 5m: a step's 5-minute rate falls for 5 minutes/,
    ],
    ['an SLO of 100 %', 'slo:\n  target: 1\n', /slo\.target: expected a fraction below 1/],
    [
      'an unknown stage',
      'cascade:\n  requireOneOf: [traffic, database]\n',
      /cascade\.requireOneOf\.1: expected one of traffic, backlog, replicas, instances/,
    ],
    ['a list at the top', '- a\n- b\n', /my\.yaml: expected a mapping of settings at the top level/],
    ['broken YAML', 'traffic: [\n', /my\.yaml: not valid YAML/],
    ['duplicate keys', 'traffic: {}\ntraffic: {}\n', /my\.yaml: not valid YAML/],
    [
      'an unknown preset',
      'presets: [prometheus-operator]\n',
      /my\.yaml: unknown preset "prometheus-operator"; expected one of kube-state-metrics/,
    ],
    ['presets not a list', 'presets: otel-http\n', /my\.yaml: presets: expected a list of preset names/],
  ])('%s', (_what, text, message) => {
    expect(problem(text)).toMatch(message);
  });

  it('a signal without a mapping for one of its contract labels', () => {
    const config = structuredClone(DEFAULT_CONFIG);
    config.signals.traffic.labels = { service: 'job', route: 'path' };
    expect(() => validateConfig(config, 'mine')).toThrow(
      /mine: signals\.traffic\.labels\.code: missing: name the source label/
    );
  });

  it('reports every problem at once, one per line', () => {
    const lines = problem('traffic:\n  lowTrafficFloor: x\ndeploy:\n  window: soon\n').split('\n');
    expect(lines).toHaveLength(2);
  });

  it('a file that cannot be read', () => {
    expect(() => loadConfig({ file: path.join(dir, 'missing.yaml') })).toThrow(/missing\.yaml: cannot read: ENOENT/);
  });

  it('an unknown preset on the command line', () => {
    expect(() => loadConfig({ presets: ['../../etc/passwd'] })).toThrow(/command line: unknown preset/);
  });
});

describe('hostile YAML is a configuration error too', () => {
  /** Nine aliases of nine: 9^9 (387 million) strings once expanded. */
  const aliasBomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    .concat(
      'bcdefghi'.split('').map((name, i) => {
        const prev = 'abcdefghi'[i];
        return `${name}: &${name} [${Array.from({ length: 9 }, () => `*${prev}`).join(',')}]`;
      })
    )
    .join('\n');

  it('an alias bomb, through the command line as a user runs it: exit 2, the file named, no stack trace', () => {
    const bomb = file('bomb.yaml', aliasBomb);
    const bin = path.resolve(__dirname, '..', 'bin', 'cascade-rules.js');
    const run = spawnSync(process.execPath, [bin, '--config', bomb, '--out', path.join(dir, 'out')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe(
      `cascade-rules: invalid configuration\n${bomb}: not valid YAML: Excessive alias count indicates a resource exhaustion attack\n`
    );
    expect(run.status).toBe(2);
    expect(fs.existsSync(path.join(dir, 'out'))).toBe(false);
  }, 60_000);

  it('nesting deeper than the parser can follow', () => {
    expect(problem(`${'['.repeat(20_000)}${']'.repeat(20_000)}`, 'deep.yaml')).toMatch(/deep\.yaml: not valid YAML: /);
  });
});

describe('deepMerge', () => {
  it('merges objects, replaces lists and scalars, keeps null overrides', () => {
    expect(deepMerge({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { c: 3 }, l: [9] })).toEqual({ a: { b: 1, c: 3 }, l: [9] });
    expect(deepMerge({ a: 1 }, { a: null })).toEqual({ a: null });
    expect(deepMerge({ a: 1 }, undefined)).toEqual({ a: 1 });
  });
});

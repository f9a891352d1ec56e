import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { loadScenario } from '../scenario/load';
import { findSeries, indexAt, simulate } from '../run';
import { toOpenMetrics, writeOpenMetrics } from './openmetrics';
import { expandingNotation, promtoolSeriesYaml, toPromtoolInputSeries } from './promtool';

const promtool = '/usr/bin/promtool';

describe("promtool's expanding notation", () => {
  it.each([
    [[1, 2, 3, 4], '1+1x3'],
    [[5, 5, 5], '5+0x2'],
    [[7, 5, 3, 1], '7-2x3'],
    [[1, 2], '1 2'],
    [[1, 5, 2], '1 5 2'],
    [[NaN, NaN, 3], '_x2 3'],
    [[NaN, 3], '_ 3'],
    [[1, 1, 1, NaN, NaN, NaN, 2], '1+0x2 stale _x2 2'],
    [[1, NaN, 2], '1 stale 2'],
    [[0.5, 0.75, 1, 1.25], '0.5+0.25x3'],
  ])('%j -> %s', (values, text) => {
    expect(expandingNotation(values)).toBe(text);
  });
});

describe('OpenMetrics', () => {
  const s = loadScenario('crates-io-2023-07-20');
  const run = simulate(s, { from: s.anchor + 12 * 3600, to: s.anchor + 13 * 3600, stepSeconds: 60 });
  const text = toOpenMetrics(run);

  it('groups each family under its HELP and TYPE, with the counter family named without _total, and ends with # EOF', () => {
    expect(text.endsWith('# EOF\n')).toBe(true);
    expect(text).toContain('# TYPE http_requests counter\n');
    expect(text).toContain('# TYPE http_request_duration_seconds histogram\n');
    expect(text).toContain('# TYPE db_writes counter\n');
    expect(text).toMatch(/^http_requests_total\{service="registry",route="download",code="302"\} \d+ 1689854400$/m);
    const types = text
      .split('\n')
      .filter((l) => l.startsWith('# TYPE'))
      .map((l) => l.split(' ')[2]);
    expect(new Set(types).size).toBe(types.length);
  });

  it('streams the same text to a function sink', async () => {
    let streamed = '';
    await writeOpenMetrics(run, (chunk) => {
      streamed += chunk;
    });
    expect(streamed).toBe(text);
  });

  it('is accepted by promtool tsdb create-blocks-from openmetrics', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-om-'));
    try {
      const file = path.join(dir, 'history.om');
      const week = simulate(loadScenario('normal-week'), {
        from: loadScenario('normal-week').anchor,
        to: loadScenario('normal-week').anchor + 86_400,
        stepSeconds: 60,
      });
      fs.writeFileSync(file, toOpenMetrics(week));
      const out = spawnSync(
        promtool,
        ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', file, path.join(dir, 'data')],
        {
          encoding: 'utf8',
        }
      );
      expect(out.stderr + out.stdout).not.toMatch(/error/i);
      expect(out.status).toBe(0);
      const blocks = fs.readdirSync(path.join(dir, 'data'));
      expect(blocks.length).toBeGreaterThan(0);
      const analysis = execFileSync(promtool, ['tsdb', 'analyze', path.join(dir, 'data')], { encoding: 'utf8' });
      expect(analysis).toMatch(/http_requests_total/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('promtool input_series', () => {
  const s = loadScenario('cloudsmith-2020-02-04');
  const run = simulate(s, { from: s.anchor + 21 * 3600, to: s.anchor + 23 * 3600, stepSeconds: 60 });

  it("has one value per step, t=0 at the run's start, as a YAML document with the mapping in a comment", () => {
    const yaml = promtoolSeriesYaml(run);
    expect(yaml.startsWith('# t=0 is 2020-02-04T21:00:00Z; one value every 60s.')).toBe(true);
    const doc = YAML.parse(yaml) as { interval: string; input_series: Array<{ series: string; values: string }> };
    expect(doc.interval).toBe('60s');
    expect(doc.input_series.length).toBe(toPromtoolInputSeries(run).length);
  });

  it('agrees with the run when promtool replays it (promtool test rules)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-ps-'));
    try {
      const backlog = findSeries(run, 'db_write_backlog')!;
      const healthy = findSeries(run, 'instances_healthy')!;
      const lag3 = findSeries(run, 'db_replication_lag_seconds', { instance: 'db-replica-3' });
      expect(lag3).toBeUndefined(); // not online within this window: absent, not zero
      const at = (min: number) => indexAt(run, run.from + min * 60);
      const doc = YAML.parse(promtoolSeriesYaml(run)) as Record<string, unknown>;
      fs.writeFileSync(path.join(dir, 'rules.yaml'), 'groups: []\n');
      const test = {
        rule_files: ['rules.yaml'],
        evaluation_interval: '1m',
        tests: [
          {
            interval: doc.interval,
            input_series: doc.input_series,
            promql_expr_test: [
              {
                expr: 'db_write_backlog',
                eval_time: '50m',
                exp_samples: [{ labels: 'db_write_backlog{cluster="main"}', value: backlog.values[at(50)] }],
              },
              {
                expr: 'instances_healthy',
                eval_time: '110m',
                exp_samples: [{ labels: 'instances_healthy{service="registry"}', value: healthy.values[at(110)] }],
              },
            ],
          },
        ],
      };
      fs.writeFileSync(path.join(dir, 'test.yaml'), YAML.stringify(test));
      const out = spawnSync(promtool, ['test', 'rules', 'test.yaml'], { cwd: dir, encoding: 'utf8' });
      expect(out.stdout + out.stderr).toMatch(/SUCCESS/);
      expect(out.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("rejects a start that is not on the run's grid", () => {
    expect(() => toPromtoolInputSeries(run, { from: run.from + 30 })).toThrow(/not a sample time of the run/);
  });
});

import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import YAML from 'yaml';
import { loadScenario, onWallClock, simulate, toPromtoolInputSeries, type SimulationRun } from '../simulator';
import {
  buildHistory,
  compressSeasonal,
  evaluateFirstLevel,
  historyRecordingRules,
  parseFirstLevelRule,
  type FirstLevelRule,
} from './history';
import { ROOT, stackRules } from './stack';

const PACK_RULES = path.join(ROOT, 'alerts', 'cascade-watch.rules.yml');

function rulesAt(timeScale: number): FirstLevelRule[] {
  return historyRecordingRules(YAML.parse(stackRules({ timeScale, rulesFile: PACK_RULES })).groups);
}

/**
 * Checks the history's recorded values against Prometheus' own evaluation of the same expressions over the same
 * samples (promtool's unit tests): each expected value is ours rounded to a millionth, and promtool rounds its own.
 */
function promtoolAgrees(
  run: SimulationRun,
  rules: FirstLevelRule[],
  exprs: Map<string, string>,
  evalIndexes: number[]
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-history-'));
  const recorded = new Map<string, ReturnType<typeof evaluateFirstLevel>>();
  let series = run.series;
  for (const rule of rules) {
    const out = evaluateFirstLevel({ ...run, series }, rule);
    recorded.set(rule.record, out);
    series = [...series, ...out];
  }
  const tests = [];
  for (const rule of rules) {
    for (const k of evalIndexes) {
      const samples = recorded.get(rule.record)!.filter((s) => !Number.isNaN(s.values[k]));
      tests.push({
        expr: `round(${exprs.get(rule.record)} * 1e6)`,
        eval_time: `${Math.round((run.times[k] - run.times[0]) * 1000)}ms`,
        exp_samples: samples.map((s) => ({
          labels: `{${Object.entries(s.labels)
            .map(([l, v]) => `${l}="${v}"`)
            .join(',')}}`,
          value: Math.round(s.values[k] * 1e6),
        })),
      });
    }
  }
  // Only the raw series go in: second-level rules are checked through their expressions over the first.
  const file = path.join(dir, 'history.test.yml');
  fs.writeFileSync(
    file,
    YAML.stringify({
      tests: [
        {
          interval: `${Math.round(run.stepSeconds * 1000)}ms`,
          input_series: toPromtoolInputSeries(run),
          promql_expr_test: tests,
        },
      ],
    })
  );
  try {
    execFileSync('promtool', ['test', 'rules', file], { stdio: 'pipe' });
  } catch (e) {
    throw new Error(String((e as { stdout?: Buffer }).stdout ?? e));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return tests.length;
}

/** Each rule's expression with the recorded series it reads spelled out as their own expressions. */
function expandedExprs(timeScale: number): Map<string, string> {
  const groups = YAML.parse(stackRules({ timeScale, rulesFile: PACK_RULES })).groups as Array<{
    rules: Array<{ record?: string; expr: string }>;
  }>;
  const exprs = new Map<string, string>();
  for (const r of groups.flatMap((g) => g.rules)) {
    if (r.record && !exprs.has(r.record)) {
      let expr = r.expr;
      for (const [name, inner] of exprs) {
        expr = expr.replace(new RegExp(`\\b${name}\\b(?![:\\w])`, 'g'), `(${inner})`);
      }
      exprs.set(r.record, expr);
    }
  }
  return exprs;
}

describe('the demo history', () => {
  const scenario = loadScenario('normal-week');
  const end = Date.UTC(2026, 10, 2, 12) / 1000;

  it('records what Prometheus records over the same samples, at speed 1', () => {
    const run = simulate(scenario, { from: end - 3 * 3600, to: end, stepSeconds: 60 });
    const rules = rulesAt(1);
    expect(promtoolAgrees(run, rules, expandedExprs(1), [0, 3, 4, 5, 60, 180])).toBeGreaterThan(20);
  });

  it('records what Prometheus records over the same samples, on the 20x compressed axis', () => {
    const run = onWallClock(simulate(scenario, { from: end - 3 * 3600, to: end, stepSeconds: 60 }), 20);
    const rules = rulesAt(20);
    expect(run.stepSeconds).toBe(3);
    expect(promtoolAgrees(run, rules, expandedExprs(20), [0, 4, 5, 6, 60, 180])).toBeGreaterThan(20);
  });

  it('records the traffic the seasonal rules read weeks later, and every rule that reads raw series', () => {
    for (const timeScale of [1, 20]) {
      const records = rulesAt(timeScale).map((r) => r.record);
      expect(records).toEqual(
        expect.arrayContaining([
          'cascade:http_requests_by_route:rate5m',
          'cascade:http_requests:rate5m',
          'cascade:db_write_backlog:sum',
          'cascade:instances_desired:sum',
        ])
      );
      // The error rate by route is an `or` of two expressions: neither it nor the per-service sum over it is.
      expect(records).not.toContain('cascade:http_errors:rate5m');
    }
  });

  it('refuses a rule over raw series of a shape it cannot record, naming it', () => {
    expect(() =>
      historyRecordingRules([
        {
          rules: [
            { record: 'x:quantile', expr: 'histogram_quantile(0.9, rate(http_request_duration_seconds_bucket[5m]))' },
          ],
        },
      ])
    ).toThrow(/x:quantile/);
    expect(
      parseFirstLevelRule({ record: 'a', expr: 'sum by (service, route) (rate(http_requests_total{code=~"5.."}[5m]))' })
    ).toMatchObject({
      aggregation: 'sum',
      by: ['service', 'route'],
      fn: 'rate',
      rangeMs: 300_000,
      matchers: [{ label: 'code', op: '=~', value: '5..' }],
    });
  });

  it('keeps 21 days of traffic on the compressed axis, ending where the live model begins', () => {
    const run = buildHistory({ scenario, days: 21, end, timeScale: 20, rules: rulesAt(20), rawHours: 3 });
    const traffic = run.series.find((s) => s.name === 'cascade:http_requests:rate5m')!;
    const present = traffic.values.filter((v) => !Number.isNaN(v));
    expect(run.times[0]).toBeCloseTo(end - (21 * 86_400) / 20, 3);
    expect(run.times[run.times.length - 1]).toBe(end);
    expect(present.length).toBeGreaterThan(run.times.length - 10);
    // Raw series for the last three model hours only (nine wall minutes at 20x).
    const raw = run.series.find((s) => s.name === 'http_requests_total')!;
    const firstRaw = raw.values.findIndex((v) => !Number.isNaN(v));
    expect(end - run.times[firstRaw]).toBeCloseTo((3 * 3600) / 20, 0);
  });
});

describe('onWallClock', () => {
  it('plays a run back at a speed, ending at the same instant: rates kept, deploy times moved, gauges as they are', () => {
    const end = Date.UTC(2026, 10, 2, 12) / 1000;
    const model = simulate(loadScenario('normal-week'), { from: end - 3600, to: end, stepSeconds: 60 });
    const wall = onWallClock(model, 20);
    expect(wall.times[wall.times.length - 1]).toBe(end);
    expect(wall.times[0]).toBe(end - 180);
    const find = (run: SimulationRun, name: string) => run.series.find((s) => s.name === name)!;
    const n = model.times.length - 1;
    const modelRate =
      (find(model, 'http_requests_total').values[n] - find(model, 'http_requests_total').values[0]) / 3600;
    const wallRate = (find(wall, 'http_requests_total').values[n] - find(wall, 'http_requests_total').values[0]) / 180;
    expect(wallRate).toBeCloseTo(modelRate, 6);
    expect(find(wall, 'db_write_backlog').values).toEqual(find(model, 'db_write_backlog').values);
    const deployed = find(model, 'service_last_deploy_timestamp_seconds').values[n];
    expect(find(wall, 'service_last_deploy_timestamp_seconds').values[n]).toBe(Math.round(end - (end - deployed) / 20));
  });
});

describe('compressSeasonal', () => {
  it('divides the durations of a day or more that the pack left real, and nothing else', () => {
    const yaml = [
      'expr: avg_over_time(cascade:x[1m30s] offset 6d23h45m)',
      'expr: avg_over_time(cascade:x[1d] offset 1w1h) / avg_over_time(cascade:x[1d:15s])',
      'for: 15s',
    ].join('\n');
    expect(compressSeasonal(yaml, 20)).toBe(
      [
        'expr: avg_over_time(cascade:x[1m30s] offset 8h23m15s)',
        'expr: avg_over_time(cascade:x[1h12m] offset 8h27m) / avg_over_time(cascade:x[1h12m:15s])',
        'for: 15s',
      ].join('\n')
    );
  });

  it('leaves no week in the demo\u2019s compressed pack: three weeks ago is 25.2 wall hours ago', () => {
    const rules = stackRules({ timeScale: 20, rulesFile: PACK_RULES });
    expect(rules).not.toMatch(/(\[|offset )(\d+[a-z]+)*\d+w/);
    expect(rules).toContain('offset 8h23m15s');
    expect(rules).toContain('offset 1d1h11m15s');
  });
});

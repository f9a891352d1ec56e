import { DataFrame, FieldType, toDataFrame } from '@grafana/data';
import { grafanaAnnotations, grafanaFrames } from '../__fixtures__/grafanaFrames';
import {
  ANNOTATIONS,
  deployStep,
  drainedThenFlat,
  FROM,
  HOSTILE_LAG_MATCHER,
  hostileLegends,
  lagClimb,
  MINUTE,
  NOW,
  one,
  ordinaryDay,
  STEP,
  STEP_DEPLOY_AT,
  surge,
} from '../__fixtures__/grafanaScenarios';
import { DEFAULT_OPTIONS } from '../defaults';
import { buildCascadeModel, CascadeModel } from './cascade';
import { linearFit } from './stats';

/**
 * The panel on frames as Grafana 12's Prometheus data source delivers them (one frame per series, `Time` +
 * `Value`, labels, legends as `displayNameFromDS`, refIds A, B, C..., an empty frame per query without data,
 * NaN through the JSON entities) with the field config of a panel just added to a dashboard.
 */

function model(series: DataFrame[], annotations?: DataFrame[], options: unknown = DEFAULT_OPTIONS): CascadeModel {
  return buildCascadeModel({ series, annotations, timeRange: { from: FROM, to: NOW } }, options);
}

const reasons = (m: CascadeModel) => m.status.reasons.map((r) => r.text);

describe('the fixture is what Grafana delivers', () => {
  it('one frame per series, Time + Value, refIds A, B, C..., an empty frame for an empty query, default thresholds', () => {
    const frames = grafanaFrames(ordinaryDay(), { from: FROM, stepMs: STEP });
    expect(frames.map((f) => f.refId)).toEqual(['A', 'B', 'C', 'D', 'D', 'E', 'E', 'E', 'F', 'F', 'F', 'G']);
    expect(frames[0].fields.map((f) => f.name)).toEqual(['Time', 'Value']);
    expect(frames[3].fields[1].config.displayNameFromDS).toBe('db-replica-1');
    expect(frames[11].fields).toEqual([]);
    expect(frames[2].fields[1].config.thresholds?.steps.map((s) => [s.value, s.color])).toEqual([
      [-Infinity, 'green'],
      [80, 'red'],
    ]);
  });
});

describe('Grafana\u2019s default thresholds', () => {
  it('are not a backlog limit: an ordinary day is Operational', () => {
    const m = model(grafanaFrames(ordinaryDay(), { from: FROM, stepMs: STEP }));
    expect(m.lanes.database!.limits.backlog).toBeNull();
    expect(m.status.word).toBe('Operational');
    expect(reasons(m)).toEqual([]);
  });

  it('thresholds a user set are the limit', () => {
    const fieldConfig = {
      defaults: {
        thresholds: {
          mode: 'absolute',
          steps: [
            { color: 'green', value: null },
            { color: 'red', value: 100 },
          ],
        },
      },
      overrides: [],
    } as never;
    const m = model(grafanaFrames(ordinaryDay(), { from: FROM, stepMs: STEP, fieldConfig }));
    expect(m.lanes.database!.limits.backlog).toBe(100);
    expect(reasons(m)).toContain('write backlog above its limit (113)');
  });
});

describe('several healthy and desired series (per zone)', () => {
  it('are drawn as their sum, so the minimum-healthy line is on the axis of what is drawn', () => {
    const m = model(grafanaFrames(ordinaryDay(), { from: FROM, stepMs: STEP }));
    const lane = m.lanes.instances!;
    const drawn = [...lane.healthy, ...lane.desired];
    expect(drawn).toHaveLength(2);
    expect(Array.from(lane.healthy[0].values).every((v) => v === 12)).toBe(true);
    expect(Array.from(lane.desired[0].values).every((v) => v === 12)).toBe(true);
    const top = Math.max(...drawn.flatMap((s) => Array.from(s.values)));
    expect(lane.minimum.map((s) => s.value)).toEqual([9]);
    expect(lane.minimum.every((s) => s.value <= top)).toBe(true);
  });
});

describe('deploy impact under rate smoothing', () => {
  it('reads a +64% step as +64% ten minutes after the deploy, and degrades the status', () => {
    const m = model(grafanaFrames(deployStep(), { from: FROM, stepMs: STEP }));
    expect(m.deploys.map((d) => [d.time, d.label])).toEqual([[STEP_DEPLOY_AT, 'registry v42']]);
    expect(m.deployImpact!.change).toBeGreaterThan(0.6);
    expect(m.deployImpact!.change).toBeLessThan(0.68);
    expect(reasons(m)).toContain('+64% req/s since deploy 10 min ago');
  });
});

describe('forecasts agree with the curve the lane draws', () => {
  /** Least squares through the lane's drawn points of the last `minutes`, as a person would lay a ruler. */
  function ruler(time: ArrayLike<number>, drawn: ArrayLike<number>, minutes: number) {
    const from = Array.from(time).findIndex((t) => t >= NOW - minutes * MINUTE);
    const fit = linearFit(time, drawn, from, time.length)!;
    return { slope: fit.slope, atNow: fit.intercept + fit.slope * (NOW - fit.xMean) };
  }

  it('a lag that reaches 5 min within a minute is called critical within a minute', () => {
    const queries = ordinaryDay({ lag: lagClimb() });
    const m = model(grafanaFrames(queries, { from: FROM, stepMs: STEP }));
    const db = m.lanes.database!;
    const worst = db.lag.find((s) => s.emphasis)!;
    const line = ruler(db.time, worst.values, 3);
    const lineEta = (300 - line.atNow) / line.slope;
    expect(lineEta).toBeLessThan(MINUTE);
    const lag = db.forecasts.find((f) => f.role === 'lag')!;
    expect(lag.text).toMatch(/^lag critical in ~\d+ s$/);
    expect(Math.abs(lag.forecast.etaMs - lineEta)).toBeLessThan(15_000);
  });

  it('a backlog that stopped draining gets no drain time', () => {
    const queries = ordinaryDay({ backlog: drainedThenFlat() });
    // The limit the project's dashboards set (the panel option), far above this backlog.
    const options = { ...DEFAULT_OPTIONS, database: { ...DEFAULT_OPTIONS.database, backlogLimit: 50_000 } };
    const m = model(grafanaFrames(queries, { from: FROM, stepMs: STEP }), undefined, options);
    const db = m.lanes.database!;
    const line = ruler(db.time, db.backlog[0].values, 3);
    // The ruler through the last minutes is flat: it would take days to drain.
    expect(line.atNow / -line.slope > 24 * 60 * MINUTE || line.slope >= 0).toBe(true);
    expect(db.forecasts.map((f) => f.text)).toEqual([]);
  });
});

describe('the notes', () => {
  it('say how many values were null, NaN, "NaN" text or infinite', () => {
    const queries = ordinaryDay({
      errors: {
        expr: 'cascade:http_errors:ratio_rate5m{service="registry"}',
        series: [
          one({ __name__: 'cascade:http_errors:ratio_rate5m', service: 'registry' }, (m) =>
            // 0/0 at night is NaN; a division by zero traffic is +Inf.
            m >= 100 && m < 103 ? NaN : m === 50 ? Infinity : 0.002
          ),
        ],
      },
    });
    const prometheus = grafanaFrames(queries, { from: FROM, stepMs: STEP });
    // A JSON API data source next to Prometheus: numbers as text, some null, some "NaN".
    const json = toDataFrame({
      refId: 'H',
      fields: [
        { name: 'time', type: FieldType.time, values: [NOW - 2 * MINUTE, NOW - MINUTE, NOW] },
        { name: 'utilization', type: FieldType.string, values: ['0.4', null, 'NaN'] },
      ],
    });
    const notes = model([...prometheus, json]).notices;
    expect(notes).toContainEqual(
      expect.stringMatching(/cascade:http_errors:ratio_rate5m.*: 12 NaN, 1 infinite value\(s\) shown as gaps$/)
    );
    expect(notes).toContain('utilization: 1 null, 1 "NaN" text value(s) shown as gaps');
  });
});

describe('annotations', () => {
  const { deploy, alert, note } = ANNOTATIONS;
  const surging = () => ordinaryDay({ traffic: surge() });

  it('only deploy-tagged ones are deploys; notes and alert states are kept as annotations', () => {
    const frames = grafanaFrames(surging(), { from: FROM, stepMs: STEP });
    const m = model(frames, grafanaAnnotations([deploy, note, alert]));
    expect(m.deploys.map((d) => [d.time, d.label])).toEqual([[deploy.time, 'Deploy v42']]);
    expect(m.annotations.map((a) => [a.time, a.kind, a.label])).toEqual([
      [alert.time, 'alert', 'Alerting: CascadeReplicaLag'],
      [note.time, 'note', 'Investigating slow uploads'],
    ]);
  });

  it('never change the status', () => {
    const frames = grafanaFrames(surging(), { from: FROM, stepMs: STEP });
    const without = model(frames);
    const withAnnotations = model(frames, grafanaAnnotations([note, alert]));
    expect(without.status.word).toBe('Degraded performance');
    expect(withAnnotations.status).toEqual(without.status);
  });
});

describe('a /regex/ role matcher that would backtrack without end', () => {
  function countTests(source: string, run: () => void): number {
    const exec = jest.spyOn(RegExp.prototype, 'exec');
    try {
      run();
      return exec.mock.contexts.filter((re) => (re as RegExp).source === source).length;
    } finally {
      exec.mockRestore();
    }
  }

  it('is refused with a note in the header, never run, and the role still works by name', () => {
    const frames = grafanaFrames(ordinaryDay({ lag: hostileLegends() }), { from: FROM, stepMs: STEP });
    const options = {
      ...DEFAULT_OPTIONS,
      roles: { ...DEFAULT_OPTIONS.roles, lag: HOSTILE_LAG_MATCHER },
    };
    let m: CascadeModel | undefined;
    expect(countTests('(a+)+$', () => (m = model(frames, undefined, options)))).toBe(0);
    expect(m!.notices).toContain(
      'Replica lag role: /(a+)+$/ repeats a group that itself repeats, so it is not used (it could stall the panel)'
    );
    expect(m!.lanes.database!.lag).toHaveLength(3);
  });

  it('a safe regex tests each distinct name once per data change', () => {
    // 60 series no role wants (node_load1 per instance) meet the matcher on every field's names.
    const queries = [
      ...ordinaryDay(),
      {
        expr: 'node_load1',
        legendFormat: '{{instance}}',
        series: Array.from({ length: 60 }, (_, k) => one({ __name__: 'node_load1', instance: `node-${k}` }, () => 1)),
      },
    ];
    const frames = grafanaFrames(queries, { from: FROM, stepMs: STEP });
    const options = { ...DEFAULT_OPTIONS, roles: { ...DEFAULT_OPTIONS.roles, healthy: '/^healthy-/' } };
    const distinct = new Set(
      frames.flatMap((f) => [
        f.refId,
        f.name,
        ...f.fields.flatMap((field) => [field.name, field.config.displayNameFromDS, field.labels?.__name__]),
      ])
    );
    const tests = countTests('^healthy-', () => model(frames, undefined, options));
    expect(tests).toBeGreaterThan(0);
    expect(tests).toBeLessThanOrEqual(distinct.size + frames.length);
    expect(tests).toBeLessThan(2 * 60);
  });
});

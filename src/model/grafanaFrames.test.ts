import { DataFrame, FieldType, toDataFrame } from '@grafana/data';
import {
  grafanaAnnotations,
  grafanaFrames,
  PromQuerySpec,
  PromSeriesSpec,
  stepTimes,
} from '../__fixtures__/grafanaFrames';
import { noise } from '../__fixtures__/frames';
import { DEFAULT_OPTIONS } from '../defaults';
import { buildCascadeModel, CascadeModel } from './cascade';
import { linearFit } from './stats';

/**
 * The panel on frames as Grafana 12's Prometheus data source delivers them (one frame per series, `Time` +
 * `Value`, labels, legends as `displayNameFromDS`, refIds A, B, C..., an empty frame per query without data,
 * NaN through the JSON entities) with the field config of a panel just added to a dashboard.
 */

const MINUTE = 60_000;
const STEP = 15_000;
const FROM = Date.parse('2026-11-02T10:00:00Z');
/** Two hours of 15 s steps. */
const POINTS = 481;
const TIMES = stepTimes(FROM, STEP, POINTS);
const NOW = TIMES[POINTS - 1];
const minutesBeforeNow = (i: number) => (NOW - TIMES[i]) / MINUTE;

function values(fn: (minutesAgo: number, i: number) => number | null): Array<number | null> {
  return TIMES.map((_, i) => fn(minutesBeforeNow(i), i));
}

const one = (labels: Record<string, string>, fn: (minutesAgo: number, i: number) => number | null): PromSeriesSpec => ({
  labels,
  values: values(fn),
});

const ZONES = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

/** An ordinary day on the dashboard: every signal well inside its limits; no deploy in range (query G is empty). */
function ordinaryDay(overrides: Partial<Record<'traffic' | 'backlog' | 'lag' | 'errors', PromQuerySpec>> = {}) {
  const queries: PromQuerySpec[] = [
    overrides.traffic ?? {
      expr: 'cascade:http_requests:rate5m{service="registry"}',
      series: [one({ __name__: 'cascade:http_requests:rate5m', service: 'registry' }, (_, i) => 1000 + noise(i, 20))],
    },
    overrides.errors ?? {
      expr: 'cascade:http_errors:ratio_rate5m{service="registry"}',
      series: [
        one({ __name__: 'cascade:http_errors:ratio_rate5m', service: 'registry' }, (_, i) => 0.002 + noise(i, 0.001)),
      ],
    },
    overrides.backlog ?? {
      expr: 'db_write_backlog{cluster="main"}',
      series: [one({ __name__: 'db_write_backlog', cluster: 'main' }, (m, i) => (m === 0 ? 113 : 105 + noise(i, 10)))],
    },
    overrides.lag ?? {
      expr: 'db_replication_lag_seconds{cluster="main"}',
      legendFormat: '{{instance}}',
      series: ['db-replica-1', 'db-replica-2'].map((instance) =>
        one({ __name__: 'db_replication_lag_seconds', cluster: 'main', instance }, (_, i) => 1.5 + noise(i, 0.5))
      ),
    },
    {
      expr: 'instances_healthy{service="registry"}',
      legendFormat: '{{zone}}',
      series: ZONES.map((zone) => one({ __name__: 'instances_healthy', service: 'registry', zone }, () => 4)),
    },
    {
      expr: 'instances_desired{service="registry"}',
      legendFormat: '{{zone}}',
      series: ZONES.map((zone) => one({ __name__: 'instances_desired', service: 'registry', zone }, () => 4)),
    },
    { expr: 'service_last_deploy_timestamp_seconds{service="registry"}', legendFormat: '{{version}}', series: [] },
  ];
  return queries;
}

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
  /** `rate(http_requests_total[5m])` of a counter whose rate steps from 100/s to 164/s at the deploy. */
  function smoothedStep(deployAt: number) {
    const rateAt = (t: number) => (t < deployAt ? 100 : 164);
    // The counter's increase over (t - 5m, t], per second: a step becomes a 5-minute ramp.
    const counter = (t: number) => {
      const before = Math.min(t, deployAt) - FROM;
      const after = Math.max(0, t - deployAt);
      return (before * rateAt(FROM) + after * rateAt(deployAt)) / 1000;
    };
    return (i: number) => (counter(TIMES[i]) - counter(TIMES[i] - 5 * MINUTE)) / 300;
  }

  it('reads a +64% step as +64% ten minutes after the deploy, and degrades the status', () => {
    const deployAt = NOW - 10 * MINUTE;
    const rate = smoothedStep(deployAt);
    const queries = ordinaryDay({
      traffic: {
        expr: 'sum(rate(http_requests_total{service="registry"}[5m]))',
        legendFormat: 'traffic',
        series: [one({}, (_, i) => rate(i) * (1 + noise(i, 0.01)))],
      },
    });
    queries[6] = {
      expr: 'service_last_deploy_timestamp_seconds{service="registry"}',
      legendFormat: '{{version}}',
      series: [
        one({ __name__: 'service_last_deploy_timestamp_seconds', service: 'registry', version: 'v41' }, (m) =>
          m > 10 ? Date.parse('2026-11-01T09:00:00Z') / 1000 : null
        ),
        one({ __name__: 'service_last_deploy_timestamp_seconds', service: 'registry', version: 'v42' }, (m) =>
          m <= 10 ? deployAt / 1000 : null
        ),
      ],
    };
    const m = model(grafanaFrames(queries, { from: FROM, stepMs: STEP }));
    expect(m.deploys.map((d) => [d.time, d.label])).toEqual([[deployAt, 'registry v42']]);
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
    const queries = ordinaryDay({
      lag: {
        expr: 'db_replication_lag_seconds{cluster="main"}',
        legendFormat: '{{instance}}',
        series: [
          one({ __name__: 'db_replication_lag_seconds', cluster: 'main', instance: 'db-replica-1' }, (m) =>
            m > 5 ? 2 : 2 + (278 * (5 - m)) / 5
          ),
          one({ __name__: 'db_replication_lag_seconds', cluster: 'main', instance: 'db-replica-2' }, () => 2),
        ],
      },
    });
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
    const queries = ordinaryDay({
      backlog: {
        expr: 'db_write_backlog{cluster="main"}',
        series: [
          // 16,000 twenty minutes ago, drained to 12,000 five minutes ago, flat since.
          one({ __name__: 'db_write_backlog', cluster: 'main' }, (m, i) =>
            m > 5 ? 12_000 + (4000 * Math.min(15, m - 5)) / 15 + noise(i, 30) : 12_000 + noise(i, 30)
          ),
        ],
      },
    });
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
  const deploy = {
    time: NOW - 90 * MINUTE,
    title: 'Deploy v42',
    text: '',
    // A Prometheus annotation query gives its events no tags; the query itself carries the deploy tag.
    query: { name: 'Deploys', tags: ['deploy'] },
  };
  const alert = { time: NOW - 20 * MINUTE, text: 'CascadeReplicaLag', newState: 'Alerting', alertId: 12 };
  const note = { time: NOW - 10 * MINUTE, text: '<p>Investigating slow uploads</p>', tags: ['incident'] };

  /** Traffic 80% up from 8 minutes ago: after the note, which is no deploy. */
  function surge() {
    return ordinaryDay({
      traffic: {
        expr: 'cascade:http_requests:rate5m{service="registry"}',
        series: [
          one(
            { __name__: 'cascade:http_requests:rate5m', service: 'registry' },
            (m, i) => (m < 8 ? 1800 : 1000) + noise(i, 20)
          ),
        ],
      },
    });
  }

  it('only deploy-tagged ones are deploys; notes and alert states are kept as annotations', () => {
    const frames = grafanaFrames(surge(), { from: FROM, stepMs: STEP });
    const m = model(frames, grafanaAnnotations([deploy, note, alert]));
    expect(m.deploys.map((d) => [d.time, d.label])).toEqual([[deploy.time, 'Deploy v42']]);
    expect(m.annotations.map((a) => [a.time, a.kind, a.label])).toEqual([
      [alert.time, 'alert', 'Alerting: CascadeReplicaLag'],
      [note.time, 'note', 'Investigating slow uploads'],
    ]);
  });

  it('never change the status', () => {
    const frames = grafanaFrames(surge(), { from: FROM, stepMs: STEP });
    const without = model(frames);
    const withAnnotations = model(frames, grafanaAnnotations([note, alert]));
    expect(without.status.word).toBe('Degraded performance');
    expect(withAnnotations.status).toEqual(without.status);
  });
});

describe('a /regex/ role matcher that would backtrack without end', () => {
  /** Legends of 17 to 25 characters that `/(a+)+$/` needs 4 ms to 716 ms each to reject. */
  function hostileLegends() {
    return ordinaryDay({
      lag: {
        expr: 'db_replication_lag_seconds{cluster="main"}',
        legendFormat: '{{instance}}',
        series: [17, 19, 21].map((n) =>
          one({ __name__: 'db_replication_lag_seconds', cluster: 'main', instance: `${'a'.repeat(n - 1)}!` }, () => 2)
        ),
      },
    });
  }

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
    const frames = grafanaFrames(hostileLegends(), { from: FROM, stepMs: STEP });
    const options = {
      ...DEFAULT_OPTIONS,
      roles: { ...DEFAULT_OPTIONS.roles, lag: '/(a+)+$/, db_replication_lag_seconds' },
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

import { FieldType } from '@grafana/data';
import { cloudsmithAt, cloudsmithTimeline, MINUTE, promFrame, timesBetween } from '../__fixtures__/frames';
import { buildCascadeModel } from './cascade';

const OPTIONS = { database: { backlogLimit: 150_000 } };

function statusAt(hhmm: string) {
  const now = cloudsmithAt(hhmm);
  return buildCascadeModel(
    { series: cloudsmithTimeline(now), timeRange: { from: now - 6 * 3600_000, to: now } },
    OPTIONS
  ).status;
}

describe('the first report replayed minute by minute', () => {
  // Status-page words over time, as the report's own status page would have had them had it known.
  const firstMinuteOf = (() => {
    const seen = new Map<string, number>();
    for (let t = cloudsmithAt('20:30'); t <= cloudsmithAt('23:30'); t += MINUTE) {
      const hhmm = new Date(t).toISOString().slice(11, 16);
      const word = statusAt(hhmm).word;
      if (!seen.has(word)) {
        seen.set(word, t);
      }
    }
    return seen;
  })();
  const minutesAfter = (word: string, hhmm: string) => (firstMinuteOf.get(word)! - cloudsmithAt(hhmm)) / MINUTE;

  it('is Operational before the surge', () => {
    expect(firstMinuteOf.get('Operational')).toBe(cloudsmithAt('20:30'));
    expect(statusAt('21:00').word).toBe('Operational');
  });

  it('degrades within 10 minutes of the surge at 21:02, on the traffic stage', () => {
    expect(minutesAfter('Degraded performance', '21:02')).toBeGreaterThanOrEqual(0);
    expect(minutesAfter('Degraded performance', '21:02')).toBeLessThanOrEqual(10);
    expect(statusAt('21:12').activeStages).toContain('traffic');
  });

  it('sees the backlog stage well before the primary saturates at 21:49', () => {
    const s = statusAt('21:29');
    expect(s.activeStages).toEqual(expect.arrayContaining(['traffic', 'backlog']));
    expect(s.reasons.map((r) => r.text)).toContainEqual(expect.stringMatching(/^backlog limit in ~\d+ min$/));
  });

  it('reaches the replicas stage after the replicas fall behind at 21:54', () => {
    expect(statusAt('21:50').activeStages).not.toContain('replicas');
    expect(statusAt('22:05').activeStages).toContain('replicas');
  });

  it('is a partial outage once users get 504s (22:20), not before', () => {
    expect(minutesAfter('Partial outage', '22:20')).toBeGreaterThanOrEqual(0);
    expect(minutesAfter('Partial outage', '22:20')).toBeLessThanOrEqual(8);
  });

  it('is a major outage when the last instance goes (22:59)', () => {
    expect(minutesAfter('Major outage', '22:59')).toBeGreaterThanOrEqual(-5);
    expect(minutesAfter('Major outage', '22:59')).toBeLessThanOrEqual(1);
    const s = statusAt('23:05');
    expect(s.word).toBe('Major outage');
    expect(s.stageReached).toBe('instances');
    expect(s.reasons.map((r) => r.text)).toContain('no healthy instances (12 desired)');
  });
});

describe('buildCascadeModel', () => {
  const now = cloudsmithAt('21:35');
  const model = buildCascadeModel(
    { series: cloudsmithTimeline(now), timeRange: { from: now - 3 * 3600_000, to: now } },
    OPTIONS
  );

  it('builds the three lanes on their own shared axes', () => {
    const { traffic, database, instances } = model.lanes;
    expect(traffic!.series).toHaveLength(1);
    expect(traffic!.band!.source).toBe('computed');
    expect(traffic!.anomalies[traffic!.anomalies.length - 1].direction).toBe('high');
    expect(database!.lag).toHaveLength(2);
    expect(database!.backlog[0].values.length).toBe(database!.time.length);
    expect(instances!.minimum![0]).toBe(9);
  });

  it('forecasts the backlog to its limit and extends the axis to show it', () => {
    const backlog = model.lanes.database!.forecasts.find((f) => f.role === 'backlog')!;
    expect(backlog.forecast.kind).toBe('crossing');
    expect(backlog.text).toMatch(/^backlog limit in ~\d+ min$/);
    expect(model.range.end).toBeGreaterThan(model.range.to);
  });

  it('emphasises the replica furthest behind and the primary', () => {
    const later = buildCascadeModel({ series: cloudsmithTimeline(cloudsmithAt('22:10')) }, OPTIONS);
    const lag = later.lanes.database!.lag;
    expect(lag.filter((s) => s.emphasis).map((s) => s.label)).toEqual([
      lag.find((s) => s.label.includes('db-replica-1'))!.label,
    ]);
    expect(later.lanes.database!.utilization[0].emphasis).toBe(true);
  });

  it('uses the query baseline when there is one', () => {
    const times = timesBetween(0, 60 * MINUTE, 15_000);
    const frames = [
      promFrame(
        'cascade:http_requests:rate5m',
        { service: 's' },
        times,
        times.map((_, i) => (i > 200 ? 500 : 100))
      ),
      promFrame(
        'cascade:http_requests:baseline_rate5m',
        { service: 's' },
        times,
        times.map(() => 100)
      ),
      promFrame(
        'cascade:http_requests:baseline_upper',
        { service: 's' },
        times,
        times.map(() => 150)
      ),
      promFrame(
        'cascade:http_requests:baseline_lower',
        { service: 's' },
        times,
        times.map(() => 50)
      ),
    ];
    const m = buildCascadeModel({ series: frames }, {});
    expect(m.lanes.traffic!.band!.source).toBe('query');
    expect(m.lanes.traffic!.band!.upper[0]).toBe(150);
    expect(m.lanes.traffic!.anomalies).toHaveLength(1);
    expect(m.status.reasons[0].text).toBe('traffic 5.0x its baseline');
    expect(buildCascadeModel({ series: frames }, { traffic: { bandMode: 'off' } }).lanes.traffic!.band).toBeNull();
  });

  it('sums several traffic series into a total and keeps each one', () => {
    const times = timesBetween(0, 30 * MINUTE, 15_000);
    const frames = ['download', 'api'].map((route) =>
      promFrame(
        undefined,
        { route },
        times,
        times.map(() => (route === 'api' ? 10 : 90)),
        'traffic'
      )
    );
    const lane = buildCascadeModel({ series: frames }, {}).lanes.traffic!;
    expect(lane.series.map((s) => s.label)).toEqual(['Total', 'Traffic download', 'Traffic api']);
    expect(lane.series[0].values[5]).toBe(100);
  });

  it('reports the traffic change since the latest deploy (the second report)', () => {
    const t0 = Date.parse('2023-07-20T12:00:00Z');
    const times = timesBetween(t0, t0 + 24 * MINUTE, 15_000);
    const deployed = t0 + 17 * MINUTE;
    const m = buildCascadeModel(
      {
        series: [
          promFrame(
            'cascade:http_requests:rate5m',
            { service: 'crates' },
            times,
            times.map((t) => (t >= deployed ? 4300 : 1200))
          ),
          promFrame(
            'service_last_deploy_timestamp_seconds',
            { service: 'crates', version: 'v2' },
            times,
            times.map((t) => (t >= deployed ? deployed : t0 - 3600_000) / 1000)
          ),
        ],
        annotations: [
          {
            length: 1,
            fields: [
              { name: 'time', type: FieldType.time, config: {}, values: [deployed + 10_000] },
              { name: 'text', type: FieldType.string, config: {}, values: ['Deploy'] },
            ],
          },
        ],
      },
      {}
    );
    expect(m.deploys).toHaveLength(1);
    expect(m.deploys[0].label).toBe('crates v2');
    expect(m.deployImpact!.agoMs).toBe(7 * MINUTE);
    expect(m.status.word).toBe('Degraded performance');
    expect(m.status.reasons.map((r) => r.text)).toContain('3.6x req/s since deploy 7 min ago');
  });

  it('says what it looks for when nothing is usable', () => {
    const m = buildCascadeModel({ series: [promFrame('node_load1', {}, [1, 2], [1, 2])] }, {});
    expect(m.missing).toContain('node_load1');
    expect(m.missing).toContain('traffic (cascade:http_requests:rate5m, traffic)');
    expect(m.status.word).toBe('Operational');
    expect(buildCascadeModel({ series: [] }, {}).missing).toContain('The query returned no data frames.');
  });

  it('notes a missing traffic role when other lanes have data', () => {
    const m = buildCascadeModel({ series: [promFrame('db_write_backlog', {}, [1, 2, 3], [1, 2, 3])] }, {});
    expect(m.missing).toBeNull();
    expect(m.lanes.traffic).toBeNull();
    expect(m.notices).toContain('No traffic series (cascade:http_requests:rate5m, traffic)');
  });
});

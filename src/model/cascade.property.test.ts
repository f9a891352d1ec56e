import fc from 'fast-check';
import { messyOptions, messySeries } from '../__fixtures__/arbitraries';
import { promFrame, timesBetween } from '../__fixtures__/frames';
import { buildCascadeModel, CascadeModel } from './cascade';
import { STATUS_WORDS } from './status';

function checkInvariants(model: CascadeModel) {
  expect(STATUS_WORDS).toContain(model.status.word);
  expect(Number.isFinite(model.range.from) && Number.isFinite(model.range.end)).toBe(true);
  expect(model.range.end).toBeGreaterThanOrEqual(model.range.to);
  for (const lane of Object.values(model.lanes)) {
    if (!lane) {
      continue;
    }
    for (let i = 1; i < lane.time.length; i++) {
      expect(lane.time[i]).toBeGreaterThan(lane.time[i - 1]);
    }
  }
  const { traffic, database, instances } = model.lanes;
  for (const s of [
    ...(traffic?.series ?? []),
    ...(database ? [...database.backlog, ...database.lag, ...database.utilization] : []),
    ...(instances ? [...instances.healthy, ...instances.desired] : []),
  ]) {
    const laneTime = traffic?.series.includes(s)
      ? traffic.time
      : database && [...database.backlog, ...database.lag, ...database.utilization].includes(s)
        ? database.time
        : instances!.time;
    expect(s.values.length).toBe(laneTime.length);
  }
  // Either there is something to draw, or a message that says what is missing.
  if (!traffic && !database && !instances) {
    expect(model.missing ?? model.notices.join('')).not.toBe('');
  }
  if (model.missing) {
    expect(model.missing).toMatch(/looks for/);
  }
}

describe('the model on malformed input', () => {
  it('never throws, keeps its invariants and explains what is missing', () => {
    fc.assert(
      fc.property(messySeries, messyOptions, (series, options) => {
        checkInvariants(buildCascadeModel({ series, annotations: series }, options));
      }),
      { numRuns: 300 }
    );
  });

  it('handles hundreds of series', () => {
    const times = timesBetween(1_600_000_000_000, 1_600_000_000_000 + 6 * 3600_000, 60_000);
    const frames = Array.from({ length: 400 }, (_, i) =>
      promFrame(
        ['db_replication_lag_seconds', 'cascade:http_requests:rate5m', 'instances_healthy', 'node_load1'][i % 4],
        { instance: `n${i}` },
        times,
        times.map((_, k) => (k * (i + 1)) % 97)
      )
    );
    const model = buildCascadeModel({ series: frames }, {});
    checkInvariants(model);
    expect(model.lanes.database!.lag).toHaveLength(100);
    expect(model.lanes.traffic!.series).toHaveLength(101);
  });

  it('handles one point, and huge values', () => {
    checkInvariants(buildCascadeModel({ series: [promFrame('db_write_backlog', {}, [1_600_000_000_000], [5])] }, {}));
    const times = timesBetween(0, 3600_000, 15_000);
    const model = buildCascadeModel(
      {
        series: [
          promFrame(
            'cascade:http_requests:rate5m',
            {},
            times,
            times.map((_, i) => (i % 2 ? 1e300 : 1e-300))
          ),
        ],
      },
      {}
    );
    checkInvariants(model);
  });
});

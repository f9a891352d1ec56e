/**
 * @jest-environment jsdom
 */
import { dateTime, DataFrameType, DataTopic, FieldType } from '@grafana/data';

import {
  annotationsFrame,
  goDurationString,
  legendDisplayName,
  metricString,
  promQueryRequest,
  promRangeFrames,
  queryLog,
} from './promFrames';

const query = { refId: 'G', expr: 'db_replication_lag_seconds{cluster="main"}', stepMs: 15_000 };
const lag = (instance: string, values: Array<number | null>) => ({
  labels: { __name__: 'db_replication_lag_seconds', cluster: 'main', instance },
  times: values.map((_, i) => 1_000_000 + i * 15_000),
  values,
});

describe('promRangeFrames', () => {
  test('returns one frame per series: a Time field with the step, a value field named after the series', () => {
    const frames = promRangeFrames({ ...query, legendFormat: '{{instance}}' }, [
      lag('replica-1', [1, 2]),
      lag('replica-2', [3, 4]),
    ]);
    expect(frames).toHaveLength(2);
    const [first] = frames;
    expect(first.refId).toBe('G');
    expect(first.length).toBe(2);
    expect(first.fields.map((f) => [f.name, f.type])).toEqual([
      ['Time', FieldType.time],
      ['db_replication_lag_seconds', FieldType.number],
    ]);
    expect(first.fields[0].config).toEqual({ interval: 15_000 });
    expect(first.fields[0].values).toEqual([1_000_000, 1_015_000]);
    expect(first.fields[1].labels).toEqual({
      __name__: 'db_replication_lag_seconds',
      cluster: 'main',
      instance: 'replica-1',
    });
    expect(first.fields[1].config.displayNameFromDS).toBe('replica-1');
    expect(first.meta).toMatchObject({
      type: DataFrameType.TimeSeriesMulti,
      typeVersion: [0, 1],
      custom: { resultType: 'matrix' },
    });
  });

  test('puts the executed query on the first frame only, as promlib does', () => {
    const frames = promRangeFrames(query, [lag('replica-1', [1]), lag('replica-2', [2])]);
    expect(frames[0].meta?.executedQueryString).toBe(`Expr: ${query.expr}\nStep: 15s`);
    expect(frames[1].meta?.executedQueryString).toBeUndefined();
  });

  test('names the value field `Value` when the query aggregated the name away', () => {
    const [frame] = promRangeFrames({ refId: 'A', expr: 'sum(rate(x[5m]))', stepMs: 60_000 }, [
      { labels: {}, times: [0], values: [1] },
    ]);
    expect(frame.fields[1].name).toBe('Value');
    expect(frame.fields[1].config.displayNameFromDS).toBe('sum(rate(x[5m]))');
  });

  test('turns missing samples into gaps in time, and keeps NaN', () => {
    const [frame] = promRangeFrames(query, [lag('replica-1', [1, null, NaN, 4])]);
    expect(frame.fields[0].values).toEqual([1_000_000, 1_030_000, 1_045_000]);
    expect(frame.fields[1].values).toEqual([1, NaN, 4]);
  });

  test('returns one empty frame for an empty result', () => {
    const frames = promRangeFrames(query, []);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatchObject({ refId: 'G', length: 0, fields: [] });
  });

  test('refuses series whose times and values do not line up', () => {
    expect(() => promRangeFrames(query, [{ labels: { __name__: 'x' }, times: [1, 2], values: [1] }])).toThrow(
      'Series x of query G: 2 times but 1 values.'
    );
  });

  test('does not share the caller’s label object', () => {
    const series = lag('replica-1', [1]);
    const [frame] = promRangeFrames(query, [series]);
    frame.fields[1].labels!.instance = 'changed';
    expect(series.labels.instance).toBe('replica-1');
  });
});

describe('legendDisplayName (promlib getName)', () => {
  const labels = { __name__: 'instances_healthy', service: 'api' };

  test('__auto with labels sets no name: Grafana names the series from its labels', () => {
    expect(legendDisplayName('__auto', labels, 'instances_healthy')).toBeUndefined();
  });

  test('__auto without labels falls back to the expression', () => {
    expect(legendDisplayName('__auto', {}, 'vector(1)')).toBe('vector(1)');
  });

  test('a template renders labels, unknown ones as empty', () => {
    expect(legendDisplayName('{{service}} / {{ missing }}!', labels, 'x')).toBe('api / !');
  });

  test('an empty legend is the verbose series name', () => {
    expect(legendDisplayName('', labels, 'x')).toBe('instances_healthy{service="api"}');
  });
});

test('metricString prints labels sorted, the name first', () => {
  expect(metricString({ b: '2', __name__: 'm', a: '1' })).toBe('m{a="1", b="2"}');
  expect(metricString({ __name__: 'm' })).toBe('m');
  expect(metricString({})).toBe('{}');
});

test('goDurationString matches Go’s Duration.String()', () => {
  expect([0, 500, 15_000, 60_000, 90_000, 3_600_000, 5_400_500].map(goDurationString)).toEqual([
    '0s',
    '500ms',
    '15s',
    '1m0s',
    '1m30s',
    '1h0m0s',
    '1h30m0.5s',
  ]);
  expect(() => goDurationString(-1)).toThrow('Expected a duration in ms >= 0, got -1.');
});

describe('annotationsFrame', () => {
  test('has one row per event, in time order, with the AnnotationEvent fields', () => {
    const frame = annotationsFrame([
      { time: 2000, title: 'Deploy b', text: 'b', tags: ['deploy'] },
      { time: 1000, timeEnd: 1500, title: 'Deploy a', text: 'a', tags: ['deploy', 'api'], color: 'red' },
    ]);
    expect(frame.meta?.dataTopic).toBe(DataTopic.Annotations);
    expect(frame.length).toBe(2);
    const column = (name: string) => frame.fields.find((f) => f.name === name)?.values;
    expect(column('time')).toEqual([1000, 2000]);
    expect(column('timeEnd')).toEqual([1500, 2000]);
    expect(column('title')).toEqual(['Deploy a', 'Deploy b']);
    expect(column('tags')).toEqual([['deploy', 'api'], ['deploy']]);
    expect(column('isRegion')).toEqual([true, false]);
    expect(column('color')?.[0]).toBe('red');
  });
});

test('queryLog and promQueryRequest give data.request the queries in the order the dashboard ran them', () => {
  const { queries, query } = queryLog(60_000);
  const a = query('A', 'up');
  query('B', 'db_replication_lag_seconds', '{{instance}}');
  expect(a).toEqual({ refId: 'A', expr: 'up', legendFormat: '__auto', stepMs: 60_000 });
  const range = { from: dateTime(0), to: dateTime(3_600_000), raw: { from: 'now-1h', to: 'now' } };
  const request = promQueryRequest(queries, range, 60_000);
  expect(request).toMatchObject({ interval: '60s', intervalMs: 60_000, timezone: 'utc', range, rangeRaw: range.raw });
  expect(request.targets).toEqual([
    expect.objectContaining({ refId: 'A', expr: 'up', legendFormat: '__auto', range: true, instant: false }),
    expect.objectContaining({
      refId: 'B',
      legendFormat: '{{instance}}',
      datasource: { type: 'prometheus', uid: 'sandbox-prometheus' },
    }),
  ]);
});

/**
 * @jest-environment jsdom
 */
import { DataFrame, Field, FieldType, LoadingState } from '@grafana/data';

import { RECORDED, SIGNALS } from '../../contract/signals';
import { allCases, loadCase, sourceOf } from '.';
import { BACKLOG_LIMIT, CASE_NAMES, PANEL_CASES, REF } from './catalog';
import { GRAFANA_CASE_NAMES } from './grafana';
import { buildSyntheticCase, syntheticSource } from './synthetic';
import { SandboxCase, UnknownCaseError } from './types';

const MINUTE = 60_000;
const CONTRACT_NAMES: readonly string[] = [...Object.values(SIGNALS).map((s) => s.name), ...Object.values(RECORDED)];

const cache = new Map<string, SandboxCase>();
function get(name: string): SandboxCase {
  if (!cache.has(name)) {
    cache.set(name, buildSyntheticCase(name));
  }
  return cache.get(name)!;
}

const timeOf = (frame: DataFrame) => frame.fields.find((f) => f.type === FieldType.time) as Field<number>;
const valueOf = (frame: DataFrame) => frame.fields.find((f) => f.type === FieldType.number) as Field<number>;
const framesOf = (c: SandboxCase, refId: string) => c.data.series.filter((f) => f.refId === refId);
/** Values of a one-series query, by time. */
function series(c: SandboxCase, refId: string): { times: number[]; values: number[] } {
  const frames = framesOf(c, refId);
  expect(frames).toHaveLength(1);
  return { times: timeOf(frames[0]).values, values: valueOf(frames[0]).values };
}
const last = <T>(xs: readonly T[]) => xs[xs.length - 1];
/** Least-squares slope per minute of the points within `minutes` of the end. */
function slopePerMinute({ times, values }: { times: number[]; values: number[] }, minutes: number): number {
  const start = last(times) - minutes * MINUTE;
  const pts = times.map((t, i) => [t / MINUTE, values[i]] as const).filter(([t]) => t * MINUTE >= start);
  const mx = pts.reduce((s, [x]) => s + x, 0) / pts.length;
  const my = pts.reduce((s, [, y]) => s + y, 0) / pts.length;
  return pts.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / pts.reduce((s, [x]) => s + (x - mx) ** 2, 0);
}

describe('every synthetic case', () => {
  test.each(CASE_NAMES)('%s is panel data as Grafana delivers it', (name) => {
    const c = get(name);
    expect(c.name).toBe(name);
    expect(c.title).not.toBe('');
    expect(c.data.state).toBe(LoadingState.Done);
    expect(c.data.series.length).toBeGreaterThan(0);
    expect(c.data.timeRange.to.valueOf()).toBeGreaterThan(c.data.timeRange.from.valueOf());
    // data.request names the queries behind the frames, as the query runner leaves it.
    const targets = c.data.request?.targets ?? [];
    expect(targets.every((t) => t.datasource?.type === 'prometheus')).toBe(true);
    expect(c.data.request?.range).toBe(c.data.timeRange);
    for (const frame of c.data.series) {
      expect(targets.map((t) => t.refId)).toContain(frame.refId);
      for (const field of frame.fields) {
        expect(field.values).toHaveLength(frame.length);
      }
    }
  });

  test.each(PANEL_CASES.filter((n) => n !== 'nothing-usable'))(
    '%s names every series by the signal contract',
    (name) => {
      const names = get(name).data.series.map((f) => valueOf(f).labels?.__name__);
      expect(names.filter((n) => !CONTRACT_NAMES.includes(n ?? ''))).toEqual([]);
      expect(new Set(names)).toEqual(
        new Set([
          RECORDED.requestRate,
          RECORDED.errorRatio,
          SIGNALS.writeBacklog.name,
          SIGNALS.replicaLag.name,
          SIGNALS.dbUtilization.name,
          SIGNALS.healthyInstances.name,
          SIGNALS.desiredInstances.name,
          SIGNALS.lastDeploy.name,
          ...(name === 'deploy-retry-storm'
            ? []
            : [RECORDED.baselineRate, RECORDED.baselineUpper, RECORDED.baselineLower]),
        ])
      );
    }
  );

  test.each(PANEL_CASES.filter((n) => n !== 'nothing-usable'))(
    '%s spans 6-24 h of 15 s or 60 s steps, sorted, unique and aligned',
    (name) => {
      const c = get(name);
      for (const frame of c.data.series) {
        const times = timeOf(frame).values;
        const step = timeOf(frame).config.interval!;
        expect([15_000, 60_000]).toContain(step);
        expect(times.every((t, i) => t % step === 0 && (i === 0 || t > times[i - 1]))).toBe(true);
      }
      const hours = (c.data.timeRange.to.valueOf() - c.data.timeRange.from.valueOf()) / 3_600_000;
      expect(hours).toBeGreaterThanOrEqual(6);
      expect(hours).toBeLessThanOrEqual(24);
    }
  );

  test('are deterministic: building one twice gives the same frames', () => {
    const values = (c: SandboxCase) => c.data.series.map((f) => f.fields.map((x) => x.values));
    expect(values(buildSyntheticCase('zero-healthy'))).toEqual(values(get('zero-healthy')));
  });

  test('have 2-3 replicas with lag legends and a primary among the utilisation series', () => {
    const c = get('zero-healthy');
    const lagNames = framesOf(c, REF.lag).map((f) => valueOf(f).config.displayNameFromDS);
    expect(lagNames).toEqual(['replica-1', 'replica-2', 'replica-3']);
    const roles = framesOf(c, REF.utilization).map((f) => valueOf(f).labels?.role);
    expect(roles).toEqual(['primary', 'replica', 'replica', 'replica']);
  });

  test('carry the dashboard’s backlog limit as a threshold on the backlog query', () => {
    const override = get('backlog-limit').fieldConfig?.overrides.find((o) => o.matcher.options === REF.backlog);
    const thresholds = override?.properties.find((p) => p.id === 'thresholds')?.value as {
      steps: Array<{ value: number }>;
    };
    expect(last(thresholds.steps).value).toBe(BACKLOG_LIMIT);
  });
});

describe('what each case is about', () => {
  test('ordinary-day: traffic stays inside its band all day, every instance healthy at the end, errors low', () => {
    const c = get('ordinary-day');
    const rate = series(c, REF.rate).values;
    const upper = series(c, REF.upper).values;
    const lower = series(c, REF.lower).values;
    expect(rate.every((r, i) => r <= upper[i] && r >= lower[i])).toBe(true);
    expect(last(series(c, REF.healthy).values)).toBe(last(series(c, REF.desired).values));
    expect(Math.max(...series(c, REF.errors).values)).toBeLessThan(0.005);
    expect(Math.max(...series(c, REF.backlog).values)).toBeLessThan(BACKLOG_LIMIT / 4);
    expect(series(c, REF.healthy).times).toHaveLength(24 * 60 + 1);
  });

  test('ordinary-day: a routine deploy, marked by an annotation, with no effect on traffic', () => {
    const c = get('ordinary-day');
    const deploys = framesOf(c, REF.deploy).map((f) => valueOf(f).labels?.version);
    expect(deploys).toEqual(['2025.03.10-2', '2025.03.11-1']);
    expect(c.data.annotations?.[0].length).toBe(1);
  });

  test('traffic-surge: the last ten minutes climb out of the band; the hours before stay inside it', () => {
    const c = get('traffic-surge');
    const { times, values } = series(c, REF.rate);
    const upper = series(c, REF.upper).values;
    const end = last(times);
    const before = times.map((t, i) => [t, i] as const).filter(([t]) => t < end - 12 * MINUTE);
    expect(before.every(([, i]) => values[i] <= upper[i])).toBe(true);
    expect(last(values)).toBeGreaterThan(1.4 * last(upper));
    expect(slopePerMinute(series(c, REF.rate), 8)).toBeGreaterThan(0);
    expect(last(series(c, REF.healthy).values)).toBe(12);
  });

  test('backlog-limit: below its limit, growing fast enough to reach it in about a quarter of an hour', () => {
    const c = get('backlog-limit');
    const backlog = series(c, REF.backlog);
    const slope = slopePerMinute(backlog, 10);
    const eta = (BACKLOG_LIMIT - last(backlog.values)) / slope;
    expect(last(backlog.values)).toBeLessThan(BACKLOG_LIMIT);
    expect(eta).toBeGreaterThan(10);
    expect(eta).toBeLessThan(20);
    expect(last(series(c, REF.healthy).values)).toBe(12);
    // The primary is busy but not yet saturated (that comes at 21:49): the backlog is the story.
    const primary = framesOf(c, REF.utilization).find((f) => valueOf(f).labels?.role === 'primary')!;
    expect(last(valueOf(primary).values)).toBeLessThan(0.9);
    expect(c.options).toEqual({ database: { backlogLimit: BACKLOG_LIMIT } });
  });

  test('zero-healthy: no healthy instance for the last ten minutes while twelve are desired', () => {
    const c = get('zero-healthy');
    const healthy = series(c, REF.healthy);
    const recent = healthy.values.filter((_, i) => healthy.times[i] >= last(healthy.times) - 10 * MINUTE);
    expect(recent.every((v) => v === 0)).toBe(true);
    expect(last(series(c, REF.desired).values)).toBe(12);
    // Nothing is served, so the error ratio is 0/0: Prometheus answers NaN.
    expect(Number.isNaN(last(series(c, REF.errors).values))).toBe(true);
  });

  test('deploy-retry-storm: no baseline; request rate up by half after the 12:17 deploy, errors flat', () => {
    const c = get('deploy-retry-storm');
    for (const ref of [REF.baseline, REF.upper, REF.lower]) {
      expect(framesOf(c, ref)).toHaveLength(0);
    }
    const deployAt = Date.UTC(2023, 6, 20, 12, 17);
    const rate = series(c, REF.rate);
    const mean = (from: number, to: number) => {
      const xs = rate.values.filter((_, i) => rate.times[i] >= from && rate.times[i] < to);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    expect(mean(deployAt + 4 * MINUTE, deployAt + 10 * MINUTE)).toBeGreaterThan(
      1.5 * mean(deployAt - 30 * MINUTE, deployAt)
    );
    const errors = series(c, REF.errors).values;
    expect(Math.max(...errors)).toBeLessThan(0.01);
    const annotations = c.data.annotations![0];
    expect(annotations.fields.find((f) => f.name === 'time')?.values).toEqual([deployAt]);
    const versions = framesOf(c, REF.deploy).map((f) => [valueOf(f).labels?.version, last(valueOf(f).values)]);
    expect(versions).toEqual([
      ['2023.07.18-0902', Date.UTC(2023, 6, 18, 9, 2) / 1000],
      ['2023.07.20-1217', deployAt / 1000],
    ]);
  });

  test('nothing-usable: frames arrive, yet none pairs a time field with a number', () => {
    const c = get('nothing-usable');
    expect(c.data.series.length).toBeGreaterThanOrEqual(4);
    const usable = c.data.series.filter((frame) => {
      const time = frame.fields.find((f) => f.type === FieldType.time);
      const numbers = frame.fields.filter((f) => f.type === FieldType.number);
      return time && numbers.some((f) => f.values.some((v) => typeof v === 'number' && Number.isFinite(v)));
    });
    expect(usable).toEqual([]);
    const traffic = framesOf(c, REF.rate)[0];
    expect(valueOf(traffic).name).toBe(RECORDED.requestRate);
    expect(valueOf(traffic).values.some((v) => v === null)).toBe(true);
  });

  test('bench-100k: 3 lanes worth of 7 series, 100k points each', () => {
    const c = get('bench-100k');
    expect(c.data.series).toHaveLength(7);
    expect(c.data.series.every((f) => f.length === 100_000)).toBe(true);
  });
});

describe('the case sources', () => {
  test('list every synthetic case with a description', () => {
    expect(syntheticSource.list().map((c) => c.name)).toEqual([...CASE_NAMES]);
    expect(syntheticSource.list().every((c) => c.description.length > 20)).toBe(true);
    expect(allCases().map((c) => c.name)).toEqual([...CASE_NAMES, ...GRAFANA_CASE_NAMES]);
    expect(sourceOf('zero-healthy')?.id).toBe('synthetic');
  });

  test('load a case by name and name the known ones for an unknown name', async () => {
    await expect(loadCase('ordinary-day')).resolves.toMatchObject({ name: 'ordinary-day' });
    const unknown = loadCase('tuesday');
    await expect(unknown).rejects.toBeInstanceOf(UnknownCaseError);
    await expect(unknown).rejects.toThrow('Unknown case "tuesday". Known cases: ordinary-day, traffic-surge,');
    expect(() => buildSyntheticCase('tuesday')).toThrow(UnknownCaseError);
  });

  test('look a case up in the first source that lists it, so another source can sit beside the synthetic one', async () => {
    const live = {
      id: 'live',
      list: () => [{ name: 'live-now', title: 'Live', description: 'From a local Prometheus.' }],
      load: jest.fn(async () => get('ordinary-day')),
    };
    const sources = [syntheticSource, live];
    expect(sourceOf('live-now', sources)).toBe(live);
    await loadCase('live-now', sources);
    expect(live.load).toHaveBeenCalledWith('live-now');
  });
});

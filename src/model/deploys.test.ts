import { FieldType } from '@grafana/data';
import { MINUTE, promFrame, timesBetween } from '../__fixtures__/frames';
import { DEFAULT_OPTIONS } from '../defaults';
import { deployImpact, deploysFromAnnotations, deploysFromSeries, mergeDeploys } from './deploys';
import { extractSignals } from './frames';
import { readSeries } from './series';

const T0 = Date.parse('2023-07-20T12:00:00Z');

function annotations(rows: Array<{ time: unknown; text?: string; tags?: string[] }>) {
  return [
    {
      length: rows.length,
      fields: [
        { name: 'time', type: FieldType.time, config: {}, values: rows.map((r) => r.time) },
        { name: 'text', type: FieldType.string, config: {}, values: rows.map((r) => r.text) },
        { name: 'tags', type: FieldType.other, config: {}, values: rows.map((r) => r.tags) },
      ],
    },
  ];
}

describe('deploy markers', () => {
  it('reads every annotation as a marker in "all" mode, as plain text', () => {
    const markers = deploysFromAnnotations(annotations([{ time: T0, text: '<b>Deploy</b> v2' }, { time: 'bad' }]), {
      ...DEFAULT_OPTIONS.deploys,
      annotations: 'all',
    });
    expect(markers).toEqual([{ time: T0, label: 'Deploy v2', source: 'annotation' }]);
  });

  it('keeps only tagged annotations when asked, none when off', () => {
    const rows = [
      { time: T0, text: 'deploy', tags: ['deploy'] },
      { time: T0 + MINUTE, text: 'note', tags: ['other'] },
    ];
    expect(
      deploysFromAnnotations(annotations(rows), { ...DEFAULT_OPTIONS.deploys, annotations: 'tagged' })
    ).toHaveLength(1);
    expect(deploysFromAnnotations(annotations(rows), { ...DEFAULT_OPTIONS.deploys, annotations: 'none' })).toEqual([]);
    expect(deploysFromAnnotations('nonsense', DEFAULT_OPTIONS.deploys)).toEqual([]);
    expect(deploysFromAnnotations([{ fields: 'x' }, null], DEFAULT_OPTIONS.deploys)).toEqual([]);
  });

  it('reads every change of the deploy-time gauge as a deploy at that time', () => {
    const times = timesBetween(T0, T0 + 30 * MINUTE, MINUTE);
    const deployAt = (t: number) =>
      t < T0 + 17 * MINUTE ? T0 - 86_400_000 : t < T0 + 30 * MINUTE ? T0 + 17 * MINUTE : T0 + 30 * MINUTE;
    const frame = promFrame(
      'service_last_deploy_timestamp_seconds',
      { service: 'crates', version: 'v2' },
      times,
      times.map((t) => deployAt(t) / 1000)
    );
    const { byRole } = extractSignals([frame], DEFAULT_OPTIONS.roles);
    const markers = deploysFromSeries(byRole.deploy, T0, T0 + 30 * MINUTE);
    // the deploy of the day before is outside the range
    expect(markers.map((m) => (m.time - T0) / MINUTE)).toEqual([17, 30]);
    expect(markers[0].label).toBe('crates v2');
  });

  it('merges markers of the same deploy, preferring the series label', () => {
    const merged = mergeDeploys([
      { time: T0 + 20_000, label: 'v2', source: 'series' },
      { time: T0, label: 'Deploy', source: 'annotation' },
      { time: T0 + 10 * MINUTE, label: 'later', source: 'annotation' },
    ]);
    expect(merged).toEqual([
      { time: T0, label: 'v2', source: 'series' },
      { time: T0 + 10 * MINUTE, label: 'later', source: 'annotation' },
    ]);
  });
});

describe('deployImpact', () => {
  const times = timesBetween(T0, T0 + 30 * MINUTE, 15_000);
  // the second report: 1200 req/s, x3.6 from 12:17 (clients retrying the broken download route)
  const traffic = readSeries(
    times,
    times.map((t) => (t >= T0 + 17 * MINUTE ? 4320 : 1200))
  ).series;
  const deploy = { time: T0 + 17 * MINUTE, label: 'v2', source: 'series' as const };

  it('compares the rate since the deploy with the rate before it', () => {
    const impact = deployImpact(traffic, deploy, T0 + 24 * MINUTE, 10 * MINUTE)!;
    expect(impact.before).toBe(1200);
    expect(impact.after).toBe(4320);
    expect(impact.change).toBeCloseTo(2.6, 6);
    expect(impact.agoMs).toBe(7 * MINUTE);
  });

  it('has nothing to say about a future deploy or one without traffic before it', () => {
    expect(deployImpact(traffic, deploy, T0 + 10 * MINUTE, 10 * MINUTE)).toBeNull();
    expect(deployImpact(traffic, { ...deploy, time: T0 }, T0 + 10 * MINUTE, 10 * MINUTE)).toBeNull();
  });
});

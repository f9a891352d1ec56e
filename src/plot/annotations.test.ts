import { DataFrame, FieldType } from '@grafana/data';
import { cloudsmithAt, cloudsmithTimeline } from '../__fixtures__/frames';
import { buildCascadeModel } from '../model/cascade';
import { annotationsAt, panelAnnotations } from './annotations';

/** An annotations frame as Grafana hands it to a panel (`data.annotations`). */
function annotationFrame(rows: Array<Record<string, unknown>>): DataFrame {
  const names = ['time', 'timeEnd', 'title', 'text', 'tags', 'newState', 'color'];
  return {
    length: rows.length,
    fields: names.map((name) => ({
      name,
      type: name.startsWith('time') ? FieldType.time : FieldType.other,
      config: {},
      values: rows.map((r) => r[name]),
    })),
  };
}

const now = cloudsmithAt('21:30');
const [t1, t2, t3] = [cloudsmithAt('20:00'), cloudsmithAt('20:30'), cloudsmithAt('21:00')];
const frames = [
  annotationFrame([
    { time: t1, timeEnd: t1, text: 'v2.3.1', tags: ['deploy'] },
    { time: t2, timeEnd: t2, text: '<b>Failover</b> drill', tags: ['ops'], color: '#ff0000' },
    { time: t3, timeEnd: t3 + 15 * 60_000, title: 'CascadeReplicaLagHigh', newState: 'alerting', tags: [] },
  ]),
];
const model = buildCascadeModel(
  { series: cloudsmithTimeline(now), annotations: frames, timeRange: { from: now - 3 * 3600_000, to: now } },
  {}
);

describe('panelAnnotations', () => {
  it('draws the annotations that are not deploys (by default: not deploy-tagged), notes and alert states', () => {
    const list = panelAnnotations(model);
    expect(list.map((a) => [a.time, a.kind])).toEqual([
      [t2, 'note'],
      [t3, 'alert'],
    ]);
    expect(list[0].label).toBe('Failover drill');
    expect(list[1].label).toMatch(/alerting: CascadeReplicaLagHigh/i);
    expect(model.deploys.map((d) => d.time)).toEqual([t1]);
  });

  it('finds those at a hovered time: near a point, inside a region', () => {
    const list = panelAnnotations(model);
    expect(annotationsAt(list, t2 + 30_000, 60_000).map((a) => a.kind)).toEqual(['note']);
    expect(annotationsAt(list, t3 + 10 * 60_000, 60_000).map((a) => a.kind)).toEqual(['alert']);
    expect(annotationsAt(list, t2 + 10 * 60_000, 60_000)).toEqual([]);
  });
});

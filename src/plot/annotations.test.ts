import { DataFrame, FieldType } from '@grafana/data';
import { DEFAULT_OPTIONS } from '../defaults';
import { CascadeModel } from '../model/cascade';
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

const frames = [
  annotationFrame([
    { time: 1000, timeEnd: 1000, text: 'v2.3.1', tags: ['deploy'] },
    { time: 2000, timeEnd: 2000, text: '<b>Failover</b> drill', tags: ['ops'], color: '#ff0000' },
    { time: 3000, timeEnd: 9000, title: 'CascadeReplicaLagHigh', newState: 'alerting', tags: [] },
  ]),
];
const model = {} as CascadeModel;
const tagged = { ...DEFAULT_OPTIONS, deploys: { ...DEFAULT_OPTIONS.deploys, annotations: 'tagged' as const } };

describe('panelAnnotations', () => {
  it('keeps the annotations that are not deploys, as notes and alert state changes, in plain text', () => {
    expect(panelAnnotations(model, frames, tagged)).toEqual([
      { time: 2000, timeEnd: 2000, kind: 'note', label: 'Failover drill', color: '#ff0000' },
      { time: 3000, timeEnd: 9000, kind: 'alert', label: 'alerting: CascadeReplicaLagHigh', color: undefined },
    ]);
  });

  it('has none while every annotation counts as a deploy, and all of them when none does', () => {
    const as = (annotations: 'all' | 'none') => ({ ...tagged, deploys: { ...tagged.deploys, annotations } });
    expect(panelAnnotations(model, frames, as('all'))).toEqual([]);
    expect(panelAnnotations(model, frames, as('none'))).toHaveLength(3);
  });

  it('takes the model\u2019s list when the model has one', () => {
    const listed = { annotations: [{ time: 5, timeEnd: 5, kind: 'note', label: 'from the model' }] };
    expect(panelAnnotations(listed as unknown as CascadeModel, frames, tagged)).toEqual(listed.annotations);
  });

  it('finds those at a hovered time: near a point, inside a region', () => {
    const list = panelAnnotations(model, frames, tagged);
    expect(annotationsAt(list, 2050, 100).map((a) => a.kind)).toEqual(['note']);
    expect(annotationsAt(list, 6000, 100).map((a) => a.kind)).toEqual(['alert']);
    expect(annotationsAt(list, 2500, 100)).toEqual([]);
  });
});

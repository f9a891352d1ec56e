/**
 * @jest-environment jsdom
 */
import { FieldType, toDataFrame } from '@grafana/data';
import { replaceVariables } from './interpolate';

describe('replaceVariables', () => {
  it('resolves data links\u2019 data macros from the __dataContext Grafana\u2019s link supplier passes', () => {
    const frame = toDataFrame({
      name: 'A',
      fields: [
        { name: 'Time', type: FieldType.time, values: [1000, 2000] },
        { name: 'Value', type: FieldType.number, values: [150, 152], labels: { cluster: 'main' } },
      ],
    });
    const scoped = { __dataContext: { value: { data: [frame], frame, field: frame.fields[1], rowIndex: 1 } } };
    expect(
      replaceVariables(
        'https://x/explore?v=${__value.raw}&t=${__value.time}&f=${__field.name}&c=${__field.labels.cluster}&s=${__series.name}',
        scoped
      )
    ).toBe('https://x/explore?v=152&t=2000&f=Value&c=main&s=A');
  });

  it('reads plain scoped variables, and leaves what it does not know as written', () => {
    expect(replaceVariables('${service}', { service: { text: 'api', value: 'api' } })).toBe('api');
    expect(replaceVariables('${cluster} ${__value.raw}', {})).toBe('${cluster} ${__value.raw}');
    expect(replaceVariables('plain')).toBe('plain');
  });
});

/**
 * @jest-environment jsdom
 */
import {
  createTheme,
  FieldType,
  PanelPlugin,
  ThresholdsMode,
  toDataFrame,
  LoadingState,
  dateTime,
} from '@grafana/data';

import {
  applyFieldConfig,
  collectOptionDefaults,
  mergeOptions,
  optionItemsOf,
  resolveFieldConfig,
  resolveOptions,
} from './panelOptions';
import { initHostRegistries } from './registries';

beforeAll(() => initHostRegistries());

/** A plugin declaring options the way the Cascade panel will: flat, dotted and nested groups. */
function pluginWithOptions() {
  return new PanelPlugin(() => null)
    .setPanelOptions((builder) => {
      builder
        .addTextInput({ path: 'title', name: 'Title', defaultValue: 'Cascade' })
        .addNumberInput({ path: 'forecast.horizonMinutes', name: 'Horizon', defaultValue: 60 })
        .addBooleanSwitch({ path: 'forecast.show', name: 'Show', defaultValue: true })
        .addSelect({ path: 'mode', name: 'Mode', settings: { options: [] } })
        .addNestedOptions({
          path: 'roles',
          build: (nested) => {
            nested.addTextInput({ path: 'traffic', name: 'Traffic', defaultValue: 'cascade:http_requests:rate5m' });
            nested.addTextInput({ path: 'backlog', name: 'Backlog', defaultValue: 'db_write_backlog' });
          },
        });
    })
    .useFieldConfig({ standardOptions: { unit: { defaultValue: 'short' } } });
}

describe('collectOptionDefaults', () => {
  test('nests defaults by their dotted path', () => {
    expect(
      collectOptionDefaults([
        { path: 'a', defaultValue: 1 },
        { path: 'b.c', defaultValue: 'x' },
        { path: 'b.d.e', defaultValue: false },
      ])
    ).toEqual({ a: 1, b: { c: 'x', d: { e: false } } });
  });

  test('skips items without a default or with null, keeps falsy defaults', () => {
    expect(
      collectOptionDefaults([
        { path: 'none' },
        { path: 'nil', defaultValue: null },
        { path: 'zero', defaultValue: 0 },
        { path: 'empty', defaultValue: '' },
      ])
    ).toEqual({ zero: 0, empty: '' });
  });

  test('merges a nested group default with later items under the same path', () => {
    expect(
      collectOptionDefaults([
        { path: 'roles', defaultValue: { traffic: 'a' } },
        { path: 'roles.backlog', defaultValue: 'b' },
      ])
    ).toEqual({ roles: { traffic: 'a', backlog: 'b' } });
  });

  test('names both paths when a value sits where an object is needed', () => {
    expect(() =>
      collectOptionDefaults([
        { path: 'lanes', defaultValue: 3 },
        { path: 'lanes.traffic', defaultValue: true },
      ])
    ).toThrow('Option defaults conflict: "lanes" defaults to 3, but "lanes.traffic" needs it to be an object.');
  });

  test('rejects malformed paths', () => {
    expect(() => collectOptionDefaults([{ path: 'a..b', defaultValue: 1 }])).toThrow('Option path "a..b" is malformed');
    expect(() => collectOptionDefaults([{ path: '', defaultValue: 1 }])).toThrow('Option path "" is malformed');
  });

  test('copies defaults, so the plugin builder’s objects are never shared with the panel', () => {
    const shared = { steps: [1, 2] };
    const result = collectOptionDefaults([{ path: 'thresholds', defaultValue: shared }]);
    (result.thresholds as { steps: number[] }).steps.push(3);
    expect(shared.steps).toEqual([1, 2]);
  });
});

describe('mergeOptions', () => {
  test('merges plain objects deeply, overrides winning', () => {
    expect(mergeOptions({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 4 }, e: 5 })).toEqual({ a: 1, b: { c: 2, d: 4 }, e: 5 });
  });

  test('replaces arrays rather than merging them, as Grafana does', () => {
    expect(mergeOptions({ list: [1, 2, 3] }, { list: [9] })).toEqual({ list: [9] });
  });

  test('leaves both inputs untouched', () => {
    const base = { b: { c: 2 } };
    const overrides = { b: { d: 4 } };
    mergeOptions(base, overrides);
    expect(base).toEqual({ b: { c: 2 } });
    expect(overrides).toEqual({ b: { d: 4 } });
  });
});

describe('options of a real PanelPlugin', () => {
  test('are what Grafana itself computes as the plugin defaults', () => {
    const plugin = pluginWithOptions();
    const collected = collectOptionDefaults(optionItemsOf(plugin));
    expect(collected).toEqual({
      title: 'Cascade',
      forecast: { horizonMinutes: 60, show: true },
      roles: { traffic: 'cascade:http_requests:rate5m', backlog: 'db_write_backlog' },
    });
    expect(collected).toEqual(plugin.defaults);
  });

  test('take the dashboard’s saved values over the defaults', () => {
    expect(resolveOptions(pluginWithOptions(), { forecast: { horizonMinutes: 30 }, mode: 'compact' })).toMatchObject({
      forecast: { horizonMinutes: 30, show: true },
      mode: 'compact',
      title: 'Cascade',
    });
  });

  test('come out as the bare defaults for a plugin without options', () => {
    expect(resolveOptions(new PanelPlugin(() => null))).toEqual({});
  });
});

describe('field config', () => {
  const saved = {
    defaults: {},
    overrides: [
      {
        matcher: { id: 'byFrameRefID', options: 'F' },
        properties: [
          { id: 'unit', value: 'reqps' },
          {
            id: 'thresholds',
            value: {
              mode: ThresholdsMode.Absolute,
              steps: [
                { value: -Infinity, color: 'green' },
                { value: 100, color: 'red' },
              ],
            },
          },
        ],
      },
    ],
  };

  test('merges the plugin’s standard defaults with the saved config', () => {
    const fieldConfig = resolveFieldConfig(pluginWithOptions(), saved);
    expect(fieldConfig.defaults.unit).toBe('short');
    expect(fieldConfig.defaults.thresholds?.steps.map((s) => s.value)).toEqual([-Infinity, 80]);
    expect(fieldConfig.overrides).toHaveLength(1);
  });

  test('is applied to the frames with the theme, so every field has a display processor', () => {
    const plugin = pluginWithOptions();
    const frames = ['A', 'F'].map((refId) =>
      toDataFrame({
        refId,
        fields: [
          { name: 'Time', type: FieldType.time, values: [1000, 2000] },
          { name: 'db_write_backlog', type: FieldType.number, values: [150, 50] },
        ],
      })
    );
    const data = {
      state: LoadingState.Done,
      series: frames,
      timeRange: { from: dateTime(1000), to: dateTime(2000), raw: { from: dateTime(1000), to: dateTime(2000) } },
    };
    const applied = applyFieldConfig(data, plugin, resolveFieldConfig(plugin, saved), createTheme(), (v) => v);
    const [a, f] = applied.series.map((frame) => frame.fields[1]);
    expect(a.config.unit).toBe('short');
    expect(f.config.unit).toBe('reqps');
    expect(f.display?.(150).suffix?.trim()).toBe('req/s');
    expect(f.display?.(150).color).not.toBe(f.display?.(50).color);
    expect(a.display).toBeDefined();
    expect(data.series[1].fields[1].config.unit).toBeUndefined();
  });
});

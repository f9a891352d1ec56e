/**
 * Options and field config as Grafana hands them to a panel: the plugin's option defaults (each
 * `defaultValue` its options builder declares, nested by `path`) under the dashboard's saved values,
 * field-config defaults under the dashboard's, then applyFieldOverrides over the frames so every
 * field has its `display` processor and final `config` before the panel sees it.
 */
import {
  applyFieldOverrides,
  FieldConfigSource,
  getPanelOptionsWithDefaults,
  GrafanaTheme2,
  InterpolateFunction,
  PanelData,
  PanelOptionsEditorBuilder,
  PanelPlugin,
} from '@grafana/data';

export type Options = Record<string, unknown>;

export interface OptionItem {
  readonly path: string;
  readonly defaultValue?: unknown;
}

/** Builds the options object from builder items; items without a default (or with null) are skipped. */
export function collectOptionDefaults(items: readonly OptionItem[]): Options {
  const result: Options = {};
  for (const item of items) {
    if (item.defaultValue === undefined || item.defaultValue === null) {
      continue;
    }
    setPath(result, item.path, cloneValue(item.defaultValue));
  }
  return result;
}

function setPath(target: Options, path: string, value: unknown): void {
  const segments = path.split('.');
  if (path === '' || segments.some((s) => s === '')) {
    throw new Error(`Option path "${path}" is malformed: expected dot-separated names such as "lanes.traffic.show".`);
  }
  let node: Options = target;
  segments.slice(0, -1).forEach((segment, i) => {
    const existing = node[segment];
    if (existing === undefined) {
      node[segment] = {};
    } else if (!isPlainObject(existing)) {
      const parent = segments.slice(0, i + 1).join('.');
      throw new Error(
        `Option defaults conflict: "${parent}" defaults to ${JSON.stringify(existing)}, but "${path}" needs it to be an object.`
      );
    }
    node = node[segment] as Options;
  });
  const last = segments[segments.length - 1];
  const existing = node[last];
  node[last] = isPlainObject(existing) && isPlainObject(value) ? mergeOptions(existing, value) : value;
}

/** The items the plugin's options builder declares (nested option groups arrive as one item with an object default). */
export function optionItemsOf(plugin: PanelPlugin): OptionItem[] {
  const builder = new PanelOptionsEditorBuilder();
  plugin.getPanelOptionsSupplier()(builder, { data: [] });
  return builder.getItems();
}

/**
 * Deep merge of plain objects, `overrides` winning; arrays and every other value replace rather
 * than merge (as Grafana merges saved options over defaults). Neither input is modified.
 */
export function mergeOptions(base: Options, overrides: Options): Options {
  const result: Options = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = result[key];
    result[key] = isPlainObject(current) && isPlainObject(value) ? mergeOptions(current, value) : cloneValue(value);
  }
  return result;
}

/** The options the panel receives: plugin defaults under the case's (dashboard's) values. */
export function resolveOptions(plugin: PanelPlugin, overrides: Options = {}): Options {
  return mergeOptions(collectOptionDefaults(optionItemsOf(plugin)), overrides);
}

/** Field config the panel receives: Grafana's own merge of the plugin's defaults and the saved config. */
export function resolveFieldConfig(plugin: PanelPlugin, saved?: FieldConfigSource): FieldConfigSource {
  return getPanelOptionsWithDefaults({
    plugin,
    currentOptions: {},
    currentFieldConfig: saved ?? { defaults: {}, overrides: [] },
    isAfterPluginChange: false,
  }).fieldConfig;
}

/** What Grafana's query runner does before a panel sees data: field overrides applied with the theme. */
export function applyFieldConfig(
  data: PanelData,
  plugin: PanelPlugin,
  fieldConfig: FieldConfigSource,
  theme: GrafanaTheme2,
  replaceVariables: InterpolateFunction
): PanelData {
  const series = applyFieldOverrides({
    data: data.series,
    fieldConfig,
    fieldConfigRegistry: plugin.fieldConfigRegistry,
    replaceVariables,
    theme,
    timeZone: 'utc',
  });
  return { ...data, series };
}

function isPlainObject(value: unknown): value is Options {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

/** Copies arrays and plain objects so defaults shared by the plugin's builder are never mutated. */
function cloneValue<T>(value: T): T {
  if (Array.isArray(value)) {
    return value.map(cloneValue) as T;
  }
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneValue(v)])) as T;
  }
  return value;
}

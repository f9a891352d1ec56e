/**
 * A small typed builder for Grafana dashboard JSON (schema of Grafana 12's classic dashboards), just what the
 * project's dashboards use: panels on a 24-column grid placed row by row, Prometheus targets against the
 * dashboard's data-source variable, template variables, annotations and links. The types name every field
 * the dashboards write, so a misspelt option is a type error rather than a panel Grafana silently ignores.
 * (Why not @grafana/grafana-foundation-sdk: README.md, "Dashboards".)
 */

export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;
export type DataSourceRef = { type: string; uid: string };

export interface Target {
  refId: string;
  expr: string;
  legendFormat?: string;
  /** Instant query (stats, tables). */
  instant?: boolean;
}

export interface ThresholdStep {
  color: string;
  value: number | null;
}

export interface Thresholds {
  mode: 'absolute' | 'percentage';
  steps: ThresholdStep[];
}

/** Field options of the time series panel's `custom` block that the dashboards set. */
export interface GraphFieldCustom {
  drawStyle?: 'line' | 'bars' | 'points';
  lineInterpolation?: 'linear' | 'smooth' | 'stepBefore' | 'stepAfter';
  lineWidth?: number;
  fillOpacity?: number;
  showPoints?: 'auto' | 'never' | 'always';
  spanNulls?: boolean;
  thresholdsStyle?: { mode: 'off' | 'line' | 'dashed' | 'area' | 'line+area' | 'dashed+area' };
}

export interface FieldDefaults {
  unit?: string;
  min?: number;
  max?: number;
  decimals?: number;
  thresholds?: Thresholds;
  custom?: GraphFieldCustom;
}

export interface Override {
  matcher: { id: 'byName' | 'byRegexp'; options: string };
  properties: Array<{ id: string; value: unknown }>;
}

export interface FieldConfig {
  defaults: FieldDefaults;
  overrides: Override[];
}

interface PanelBase {
  title: string;
  description?: string;
  /** Grid width (of 24) and height in grid units; the layout places it. */
  w: number;
  h: number;
}

export interface TimeseriesPanel extends PanelBase {
  type: 'timeseries';
  targets: Target[];
  options: {
    legend: {
      displayMode: 'list' | 'table' | 'hidden';
      placement: 'bottom' | 'right';
      showLegend: boolean;
      calcs: string[];
    };
    tooltip: { mode: 'single' | 'multi' | 'none'; sort: 'none' | 'asc' | 'desc' };
  };
  fieldConfig: FieldConfig;
}

export interface StatPanel extends PanelBase {
  type: 'stat';
  targets: Target[];
  options: {
    reduceOptions: { calcs: string[]; fields: string; values: boolean };
    colorMode: 'value' | 'background' | 'none';
    graphMode: 'area' | 'none';
    textMode: 'auto' | 'value' | 'value_and_name' | 'name' | 'none';
  };
  fieldConfig: FieldConfig;
}

/** Grafana's alert list panel, showing a Prometheus data source's rules (not Grafana-managed ones). */
export interface AlertListPanel extends PanelBase {
  type: 'alertlist';
  options: {
    viewMode: 'list' | 'stat';
    groupMode: 'default' | 'custom';
    groupBy: string[];
    maxItems: number;
    sortOrder: number;
    dashboardAlerts: boolean;
    alertName: string;
    alertInstanceLabelFilter: string;
    datasource: string;
    folder: null;
    showInstances: boolean;
    stateFilter: Record<'firing' | 'pending' | 'noData' | 'normal' | 'error' | 'recovering', boolean>;
  };
}

/** A panel of a plugin type: its options are the plugin's own (typed by the caller). */
export interface PluginPanel<Options> extends PanelBase {
  type: string;
  targets: Target[];
  options: Options;
  fieldConfig: FieldConfig;
}

export interface RowPanel extends PanelBase {
  type: 'row';
}

export type Panel = TimeseriesPanel | StatPanel | AlertListPanel | RowPanel | PluginPanel<object>;

export interface DatasourceVariable {
  type: 'datasource';
  name: string;
  label: string;
  query: 'prometheus';
  current: { text: string; value: string } | Record<string, never>;
  hide: 0 | 1 | 2;
  refresh: 1 | 2;
}

export interface QueryVariable {
  type: 'query';
  name: string;
  label: string;
  datasource: DataSourceRef;
  query: { qryType: 1; query: string; refId: string };
  definition: string;
  /** 2: on time range change (services come and go). */
  refresh: 1 | 2;
  sort: number;
  includeAll: boolean;
  multi: boolean;
  current: Record<string, never>;
  hide: 0 | 1 | 2;
}

export type Variable = DatasourceVariable | QueryVariable;

export interface BuiltInAnnotation {
  builtIn: 1;
  datasource: { type: 'grafana'; uid: '-- Grafana --' };
  enable: boolean;
  hide: boolean;
  iconColor: string;
  name: string;
  type: 'dashboard';
}

export interface PromAnnotation {
  name: string;
  datasource: DataSourceRef;
  enable: boolean;
  iconColor: string;
  expr: string;
  step: string;
  titleFormat: string;
  textFormat: string;
  tagKeys: string;
  useValueForTime: boolean;
  tags: string[];
}

export interface DashboardLink {
  title: string;
  type: 'link';
  url: string;
  icon: 'dashboard' | 'external link' | 'info' | 'doc';
  targetBlank: boolean;
  tooltip: string;
}

export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  panels: Panel[];
  variables: Variable[];
  annotations: PromAnnotation[];
  links: DashboardLink[];
  time?: { from: string; to: string };
  refresh?: string;
}

export function target(refId: string, expr: string, legendFormat = '__auto', instant = false): Target {
  return { refId, expr, legendFormat, ...(instant ? { instant: true } : {}) };
}

/** A time series panel with Grafana's usual look: lines, no points, a table legend with the last value. */
export function timeseries(
  title: string,
  description: string,
  w: number,
  h: number,
  targets: Target[],
  defaults: FieldDefaults = {},
  overrides: Override[] = []
): TimeseriesPanel {
  return {
    type: 'timeseries',
    title,
    description,
    w,
    h,
    targets,
    options: {
      legend: { displayMode: 'list', placement: 'bottom', showLegend: true, calcs: ['lastNotNull', 'max'] },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
    fieldConfig: {
      defaults: {
        ...defaults,
        custom: {
          drawStyle: 'line',
          lineWidth: 1,
          fillOpacity: 0,
          showPoints: 'never',
          spanNulls: false,
          ...defaults.custom,
        },
      },
      overrides,
    },
  };
}

export function stat(
  title: string,
  description: string,
  w: number,
  h: number,
  targets: Target[],
  defaults: FieldDefaults = {}
): StatPanel {
  return {
    type: 'stat',
    title,
    description,
    w,
    h,
    targets,
    options: {
      reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
      colorMode: 'background',
      graphMode: 'area',
      textMode: 'value_and_name',
    },
    fieldConfig: { defaults, overrides: [] },
  };
}

export function row(title: string): RowPanel {
  return { type: 'row', title, w: 24, h: 1 };
}

/** Absolute thresholds: a base colour, then [value, colour] steps. */
export function thresholds(base: string, ...steps: Array<[number, string]>): Thresholds {
  return {
    mode: 'absolute',
    steps: [{ color: base, value: null }, ...steps.map(([value, color]) => ({ color, value }))],
  };
}

/** An override that puts the series matched by a regex on the right axis with its own unit. */
export function rightAxis(matcher: string, unit: string): Override {
  return {
    matcher: { id: 'byRegexp', options: matcher },
    properties: [
      { id: 'unit', value: unit },
      { id: 'custom.axisPlacement', value: 'right' },
    ],
  };
}

/** The data-source picker, preselecting `defaultUid` (the configuration's grafanaDatasourceUid). */
export function datasourceVariable(defaultUid: string): DatasourceVariable {
  return {
    type: 'datasource',
    name: 'datasource',
    label: 'Data source',
    query: 'prometheus',
    current: { text: defaultUid, value: defaultUid },
    hide: 0,
    refresh: 1,
  };
}

/** A query variable over a label's values in `selector`, refreshed with the time range (services come and go). */
export function labelVariable(name: string, label: string, selector: string, labelName = name): QueryVariable {
  const query = `label_values(${selector}, ${labelName})`;
  return {
    type: 'query',
    name,
    label,
    datasource: DATASOURCE,
    query: { qryType: 1, query, refId: 'PrometheusVariableQueryEditor-VariableQuery' },
    definition: query,
    refresh: 2,
    sort: 1,
    includeAll: false,
    multi: false,
    current: {},
    hide: 0,
  };
}

/** Grafana's own annotations (alerts and manual notes), which every dashboard carries. */
export function builtInAnnotations(): BuiltInAnnotation {
  return {
    builtIn: 1,
    datasource: { type: 'grafana', uid: '-- Grafana --' },
    enable: true,
    hide: true,
    iconColor: 'rgba(0, 211, 255, 1)',
    name: 'Annotations & Alerts',
    type: 'dashboard',
  };
}

/** A Prometheus annotation: an event where `expr` is non-zero, titled from the series' labels. */
export function promAnnotation(
  name: string,
  expr: string,
  titleFormat: string,
  iconColor: string,
  tags: string[]
): PromAnnotation {
  return {
    name,
    datasource: DATASOURCE,
    enable: true,
    iconColor,
    expr,
    step: '1m',
    titleFormat,
    textFormat: '',
    tagKeys: '',
    useValueForTime: false,
    tags,
  };
}

/** Place panels left to right, wrapping at 24 columns; a row starts a new line. */
function layout(panels: Panel[]): unknown[] {
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  return panels.map((p, i) => {
    if (p.type === 'row' || x + p.w > 24) {
      y += rowHeight;
      x = 0;
      rowHeight = 0;
    }
    const gridPos = { x, y, w: p.w, h: p.h };
    x += p.w;
    rowHeight = Math.max(rowHeight, p.h);
    if (p.type === 'row') {
      return { type: 'row', title: p.title, id: i + 1, gridPos, collapsed: false, panels: [] };
    }
    const { w: _w, h: _h, ...rest } = p;
    const targets = 'targets' in rest ? rest.targets : undefined;
    return {
      ...rest,
      id: i + 1,
      gridPos,
      datasource: DATASOURCE,
      ...(targets ? { targets: targets.map((t) => ({ datasource: DATASOURCE, range: !t.instant, ...t })) } : {}),
    };
  });
}

/** The dashboard as Grafana stores it (provisioned dashboards need no id or version). */
export function toJson(d: Dashboard): Record<string, unknown> {
  return {
    uid: d.uid,
    title: d.title,
    description: d.description,
    tags: d.tags,
    timezone: 'browser',
    editable: true,
    graphTooltip: 1,
    schemaVersion: 41,
    time: d.time ?? { from: 'now-6h', to: 'now' },
    refresh: d.refresh ?? '30s',
    fiscalYearStartMonth: 0,
    liveNow: false,
    weekStart: '',
    templating: { list: d.variables },
    annotations: { list: [builtInAnnotations(), ...d.annotations] },
    links: d.links,
    panels: layout(d.panels),
  };
}

/**
 * A small builder for Grafana dashboard JSON (schema of Grafana 12's classic dashboards), just what the
 * project's dashboards use: panels on a 24-column grid placed row by row, Prometheus targets against the
 * dashboard's data-source variable, template variables, annotations and links.
 */

export const DATASOURCE = { type: 'prometheus', uid: '${datasource}' } as const;

export interface Target {
  refId: string;
  expr: string;
  legendFormat?: string;
  /** Instant query (stats, tables). */
  instant?: boolean;
}

export interface Panel {
  type: string;
  title: string;
  description?: string;
  /** Grid width (of 24) and height in grid units; the layout places it. */
  w: number;
  h: number;
  targets?: Target[];
  options?: Record<string, unknown>;
  fieldConfig?: { defaults: Record<string, unknown>; overrides: unknown[] };
  links?: Array<{ title: string; url: string }>;
  /** Starts a new collapsible row with this title instead of being a panel. */
  row?: boolean;
}

export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  panels: Panel[];
  variables: unknown[];
  annotations: unknown[];
  links: unknown[];
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
  defaults: Record<string, unknown> = {},
  overrides: unknown[] = []
): Panel {
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
        custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 0, showPoints: 'never', spanNulls: false },
        ...defaults,
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
  defaults: Record<string, unknown> = {}
): Panel {
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

export function row(title: string): Panel {
  return { type: 'row', title, w: 24, h: 1, row: true };
}

/** Absolute thresholds: a base colour, then [value, colour] steps. */
export function thresholds(base: string, ...steps: Array<[number, string]>) {
  return {
    mode: 'absolute',
    steps: [{ color: base, value: null }, ...steps.map(([value, color]) => ({ color, value }))],
  };
}

/** An override that puts the series matched by a regex on the right axis with its own unit. */
export function rightAxis(matcher: string, unit: string) {
  return {
    matcher: { id: 'byRegexp', options: matcher },
    properties: [
      { id: 'unit', value: unit },
      { id: 'custom.axisPlacement', value: 'right' },
    ],
  };
}

export function datasourceVariable() {
  return {
    type: 'datasource',
    name: 'datasource',
    label: 'Data source',
    query: 'prometheus',
    current: {},
    hide: 0,
    refresh: 1,
  };
}

/** A query variable over a label's values, refreshed with the time range (services come and go). */
export function labelVariable(name: string, label: string, metric: string, labelName = name) {
  return {
    type: 'query',
    name,
    label,
    datasource: DATASOURCE,
    query: {
      qryType: 1,
      query: `label_values(${metric}, ${labelName})`,
      refId: 'PrometheusVariableQueryEditor-VariableQuery',
    },
    definition: `label_values(${metric}, ${labelName})`,
    refresh: 2,
    sort: 1,
    includeAll: false,
    multi: false,
    current: {},
    hide: 0,
  };
}

/** Grafana's own annotations (alerts and manual notes), which every dashboard carries. */
export function builtInAnnotations() {
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
export function promAnnotation(name: string, expr: string, titleFormat: string, iconColor: string, tags: string[]) {
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
    if (p.row || x + p.w > 24) {
      y += rowHeight;
      x = 0;
      rowHeight = 0;
    }
    const gridPos = { x, y, w: p.w, h: p.h };
    x += p.w;
    rowHeight = Math.max(rowHeight, p.h);
    const { w: _w, h: _h, row: isRow, targets, ...rest } = p;
    if (isRow) {
      return { type: 'row', title: p.title, id: i + 1, gridPos, collapsed: false, panels: [] };
    }
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

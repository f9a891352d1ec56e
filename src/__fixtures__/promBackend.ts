import {
  AnnotationEvent,
  arrayToDataFrame,
  DataFrame,
  DataFrameJSON,
  dataFrameFromJSON,
  DataTopic,
  FieldConfigSource,
  FieldType,
} from '@grafana/data';

/**
 * What a Cascade panel receives from Grafana 12's Prometheus data source, built the way Grafana builds it
 * (steps 1 and 2 here, with @grafana/data only, so the host page's cases use them too; step 3 in
 * grafanaFrames.ts):
 *
 * 1. the backend (promlib, dataplane flag off, Grafana 12's default) turns each series of a range query into
 *    one frame: a `Time` field with the step as `config.interval`, a `Value` field carrying the series' labels
 *    and, when the legend renders to something, `config.displayNameFromDS` (also the frame's name); a query
 *    with no result is one frame without fields; the first frame of a query carries the executed query;
 * 2. frames travel as JSON, where NaN and ±Inf are `null` plus an `entities` index, and the frontend decodes
 *    them with `dataFrameFromJSON`;
 * 3. the query runner applies the panel's field config: a new panel's (Grafana's default thresholds, base
 *    green and red at 80, colour by thresholds) merged under whatever the dashboard saved.
 */

/** One Prometheus series: its labels and a value per step; `null` is a step with no sample (Prometheus sends none). */
export interface PromSeriesSpec {
  readonly labels: Readonly<Record<string, string>>;
  readonly values: ReadonlyArray<number | null>;
}

export interface PromQuerySpec {
  readonly expr: string;
  /** `__auto` (a new query's default), `''` (verbose `name{labels}`), or a template such as `{{zone}}`. */
  readonly legendFormat?: string;
  readonly series: readonly PromSeriesSpec[];
}

export interface GrafanaFramesOptions {
  /** The step every series is sampled at, from `from`. */
  readonly from: number;
  readonly stepMs: number;
  /** Field config the dashboard saved for the panel (merged over a new panel's, as Grafana does). */
  readonly fieldConfig?: FieldConfigSource;
}

/** refIds as Grafana assigns them to new queries: A, B, C, ... */
export function refIdOf(index: number): string {
  return String.fromCharCode(65 + index);
}

const AUTO = '__auto';

/** `name{a="1", b="2"}`, labels sorted, as promlib prints a series (metricNameFromLabels). */
function metricString(labels: Readonly<Record<string, string>>): string {
  const pairs = Object.keys(labels)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  const name = labels.__name__ ?? '';
  return pairs.length > 0 ? `${name}{${pairs.join(', ')}}` : name || '{}';
}

/** promlib's getName: the legend, or '' when the frontend should name the series from its labels. */
function legendOf(query: PromQuerySpec, labels: Readonly<Record<string, string>>): string {
  const format = query.legendFormat ?? AUTO;
  let legend = metricString(labels);
  if (format === AUTO) {
    legend = Object.keys(labels).length > 0 ? '' : legend;
  } else if (format !== '') {
    legend = format.replace(/\{\{\s*(.+?)\s*\}\}/g, (_, k: string) => labels[k] ?? '');
  }
  return legend === '{}' ? query.expr : legend;
}

function goStep(ms: number): string {
  const s = ms / 1000;
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}

/** The frame JSON promlib sends for one series, NaN and infinities moved to `entities` as the SDK encodes them. */
function seriesJSON(
  query: PromQuerySpec,
  refId: string,
  series: PromSeriesSpec,
  first: boolean,
  o: GrafanaFramesOptions
): DataFrameJSON & { schema: { refId: string; name: string } } {
  const times: number[] = [];
  const values: Array<number | null> = [];
  const entities: { NaN?: number[]; Inf?: number[]; NegInf?: number[] } = {};
  series.values.forEach((v, i) => {
    if (v === null) {
      return;
    }
    const row = times.length;
    times.push(o.from + i * o.stepMs);
    if (Number.isFinite(v)) {
      values.push(v);
      return;
    }
    values.push(null);
    const kind = Number.isNaN(v) ? 'NaN' : v > 0 ? 'Inf' : 'NegInf';
    (entities[kind] ??= []).push(row);
  });
  const legend = legendOf(query, series.labels);
  return {
    schema: {
      refId,
      name: legend,
      meta: {
        type: 'timeseries-multi',
        typeVersion: [0, 1],
        custom: { resultType: 'matrix' },
        ...(first ? { executedQueryString: `Expr: ${query.expr}\nStep: ${goStep(o.stepMs)}` } : {}),
      } as never,
      fields: [
        { name: 'Time', type: FieldType.time, config: { interval: o.stepMs } },
        {
          name: 'Value',
          type: FieldType.number,
          labels: { ...series.labels },
          config: legend ? { displayNameFromDS: legend } : {},
        },
      ],
    },
    data: {
      values: [times, values],
      ...(Object.keys(entities).length > 0 ? { entities: [null, entities] } : {}),
    },
  };
}

/** The frames of a whole dashboard panel: one query per spec, refIds A, B, C, ... */
export function promBackendFrames(queries: readonly PromQuerySpec[], o: GrafanaFramesOptions): DataFrame[] {
  return queries.flatMap((query, q) => {
    const refId = refIdOf(q);
    if (query.series.length === 0) {
      // promlib adds an empty frame to carry the query's metadata when Prometheus returned nothing.
      return [
        dataFrameFromJSON({
          schema: {
            refId,
            name: '',
            meta: { executedQueryString: `Expr: ${query.expr}\nStep: ${goStep(o.stepMs)}` },
            fields: [],
          },
          data: { values: [] },
        }),
      ];
    }
    return query.series.map((s, i) => dataFrameFromJSON(seriesJSON(query, refId, s, i === 0, o)));
  });
}

/** An annotation as the dashboard's annotation queries deliver it to panels (after Grafana tags it with its query). */
export interface AnnotationSpec {
  readonly time: number;
  readonly timeEnd?: number;
  readonly text: string;
  readonly title?: string;
  readonly tags?: readonly string[];
  /** Set on alert-state annotations ("Annotations & Alerts"): the state the rule entered. */
  readonly newState?: string;
  readonly alertId?: number;
  /** The annotation query that produced it. */
  readonly query?: { name: string; tags?: string[]; builtIn?: number };
}

/**
 * `data.annotations`: the dashboard's annotation events, each stamped with its query (`source`, `type`,
 * `color`, `isRegion`), flattened into one frame with `arrayToDataFrame`, as Grafana's panel query runner does.
 */
export function grafanaAnnotations(events: readonly AnnotationSpec[]): DataFrame[] {
  const rows: AnnotationEvent[] = events.map((e) => {
    const query = e.query ?? { name: 'Annotations & Alerts', builtIn: 1 };
    return {
      id: `${e.time}`,
      time: e.time,
      timeEnd: e.timeEnd ?? e.time,
      title: e.title,
      text: e.text,
      tags: [...(e.tags ?? [])],
      alertId: e.alertId ?? 0,
      newState: e.newState ?? '',
      login: e.newState ? '' : 'admin',
      dashboardUID: 'cascade-overview',
      panelId: 0,
      source: { enable: true, iconColor: 'rgba(0, 211, 255, 1)', ...query },
      color: '#00d3ff',
      type: query.name,
      isRegion: e.timeEnd !== undefined && e.timeEnd !== e.time,
    } as AnnotationEvent;
  });
  const frame = arrayToDataFrame(rows);
  frame.meta = { dataTopic: DataTopic.Annotations };
  return [frame];
}

/** Times every step from `from`, `n` of them. */
export function stepTimes(from: number, stepMs: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => from + i * stepMs);
}

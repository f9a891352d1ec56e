/**
 * Data frames shaped the way Grafana's Prometheus data source (promlib, dataplane mode, the default
 * since Grafana 10) returns a range query: one frame per series, a `Time` field whose config carries
 * the step as `interval`, and one number field named after the series' `__name__` (or `Value` when
 * the query aggregates the name away) holding the series labels. A legend format other than
 * `__auto` becomes `config.displayNameFromDS`. Missing samples are gaps in the time field, not
 * nulls: Prometheus only returns the steps where the series existed.
 */
import {
  CoreApp,
  createDataFrame,
  DataFrame,
  DataFrameType,
  DataQuery,
  DataQueryRequest,
  DataTopic,
  FieldType,
  Labels,
  QueryResultMeta,
  TimeRange,
} from '@grafana/data';

/** Grafana's default legend for new queries: let the panel name the series from its labels. */
export const LEGEND_AUTO = '__auto';

export interface PromQuery {
  readonly refId: string;
  readonly expr: string;
  /** `__auto` (default), a template such as `{{instance}}`, or `''` for the verbose `name{labels}` form. */
  readonly legendFormat?: string;
  readonly stepMs: number;
}

export interface PromSeries {
  readonly labels: Labels;
  /** Sample times in ms, ascending, one per step. */
  readonly times: readonly number[];
  /** Value per time; `null` means Prometheus returned no sample at that step (a gap). NaN stays NaN. */
  readonly values: ReadonlyArray<number | null>;
}

/** A Prometheus query as a dashboard stores it (the data source's query model). */
export interface PromTarget extends DataQuery {
  expr: string;
  legendFormat: string;
  range: boolean;
  instant: boolean;
  editorMode: 'code' | 'builder';
}

export const SANDBOX_DATASOURCE = { type: 'prometheus', uid: 'sandbox-prometheus' } as const;

/** `data.request` as the query runner leaves it: the queries that produced the frames, and their range. */
export function promQueryRequest(
  queries: readonly PromQuery[],
  range: TimeRange,
  stepMs: number
): DataQueryRequest<PromTarget> {
  return {
    requestId: 'sandbox',
    app: CoreApp.Dashboard,
    interval: `${stepMs / 1000}s`,
    intervalMs: stepMs,
    range,
    rangeRaw: range.raw,
    scopedVars: {},
    timezone: 'utc',
    startTime: range.to.valueOf(),
    targets: queries.map((q) => ({
      refId: q.refId,
      datasource: SANDBOX_DATASOURCE,
      expr: q.expr,
      legendFormat: q.legendFormat ?? LEGEND_AUTO,
      range: true,
      instant: false,
      editorMode: 'code',
    })),
  };
}

/** Collects the queries a case's dashboard runs, in order, for `data.request.targets`. */
export function queryLog(stepMs: number) {
  const queries: PromQuery[] = [];
  const query = (refId: string, expr: string, legendFormat: string = LEGEND_AUTO): PromQuery => {
    const q = { refId, expr, legendFormat, stepMs };
    queries.push(q);
    return q;
  };
  return { queries, query };
}

/** The frames one range query returns. An empty result is one empty frame, as promlib returns it. */
export function promRangeFrames(query: PromQuery, series: readonly PromSeries[]): DataFrame[] {
  if (series.length === 0) {
    return [
      createDataFrame({
        refId: query.refId,
        meta: { ...matrixMeta(), executedQueryString: executed(query) },
        fields: [],
      }),
    ];
  }
  return series.map((s, i) => seriesFrame(query, s, i === 0));
}

function seriesFrame(query: PromQuery, series: PromSeries, first: boolean): DataFrame {
  if (series.times.length !== series.values.length) {
    throw new Error(
      `Series ${metricString(series.labels)} of query ${query.refId}: ${series.times.length} times but ${series.values.length} values.`
    );
  }
  const { times, values } = dropGaps(series.times, series.values);
  const displayName = legendDisplayName(query.legendFormat ?? LEGEND_AUTO, series.labels, query.expr);
  return createDataFrame({
    refId: query.refId,
    meta: first ? { ...matrixMeta(), executedQueryString: executed(query) } : matrixMeta(),
    fields: [
      { name: 'Time', type: FieldType.time, values: times, config: { interval: query.stepMs } },
      {
        name: series.labels.__name__ ?? 'Value',
        type: FieldType.number,
        values,
        labels: { ...series.labels },
        config: displayName ? { displayNameFromDS: displayName } : {},
      },
    ],
  });
}

/** Frame meta of a range-query result (dataplane "multi" time series, version 0.1). */
export function matrixMeta(): QueryResultMeta {
  return { type: DataFrameType.TimeSeriesMulti, typeVersion: [0, 1], custom: { resultType: 'matrix' } };
}

function executed(query: PromQuery): string {
  return `Expr: ${query.expr}\nStep: ${goDurationString(query.stepMs)}`;
}

function dropGaps(
  times: readonly number[],
  values: ReadonlyArray<number | null>
): { times: number[]; values: number[] } {
  if (!values.includes(null)) {
    return { times: times.slice(), values: values as number[] };
  }
  const keptTimes: number[] = [];
  const keptValues: number[] = [];
  values.forEach((v, i) => {
    if (v !== null) {
      keptTimes.push(times[i]);
      keptValues.push(v);
    }
  });
  return { times: keptTimes, values: keptValues };
}

/**
 * The series name promlib puts in `displayNameFromDS`, or undefined when it sets none
 * (`__auto` with labels present). Mirrors promlib's getName: unknown template labels render empty,
 * and a legend that would read `{}` falls back to the query expression.
 */
export function legendDisplayName(legendFormat: string, labels: Labels, expr: string): string | undefined {
  let legend = metricString(labels);
  if (legendFormat === LEGEND_AUTO) {
    if (Object.keys(labels).length > 0) {
      legend = '';
    }
  } else if (legendFormat !== '') {
    legend = legendFormat.replace(/\{\{\s*(.+?)\s*\}\}/g, (_, name: string) => labels[name] ?? '');
  }
  if (legend === '{}') {
    return expr;
  }
  return legend === '' ? undefined : legend;
}

/** `name{a="1", b="2"}` with labels sorted, the way Prometheus prints a series. */
export function metricString(labels: Labels): string {
  const name = labels.__name__ ?? '';
  const pairs = Object.keys(labels)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  if (pairs.length === 0) {
    return name === '' ? '{}' : name;
  }
  return `${name}{${pairs.join(', ')}}`;
}

/** Go's time.Duration.String() for whole milliseconds: 15s, 1m0s, 1h30m0s, 500ms. */
export function goDurationString(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new Error(`Expected a duration in ms >= 0, got ${ms}.`);
  }
  if (ms === 0) {
    return '0s';
  }
  if (ms < 1000) {
    return `${ms}ms`;
  }
  const totalSeconds = ms / 1000;
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = Number((totalSeconds % 60).toFixed(3));
  let out = '';
  if (hours > 0) {
    out += `${hours}h`;
  }
  if (hours > 0 || minutes > 0) {
    out += `${minutes}m`;
  }
  return `${out}${seconds}s`;
}

export interface AnnotationSpec {
  readonly time: number;
  readonly timeEnd?: number;
  readonly title: string;
  readonly text: string;
  readonly tags: readonly string[];
  readonly color?: string;
}

/**
 * Annotations the way a panel receives them in `data.annotations`: one frame, one row per event,
 * with the AnnotationEvent properties as fields.
 */
export function annotationsFrame(events: readonly AnnotationSpec[]): DataFrame {
  const sorted = [...events].sort((a, b) => a.time - b.time);
  return createDataFrame({
    name: 'annotations',
    meta: { dataTopic: DataTopic.Annotations },
    fields: [
      { name: 'time', type: FieldType.time, values: sorted.map((e) => e.time) },
      { name: 'timeEnd', type: FieldType.time, values: sorted.map((e) => e.timeEnd ?? e.time) },
      { name: 'title', type: FieldType.string, values: sorted.map((e) => e.title) },
      { name: 'text', type: FieldType.string, values: sorted.map((e) => e.text) },
      { name: 'tags', type: FieldType.other, values: sorted.map((e) => [...e.tags]) },
      { name: 'color', type: FieldType.string, values: sorted.map((e) => e.color ?? 'rgba(0, 211, 255, 1)') },
      {
        name: 'isRegion',
        type: FieldType.boolean,
        values: sorted.map((e) => e.timeEnd !== undefined && e.timeEnd > e.time),
      },
    ],
  });
}

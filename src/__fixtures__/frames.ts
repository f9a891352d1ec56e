import { DataFrame, FieldType } from '@grafana/data';

/**
 * Frames shaped as Grafana's Prometheus data source returns them: one frame per series, a time field
 * and a number field named "Value" carrying the series' labels (with __name__ for plain selectors and
 * recorded series).
 */
export function promFrame(
  name: string | undefined,
  labels: Record<string, string>,
  time: ArrayLike<number>,
  values: ArrayLike<number | null>,
  refId = 'A'
): DataFrame {
  return {
    refId,
    length: time.length,
    fields: [
      { name: 'Time', type: FieldType.time, config: {}, values: Array.from(time) },
      {
        name: 'Value',
        type: FieldType.number,
        config: {},
        labels: name ? { __name__: name, ...labels } : labels,
        values: Array.from(values),
      },
    ],
  };
}

export const MINUTE = 60_000;

/** Times every `stepMs` from `from` to `to` inclusive. */
export function timesBetween(from: number, to: number, stepMs: number): number[] {
  const out: number[] = [];
  for (let t = from; t <= to; t += stepMs) {
    out.push(t);
  }
  return out;
}

/** A piecewise-linear curve through (time, value) knots, evaluated at `times`. Flat beyond the ends. */
export function piecewise(times: readonly number[], knots: ReadonlyArray<[number, number]>): number[] {
  return times.map((t) => {
    if (t <= knots[0][0]) {
      return knots[0][1];
    }
    for (let k = 1; k < knots.length; k++) {
      const [t1, v1] = knots[k];
      const [t0, v0] = knots[k - 1];
      if (t <= t1) {
        return t1 === t0 ? v1 : v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
      }
    }
    return knots[knots.length - 1][1];
  });
}

/** Deterministic noise in [-amplitude, amplitude] (a hash of the index, no global state). */
export function noise(i: number, amplitude: number): number {
  const x = Math.sin(i * 12.9898 + 78.233) * 43758.5453;
  return (x - Math.floor(x) - 0.5) * 2 * amplitude;
}

/** UTC time on the first report's day, e.g. at('21:02'). */
export function cloudsmithAt(hhmm: string): number {
  return Date.parse(`2020-02-04T${hhmm}:00Z`);
}

/**
 * The first report (Cloudsmith, 2020-02-04) as the signals would have shown it, one point every 15 s from
 * 18:00 to 23:59, with `truncateAt` cutting the data as if "now" were then:
 * 21:02 the surge starts; the write backlog grows from 21:05; the primary reaches 100% at 21:49 and the
 * replicas at 21:54, when lag starts climbing; first 504s at 22:20; instances cycle from 22:30 and none is
 * healthy from 22:59; instances come back at 23:41-23:50.
 */
export function cloudsmithTimeline(truncateAt = cloudsmithAt('23:59')): DataFrame[] {
  const times = timesBetween(cloudsmithAt('18:00'), truncateAt, 15_000);
  const at = cloudsmithAt;
  const traffic = piecewise(times, [
    [at('18:00'), 1200],
    [at('21:02'), 1000],
    [at('21:40'), 4200],
    [at('22:53'), 4400],
    [at('22:55'), 950],
    [at('23:59'), 900],
  ]).map((v, i) => v + noise(i, 30));
  const errors = piecewise(times, [
    [at('22:19'), 0.001],
    [at('22:30'), 0.08],
    [at('22:58'), 0.35],
    [at('22:59'), 1],
    [at('23:41'), 1],
    [at('23:50'), 0.01],
  ]);
  const backlog = piecewise(times, [
    [at('21:05'), 200],
    [at('21:49'), 90_000],
    [at('22:53'), 210_000],
    [at('23:59'), 150_000],
  ]).map((v, i) => v + noise(i, 300));
  const primary = piecewise(times, [
    [at('21:02'), 0.42],
    [at('21:49'), 1],
  ]).map((v, i) => Math.min(1, v + noise(i, 0.01)));
  const replica = (delay: number) =>
    piecewise(times, [
      [at('21:54') + delay, 0],
      [at('22:53'), 900 - delay / 1000],
      [at('23:47'), 1500],
      [at('23:59'), 600],
    ]);
  const healthy = piecewise(times, [
    [at('22:30'), 12],
    [at('22:59'), 0],
    [at('23:41'), 0],
    [at('23:50'), 12],
  ]).map(Math.round);
  const desired = times.map(() => 12);
  const deployTimes = times.map(() => Date.parse('2020-02-03T10:00:00Z') / 1000);

  return [
    promFrame('cascade:http_requests:rate5m', { service: 'registry' }, times, traffic),
    promFrame('cascade:http_errors:ratio_rate5m', { service: 'registry' }, times, errors),
    promFrame('db_write_backlog', { cluster: 'main' }, times, backlog),
    promFrame('db_utilization_ratio', { cluster: 'main', instance: 'db-primary', role: 'primary' }, times, primary),
    promFrame('db_replication_lag_seconds', { cluster: 'main', instance: 'db-replica-1' }, times, replica(0)),
    promFrame('db_replication_lag_seconds', { cluster: 'main', instance: 'db-replica-2' }, times, replica(120_000)),
    promFrame('instances_healthy', { service: 'registry' }, times, healthy),
    promFrame('instances_desired', { service: 'registry' }, times, desired),
    promFrame('service_last_deploy_timestamp_seconds', { service: 'registry', version: 'v41' }, times, deployTimes),
  ];
}

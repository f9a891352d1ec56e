import { CascadeModel, LaneSeries } from './cascade';
import { indexAtOrBefore, Numbers } from './series';

export interface HoverRow {
  readonly lane: 'traffic' | 'database' | 'instances';
  readonly label: string;
  readonly value: number;
  readonly series?: LaneSeries;
  /** For rows without a LaneSeries (the baseline band), the unit to format with. */
  readonly unit: string;
}

/** The index of the point nearest to t, if it is within half a step or so of t. */
function nearestIndex(time: Numbers, t: number): number {
  const i = indexAtOrBefore(time, t);
  const candidates = [i, i + 1].filter((j) => j >= 0 && j < time.length);
  if (candidates.length === 0) {
    return -1;
  }
  const best = candidates.reduce((a, b) => (Math.abs(time[a] - t) <= Math.abs(time[b] - t) ? a : b));
  const step = time.length > 1 ? (time[time.length - 1] - time[0]) / (time.length - 1) : Infinity;
  return Math.abs(time[best] - t) <= step ? best : -1;
}

/** Every signal's value at the hovered time, lane by lane, for the tooltip. */
export function rowsAt(model: CascadeModel, t: number): HoverRow[] {
  const rows: HoverRow[] = [];
  const push = (lane: HoverRow['lane'], time: Numbers, series: readonly LaneSeries[]) => {
    const i = nearestIndex(time, t);
    if (i < 0) {
      return;
    }
    for (const s of series) {
      rows.push({ lane, label: s.label, value: s.values[i], series: s, unit: s.unit });
    }
  };
  const { traffic, database, instances } = model.lanes;
  if (traffic) {
    push('traffic', traffic.time, traffic.series);
    const i = nearestIndex(traffic.time, t);
    if (traffic.band && i >= 0) {
      const unit = traffic.unit;
      rows.push({ lane: 'traffic', label: 'Baseline', value: traffic.band.center[i], unit });
      rows.push({ lane: 'traffic', label: 'Band upper', value: traffic.band.upper[i], unit });
      rows.push({ lane: 'traffic', label: 'Band lower', value: traffic.band.lower[i], unit });
    }
  }
  if (database) {
    push('database', database.time, [...database.backlog, ...database.lag, ...database.utilization]);
  }
  if (instances) {
    push('instances', instances.time, [...instances.healthy, ...instances.desired]);
  }
  return rows;
}

import { DataFrame, DisplayProcessor, Field, FieldType, LinkModel } from '@grafana/data';
import { LaneSeries } from '../../model/cascade';

/** The frame field a lane's series was read from, found by its display processor (the model keeps the field's). */
export type FieldLookup = (series: LaneSeries | undefined) => { field: Field; frame: DataFrame } | undefined;

export function fieldLookup(frames: readonly DataFrame[] | undefined): FieldLookup {
  const byDisplay = new Map<DisplayProcessor, { field: Field; frame: DataFrame }>();
  for (const frame of frames ?? []) {
    for (const field of frame?.fields ?? []) {
      if (field && typeof field.display === 'function') {
        byDisplay.set(field.display, { field, frame });
      }
    }
  }
  return (series) => (series?.display ? byDisplay.get(series.display) : undefined);
}

/** Does any of these series carry data links? Cheap enough for every pointer move. */
export function hasLinks(lookup: FieldLookup, series: ReadonlyArray<LaneSeries | undefined>): boolean {
  return series.some((s) => Boolean(lookup(s)?.field.config.links?.length));
}

/** The row of `frame` at or just before `time` (the hovered sample), or -1. */
export function rowAt(frame: DataFrame, time: number): number {
  const times = frame.fields.find((f) => f.type === FieldType.time)?.values;
  if (!times) {
    return -1;
  }
  // Prometheus frames are sorted by time: binary search for the last sample at or before `time`.
  let lo = 0;
  let hi = times.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (Number(times[mid]) <= time) {
      best = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return best;
}

/**
 * The data links of the series at the hovered time, as Grafana's own tooltips offer them (field config
 * `links`, interpolated by the field's getLinks, which the dashboard sets up): one entry per distinct link.
 */
export function linksAt(lookup: FieldLookup, series: ReadonlyArray<LaneSeries | undefined>, time: number): LinkModel[] {
  const out: LinkModel[] = [];
  const seen = new Set<string>();
  for (const s of series) {
    const found = lookup(s);
    if (!found?.field.getLinks || !found.field.config.links?.length) {
      continue;
    }
    const row = rowAt(found.frame, time);
    if (row < 0) {
      continue;
    }
    for (const link of found.field.getLinks({ valueRowIndex: row })) {
      const id = `${link.title}\u0000${link.href}`;
      if (!seen.has(id)) {
        seen.add(id);
        out.push(link);
      }
    }
  }
  return out;
}

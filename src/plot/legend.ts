/**
 * Legend clicks as in Grafana's time series panel: a click isolates a series (shows it alone, or everything
 * again when it already was alone); ctrl/cmd-click toggles it. Isolation works within a lane: each lane is a
 * chart of its own, with its own axes, and isolating a replica's lag should not empty the traffic lane.
 */
export type LegendClick = 'isolate' | 'toggle';

/** Identifies a legend entry across renders: lane and label. */
export function legendKey(lane: string, label: string): string {
  return `${lane}/${label}`;
}

/** The keys hidden after a click on `key`, among the lane's toggleable `laneKeys`. */
export function nextHidden(
  laneKeys: readonly string[],
  hidden: ReadonlySet<string>,
  key: string,
  click: LegendClick
): Set<string> {
  const next = new Set(hidden);
  if (click === 'toggle') {
    if (next.has(key)) {
      next.delete(key);
    } else {
      next.add(key);
    }
    // Hiding the last visible series of a lane would leave an empty chart: show them all instead.
    if (laneKeys.every((k) => next.has(k))) {
      laneKeys.forEach((k) => next.delete(k));
    }
    return next;
  }
  const visible = laneKeys.filter((k) => !hidden.has(k));
  const alone = visible.length === 1 && visible[0] === key;
  for (const k of laneKeys) {
    if (alone || k === key) {
      next.delete(k);
    } else {
      next.add(k);
    }
  }
  return next;
}

/** The click's mode from the mouse event's modifier keys (ctrl on Linux and Windows, cmd on macOS). */
export function legendClickOf(event: { ctrlKey: boolean; metaKey: boolean }): LegendClick {
  return event.ctrlKey || event.metaKey ? 'toggle' : 'isolate';
}

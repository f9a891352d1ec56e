import { DashboardCursorSync, DataHoverClearEvent, DataHoverEvent, EventBus } from '@grafana/data';

/** What the panel does with another panel's hover: move its crosshair there, with or without its tooltip. */
export interface CursorSyncTarget {
  show(time: number, withTooltip: boolean): void;
  hide(): void;
}

export interface CursorSync {
  /** The pointer is over this panel at `time` (null: it left): tell the dashboard's other panels. */
  publish(time: number | null): void;
  unsubscribe(): void;
}

/** Grafana throttles its own panels' hover events to this; the others need no more. */
export const PUBLISH_INTERVAL_MS = 50;

/**
 * The dashboard's shared crosshair and tooltip (graphTooltip 1 and 2), through the panel's event bus as
 * Grafana's own panels do: a DataHoverEvent with `point.time` while the pointer moves here, a
 * DataHoverClearEvent when it leaves; other panels' events move this panel's crosshair. Grafana's uPlot
 * panels sync among themselves through their own copy of uPlot and tag their events "uplot"; this panel
 * bundles its own uPlot, so it takes those events too, and sends its own untagged so that they take them.
 * `mode` is read at each event: the dashboard's setting can change while the panel lives.
 */
export function connectCursorSync(
  eventBus: EventBus | undefined,
  mode: () => DashboardCursorSync,
  target: CursorSyncTarget
): CursorSync {
  if (!eventBus) {
    return { publish: () => {}, unsubscribe: () => {} };
  }
  const subscriptions = [
    eventBus.getStream(DataHoverEvent).subscribe((event) => {
      const time = Number(event.payload?.point?.time);
      if (event.origin === eventBus || mode() === DashboardCursorSync.Off) {
        return;
      }
      if (Number.isFinite(time)) {
        target.show(time, mode() === DashboardCursorSync.Tooltip);
      } else {
        target.hide();
      }
    }),
    eventBus.getStream(DataHoverClearEvent).subscribe((event) => {
      if (event.origin !== eventBus && mode() !== DashboardCursorSync.Off) {
        target.hide();
      }
    }),
  ];

  // Trailing throttle: at most one event per interval, always ending on the latest position.
  let pending: number | null | undefined;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = () => {
    timer = null;
    if (pending === undefined || mode() === DashboardCursorSync.Off) {
      return;
    }
    const event: { origin?: EventBus } & (DataHoverEvent | DataHoverClearEvent) =
      pending === null ? new DataHoverClearEvent() : new DataHoverEvent({ point: { time: pending } });
    // Marks the event as this panel's, so its own subscription skips it (a panel's scoped bus in Grafana
    // sets it the same way).
    event.origin = eventBus;
    pending = undefined;
    eventBus.publish(event);
  };
  return {
    publish(time) {
      if (pending === undefined && timer === null) {
        pending = time;
        flush();
        timer = setTimeout(flush, PUBLISH_INTERVAL_MS);
        return;
      }
      pending = time;
      timer = timer ?? setTimeout(flush, PUBLISH_INTERVAL_MS);
    },
    unsubscribe() {
      subscriptions.forEach((s) => s.unsubscribe());
      if (timer !== null) {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * The panel's handle on its sync, stable across renders: the lanes' callbacks publish through it, an effect
 * connects it to the current event bus and keeps the dashboard's sync mode current.
 */
export interface CursorSyncLink {
  publish(time: number | null): void;
  setMode(mode: (() => DashboardCursorSync) | undefined): void;
  /** Connects to a bus; returns the disconnect. */
  connect(eventBus: EventBus | undefined, target: CursorSyncTarget): () => void;
}

export function createCursorSyncLink(): CursorSyncLink {
  let current: CursorSync | null = null;
  let mode: (() => DashboardCursorSync) | undefined;
  return {
    publish: (time) => current?.publish(time),
    setMode(next) {
      mode = next;
    },
    connect(eventBus, target) {
      const sync = connectCursorSync(eventBus, () => mode?.() ?? DashboardCursorSync.Off, target);
      current = sync;
      return () => {
        sync.unsubscribe();
        if (current === sync) {
          current = null;
        }
      };
    },
  };
}

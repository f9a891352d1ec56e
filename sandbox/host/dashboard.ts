/**
 * What a Grafana dashboard around the panel does at run time, for the host page and its tests: one event
 * bus for the dashboard with a scoped bus per panel (Grafana's `newScopedBus('panel:<id>')`), the dashboard's
 * cursor sync mode, and another panel's hover published the way Grafana's time series panel publishes it
 * (a DataHoverEvent with `point.time`, tagged "uplot"). The hover events the panel itself sends are recorded,
 * so a test can see that the dashboard's other panels would follow it.
 */
import { DashboardCursorSync, DataHoverClearEvent, DataHoverEvent, EventBus, EventBusSrv } from '@grafana/data';

import type { CursorSyncMode } from './params';

export const SYNC_MODES: Record<CursorSyncMode, DashboardCursorSync> = {
  off: DashboardCursorSync.Off,
  crosshair: DashboardCursorSync.Crosshair,
  tooltip: DashboardCursorSync.Tooltip,
};

/** One hover event the panel sent to the dashboard: a time, or null for "the pointer left". */
export type SentHover = number | null;

export interface SandboxDashboard {
  readonly bus: EventBusSrv;
  /** The bus the panel gets as `eventBus` and in its PanelContext. */
  readonly panelBus: EventBus;
  /** Another panel of the dashboard is hovered at `time` (null: the pointer left it). */
  hoverOtherPanel(time: number | null): void;
  /** What the panel has sent, oldest first. */
  readonly sent: SentHover[];
  dispose(): void;
}

export function createDashboard(panelId: number): SandboxDashboard {
  const bus = new EventBusSrv();
  const panelBus = bus.newScopedBus(`panel:${panelId}`, { onlyLocal: false });
  const otherPanel = bus.newScopedBus(`panel:${panelId + 1}`, { onlyLocal: false });
  const sent: SentHover[] = [];
  const subscriptions = [
    bus.getStream(DataHoverEvent).subscribe((e) => {
      if (e.origin === panelBus) {
        sent.push(Number(e.payload.point.time));
      }
    }),
    bus.getStream(DataHoverClearEvent).subscribe((e) => {
      if (e.origin === panelBus) {
        sent.push(null);
      }
    }),
  ];
  return {
    bus,
    panelBus,
    sent,
    hoverOtherPanel(time) {
      otherPanel.publish(
        time === null
          ? new DataHoverClearEvent().setTags(['uplot'])
          : new DataHoverEvent({ point: { time } }).setTags(['uplot'])
      );
    },
    dispose() {
      subscriptions.forEach((s) => s.unsubscribe());
    },
  };
}

import { DashboardCursorSync, DataHoverClearEvent, DataHoverEvent, EventBusSrv } from '@grafana/data';
import { connectCursorSync, PUBLISH_INTERVAL_MS } from './cursorSync';

/** A dashboard's bus with two panels on it, as Grafana scopes them; `other` records what this panel sends. */
function dashboard(mode: DashboardCursorSync) {
  const bus = new EventBusSrv();
  const panel = bus.newScopedBus('panel:1', { onlyLocal: false });
  const other = bus.newScopedBus('panel:2', { onlyLocal: false });
  const received: Array<number | null> = [];
  other.getStream(DataHoverEvent).subscribe((e) => e.origin !== other && received.push(e.payload.point.time));
  other.getStream(DataHoverClearEvent).subscribe((e) => e.origin !== other && received.push(null));
  const shown: Array<[number, boolean] | 'hidden'> = [];
  let current = mode;
  const sync = connectCursorSync(panel, () => current, {
    show: (time, tooltip) => shown.push([time, tooltip]),
    hide: () => shown.push('hidden'),
  });
  return { other, received, shown, sync, setMode: (m: DashboardCursorSync) => (current = m) };
}

describe('connectCursorSync', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('moves the crosshair where another panel is hovered; the tooltip too in shared-tooltip mode', () => {
    const d = dashboard(DashboardCursorSync.Crosshair);
    // Grafana's time series panels tag their events "uplot"; this panel has its own uPlot and takes them.
    d.other.publish(new DataHoverEvent({ point: { time: 1000 } }).setTags(['uplot']));
    d.other.publish(new DataHoverClearEvent());
    d.setMode(DashboardCursorSync.Tooltip);
    d.other.publish(new DataHoverEvent({ point: { time: 2000 } }));
    expect(d.shown).toEqual([[1000, false], 'hidden', [2000, true]]);
  });

  it('tells the other panels where the pointer is, throttled, ending on the latest position', () => {
    const d = dashboard(DashboardCursorSync.Crosshair);
    d.sync.publish(1);
    d.sync.publish(2);
    d.sync.publish(3);
    expect(d.received).toEqual([1]);
    jest.advanceTimersByTime(PUBLISH_INTERVAL_MS);
    expect(d.received).toEqual([1, 3]);
    d.sync.publish(null);
    expect(d.received).toEqual([1, 3, null]);
    // Its own events do not come back to it.
    expect(d.shown).toEqual([]);
  });

  it('does nothing with the dashboard\u2019s sync off (Grafana\u2019s default), and stops when unsubscribed', () => {
    const d = dashboard(DashboardCursorSync.Off);
    d.sync.publish(1);
    d.other.publish(new DataHoverEvent({ point: { time: 1000 } }));
    expect(d.received).toEqual([]);
    expect(d.shown).toEqual([]);
    d.setMode(DashboardCursorSync.Crosshair);
    d.sync.unsubscribe();
    d.other.publish(new DataHoverEvent({ point: { time: 1000 } }));
    expect(d.shown).toEqual([]);
  });

  it('works without an event bus (a host that gives none)', () => {
    const sync = connectCursorSync(undefined, () => DashboardCursorSync.Tooltip, { show: jest.fn(), hide: jest.fn() });
    expect(() => sync.publish(1)).not.toThrow();
    sync.unsubscribe();
  });
});

import React from 'react';
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import {
  createTheme,
  DashboardCursorSync,
  DataHoverClearEvent,
  DataHoverEvent,
  EventBusSrv,
  ThemeContext,
} from '@grafana/data';
import { PanelContextProvider } from '@grafana/ui';
import { cloudsmithAt, cloudsmithTimeline, MINUTE, promFrame, timesBetween } from '../../__fixtures__/frames';
import { panelProps, renderPanel } from '../../__fixtures__/panelProps';
import { DEFAULT_OPTIONS } from '../../defaults';
import { LANES, TestIds } from '../../testIds';
import { CascadePanel } from './CascadePanel';

const OPTIONS = { ...DEFAULT_OPTIONS, database: { ...DEFAULT_OPTIONS.database, backlogLimit: 150_000 } };

function incidentAt(hhmm: string, overrides = {}) {
  const now = cloudsmithAt(hhmm);
  return panelProps(cloudsmithTimeline(now), now - 3 * 3600_000, now, { options: OPTIONS, ...overrides });
}

describe('CascadePanel', () => {
  it('shows the status, the reasons and the three lanes', () => {
    renderPanel(incidentAt('21:35'));
    expect(screen.getByTestId(TestIds.status)).toHaveTextContent('Degraded performance');
    expect(screen.getByTestId(TestIds.reasons).textContent).toMatch(
      /traffic .* its baseline · backlog limit in ~\d+ min/
    );
    expect(screen.getByTestId(TestIds.stage)).toHaveTextContent('Cascade: traffic → backlog');
    for (const lane of LANES) {
      expect(
        within(screen.getByTestId(TestIds.lane(lane))).getByText(lane[0].toUpperCase() + lane.slice(1))
      ).toBeInTheDocument();
    }
    // one uPlot per lane
    expect(document.querySelectorAll('.uplot')).toHaveLength(3);
  });

  it('labels the forecasts with their ETAs', () => {
    renderPanel(incidentAt('21:35'));
    const etas = screen.getAllByTestId(TestIds.eta).map((e) => e.textContent);
    expect(etas).toContainEqual(expect.stringMatching(/^backlog limit in ~\d+ min$/));
    // the primary is heading for 100% at 21:49
    expect(etas).toContainEqual(expect.stringMatching(/^db-primary saturated in ~1\d min$/));
  });

  it('calls zero healthy instances a major outage, in light theme too', () => {
    renderPanel(incidentAt('23:05'), 'light');
    expect(screen.getByTestId(TestIds.status)).toHaveTextContent('Major outage');
    expect(screen.getByTestId(TestIds.reasons)).toHaveTextContent('no healthy instances (12 desired)');
  });

  it('says what is missing instead of drawing empty lanes', () => {
    renderPanel(panelProps([promFrame('node_load1', {}, [1, 2, 3], [1, 2, 3])], 0, 10));
    const message = screen.getByTestId(TestIds.message);
    expect(message).toHaveTextContent('node_load1');
    expect(message).toHaveTextContent('traffic (cascade:http_requests:rate5m, traffic)');
    expect(screen.queryByTestId(TestIds.lane('traffic'))).toBeNull();
  });

  it('shows the traffic change since a deploy', () => {
    const t0 = Date.parse('2023-07-20T12:00:00Z');
    const times = timesBetween(t0, t0 + 24 * MINUTE, 15_000);
    const deployed = t0 + 17 * MINUTE;
    const frames = [
      promFrame(
        'cascade:http_requests:rate5m',
        { service: 'crates' },
        times,
        times.map((t) => (t >= deployed ? 1944 : 1200))
      ),
      promFrame(
        'service_last_deploy_timestamp_seconds',
        { service: 'crates', version: 'v2' },
        times,
        times.map((t) => (t >= deployed ? deployed : t0) / 1000)
      ),
    ];
    renderPanel(panelProps(frames, t0, t0 + 24 * MINUTE));
    expect(screen.getByTestId(TestIds.deployImpact)).toHaveTextContent('+62% req/s since deploy 7 min ago');
  });

  it('degrades to header and sparklines in a small panel', () => {
    renderPanel(incidentAt('21:35', { width: 380, height: 180 }));
    expect(screen.getByTestId(TestIds.status)).toHaveTextContent('Degraded performance');
    // no lane titles or legends in sparkline mode
    expect(screen.queryByText('Traffic')).toBeNull();
    expect(document.querySelectorAll('.uplot').length).toBeGreaterThan(0);
  });

  it('lists notes about the data on request', () => {
    const frame = promFrame('instances_healthy', {}, [3000, 1000, 2000], [3, 1, 2]);
    renderPanel(panelProps([frame], 0, 4000));
    expect(screen.queryByTestId(TestIds.notices)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /note/ }));
    expect(screen.getByTestId(TestIds.notices)).toHaveTextContent('timestamps were out of order and have been sorted');
  });

  it('survives options saved with the wrong types', () => {
    const props = incidentAt('21:35', { options: { traffic: 'x', roles: null } as never });
    renderPanel(props);
    expect(screen.getByTestId(TestIds.status)).toHaveTextContent(/Operational|Degraded performance/);
    fireEvent.click(screen.getByRole('button', { name: /note/ }));
    expect(screen.getByTestId(TestIds.notices)).toHaveTextContent('option traffic should be an object');
  });

  it.each([
    [DashboardCursorSync.Tooltip, true],
    [DashboardCursorSync.Crosshair, false],
  ])('follows another panel\u2019s hover on the dashboard (sync %s: tooltip %s)', async (sync, tooltip) => {
    const dashboardBus = new EventBusSrv();
    const eventBus = dashboardBus.newScopedBus('panel:1', { onlyLocal: false });
    const otherPanel = dashboardBus.newScopedBus('panel:2', { onlyLocal: false });
    const props = incidentAt('21:35', { eventBus });
    render(
      <ThemeContext.Provider value={createTheme()}>
        <PanelContextProvider value={{ eventsScope: 'global', eventBus, sync: () => sync }}>
          <CascadePanel {...props} />
        </PanelContextProvider>
      </ThemeContext.Provider>
    );
    // uPlot sets its scales in a microtask after it is created.
    await act(async () => {});
    const cursors = () => [...document.querySelectorAll('.u-cursor-x')].map((c) => c.classList.contains('u-off'));
    act(() => {
      otherPanel.publish(new DataHoverEvent({ point: { time: cloudsmithAt('21:00') } }).setTags(['uplot']));
    });
    // Every lane's crosshair is on, at the hovered time.
    expect(cursors()).toEqual([false, false, false]);
    expect(screen.queryByTestId(TestIds.tooltip) !== null).toBe(tooltip);
    if (tooltip) {
      expect(screen.getByTestId(TestIds.tooltip)).toHaveTextContent('2020-02-04 21:00:00');
    }
    act(() => {
      otherPanel.publish(new DataHoverClearEvent());
    });
    expect(cursors()).toEqual([true, true, true]);
    expect(screen.queryByTestId(TestIds.tooltip)).toBeNull();
  });

  it('hides and isolates series from the legend as the time series panel does', () => {
    renderPanel(incidentAt('21:35'));
    const traffic = within(screen.getByTestId(TestIds.lane('traffic')));
    const shown = () =>
      traffic.getAllByTestId(TestIds.legendItem).map((b) => `${b.textContent}:${b.getAttribute('aria-pressed')}`);
    expect(shown()).toEqual(['Request rate:true', 'Baseline (computed):true']);
    fireEvent.click(traffic.getByRole('button', { name: /^Request rate/ }));
    expect(shown()).toEqual(['Request rate:true', 'Baseline (computed):false']);
    // The other lanes keep their series.
    const database = within(screen.getByTestId(TestIds.lane('database')));
    expect(database.getAllByTestId(TestIds.legendItem).every((b) => b.getAttribute('aria-pressed') === 'true')).toBe(
      true
    );
    fireEvent.click(traffic.getByRole('button', { name: /^Request rate/ }));
    expect(shown()).toEqual(['Request rate:true', 'Baseline (computed):true']);
    fireEvent.click(traffic.getByRole('button', { name: /^Baseline/ }), { ctrlKey: true });
    expect(shown()).toEqual(['Request rate:true', 'Baseline (computed):false']);
    fireEvent.click(traffic.getByRole('button', { name: /^Baseline/ }), { metaKey: true });
    expect(shown()).toEqual(['Request rate:true', 'Baseline (computed):true']);
  });

  it('does not draw a series an override hides from the viz (hideFrom.viz), as the time series panel', () => {
    const now = cloudsmithAt('21:35');
    const frames = cloudsmithTimeline(now);
    const lag = frames.flatMap((f) => f.fields).find((f) => f.labels?.__name__ === 'db_replication_lag_seconds')!;
    // As Grafana hands it over after applying an override "Hide in area: viz" (display processor set too).
    Object.assign(lag, {
      config: { ...lag.config, custom: { hideFrom: { viz: true, legend: false, tooltip: false } } },
      display: (v: unknown) => ({ text: String(v), numeric: Number(v) }),
    });
    renderPanel(panelProps(frames, now - 3 * 3600_000, now, { options: OPTIONS }));
    const database = within(screen.getByTestId(TestIds.lane('database')));
    const hidden = database
      .getAllByTestId(TestIds.legendItem)
      .filter((b) => b.getAttribute('aria-pressed') === 'false')
      .map((b) => b.textContent);
    // Only that replica.
    expect(hidden).toEqual([`Lag ${lag.labels!.instance}`]);
  });
});

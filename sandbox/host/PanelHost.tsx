/**
 * Renders a panel plugin's component the way a Grafana dashboard does: inside a panel chrome (title
 * bar, padded body), with full PanelProps, the theme from context, a PanelContext with an event bus,
 * and an error boundary that reports instead of taking the page down. Option, field-config and
 * time-range changes the panel asks for are applied, as a dashboard would.
 */
import { css } from '@emotion/css';
import {
  AbsoluteTimeRange,
  dateTime,
  FieldConfigSource,
  GrafanaTheme2,
  PanelData,
  PanelPlugin,
  PanelProps,
  TimeRange,
} from '@grafana/data';
import { PanelContextProvider } from '@grafana/ui';
import React, { Component, ErrorInfo, ReactNode, useCallback, useEffect, useMemo, useState } from 'react';

import type { SandboxCase } from '../cases/types';
import { createDashboard, SandboxDashboard, SYNC_MODES } from './dashboard';
import { ErrorLog, HostErrorSource } from './errors';
import { applyFieldConfig, Options, resolveFieldConfig, resolveOptions } from './panelOptions';
import type { CursorSyncMode } from './params';
import { replaceVariables } from './interpolate';
import { HostTestIds } from './testIds';

/**
 * The page's handle for tests (window.sandboxDashboard): what a dashboard or its editor does to a panel while
 * it lives: another panel hovered, the panel's own hover events, the time range, a field-config change made
 * in the panel editor.
 */
export interface SandboxDashboardApi {
  hoverOtherPanel(time: number | null): void;
  sentHovers(): Array<number | null>;
  /** The dashboard's time range, in ms. */
  timeRange(): { from: number; to: number };
  setFieldConfig(next: FieldConfigSource): void;
}

declare global {
  interface Window {
    sandboxDashboard?: SandboxDashboardApi;
  }
}

export interface PanelHostProps {
  readonly plugin: PanelPlugin;
  readonly sandboxCase: SandboxCase;
  readonly theme: GrafanaTheme2;
  /** Size of the panel body, i.e. what the panel receives as width and height. */
  readonly width: number;
  readonly height: number;
  readonly errors: ErrorLog;
  /** Called once the panel has been committed to the DOM for the first time. */
  readonly onMounted?: () => void;
  /** The dashboard's graphTooltip setting. */
  readonly sync?: CursorSyncMode;
}

/** Grafana's panel id for a panel in a dashboard; any stable number will do. */
const PANEL_ID = 1;

export function PanelHost({
  plugin,
  sandboxCase,
  theme,
  width,
  height,
  errors,
  onMounted,
  sync = 'off',
}: PanelHostProps) {
  const [options, setOptions] = useState<Options>(() => resolveOptions(plugin, sandboxCase.options));
  const [fieldConfig, setFieldConfig] = useState<FieldConfigSource>(() =>
    resolveFieldConfig(plugin, sandboxCase.fieldConfig)
  );
  // A zoom the user made, or null: the case's own range, which a live case moves on every refresh.
  const [zoom, setZoom] = useState<TimeRange | null>(null);
  const timeRange = zoom ?? sandboxCase.data.timeRange;
  const [renderCounter, setRenderCounter] = useState(0);
  const dashboard: SandboxDashboard = useMemo(() => createDashboard(PANEL_ID), []);
  useEffect(() => () => dashboard.dispose(), [dashboard]);
  const eventBus = dashboard.panelBus;
  const panelContext = useMemo(
    () => ({ eventsScope: 'global', eventBus, sync: () => SYNC_MODES[sync] }),
    [eventBus, sync]
  );

  const data: PanelData = useMemo(
    () => applyFieldConfig({ ...sandboxCase.data, timeRange }, plugin, fieldConfig, theme, replaceVariables),
    [sandboxCase, plugin, fieldConfig, theme, timeRange]
  );

  const onOptionsChange = useCallback((next: Options) => {
    setOptions(next);
    setRenderCounter((n) => n + 1);
  }, []);
  const onFieldConfigChange = useCallback(
    (next: FieldConfigSource) => {
      setFieldConfig(resolveFieldConfig(plugin, next));
      setRenderCounter((n) => n + 1);
    },
    [plugin]
  );
  const onChangeTimeRange = useCallback((range: AbsoluteTimeRange) => {
    const from = dateTime(range.from);
    const to = dateTime(range.to);
    setZoom({ from, to, raw: { from, to } });
    setRenderCounter((n) => n + 1);
  }, []);

  useEffect(() => {
    window.sandboxDashboard = {
      hoverOtherPanel: (time) => dashboard.hoverOtherPanel(time),
      sentHovers: () => [...dashboard.sent],
      timeRange: () => ({ from: timeRange.from.valueOf(), to: timeRange.to.valueOf() }),
      setFieldConfig: onFieldConfigChange,
    };
    return () => {
      delete window.sandboxDashboard;
    };
  }, [dashboard, onFieldConfigChange, timeRange]);

  useEffect(() => {
    onMounted?.();
    // Only the first commit matters to the page's ready signal.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const Panel = plugin.panel as React.ComponentType<PanelProps<Options>>;
  const styles = getChromeStyles(theme);
  const zoomed = zoom !== null;
  // The chrome hugs the body: the panel's size plus the body's padding, whatever the title's length.
  const chromeWidth = width + 2 * theme.spacing.gridSize * theme.components.panel.padding;

  return (
    <section className={styles.chrome} style={{ width: chromeWidth }} data-testid={HostTestIds.panelChrome}>
      <header className={styles.header}>
        <h2 className={styles.title} data-testid={HostTestIds.panelTitle}>
          {sandboxCase.title}
        </h2>
        <span className={styles.range}>
          {width >= 480 && formatRange(timeRange)}
          {zoomed && (
            <button type="button" className={styles.reset} onClick={() => setZoom(null)}>
              reset zoom
            </button>
          )}
        </span>
      </header>
      <div className={styles.body}>
        <div style={{ width, height, position: 'relative' }} data-testid={HostTestIds.panelBody}>
          <ErrorBoundary errors={errors} source="panel" what="The panel">
            <PanelContextProvider value={panelContext}>
              <Panel
                id={PANEL_ID}
                data={data}
                timeRange={timeRange}
                timeZone="utc"
                options={options}
                fieldConfig={fieldConfig}
                transparent={false}
                width={width}
                height={height}
                renderCounter={renderCounter}
                title={sandboxCase.title}
                eventBus={eventBus}
                onOptionsChange={onOptionsChange}
                onFieldConfigChange={onFieldConfigChange}
                replaceVariables={replaceVariables}
                onChangeTimeRange={onChangeTimeRange}
              />
            </PanelContextProvider>
          </ErrorBoundary>
        </div>
      </div>
    </section>
  );
}

function formatRange(range: TimeRange): string {
  const fmt = (d: TimeRange['from']) => d.toISOString().replace('T', ' ').slice(0, 16);
  return `${fmt(range.from)} – ${fmt(range.to)} UTC`;
}

/** Grafana's panel look, from the theme's own panel tokens. */
function getChromeStyles(theme: GrafanaTheme2) {
  const panel = theme.components.panel;
  return {
    chrome: css({
      display: 'flex',
      flexDirection: 'column',
      boxSizing: 'content-box',
      background: panel.background,
      border: `1px solid ${panel.borderColor}`,
      borderRadius: theme.shape.radius.default,
      boxShadow: panel.boxShadow,
    }),
    header: css({
      display: 'flex',
      alignItems: 'center',
      justifyContent: 'space-between',
      gap: theme.spacing(2),
      height: theme.spacing(panel.headerHeight),
      padding: theme.spacing(0, panel.padding),
    }),
    title: css({
      margin: 0,
      minWidth: 0,
      fontSize: theme.typography.h6.fontSize,
      fontWeight: theme.typography.h6.fontWeight,
      color: theme.colors.text.primary,
      whiteSpace: 'nowrap',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
    }),
    range: css({
      fontSize: theme.typography.bodySmall.fontSize,
      color: theme.colors.text.secondary,
      whiteSpace: 'nowrap',
    }),
    reset: css({
      marginLeft: theme.spacing(1),
      background: 'none',
      border: 'none',
      color: theme.colors.text.link,
      cursor: 'pointer',
      font: 'inherit',
    }),
    body: css({
      padding: theme.spacing(0, panel.padding, panel.padding),
    }),
  };
}

interface BoundaryProps {
  readonly errors: ErrorLog;
  readonly source: HostErrorSource;
  /** Who threw, for the message: "The panel", "The host". */
  readonly what: string;
  readonly onError?: () => void;
  readonly children: ReactNode;
}

/** Like Grafana's PanelErrorBoundary: whatever throws while rendering shows its error in place; the page lives on. */
export class ErrorBoundary extends Component<BoundaryProps, { error?: Error }> {
  state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    const wrapped = new Error(`${this.props.what} threw while rendering: ${error.message}`, { cause: error });
    wrapped.stack = `${error.stack ?? ''}\nComponent stack:${info.componentStack ?? ''}`;
    this.props.errors.add(this.props.source, wrapped);
    this.props.onError?.();
  }

  render() {
    if (this.state.error) {
      return <div role="alert">{`${this.props.what} failed: ${this.state.error.message}`}</div>;
    }
    return this.props.children;
  }
}

import { css } from '@emotion/css';
import { dateTimeFormat, GrafanaTheme2 } from '@grafana/data';
import React, { useCallback, useEffect, useState } from 'react';

/** What the demo's receiver returns for each notification Alertmanager delivered (demo/receiver.ts). */
export interface DeliveredAlert {
  readonly receivedAt: number;
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

interface ScenarioInfo {
  readonly name: string;
  readonly description: string;
  readonly playing?: boolean;
}

/** What the simulator says of a replay it started (simulator/live.ts, `LiveState.playing`). */
export interface PlayingInfo {
  readonly scenario: string;
  readonly firstEventAt: string;
  readonly trafficScale: number;
}

const POLL_MS = 5000;

async function getJson<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, init);
  const body = await res.json();
  if (!res.ok) {
    throw new Error(`${url}: ${body?.error ?? res.status}`);
  }
  return body as T;
}

/** Newest first, one line per notification: time, state, alert, severity and stage, and its summary. */
export function alertLines(alerts: readonly DeliveredAlert[]): Array<DeliveredAlert & { key: string }> {
  return [...alerts].reverse().map((a, i) => ({ ...a, key: `${a.receivedAt}-${a.labels.alertname}-${i}` }));
}

/**
 * One line on a replay just started: when its first event comes (a start while another plays leads with the new
 * scenario's own traffic) and how far it was scaled to the demo's usual traffic at this hour.
 */
export function playingLine(p: PlayingInfo): string {
  const at = dateTimeFormat(Date.parse(p.firstEventAt), { format: 'HH:mm:ss' });
  return `${p.scenario}: first event at ${at}, its traffic scaled ${p.trafficScale.toFixed(2)}x to this hour's usual level`;
}

/**
 * Live mode beside the panel: buttons that start the simulator's scenarios now, and the alerts Alertmanager
 * delivered to the demo's receiver, as they arrive.
 */
export function LiveSidebar({ theme, onError }: { theme: GrafanaTheme2; onError: (error: unknown) => void }) {
  const styles = getStyles(theme);
  const [scenarios, setScenarios] = useState<readonly ScenarioInfo[]>([]);
  const [alerts, setAlerts] = useState<readonly DeliveredAlert[]>([]);
  const [started, setStarted] = useState<PlayingInfo | null>(null);

  const refresh = useCallback(() => {
    getJson<{ scenarios: ScenarioInfo[] }>('/api/sim/scenarios').then((r) => setScenarios(r.scenarios), onError);
    getJson<DeliveredAlert[]>('/api/alerts').then(setAlerts, onError);
  }, [onError]);

  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const start = (name: string) =>
    getJson<{ state: { playing: PlayingInfo } }>(`/api/sim/scenarios/${encodeURIComponent(name)}/start`, {
      method: 'POST',
    })
      .then((r) => setStarted(r.state.playing))
      .then(refresh, onError);

  return (
    <aside className={styles.sidebar} data-testid="sandbox-live">
      <h3 className={styles.heading}>Start a scenario now</h3>
      {scenarios.map((s) => (
        <button
          key={s.name}
          type="button"
          className={styles.button}
          title={s.description}
          onClick={() => start(s.name)}
          data-testid={`start-${s.name}`}
        >
          {s.name}
          {(s.playing || started?.scenario === s.name) && <span className={styles.playing}> playing</span>}
        </button>
      ))}
      {started && (
        <p className={styles.note} data-testid="sandbox-playing">
          {playingLine(started)}
        </p>
      )}
      <h3 className={styles.heading}>Alerts delivered ({alerts.length})</h3>
      <ol className={styles.alerts} data-testid="sandbox-alerts">
        {alertLines(alerts).map((a) => (
          <li
            key={a.key}
            className={
              a.status === 'resolved'
                ? styles.resolved
                : a.labels.severity === 'critical'
                  ? styles.critical
                  : styles.warning
            }
          >
            <span className={styles.time}>{dateTimeFormat(a.receivedAt, { format: 'HH:mm:ss' })}</span>{' '}
            {a.status === 'resolved' ? 'resolved' : a.labels.severity} <strong>{a.labels.alertname}</strong>{' '}
            <span className={styles.stage}>{a.labels.stage}</span>
            {a.annotations.summary && <div className={styles.summary}>{a.annotations.summary}</div>}
          </li>
        ))}
      </ol>
    </aside>
  );
}

function getStyles(theme: GrafanaTheme2) {
  return {
    sidebar: css({
      width: 320,
      flex: 'none',
      fontSize: theme.typography.bodySmall.fontSize,
      display: 'flex',
      flexDirection: 'column',
      gap: theme.spacing(0.5),
    }),
    heading: css({ fontSize: theme.typography.h6.fontSize, margin: theme.spacing(1, 0, 0.5) }),
    button: css({
      textAlign: 'left',
      padding: theme.spacing(0.5, 1),
      background: theme.colors.secondary.main,
      color: theme.colors.secondary.contrastText,
      border: `1px solid ${theme.colors.border.weak}`,
      borderRadius: theme.shape.radius.default,
      cursor: 'pointer',
    }),
    playing: css({ color: theme.colors.warning.text }),
    note: css({ margin: 0, color: theme.colors.text.secondary }),
    alerts: css({
      listStyle: 'none',
      margin: 0,
      padding: 0,
      maxHeight: 480,
      overflow: 'auto',
      display: 'flex',
      flexDirection: 'column',
      gap: theme.spacing(0.5),
    }),
    critical: css({ borderLeft: `3px solid ${theme.colors.error.main}`, paddingLeft: theme.spacing(1) }),
    warning: css({ borderLeft: `3px solid ${theme.colors.warning.main}`, paddingLeft: theme.spacing(1) }),
    resolved: css({
      borderLeft: `3px solid ${theme.colors.success.main}`,
      paddingLeft: theme.spacing(1),
      color: theme.colors.text.secondary,
    }),
    time: css({ fontVariantNumeric: 'tabular-nums', color: theme.colors.text.secondary }),
    stage: css({ color: theme.colors.text.secondary }),
    summary: css({ color: theme.colors.text.secondary }),
  };
}

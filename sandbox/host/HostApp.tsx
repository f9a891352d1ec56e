import { GrafanaTheme2, PanelPlugin } from '@grafana/data';
import React, { useEffect, useState } from 'react';

import { allCases, CaseSource, loadCase, sourceOf, CASE_SOURCES } from '../cases';
import type { SandboxCase } from '../cases/types';
import { ControlBar } from './ControlBar';
import { ErrorBox } from './ErrorBox';
import { ErrorLog } from './errors';
import { ErrorBoundary, PanelHost } from './PanelHost';
import { LiveSidebar } from './LiveSidebar';
import { HostParams } from './params';
import { LIVE_CASE } from '../cases/live';

type Phase =
  | { readonly name: 'loading' }
  | { readonly name: 'failed' }
  | { readonly name: 'ready'; readonly plugin: PanelPlugin; readonly sandboxCase: SandboxCase };

export interface HostAppProps {
  readonly params: HostParams;
  readonly theme: GrafanaTheme2;
  readonly errors: ErrorLog;
  readonly loadPlugin: () => Promise<PanelPlugin>;
  readonly sources?: readonly CaseSource[];
  /** Called once: after the panel's first commit, or as soon as loading has failed. */
  readonly onSettle: (outcome: 'rendered' | 'failed') => void;
}

/** The page: controls, the error box, and the panel once the plugin and the case are loaded. */
export function HostApp({ params, theme, errors, loadPlugin, sources = CASE_SOURCES, onSettle }: HostAppProps) {
  const [phase, setPhase] = useState<Phase>({ name: 'loading' });

  useEffect(() => {
    let cancelled = false;
    Promise.all([loadPlugin(), loadCase(params.caseName, sources)])
      .then(([plugin, sandboxCase]) => !cancelled && setPhase({ name: 'ready', plugin, sandboxCase }))
      .catch((error: unknown) => {
        if (!cancelled) {
          errors.add('host', error);
          setPhase({ name: 'failed' });
        }
      });
    return () => {
      cancelled = true;
    };
  }, [params.caseName, loadPlugin, sources, errors]);

  // A live source is reloaded on its refresh interval, keeping the loaded plugin, as a dashboard refreshes.
  const refreshMs = sourceOf(params.caseName, sources)?.refreshMs;
  useEffect(() => {
    if (!refreshMs || phase.name !== 'ready') {
      return;
    }
    const plugin = phase.plugin;
    const timer = setInterval(() => {
      loadCase(params.caseName, sources)
        .then((sandboxCase) => setPhase({ name: 'ready', plugin, sandboxCase }))
        .catch((error: unknown) => errors.add('host', error));
    }, refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs, phase, params.caseName, sources, errors]);

  useEffect(() => {
    if (phase.name === 'failed') {
      onSettle('failed');
    }
  }, [phase, onSettle]);

  return (
    <>
      <ControlBar
        params={params}
        cases={allCases(sources)}
        sourceId={sourceOf(params.caseName, sources)?.id ?? 'none'}
        theme={theme}
      />
      <ErrorBox errors={errors} theme={theme} />
      {phase.name === 'loading' && <p>Loading the plugin and the case…</p>}
      {phase.name === 'ready' && (
        <div style={{ display: 'flex', gap: theme.spacing(2), alignItems: 'flex-start' }}>
          <ErrorBoundary errors={errors} source="host" what="The host" onError={() => onSettle('failed')}>
            <PanelHost
              plugin={phase.plugin}
              sandboxCase={phase.sandboxCase}
              theme={theme}
              width={params.width}
              height={params.height}
              errors={errors}
              onMounted={() => onSettle('rendered')}
              sync={params.sync}
            />
          </ErrorBoundary>
          {params.caseName === LIVE_CASE && <LiveSidebar theme={theme} onError={(e) => errors.add('host', e)} />}
        </div>
      )}
    </>
  );
}

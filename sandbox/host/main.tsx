/**
 * The host page's entry. boot.js has already set window.grafanaBootData (see boot.ts). Order
 * matters: error capture and the draw probe first, then Grafana's registries, then the plugin.
 */
import { createTheme, GrafanaTheme2, ThemeContext } from '@grafana/data';
import { setTemplateSrv } from '@grafana/runtime';
import React from 'react';
import { createRoot } from 'react-dom/client';

import { installDrawProbe } from './drawProbe';
import { captureGlobalErrors, hostErrors } from './errors';
import { HostApp } from './HostApp';
import { HOST_MODULES } from './hostModules';
import { parseHostParams } from './params';
import { loadPanelPlugin } from './pluginLoader';
import { initHostRegistries } from './registries';
import { waitForSettled } from './settle';
import { startBenchPage } from './bench/benchPage';

captureGlobalErrors(window);
const probe = installDrawProbe(window);

/** The page itself takes Grafana's look: background, text colour and font from the theme. */
function styleDocument(theme: GrafanaTheme2): void {
  const { body } = document;
  body.style.margin = '0';
  body.style.padding = theme.spacing(2);
  body.style.background = theme.colors.background.canvas;
  body.style.color = theme.colors.text.primary;
  body.style.fontFamily = theme.typography.fontFamily;
  body.style.fontSize = `${theme.typography.fontSize}px`;
  document.documentElement.style.colorScheme = theme.colors.mode;
}

function start(): void {
  const { params, problems } = parseHostParams(window.location.search);
  problems.forEach((problem) => hostErrors.add('params', problem));

  initHostRegistries();
  // Panels may interpolate through getTemplateSrv(); the host has no variables, so text passes through.
  setTemplateSrv({
    getVariables: () => [],
    replace: (target) => target ?? '',
    containsTemplate: () => false,
    updateTimeRange: () => {},
  });

  const theme = createTheme({ colors: { mode: params.theme } });
  styleDocument(theme);

  const pluginBase = params.plugin ? `/public/plugins/${params.plugin}/` : document.body.dataset.pluginBase;
  const container = document.getElementById('root');
  if (!pluginBase || !container) {
    throw new Error(
      'The host page is missing data-plugin-base on <body> or the #root element; is it served by sandbox/serve.ts?'
    );
  }
  const loadPlugin = () => loadPanelPlugin(pluginBase, HOST_MODULES).then((loaded) => loaded.plugin);

  if (params.mode === 'bench') {
    startBenchPage({ container, params, theme, loadPlugin, probe, errors: hostErrors });
    return;
  }

  let settled = false;
  const markReady = (outcome: 'rendered' | 'failed') => {
    if (settled) {
      return;
    }
    settled = true;
    void waitForSettled(container, probe).then(({ timedOut }) => {
      if (timedOut) {
        hostErrors.add('host', 'The panel was still changing 15 s after mounting; marking the page ready anyway.');
      }
      document.body.dataset.hostState = outcome;
      document.body.dataset.ready = '1';
    });
  };

  createRoot(container).render(
    <ThemeContext.Provider value={theme}>
      <HostApp params={params} theme={theme} errors={hostErrors} loadPlugin={loadPlugin} onSettle={markReady} />
    </ThemeContext.Provider>
  );
}

try {
  start();
} catch (error) {
  hostErrors.add('host', error);
  document.body.dataset.hostState = 'failed';
  document.body.dataset.ready = '1';
  // Nothing rendered the error box: show the message plainly.
  document.body.textContent = `The host page failed to start: ${error instanceof Error ? error.message : String(error)}`;
}

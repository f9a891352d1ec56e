/**
 * Runs as a classic script before the host bundle: @grafana/runtime reads `window.grafanaBootData`
 * while it is being imported (its `config` is built at import time), so the boot data must exist
 * before any module is evaluated. The theme comes from the URL, so `config.theme2` agrees with the
 * theme the host provides to the panel. Grafana's public path is set here too, as Grafana's own
 * index page does.
 */
import { parseHostParams, ThemeMode } from './params';

/** The few parts of Grafana's boot data the runtime reads; everything else keeps the runtime's defaults. */
export interface MinimalBootData {
  assets: { dark: string; light: string };
  settings: {
    appUrl: string;
    appSubUrl: string;
    buildInfo: { version: string; commit: string; env: string; edition: string };
    featureToggles: Record<string, boolean>;
    datasources: Record<string, never>;
    panels: Record<string, never>;
    apps: Record<string, never>;
  };
  user: {
    isSignedIn: boolean;
    login: string;
    name: string;
    theme: ThemeMode;
    lightTheme: boolean;
    timezone: string;
    weekStart: string;
    regionalFormat: string;
    language: string;
    orgId: number;
    orgRole: string;
    permissions: Record<string, boolean>;
  };
  navTree: never[];
}

export function makeBootData(theme: ThemeMode, origin: string): MinimalBootData {
  return {
    assets: { dark: '', light: '' },
    settings: {
      appUrl: `${origin}/`,
      appSubUrl: '',
      buildInfo: { version: '12.4.10', commit: 'cascade-sandbox', env: 'production', edition: 'Open Source' },
      featureToggles: {},
      datasources: {},
      panels: {},
      apps: {},
    },
    user: {
      isSignedIn: false,
      login: 'sandbox',
      name: 'Sandbox',
      theme,
      lightTheme: theme === 'light',
      timezone: 'utc',
      weekStart: 'monday',
      regionalFormat: 'en-US',
      language: 'en-US',
      orgId: 1,
      orgRole: 'Viewer',
      permissions: {},
    },
    navTree: [],
  };
}

/** Where Grafana's static files live; @grafana/ui's Icon loads its SVGs from `<this>build/img/icons/`. */
export const GRAFANA_PUBLIC_PATH = '/public/';

// Only when loaded in a page (the unit tests import makeBootData without a window).
if (typeof window !== 'undefined') {
  const { params } = parseHostParams(window.location.search);
  const grafanaWindow = window as unknown as { grafanaBootData: MinimalBootData; __grafana_public_path__: string };
  grafanaWindow.grafanaBootData = makeBootData(params.theme, window.location.origin);
  grafanaWindow.__grafana_public_path__ = GRAFANA_PUBLIC_PATH;
}

/**
 * The host page's URL parameters: `case`, `theme` (dark|light), `width` and `height` (the panel body
 * in CSS pixels, as Grafana passes them to the panel), `mode` (`panel`, or `bench` for the render
 * benchmark) and `plugin` (another served plugin's id instead of the built one; the host's tests use
 * fixture plugins). Pure, so the page and the tests agree on defaults and on what is rejected.
 */

export type ThemeMode = 'dark' | 'light';
export type HostMode = 'panel' | 'bench';
/** The dashboard's graphTooltip: 0 off (Grafana's default), 1 shared crosshair, 2 shared tooltip. */
export type CursorSyncMode = 'off' | 'crosshair' | 'tooltip';
export const CURSOR_SYNC_MODES: readonly CursorSyncMode[] = ['off', 'crosshair', 'tooltip'];

export interface HostParams {
  readonly caseName: string;
  readonly theme: ThemeMode;
  readonly width: number;
  readonly height: number;
  readonly mode: HostMode;
  /** The dashboard's shared crosshair/tooltip setting, handed to the panel as Grafana does (PanelContext.sync). */
  readonly sync: CursorSyncMode;
  /** Plugin id to load from /public/plugins/<id>/; undefined = the built plugin the server announces. */
  readonly plugin?: string;
}

export const DEFAULT_PARAMS: HostParams = {
  caseName: 'ordinary-day',
  theme: 'dark',
  width: 1000,
  height: 600,
  mode: 'panel',
  sync: 'off',
};

/** Panel sizes people can pick in the control bar (the browser tests use the first two). */
export const SIZE_PRESETS: ReadonlyArray<{ readonly label: string; readonly width: number; readonly height: number }> =
  [
    { label: 'normal 1000×600', width: 1000, height: 600 },
    { label: 'small 400×220', width: 400, height: 220 },
    { label: 'wide 1600×500', width: 1600, height: 500 },
    { label: 'tall 600×900', width: 600, height: 900 },
  ];

export const SIZE_LIMITS = { min: 50, max: 4000 } as const;

export interface ParsedParams {
  readonly params: HostParams;
  /** One message per rejected parameter; the page shows them and falls back to the default. */
  readonly problems: readonly string[];
}

export function parseHostParams(search: string): ParsedParams {
  const query = new URLSearchParams(search);
  const problems: string[] = [];

  const caseName = query.get('case')?.trim() || DEFAULT_PARAMS.caseName;

  const theme = oneOf(query.get('theme'), ['dark', 'light'] as const, DEFAULT_PARAMS.theme, 'theme', problems);
  const mode = oneOf(query.get('mode'), ['panel', 'bench'] as const, DEFAULT_PARAMS.mode, 'mode', problems);
  const width = pixels(query.get('width'), DEFAULT_PARAMS.width, 'width', problems);
  const height = pixels(query.get('height'), DEFAULT_PARAMS.height, 'height', problems);
  const plugin = pluginId(query.get('plugin'), problems);
  const sync = oneOf(query.get('sync'), CURSOR_SYNC_MODES, DEFAULT_PARAMS.sync, 'sync', problems);

  return { params: { caseName, theme, width, height, mode, sync, ...(plugin ? { plugin } : {}) }, problems };
}

/** The query string for `params`, omitting nothing, in a stable order (for links and the control bar). */
export function formatHostParams(params: HostParams): string {
  const query = new URLSearchParams({
    case: params.caseName,
    theme: params.theme,
    width: String(params.width),
    height: String(params.height),
  });
  if (params.mode !== 'panel') {
    query.set('mode', params.mode);
  }
  if (params.plugin) {
    query.set('plugin', params.plugin);
  }
  if (params.sync !== 'off') {
    query.set('sync', params.sync);
  }
  return `?${query.toString()}`;
}

function oneOf<T extends string>(
  raw: string | null,
  allowed: readonly T[],
  fallback: T,
  name: string,
  problems: string[]
): T {
  if (raw === null || raw === '') {
    return fallback;
  }
  if ((allowed as readonly string[]).includes(raw)) {
    return raw as T;
  }
  problems.push(`URL parameter ${name}="${raw}" is not one of ${allowed.join(', ')}; using ${fallback}.`);
  return fallback;
}

function pixels(raw: string | null, fallback: number, name: string, problems: string[]): number {
  if (raw === null || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < SIZE_LIMITS.min || value > SIZE_LIMITS.max) {
    problems.push(
      `URL parameter ${name}="${raw}" must be a whole number of pixels from ${SIZE_LIMITS.min} to ${SIZE_LIMITS.max}; using ${fallback}.`
    );
    return fallback;
  }
  return value;
}

function pluginId(raw: string | null, problems: string[]): string | undefined {
  if (raw === null || raw === '') {
    return undefined;
  }
  if (!/^[a-z0-9][a-z0-9-]*$/.test(raw)) {
    problems.push(
      `URL parameter plugin="${raw}" is not a plugin id (lower-case letters, digits, dashes); loading the built plugin.`
    );
    return undefined;
  }
  return raw;
}

/**
 * Loads the built panel plugin the way Grafana does: plugin.json for its meta, module.js through the
 * AMD loader with the host's shared modules, then the `plugin` export, which must be a PanelPlugin
 * with a panel component.
 */
import { PanelPlugin, PanelPluginMeta } from '@grafana/data';

import { HostModules, loadAmdModule } from './amd';

export interface LoadedPlugin {
  readonly plugin: PanelPlugin;
  readonly meta: PanelPluginMeta;
  readonly moduleUrl: string;
}

export class PluginLoadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PluginLoadError';
  }
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) {
    const hint = response.status === 404 ? ' Is the plugin built? Run `npm run build`.' : '';
    throw new PluginLoadError(`GET ${url} answered ${response.status} ${response.statusText}.${hint}`);
  }
  return response.text();
}

/** `baseUrl` is where Grafana would serve the plugin: `/public/plugins/<id>/`. */
export async function loadPanelPlugin(baseUrl: string, modules: HostModules): Promise<LoadedPlugin> {
  const metaUrl = `${baseUrl}plugin.json`;
  const moduleUrl = `${baseUrl}module.js`;

  let json: unknown;
  try {
    json = JSON.parse(await fetchText(metaUrl));
  } catch (error) {
    throw error instanceof PluginLoadError
      ? error
      : new PluginLoadError(`${metaUrl} is not valid JSON.`, { cause: error });
  }
  const rawMeta = json as Partial<PanelPluginMeta>;
  if (rawMeta.type !== 'panel' || typeof rawMeta.id !== 'string') {
    throw new PluginLoadError(
      `${metaUrl} describes ${JSON.stringify(rawMeta.type)} plugin ${JSON.stringify(rawMeta.id)}; the host renders panel plugins (type "panel" with an id).`
    );
  }

  const exports = await loadAmdModule(moduleUrl, modules, fetchText);
  const plugin = exports.plugin;
  if (!(plugin instanceof PanelPlugin)) {
    const found = Object.keys(exports).join(', ') || 'nothing';
    throw new PluginLoadError(
      `${moduleUrl} must export \`plugin\`, a PanelPlugin built with the host's @grafana/data (found exports: ${found}).`
    );
  }
  if (!plugin.panel) {
    throw new PluginLoadError(`${moduleUrl}: the PanelPlugin has no panel component (new PanelPlugin(null)?).`);
  }
  // Grafana attaches the meta after import (importPanelPlugin), with where the module came from.
  const meta: PanelPluginMeta = {
    ...(rawMeta as PanelPluginMeta),
    module: moduleUrl,
    baseUrl: baseUrl.replace(/\/$/, ''),
  };
  plugin.meta = meta;
  return { plugin, meta, moduleUrl };
}

import {
  applyFieldOverrides,
  createTheme,
  DataFrame,
  FieldConfigSource,
  getPanelOptionsWithDefaults,
} from '@grafana/data';
import { initHostRegistries } from '../../sandbox/host/registries';
import { plugin } from '../module';
import { GrafanaFramesOptions, promBackendFrames, PromQuerySpec } from './promBackend';

export * from './promBackend';

let registriesReady = false;

/** The field config a new Cascade panel has (the panel just added to a dashboard), under the dashboard's saved one. */
export function newPanelFieldConfig(saved?: FieldConfigSource): FieldConfigSource {
  if (!registriesReady) {
    initHostRegistries();
    registriesReady = true;
  }
  return getPanelOptionsWithDefaults({
    plugin,
    currentOptions: {},
    currentFieldConfig: saved ?? { defaults: {}, overrides: [] },
    isAfterPluginChange: true,
  }).fieldConfig;
}

/** `data.series` as the panel receives it: the backend's frames, decoded, with the panel's field config applied. */
export function grafanaFrames(queries: readonly PromQuerySpec[], o: GrafanaFramesOptions): DataFrame[] {
  const frames = promBackendFrames(queries, o);
  const fieldConfig = newPanelFieldConfig(o.fieldConfig);
  return applyFieldOverrides({
    data: frames,
    fieldConfig,
    fieldConfigRegistry: plugin.fieldConfigRegistry,
    replaceVariables: (s) => s,
    theme: createTheme(),
    timeZone: 'utc',
  });
}

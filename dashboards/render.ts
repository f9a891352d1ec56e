/**
 * The provisioned dashboards as functions of the configuration (config/schema.ts). `npm run render`
 * (config/render.ts) writes them with the rest of the set; the JSON rendered from DEFAULT_CONFIG is checked in
 * so Grafana can provision it without this tool, and `npm run render -- --check` fails when it differs.
 */
import type { CascadeConfig } from '../config/schema';
import { deployWatch } from './deployWatch';
import { Dashboard, toJson } from './grafana';
import { overview } from './overview';

/** Each dashboard's repo-relative path and definition. */
export function dashboards(config: CascadeConfig): Map<string, Dashboard> {
  return new Map([
    ['dashboards/cascade-overview.json', overview(config)],
    ['dashboards/deploy-watch.json', deployWatch(config)],
  ]);
}

/** Every dashboard's JSON as Grafana provisions it, keyed by repo-relative path. */
export function renderDashboards(config: CascadeConfig): Map<string, string> {
  return new Map(
    [...dashboards(config)].map(([file, d]) => [file, `${JSON.stringify(toJson(d), null, 2)}\n`] as const)
  );
}

/**
 * Writes the provisioned dashboards' JSON from their definitions (dashboards/*.ts). The JSON is checked in
 * so Grafana can provision it without this tool; a test fails when it differs from what this renders.
 *
 * Run: npm run dashboards
 */
import fs from 'fs';
import path from 'path';
import { deployWatch } from './deployWatch';
import { Dashboard, toJson } from './grafana';
import { overview } from './overview';

export const DASHBOARDS: Record<string, Dashboard> = {
  'cascade-overview.json': overview,
  'deploy-watch.json': deployWatch,
};

export function renderDashboards(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(DASHBOARDS).map(([file, d]) => [file, `${JSON.stringify(toJson(d), null, 2)}\n`])
  );
}

if (require.main === module) {
  for (const [file, text] of Object.entries(renderDashboards())) {
    fs.writeFileSync(path.join(__dirname, file), text);
    console.log(`wrote dashboards/${file}`);
  }
}

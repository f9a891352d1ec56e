/**
 * Writes the Kubernetes manifests and the jsonnet mixin (alerts/render/kubernetes.ts) for the default
 * configuration, from the pack and the dashboards as rendered now. `npm run render` takes this over.
 *
 * Run: npx tsx scripts/render-kubernetes.ts
 */
import fs from 'fs';
import path from 'path';

import { renderKubernetes } from '../alerts/render/kubernetes';
import { buildPack } from '../alerts/rules/pack';
import { DEFAULT_CONFIG } from '../config/schema';
import { renderDashboards } from '../dashboards/render';

const root = path.join(__dirname, '..');
const dashboards = new Map(Object.entries(renderDashboards()).map(([file, text]) => [`dashboards/${file}`, text]));
for (const [file, text] of renderKubernetes(DEFAULT_CONFIG, buildPack(DEFAULT_CONFIG), dashboards)) {
  fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  fs.writeFileSync(path.join(root, file), text);
  console.log(`wrote ${file} (${Buffer.byteLength(text)} bytes)`);
}

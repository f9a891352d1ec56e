/**
 * What Grafana's plugin validator checks that can be checked here (the validator itself downloads a
 * binary at run time, which these machines cannot): plugin.json's id and required fields, that the logos
 * and screenshots it names exist, CHANGELOG.md and LICENSE, a README that is not the scaffold's template,
 * and the source map next to module.js.
 *
 * Run after `npm run build`: npx tsx scripts/validate-plugin.ts [dist]
 */
import fs from 'fs';
import path from 'path';

/** Grafana's plugin id rule: org-name-type, lower case, type one of the plugin types. */
export const PLUGIN_ID = /^[a-z0-9]+(-[a-z0-9]+)*-(panel|datasource|app)$/;

const TEMPLATE_MARKERS = [/This template is a starting point/i, /Grafana panel plugin template/i, /<!-- This README file/i, /\{\{\s*\w+\s*\}\}/];

export function validatePlugin(dist: string): string[] {
  const problems: string[] = [];
  const file = (name: string) => path.join(dist, name);
  const exists = (name: string) => fs.existsSync(file(name));

  if (!exists('plugin.json')) {
    return [`${file('plugin.json')} is missing: build the plugin first (npm run build)`];
  }
  let plugin: Record<string, unknown>;
  try {
    plugin = JSON.parse(fs.readFileSync(file('plugin.json'), 'utf8'));
  } catch (e) {
    return [`plugin.json is not valid JSON: ${(e as Error).message}`];
  }
  const info = (plugin.info ?? {}) as Record<string, unknown>;
  const id = String(plugin.id ?? '');
  if (!PLUGIN_ID.test(id)) {
    problems.push(`plugin.json id "${id}" does not match ${PLUGIN_ID}`);
  }
  if (plugin.type && !id.endsWith(`-${plugin.type}`)) {
    problems.push(`plugin.json id "${id}" does not end with its type "${plugin.type}"`);
  }
  for (const field of ['type', 'name', 'id']) {
    if (!plugin[field]) {
      problems.push(`plugin.json has no ${field}`);
    }
  }
  if (!info.description || String(info.description).trim().length < 10) {
    problems.push('plugin.json info.description is missing or too short');
  }
  if (!(info.author as Record<string, unknown> | undefined)?.name) {
    problems.push('plugin.json info.author.name is missing');
  }
  if (!Array.isArray(info.keywords) || info.keywords.length === 0) {
    problems.push('plugin.json info.keywords is empty');
  }
  if (!/^\d+\.\d+\.\d+/.test(String(info.version ?? ''))) {
    problems.push(`plugin.json info.version "${info.version}" is not a version (was %VERSION% replaced?)`);
  }
  if (!(plugin.dependencies as Record<string, unknown> | undefined)?.grafanaDependency) {
    problems.push('plugin.json dependencies.grafanaDependency is missing');
  }
  const logos = (info.logos ?? {}) as Record<string, string>;
  for (const size of ['small', 'large']) {
    if (!logos[size]) {
      problems.push(`plugin.json info.logos.${size} is missing`);
    } else if (!exists(logos[size])) {
      problems.push(`logo ${logos[size]} named in plugin.json is not in ${dist}`);
    }
  }
  const screenshots = Array.isArray(info.screenshots) ? (info.screenshots as Array<{ name?: string; path?: string }>) : [];
  if (screenshots.length === 0) {
    problems.push('plugin.json info.screenshots is empty');
  }
  for (const s of screenshots) {
    if (!s.path || !exists(s.path)) {
      problems.push(`screenshot ${s.path} named in plugin.json is not in ${dist}`);
    }
    if (!s.name) {
      problems.push(`screenshot ${s.path} has no name`);
    }
  }
  for (const required of ['module.js', 'module.js.map', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
    if (!exists(required)) {
      problems.push(`${required} is missing from ${dist}`);
    }
  }
  if (exists('README.md')) {
    const readme = fs.readFileSync(file('README.md'), 'utf8');
    if (TEMPLATE_MARKERS.some((m) => m.test(readme))) {
      problems.push('README.md still reads like the scaffold template');
    }
    if (readme.length < 500) {
      problems.push('README.md is too short to describe the plugin');
    }
  }
  if (exists('CHANGELOG.md') && !/^##?\s*\d+\.\d+\.\d+/m.test(fs.readFileSync(file('CHANGELOG.md'), 'utf8'))) {
    problems.push('CHANGELOG.md has no version entry');
  }
  return problems;
}

if (require.main === module) {
  const dist = process.argv[2] ?? path.resolve(__dirname, '..', 'dist');
  const problems = validatePlugin(dist);
  if (problems.length > 0) {
    console.error(`Plugin check failed for ${dist}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`Plugin check passed for ${dist}`);
}

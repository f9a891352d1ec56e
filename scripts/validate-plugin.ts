/**
 * What Grafana's plugin validator (github.com/grafana/plugin-validator) checks that can be checked offline
 * (the validator itself downloads a binary at run time, which these machines cannot), under its analyzers'
 * names: metadata / metadatavalid / pluginname / typesuffix (plugin.json's id, type and fields),
 * grafanadependency, logos / screenshots / metadatapaths (the files it names exist), unsafesvg, changelog,
 * license, readme / templatereadme, brokenlinks' relative-link rule (README links must be absolute: the
 * catalogue shows the README away from the repository), jsMap (module.js.map), trackingscripts, the
 * code-rules rule no-direct-css-imports on the source, no dangerouslySetInnerHTML in module.js, and
 * archive / archivename on a packaged zip (validateArchive). NOT_CHECKED names the rest.
 *
 * Run after `npm run build`: npx tsx scripts/validate-plugin.ts [dist]
 */
import fs from 'fs';
import path from 'path';
import { listZip } from './zip';

/** Grafana's plugin id rule: org-name-type, lower case, type one of the plugin types. */
export const PLUGIN_ID = /^[a-z0-9]+(-[a-z0-9]+)*-(panel|datasource|app)$/;

const TEMPLATE_MARKERS = [
  /This template is a starting point/i,
  /Grafana panel plugin template/i,
  /<!-- This README file/i,
  /\{\{\s*\w+\s*\}\}/,
];

/** The validator's analyzers this script cannot run, and why: the output and the README name them. */
export const NOT_CHECKED: ReadonlyArray<readonly [string, string]> = [
  ['signature, manifest', 'needs the signed MANIFEST.txt from `npm run sign` and Grafana\u2019s keys'],
  ['brokenlinks (reachability)', 'fetches every README and plugin.json URL'],
  ['code-rules (other than no-direct-css-imports)', 'runs semgrep over the source'],
  ['virusscan', 'runs clamscan'],
  ['osv-scanner, sourcecode, codediff, llmreview', 'need the network, the published source or an API key'],
  ['org, published-plugin, version', 'ask grafana.com about the organisation and earlier versions'],
  ['provenance', 'needs a build attestation from CI'],
];

/** The validator's no-direct-css-imports rule (semgrep), as regular expressions over one source file. */
const CSS_IMPORT_RULES = [
  /import\s+['"].*\.(css|scss|less)['"]/,
  /import\s*\{[^}]*\bGlobal\b[^}]*\}\s*from\s*['"]@emotion\/react['"]/,
  /<Global[\s/>]/,
];
const TRACKING = [
  /google-analytics\.com/,
  /googletagmanager\.com/,
  /api\.segment\.io/,
  /static\.hotjar\.com/,
  /mixpanel\.com/,
];
const LICENSES = [/Apache License/i, /\bMIT License\b/i, /\bBSD\b/, /GNU (Affero |Lesser )?General Public License/i];
const PLUGIN_TYPES = ['panel', 'datasource', 'app', 'renderer', 'secretsmanager'];

/** Markdown links and images whose target is not absolute (http(s), mailto or an in-page anchor). */
export function relativeLinks(markdown: string): string[] {
  const out: string[] = [];
  for (const m of markdown.matchAll(/\[.+?\]\((.+?)\)/g)) {
    const target = m[1].trim().split(/\s+/)[0];
    if (!/^(https?:\/\/|mailto:|#)/.test(target)) {
      out.push(target);
    }
  }
  return out;
}

/** Source files (not tests) that import CSS directly or use emotion's Global, per the no-direct-css-imports rule. */
export function directCssImports(sourceDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        walk(full);
      } else if (/\.(ts|tsx|jsx)$/.test(e.name) && !/\.(test|spec)\.tsx?$/.test(e.name)) {
        const text = fs.readFileSync(full, 'utf8');
        if (CSS_IMPORT_RULES.some((r) => r.test(text))) {
          out.push(path.relative(path.dirname(sourceDir), full));
        }
      }
    }
  };
  walk(sourceDir);
  return out;
}

/** What the validator's unsafesvg analyzer rejects: scripts, event handlers, foreign content, outside references. */
export function unsafeSvg(svg: string): string[] {
  const found: string[] = [];
  if (/<script/i.test(svg)) {
    found.push('a <script> element');
  }
  if (/\son[a-z]+\s*=/i.test(svg)) {
    found.push('an event handler attribute');
  }
  if (/<foreignObject/i.test(svg)) {
    found.push('a <foreignObject>');
  }
  if (/(xlink:)?href\s*=\s*["'](?!#)/i.test(svg)) {
    found.push('a reference outside the file');
  }
  return found;
}

/** The packaged zip: one folder named by the plugin id, holding plugin.json and module.js (archive, archivename). */
export function validateArchive(zipPath: string): string[] {
  let names: string[];
  try {
    names = listZip(fs.readFileSync(zipPath));
  } catch (e) {
    return [`${zipPath}: ${(e as Error).message}`];
  }
  if (names.length === 0) {
    return [`${zipPath} is empty`];
  }
  const roots = [...new Set(names.map((n) => n.split('/')[0]))];
  if (roots.length !== 1 || !names.every((n) => n.includes('/'))) {
    return [`${zipPath} must hold exactly one folder (the plugin id); it holds ${roots.join(', ')}`];
  }
  const problems: string[] = [];
  const [root] = roots;
  if (root === 'dist') {
    problems.push(`${zipPath}: the folder is named dist; it must be named by the plugin id`);
  }
  for (const required of ['plugin.json', 'module.js']) {
    if (!names.includes(`${root}/${required}`)) {
      problems.push(`${zipPath} has no ${root}/${required}`);
    }
  }
  if (problems.length === 0 && !PLUGIN_ID.test(root)) {
    problems.push(`${zipPath}: folder ${root} is not a plugin id`);
  }
  return problems;
}

export function validatePlugin(dist: string, opts: { source?: string } = {}): string[] {
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
  const screenshots = Array.isArray(info.screenshots)
    ? (info.screenshots as Array<{ name?: string; path?: string }>)
    : [];
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
  if (exists('README.md')) {
    for (const link of relativeLinks(fs.readFileSync(file('README.md'), 'utf8'))) {
      problems.push(`README.md: relative link ${link} (the catalogue needs absolute https:// links)`);
    }
  }
  if (plugin.type && !PLUGIN_TYPES.includes(String(plugin.type))) {
    problems.push(`plugin.json type "${plugin.type}" is not one of ${PLUGIN_TYPES.join(', ')}`);
  }
  const dependency = String((plugin.dependencies as Record<string, unknown> | undefined)?.grafanaDependency ?? '');
  if (dependency && !/^(>=|>|~|\^|=)?\s*\d+\.\d+\.\d+/.test(dependency)) {
    problems.push(`plugin.json dependencies.grafanaDependency "${dependency}" is not a version range such as >=12.3.0`);
  }
  if (!/^\d{4}-\d{2}-\d{2}/.test(String(info.updated ?? ''))) {
    problems.push(`plugin.json info.updated "${info.updated}" is not a date (was %TODAY% replaced?)`);
  }
  for (const link of Array.isArray(info.links) ? (info.links as Array<{ name?: string; url?: string }>) : []) {
    if (!link.name || !/^https:\/\//.test(link.url ?? '')) {
      problems.push(`plugin.json info.links entry ${JSON.stringify(link)} needs a name and an https:// url`);
    }
  }
  for (const s of screenshots) {
    if (s.path && !/\.(png|jpe?g|gif|svg|webp)$/i.test(s.path)) {
      problems.push(`screenshot ${s.path} is not an image the catalogue shows`);
    }
  }
  for (const lang of Array.isArray(plugin.languages) ? (plugin.languages as string[]) : []) {
    if (!exists(`locales/${lang}/${id}.json`)) {
      problems.push(`plugin.json languages lists ${lang}, but locales/${lang}/${id}.json is not in ${dist}`);
    }
  }
  for (const logo of new Set(Object.values(logos))) {
    if (logo?.endsWith('.svg') && exists(logo)) {
      for (const what of unsafeSvg(fs.readFileSync(file(logo), 'utf8'))) {
        problems.push(`logo ${logo} has ${what}`);
      }
    }
  }
  if (exists('LICENSE') && !LICENSES.some((l) => l.test(fs.readFileSync(file('LICENSE'), 'utf8')))) {
    problems.push('LICENSE is not one the catalogue accepts (Apache 2.0, MIT, BSD, GPL3, LGPL3, AGPL3)');
  }
  if (exists('module.js')) {
    const moduleJs = fs.readFileSync(file('module.js'), 'utf8');
    if (moduleJs.includes('dangerouslySetInnerHTML')) {
      problems.push('module.js uses dangerouslySetInnerHTML');
    }
    for (const t of TRACKING.filter((r) => r.test(moduleJs))) {
      problems.push(`module.js contains a tracking script (${t.source.replace(/\\/g, '')})`);
    }
  }
  if (opts.source) {
    for (const f of directCssImports(opts.source)) {
      problems.push(`${f} imports CSS directly or uses emotion's Global (no-direct-css-imports)`);
    }
  }
  return problems;
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const dist = process.argv[2] ?? path.join(root, 'dist');
  const problems = validatePlugin(dist, { source: path.join(root, 'src') });
  const notChecked = `Not checked here (they need the validator's binary, the network or a signature):\n${NOT_CHECKED.map(
    ([what, why]) => `  - ${what}: ${why}`
  ).join('\n')}`;
  if (problems.length > 0) {
    console.error(`Plugin check failed for ${dist}:\n${problems.map((p) => `  - ${p}`).join('\n')}\n${notChecked}`);
    process.exit(1);
  }
  console.log(`Plugin check passed for ${dist}\n${notChecked}`);
}

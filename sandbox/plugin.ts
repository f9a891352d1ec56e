/**
 * Is `dist/` (what the host loads) built from the current sources? `npm start` and the browser
 * tests rebuild the plugin when it is missing or older than anything webpack reads.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';

import { REPO_ROOT } from './build';

export interface SourceFile {
  readonly path: string;
  readonly mtimeMs: number;
}

export type BuildDecision =
  { readonly build: false; readonly reason: string } | { readonly build: true; readonly reason: string };

/** Pure: whether the built module (mtime, or undefined when absent) must be rebuilt from `sources`. */
export function decidePluginBuild(builtMtimeMs: number | undefined, sources: readonly SourceFile[]): BuildDecision {
  if (builtMtimeMs === undefined) {
    return { build: true, reason: 'dist/module.js is missing' };
  }
  const newer = sources.filter((s) => s.mtimeMs > builtMtimeMs).sort((a, b) => b.mtimeMs - a.mtimeMs);
  if (newer.length > 0) {
    const more = newer.length > 1 ? ` and ${newer.length - 1} more` : '';
    return { build: true, reason: `dist/module.js is older than ${newer[0].path}${more}` };
  }
  return { build: false, reason: 'dist/module.js is up to date' };
}

/** Files webpack's output depends on: the plugin sources and the build configuration. */
export function pluginSources(root: string = REPO_ROOT): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else {
        files.push({ path: path.relative(root, full), mtimeMs: statSync(full).mtimeMs });
      }
    }
  };
  for (const dir of ['src', '.config/webpack', '.config/bundler']) {
    if (existsSync(path.join(root, dir))) {
      walk(path.join(root, dir));
    }
  }
  for (const file of ['package.json', 'tsconfig.json']) {
    if (existsSync(path.join(root, file))) {
      files.push({ path: file, mtimeMs: statSync(path.join(root, file)).mtimeMs });
    }
  }
  return files;
}

export function distModulePath(root: string = REPO_ROOT): string {
  return path.join(root, 'dist', 'module.js');
}

export function pluginBuildDecision(root: string = REPO_ROOT): BuildDecision {
  const built = distModulePath(root);
  return decidePluginBuild(existsSync(built) ? statSync(built).mtimeMs : undefined, pluginSources(root));
}

/** The plugin id from dist/plugin.json (where the host serves the plugin: /public/plugins/<id>/). */
export function builtPluginId(root: string = REPO_ROOT): string {
  const file = path.join(root, 'dist', 'plugin.json');
  let json: { id?: unknown; type?: unknown };
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(
      `Cannot read ${path.relative(root, file)}: ${(error as Error).message}. Run \`npm run build\` first.`
    );
  }
  if (typeof json.id !== 'string' || !/^[a-z0-9-]+$/.test(json.id)) {
    throw new Error(`${path.relative(root, file)} has no valid "id" (expected lower-case letters, digits and dashes).`);
  }
  return json.id;
}

/** Runs `npm run build` when the decision says so; output goes to this process' stderr. */
export async function ensurePluginBuilt(
  root: string = REPO_ROOT,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`)
): Promise<BuildDecision> {
  const decision = pluginBuildDecision(root);
  if (!decision.build) {
    return decision;
  }
  log(`[sandbox] ${decision.reason}: running \`npm run build\`…`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`\`npm run build\` failed with exit code ${code}.`))
    );
  });
  // Webpack leaves an unchanged module.js as it was, so a change that does not alter the bundle (a README, a
  // comment) would otherwise trigger this build again on every start.
  const now = new Date();
  utimesSync(distModulePath(root), now, now);
  return decision;
}

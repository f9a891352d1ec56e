/**
 * Bundles the host page with esbuild into artifacts/sandbox-host/<label>/ (git-ignored): `boot.js`, a classic script that sets
 * Grafana's boot data before anything else runs, and `main.js`, an ES module with React, the real
 * @grafana/data|ui|runtime, the case generator and the host; packages only some plugins ask for are
 * split into chunks loaded on demand. Production React, as in Grafana, so benchmarks mean something.
 */
import { build, BuildOptions, Metafile } from 'esbuild';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';

export const SANDBOX_DIR = __dirname;
export const REPO_ROOT = path.resolve(__dirname, '..');
export const HOST_BUILD_ROOT = path.join(REPO_ROOT, 'artifacts', 'sandbox-host');

/** Each user of the bundle (server, each test file, the benchmark) builds into its own folder, so parallel runs never collide. */
export function hostBuildDir(label: string): string {
  if (!/^[a-z0-9-]+$/.test(label)) {
    throw new Error(`Bundle label "${label}" must be lower-case letters, digits and dashes.`);
  }
  return path.join(HOST_BUILD_ROOT, label);
}

export interface HostBundle {
  readonly outDir: string;
  /** Stylesheets the page must link (emitted when the bundle imports CSS), relative to outDir. */
  readonly stylesheets: readonly string[];
  readonly millis: number;
}

const shared: BuildOptions = {
  absWorkingDir: REPO_ROOT,
  bundle: true,
  minify: true,
  sourcemap: 'linked',
  target: 'es2020',
  platform: 'browser',
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  loader: { '.svg': 'file', '.png': 'file', '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file' },
  logLevel: 'silent',
  legalComments: 'none',
};

export async function buildHostBundle(outDir: string): Promise<HostBundle> {
  const started = Date.now();
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const entry = (file: string) => path.join(SANDBOX_DIR, 'host', file);
  try {
    const [, main] = await Promise.all([
      build({ ...shared, entryPoints: { boot: entry('boot.ts') }, format: 'iife', outdir: outDir }),
      build({
        ...shared,
        entryPoints: { main: entry('main.tsx') },
        format: 'esm',
        splitting: true,
        chunkNames: 'chunks/[name]-[hash]',
        assetNames: 'assets/[name]-[hash]',
        outdir: outDir,
        metafile: true,
      }),
    ]);
    return { outDir, stylesheets: stylesheetsOf(main.metafile, outDir), millis: Date.now() - started };
  } catch (error) {
    throw new Error(`Bundling the sandbox host page failed:\n${formatBuildError(error)}`, { cause: error });
  }
}

function stylesheetsOf(metafile: Metafile | undefined, outDir: string): string[] {
  return Object.keys(metafile?.outputs ?? {})
    .filter((file) => file.endsWith('.css'))
    .map((file) => path.relative(outDir, path.resolve(REPO_ROOT, file)))
    .filter((file) => existsSync(path.join(outDir, file)));
}

function formatBuildError(error: unknown): string {
  const errors = (error as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> })
    .errors;
  if (!errors?.length) {
    return error instanceof Error ? error.message : String(error);
  }
  return errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text)).join('\n');
}

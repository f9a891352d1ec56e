/**
 * The CLIs (`cascade-sim`, `cascade-rules`) must run where only `dependencies` are installed (`npm install
 * --omit=dev`, or the package installed as someone else's dependency): every package they load at run time,
 * the TypeScript loader included, is a dependency, not a devDependency.
 */
import { buildSync } from 'esbuild';
import { builtinModules } from 'module';
import fs from 'fs';
import path from 'path';

const ROOT = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The package a bare import names: `@scope/name/sub` -> `@scope/name`, `name/sub` -> `name`. */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Every package an entry loads, following the project's own files (esbuild resolves them as Node would). */
function packagesLoadedBy(entry: string): string[] {
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    packages: 'external',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const imports = Object.values(result.metafile!.inputs).flatMap((input) => input.imports);
  const builtins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
  return [...new Set(imports.filter((i) => i.external && !builtins.has(i.path)).map((i) => packageOf(i.path)))].sort();
}

describe.each(Object.entries(pkg.bin))('the %s command', (_name, bin) => {
  const loaded = packagesLoadedBy(path.join(ROOT, bin));

  it('loads packages (so this check sees its whole tree)', () => {
    expect(loaded).toContain('tsx');
    expect(loaded.length).toBeGreaterThan(2);
  });

  it('loads only runtime dependencies', () => {
    expect(loaded.filter((p) => !(p in pkg.dependencies))).toEqual([]);
  });
});

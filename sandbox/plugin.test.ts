import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { builtPluginId, decidePluginBuild, ensurePluginBuilt, pluginBuildDecision, pluginSources } from './plugin';

describe('decidePluginBuild', () => {
  const sources = [
    { path: 'src/module.ts', mtimeMs: 1000 },
    { path: 'src/components/CascadePanel.tsx', mtimeMs: 3000 },
    { path: 'package.json', mtimeMs: 500 },
  ];

  test('builds when dist/module.js is missing', () => {
    expect(decidePluginBuild(undefined, sources)).toEqual({ build: true, reason: 'dist/module.js is missing' });
  });

  test('builds when a source is newer, naming the newest', () => {
    expect(decidePluginBuild(2000, sources)).toEqual({
      build: true,
      reason: 'dist/module.js is older than src/components/CascadePanel.tsx',
    });
    expect(decidePluginBuild(800, sources).reason).toBe(
      'dist/module.js is older than src/components/CascadePanel.tsx and 1 more'
    );
  });

  test('does not build when the module is newer than every source', () => {
    expect(decidePluginBuild(3000, sources).build).toBe(false);
    expect(decidePluginBuild(10, []).build).toBe(false);
  });
});

describe('against a project folder', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'sandbox-plugin-'));
    await mkdir(path.join(root, 'src', 'components'), { recursive: true });
    await writeFile(path.join(root, 'src', 'module.ts'), '');
    await writeFile(path.join(root, 'src', 'components', 'Panel.tsx'), '');
    await writeFile(path.join(root, 'package.json'), '{}');
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('finds the sources webpack reads, nested folders included', () => {
    expect(
      pluginSources(root)
        .map((s) => s.path)
        .sort()
    ).toEqual(['package.json', 'src/components/Panel.tsx', 'src/module.ts']);
  });

  test('says a fresh dist is up to date and a stale one is not', async () => {
    await mkdir(path.join(root, 'dist'));
    const built = path.join(root, 'dist', 'module.js');
    await writeFile(built, 'define([], () => ({}))');
    const later = new Date(Date.now() + 60_000);
    await utimes(built, later, later);
    expect(pluginBuildDecision(root)).toEqual({ build: false, reason: 'dist/module.js is up to date' });

    const earlier = new Date(Date.now() - 60_000);
    await utimes(built, earlier, earlier);
    expect(pluginBuildDecision(root).build).toBe(true);
  });

  test('reads the plugin id from dist/plugin.json, and explains a missing or bad one', async () => {
    expect(() => builtPluginId(root)).toThrow('Cannot read dist/plugin.json');
    await mkdir(path.join(root, 'dist'));
    await writeFile(path.join(root, 'dist', 'plugin.json'), '{"id": "../../etc"}');
    expect(() => builtPluginId(root)).toThrow('dist/plugin.json has no valid "id"');
    await writeFile(path.join(root, 'dist', 'plugin.json'), '{"id": "cascadewatch-cascade-panel", "type": "panel"}');
    expect(builtPluginId(root)).toBe('cascadewatch-cascade-panel');
  });
});

describe('ensurePluginBuilt', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cascade-ensure-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  test('builds once for a change that leaves the bundle as it was, not on every start after it', async () => {
    // A build that, like webpack with an unchanged bundle, does not rewrite dist/module.js.
    await writeFile(path.join(root, 'package.json'), JSON.stringify({ scripts: { build: 'node -e ""' } }));
    await mkdir(path.join(root, 'dist'));
    await mkdir(path.join(root, 'src'));
    await writeFile(path.join(root, 'dist', 'module.js'), '');
    await writeFile(path.join(root, 'src', 'README.md'), 'newer than the bundle');
    const past = new Date(Date.now() - 60_000);
    await utimes(path.join(root, 'dist', 'module.js'), past, past);
    await utimes(path.join(root, 'package.json'), past, past);

    const logged: string[] = [];
    expect((await ensurePluginBuilt(root, (line) => logged.push(line))).build).toBe(true);
    expect(logged.join('\n')).toMatch(/src\/README\.md/);
    expect(pluginBuildDecision(root).build).toBe(false);
  });
});

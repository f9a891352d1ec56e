import fs from 'fs';
import os from 'os';
import path from 'path';
import { PLUGIN_ID, validatePlugin } from './validate-plugin';

const DIST = path.resolve(__dirname, '..', 'dist');

/** A minimal plugin folder that passes, to break one thing at a time. */
function goodPlugin(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-validate-'));
  fs.mkdirSync(path.join(dir, 'img'));
  fs.writeFileSync(path.join(dir, 'img', 'logo.svg'), '<svg/>');
  fs.writeFileSync(path.join(dir, 'img', 'shot.png'), 'png');
  fs.writeFileSync(
    path.join(dir, 'plugin.json'),
    JSON.stringify({
      type: 'panel',
      name: 'Example',
      id: 'acme-example-panel',
      info: {
        description: 'An example panel for the test.',
        author: { name: 'Acme' },
        keywords: ['example'],
        version: '1.2.3',
        logos: { small: 'img/logo.svg', large: 'img/logo.svg' },
        screenshots: [{ name: 'Shot', path: 'img/shot.png' }],
      },
      dependencies: { grafanaDependency: '>=12.3.0' },
    })
  );
  for (const f of ['module.js', 'module.js.map', 'LICENSE']) {
    fs.writeFileSync(path.join(dir, f), 'x');
  }
  fs.writeFileSync(path.join(dir, 'CHANGELOG.md'), '# Changelog\n\n## 1.2.3\n\n- First.\n');
  fs.writeFileSync(path.join(dir, 'README.md'), `# Example\n\n${'A real description of what it does. '.repeat(20)}`);
  return dir;
}

function edit(dir: string, file: string, change: (json: Record<string, any>) => void) {
  const p = path.join(dir, file);
  const json = JSON.parse(fs.readFileSync(p, 'utf8'));
  change(json);
  fs.writeFileSync(p, JSON.stringify(json));
}

describe('validatePlugin', () => {
  it('passes a complete plugin', () => {
    expect(validatePlugin(goodPlugin())).toEqual([]);
  });

  it('checks the id pattern', () => {
    expect(PLUGIN_ID.test('cascadewatch-cascade-panel')).toBe(true);
    expect(PLUGIN_ID.test('Cascade_Panel')).toBe(false);
    const dir = goodPlugin();
    edit(dir, 'plugin.json', (j) => (j.id = 'acme-example-app'));
    expect(validatePlugin(dir)).toEqual(['plugin.json id "acme-example-app" does not end with its type "panel"']);
  });

  it('finds missing files: logos, screenshots, the source map', () => {
    const dir = goodPlugin();
    fs.rmSync(path.join(dir, 'img', 'shot.png'));
    fs.rmSync(path.join(dir, 'module.js.map'));
    expect(validatePlugin(dir)).toEqual([`screenshot img/shot.png named in plugin.json is not in ${dir}`, `module.js.map is missing from ${dir}`]);
  });

  it('finds an unreplaced version and a template README', () => {
    const dir = goodPlugin();
    edit(dir, 'plugin.json', (j) => (j.info.version = '%VERSION%'));
    fs.writeFileSync(path.join(dir, 'README.md'), `<!-- This README file is going to be the one displayed -->${'x'.repeat(600)}`);
    expect(validatePlugin(dir)).toEqual([
      'plugin.json info.version "%VERSION%" is not a version (was %VERSION% replaced?)',
      'README.md still reads like the scaffold template',
    ]);
  });

  it('says to build first when there is nothing', () => {
    expect(validatePlugin(path.join(os.tmpdir(), 'no-such-dist'))[0]).toMatch(/build the plugin first/);
  });

  // The real build: `npm test` builds before running the suites.
  it('passes the built plugin in dist/', () => {
    expect(validatePlugin(DIST)).toEqual([]);
  });
});

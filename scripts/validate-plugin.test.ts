import fs from 'fs';
import os from 'os';
import path from 'path';
import { packagePlugin } from './package-plugin';
import { directCssImports, PLUGIN_ID, relativeLinks, validateArchive, validatePlugin } from './validate-plugin';
import { listZip, writeZip } from './zip';

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
        updated: '2026-11-29',
        logos: { small: 'img/logo.svg', large: 'img/logo.svg' },
        screenshots: [{ name: 'Shot', path: 'img/shot.png' }],
      },
      dependencies: { grafanaDependency: '>=12.3.0' },
    })
  );
  for (const f of ['module.js', 'module.js.map']) {
    fs.writeFileSync(path.join(dir, f), 'x');
  }
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'Apache License\nVersion 2.0, January 2004\n');
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
    expect(validatePlugin(dir)).toEqual([
      `screenshot img/shot.png named in plugin.json is not in ${dir}`,
      `module.js.map is missing from ${dir}`,
    ]);
  });

  it('finds an unreplaced version and a template README', () => {
    const dir = goodPlugin();
    edit(dir, 'plugin.json', (j) => (j.info.version = '%VERSION%'));
    fs.writeFileSync(
      path.join(dir, 'README.md'),
      `<!-- This README file is going to be the one displayed -->${'x'.repeat(600)}`
    );
    expect(validatePlugin(dir)).toEqual([
      'plugin.json info.version "%VERSION%" is not a version (was %VERSION% replaced?)',
      'README.md still reads like the scaffold template',
    ]);
  });

  it('says to build first when there is nothing', () => {
    expect(validatePlugin(path.join(os.tmpdir(), 'no-such-dist'))[0]).toMatch(/build the plugin first/);
  });

  it('rejects relative README links, as the catalogue\u2019s broken-links check does', () => {
    expect(
      relativeLinks('[a](https://x.io/a) [b](docs/b.md) ![c](img/c.png "alt") [d](#top) [e](mailto:x@y.z)')
    ).toEqual(['docs/b.md', 'img/c.png']);
    const dir = goodPlugin();
    fs.appendFileSync(path.join(dir, 'README.md'), '\nSee [the alerts](alerts/README.md).\n');
    expect(validatePlugin(dir)).toEqual([
      'README.md: relative link alerts/README.md (the catalogue needs absolute https:// links)',
    ]);
  });

  it('finds dangerouslySetInnerHTML and tracking scripts in module.js, an unsafe SVG logo, a licence it does not know', () => {
    const dir = goodPlugin();
    fs.writeFileSync(
      path.join(dir, 'module.js'),
      'x.dangerouslySetInnerHTML={__html:y};fetch("https://www.google-analytics.com/c")'
    );
    fs.writeFileSync(path.join(dir, 'img', 'logo.svg'), '<svg onload="alert(1)"><script>x()</script></svg>');
    fs.writeFileSync(path.join(dir, 'LICENSE'), 'All rights reserved.');
    expect(validatePlugin(dir)).toEqual([
      'logo img/logo.svg has a <script> element',
      'logo img/logo.svg has an event handler attribute',
      'LICENSE is not one the catalogue accepts (Apache 2.0, MIT, BSD, GPL3, LGPL3, AGPL3)',
      'module.js uses dangerouslySetInnerHTML',
      'module.js contains a tracking script (google-analytics.com)',
    ]);
  });

  it('finds direct CSS imports in the source (no-direct-css-imports), not in tests', () => {
    const src = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-src-'));
    fs.mkdirSync(path.join(src, 'components'));
    fs.writeFileSync(
      path.join(src, 'components', 'Chart.tsx'),
      "import uPlot from 'uplot';\nimport 'uplot/dist/uPlot.min.css';\n"
    );
    fs.writeFileSync(path.join(src, 'components', 'Glob.tsx'), "import { Global } from '@emotion/react';\n");
    fs.writeFileSync(path.join(src, 'components', 'Chart.test.tsx'), "import './x.css';\n");
    fs.writeFileSync(path.join(src, 'ok.ts'), "import { css } from '@emotion/css';\n");
    expect(directCssImports(src).sort()).toEqual(
      [
        path.join(path.basename(src), 'components', 'Chart.tsx'),
        path.join(path.basename(src), 'components', 'Glob.tsx'),
      ].sort()
    );
    expect(validatePlugin(goodPlugin(), { source: src })).toHaveLength(2);
  });

  it('packages the plugin in a folder named by its id, with checksums, and checks the archive\u2019s layout', () => {
    const dir = goodPlugin();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-pkg-'));
    const result = packagePlugin(dir, out);
    expect(path.basename(result.zip)).toBe('acme-example-panel-1.2.3.zip');
    const names = listZip(fs.readFileSync(result.zip));
    expect(names).toContain('acme-example-panel/plugin.json');
    expect(names).toContain('acme-example-panel/img/logo.svg');
    expect(names.every((n) => n.startsWith('acme-example-panel/'))).toBe(true);
    expect(fs.readFileSync(`${result.zip}.sha1`, 'utf8')).toBe(`${result.sha1}  acme-example-panel-1.2.3.zip\n`);
    expect(result.md5).toMatch(/^[0-9a-f]{32}$/);
    expect(validateArchive(result.zip)).toEqual([]);
    const dist = path.join(out, 'dist.zip');
    fs.writeFileSync(
      dist,
      writeZip([
        { path: 'dist/plugin.json', data: Buffer.from('{}') },
        { path: 'dist/module.js', data: Buffer.from('') },
      ])
    );
    expect(validateArchive(dist)).toEqual([`${dist}: the folder is named dist; it must be named by the plugin id`]);
    const two = path.join(out, 'two.zip');
    fs.writeFileSync(
      two,
      writeZip([
        { path: 'a/plugin.json', data: Buffer.from('{}') },
        { path: 'b/module.js', data: Buffer.from('') },
      ])
    );
    expect(validateArchive(two)[0]).toMatch(/must hold exactly one folder/);
  });

  // The real build: `npm test` builds before running the suites.
  it('passes the built plugin in dist/, with the source free of direct CSS imports', () => {
    expect(validatePlugin(DIST, { source: path.resolve(__dirname, '..', 'src') })).toEqual([]);
  });
});

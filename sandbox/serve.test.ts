import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import http from 'node:http';

import { DistMissingError, hostPageHtml, parsePort, requestPath, resolveStatic, Sandbox, startSandbox } from './serve';

const PORT = Number(process.env.SANDBOX_SERVE_TEST_PORT ?? 19484);

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'sandbox-serve-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('resolveStatic', () => {
  let dir: string;
  beforeAll(async () => {
    dir = path.join(root, 'static');
    await mkdir(path.join(dir, 'img'), { recursive: true });
    await writeFile(path.join(dir, 'module.js'), '');
    await writeFile(path.join(dir, 'img', 'logo.svg'), '');
    await writeFile(path.join(root, 'secret.txt'), '');
  });

  test('maps paths under the prefix to files in the folder', () => {
    expect(resolveStatic('/p/module.js', '/p/', dir)).toBe(path.join(dir, 'module.js'));
    expect(resolveStatic('/p/img/logo.svg', '/p/', dir)).toBe(path.join(dir, 'img', 'logo.svg'));
  });

  test('refuses to leave the folder, however the path is spelled', () => {
    for (const attempt of [
      '/p/../secret.txt',
      '/p/%2e%2e/secret.txt',
      '/p/img/%2E%2E/%2E%2E/secret.txt',
      '/p/..%2fsecret.txt',
    ]) {
      expect(resolveStatic(attempt, '/p/', dir)).toBeUndefined();
    }
  });

  test('answers undefined for folders, missing files, other prefixes and broken encodings', () => {
    expect(resolveStatic('/p/img', '/p/', dir)).toBeUndefined();
    expect(resolveStatic('/p/nope.js', '/p/', dir)).toBeUndefined();
    expect(resolveStatic('/q/module.js', '/p/', dir)).toBeUndefined();
    expect(resolveStatic('/p/%E0%A4%A', '/p/', dir)).toBeUndefined();
    expect(resolveStatic('/p/module.js%00.png', '/p/', dir)).toBeUndefined();
  });
});

test('the page loads boot.js before the module bundle and tells the host where the plugin is', () => {
  const html = hostPageHtml('/public/plugins/x-panel/', ['main.css']);
  expect(html.indexOf('/host/boot.js')).toBeLessThan(html.indexOf('/host/main.js'));
  expect(html).toContain('<script type="module" src="/host/main.js">');
  expect(html).toContain('data-plugin-base="/public/plugins/x-panel/"');
  expect(html).toContain('<link rel="stylesheet" href="/host/main.css">');
});

test('parsePort accepts 0-65535 and explains anything else', () => {
  expect(parsePort('3001')).toBe(3001);
  expect(parsePort('0')).toBe(0);
  for (const bad of ['-1', '65536', 'http', '30.5', '']) {
    expect(() => parsePort(bad)).toThrow(`expected a port number from 0 to 65535, got "${bad}".`);
  }
});

test('startSandbox refuses to start without a built plugin, saying how to build it', async () => {
  const empty = path.join(root, 'empty');
  await mkdir(empty);
  const attempt = startSandbox({ root: empty, port: PORT });
  await expect(attempt).rejects.toBeInstanceOf(DistMissingError);
  await expect(attempt).rejects.toThrow('run `npm run build` first');
});

describe('requestPath', () => {
  test('accepts paths and refuses what is not one', () => {
    expect(requestPath('/a/b?c=1')).toBe('/a/b');
    expect(requestPath(undefined)).toBe('/');
    expect(requestPath('//evil.example/x')).toBeNull();
    expect(requestPath('http://127.0.0.1/x')).toBeNull();
  });
});

describe('a running sandbox', () => {
  let sandbox: Sandbox;
  const fetchPath = (p: string, init?: RequestInit) => fetch(new URL(p, sandbox.url), init);

  beforeAll(async () => {
    const project = path.join(root, 'project');
    await mkdir(path.join(project, 'dist'), { recursive: true });
    await writeFile(path.join(project, 'dist', 'module.js'), 'define([], () => ({}));');
    await writeFile(path.join(project, 'dist', 'plugin.json'), '{"id": "test-panel", "type": "panel"}');
    sandbox = await startSandbox({ root: project, port: PORT, bundleLabel: 'serve-test' });
  }, 60_000);

  afterAll(async () => {
    await sandbox?.close();
  });

  test('listens on 127.0.0.1 only', () => {
    expect(sandbox.url).toBe(`http://127.0.0.1:${PORT}/`);
    expect(sandbox.pluginId).toBe('test-panel');
  });

  test('serves the page, the host bundle and the plugin where Grafana serves it', async () => {
    const page = await fetchPath('/');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await page.text()).toContain('data-plugin-base="/public/plugins/test-panel/"');

    const bundle = await fetchPath('/host/main.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetchPath('/host/boot.js')).status).toBe(200);

    const plugin = await fetchPath('/public/plugins/test-panel/module.js');
    expect(await plugin.text()).toBe('define([], () => ({}));');
    expect(plugin.headers.get('cache-control')).toBe('no-store');
  });

  test('answers 404 for unknown paths and paths outside its folders', async () => {
    expect((await fetchPath('/public/plugins/test-panel/nope.js')).status).toBe(404);
    expect((await fetchPath('/public/plugins/other-panel/module.js')).status).toBe(404);
    expect((await fetchPath('/public/plugins/test-panel/%2e%2e/plugin.json')).status).toBe(404);
    // Fixture plugins are only served when asked for.
    expect((await fetchPath('/public/plugins/sandbox-probe-panel/module.js')).status).toBe(404);
  });

  test('answers 400 to a request target that is not a path, and keeps serving', async () => {
    // fetch() normalises URLs, so send the raw target: "//?x" once took the server down.
    const status = await new Promise<number>((resolve, reject) =>
      http
        .get({ host: '127.0.0.1', port: PORT, path: '//?mode=bench' }, (res) => resolve(res.statusCode ?? 0))
        .on('error', reject)
    );
    expect(status).toBe(400);
    expect((await fetchPath('/')).status).toBe(200);
  });

  test('only serves: other methods get 405', async () => {
    const response = await fetchPath('/', { method: 'POST', body: 'x' });
    expect(response.status).toBe(405);
    expect(await response.text()).toContain('POST is not supported');
    expect((await fetchPath('/public/plugins/test-panel/module.js', { method: 'HEAD' })).status).toBe(200);
  });

  test('a second sandbox on the same port explains the clash', async () => {
    await expect(
      startSandbox({ root: path.join(root, 'project'), port: PORT, bundleLabel: 'serve-test-2' })
    ).rejects.toThrow(`Port ${PORT} on 127.0.0.1 is in use`);
  }, 60_000);
});

describe('npm start, as a user runs it', () => {
  it('serves the host page, and stops when the npm process gets SIGTERM (a supervisor, an IDE stop button)', async () => {
    const port = PORT + 1;
    const npm = spawn('npm', ['start', '--', '--port', String(port)], {
      cwd: path.join(__dirname, '..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => npm.once('exit', resolve));
    // Bounded: the plugin's build, when dist/ is missing or stale, comes first.
    for (let i = 0; i < 240 && !output.includes('Press Ctrl+C to stop.'); i++) {
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(output).toContain(`Cascade Watch sandbox: http://127.0.0.1:${port}/`);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    npm.kill('SIGTERM');
    await exited;
    let refused = false;
    for (let i = 0; i < 20 && !refused; i++) {
      refused = await fetch(`http://127.0.0.1:${port}/`).then(
        () => false,
        () => true
      );
      if (!refused) {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    expect(refused).toBe(true);
  }, 150_000);
});

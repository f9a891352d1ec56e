import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { isLivePath, upstreamUrl } from './live';
import { startSandbox, Sandbox } from './serve';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const LIVE = { prometheus: 'http://127.0.0.1:1', simulator: 'http://127.0.0.1:2', receiver: 'http://127.0.0.1:3' };

describe('upstreamUrl', () => {
  it('maps the page\u2019s API paths onto the stack', () => {
    expect(upstreamUrl(LIVE, '/api/prom/query_range', '?a=1')).toBe('http://127.0.0.1:1/api/v1/query_range?a=1');
    expect(upstreamUrl(LIVE, '/api/sim/scenarios/x/start', '')).toBe('http://127.0.0.1:2/api/scenarios/x/start');
    expect(upstreamUrl(LIVE, '/api/alerts', '')).toBe('http://127.0.0.1:3/alerts');
  });

  it('refuses paths that would leave the API', () => {
    expect(upstreamUrl(LIVE, '/api/prom/../../-/quit', '')).toBeNull();
    expect(upstreamUrl(LIVE, '/api/sim/%2e%2e', '')).toBeNull();
    expect(upstreamUrl(LIVE, '/api/other', '')).toBeNull();
    expect(isLivePath('/api/prom/x')).toBe(true);
    expect(isLivePath('/host/main.js')).toBe(false);
  });
});

describe('a sandbox in live mode', () => {
  let upstream: Server;
  let sandbox: Sandbox;
  const seen: string[] = [];

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push(`${req.method} ${req.url} ${body}`);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'success' }));
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const project = await mkdtemp(path.join(os.tmpdir(), 'sandbox-live-'));
    await mkdir(path.join(project, 'dist'));
    await writeFile(path.join(project, 'dist', 'module.js'), 'define([], () => ({}));');
    await writeFile(path.join(project, 'dist', 'plugin.json'), '{"id": "test-panel", "type": "panel"}');
    sandbox = await startSandbox({
      root: project,
      port: 0,
      bundleLabel: 'live-test',
      live: { prometheus: url, simulator: url, receiver: 'http://127.0.0.1:9' },
    });
  }, 60_000);

  afterAll(async () => {
    await sandbox?.close();
    await new Promise((r) => upstream.close(r));
  });

  it('marks its page as live and forwards queries and scenario starts', async () => {
    expect(await (await fetch(sandbox.url)).text()).toContain('data-live="1"');
    const q = await fetch(new URL('/api/prom/query_range', sandbox.url), {
      method: 'POST',
      body: 'query=up',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(q.status).toBe(200);
    await fetch(new URL('/api/sim/scenarios/crates-io-2023-07-20/start', sandbox.url), { method: 'POST' });
    expect(seen).toEqual(['POST /api/v1/query_range query=up', 'POST /api/scenarios/crates-io-2023-07-20/start ']);
  });

  it('answers 502 with a sentence when a part of the stack is down', async () => {
    const res = await fetch(new URL('/api/alerts', sandbox.url));
    expect(res.status).toBe(502);
    expect((await res.json()).error).toMatch(/127\.0\.0\.1:9 did not answer/);
  });
});

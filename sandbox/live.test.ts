import { createServer, request, Server } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { isLivePath, refusedCaller, upstreamUrl } from './live';
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

  it('forwards only the calls the host page makes', () => {
    for (const unused of [
      '/api/prom/query',
      '/api/prom/series',
      '/api/prom/label/__name__/values',
      '/api/prom/admin/tsdb/delete_series',
      '/api/prom/query_range/x',
      '/api/sim/state',
      '/api/sim/scenarios/x/start/y',
      '/api/sim/scenarios/%2e%2e/start',
    ]) {
      expect([unused, upstreamUrl(LIVE, unused, '')]).toEqual([unused, null]);
    }
  });
});

describe('refusedCaller', () => {
  it('lets the page itself through, by any loopback name', () => {
    expect(refusedCaller({ host: '127.0.0.1:3001' })).toBeNull();
    expect(refusedCaller({ host: 'localhost:3001', origin: 'http://localhost:3001' })).toBeNull();
    expect(refusedCaller({ host: '[::1]:3001', 'sec-fetch-site': 'same-origin' })).toBeNull();
  });

  it('refuses other pages, rebound names and cross-site requests', () => {
    expect(refusedCaller({ host: 'attacker.example:3001' })).toMatch(/not this machine/);
    expect(refusedCaller({})).toMatch(/not this machine/);
    expect(refusedCaller({ host: '127.0.0.1.attacker.example' })).toMatch(/not this machine/);
    expect(refusedCaller({ host: '127.0.0.1:3001', origin: 'http://attacker.example' })).toMatch(/attacker\.example/);
    expect(refusedCaller({ host: '127.0.0.1:3001', origin: 'http://127.0.0.1:3002' })).toMatch(/own origin/);
    expect(refusedCaller({ host: '127.0.0.1:3001', origin: 'null' })).toMatch(/own origin/);
    expect(refusedCaller({ host: '127.0.0.1:3001', 'sec-fetch-site': 'cross-site' })).toMatch(/cross-site/);
  });
});

/** One request with exactly these headers (fetch() sets Host and Origin itself). */
function raw(
  url: string,
  method: string,
  headers: Record<string, string>,
  body = ''
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

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

  it('refuses other pages and rebound host names without reaching the stack', async () => {
    const before = seen.length;
    const url = new URL('/api/sim/scenarios/crates-io-2023-07-20/start', sandbox.url).href;
    const own = `127.0.0.1:${sandbox.port}`;
    expect((await raw(url, 'POST', { origin: 'http://attacker.example' })).status).toBe(403);
    expect((await raw(url, 'POST', { host: `attacker.example:${sandbox.port}` })).status).toBe(403);
    expect((await raw(url, 'POST', { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const query = new URL('/api/prom/query_range', sandbox.url).href;
    expect((await raw(query, 'POST', { origin: 'http://attacker.example' }, 'query=up')).status).toBe(403);
    expect(seen.length).toBe(before);
    const mine = await raw(url, 'POST', { host: own, origin: `http://${own}`, 'sec-fetch-site': 'same-origin' });
    expect(mine.status).toBe(200);
    expect(seen.length).toBe(before + 1);
  });

  it('answers 404 to Prometheus endpoints the page does not use, and 405 to the wrong method', async () => {
    const before = seen.length;
    const query = await fetch(new URL('/api/prom/query?query=up', sandbox.url));
    expect(query.status).toBe(404);
    expect((await query.json()).error).toMatch(/Not forwarded/);
    expect((await fetch(new URL('/api/prom/admin/tsdb/snapshot', sandbox.url), { method: 'POST' })).status).toBe(404);
    expect((await fetch(new URL('/api/sim/scenarios/x/start', sandbox.url))).status).toBe(405);
    expect((await fetch(new URL('/api/alerts', sandbox.url), { method: 'POST' })).status).toBe(405);
    expect(seen.length).toBe(before);
  });

  it('survives a client that hangs up in the middle of a POST', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      for (let i = 0; i < 5; i++) {
        await new Promise<void>((resolve) => {
          const socket = connect(sandbox.port, '127.0.0.1', () => {
            socket.write(
              'POST /api/prom/query_range HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
                'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nquery=u'
            );
            setTimeout(() => socket.destroy(), 50);
          });
          socket.on('close', () => resolve());
          socket.on('error', () => resolve());
        });
      }
      // Give the server's rejected reads a turn of the event loop to surface.
      await new Promise((r) => setTimeout(r, 200));
      expect(unhandled).toEqual([]);
      expect((await fetch(sandbox.url)).status).toBe(200);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('answers 413 to a body over 1 MiB, at once when it is declared', async () => {
    const big = await raw(new URL('/api/prom/query_range', sandbox.url).href, 'POST', {
      'content-length': String(2 << 20),
    });
    expect(big.status).toBe(413);
  });

  it('answers 502 with a sentence when a part of the stack is down', async () => {
    const res = await fetch(new URL('/api/alerts', sandbox.url));
    expect(res.status).toBe(502);
    expect((await res.json()).error).toMatch(/127\.0\.0\.1:9 did not answer/);
  });
});

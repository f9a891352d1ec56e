import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SIGNALS } from '../contract/signals';
import { LiveSimulation } from './live';
import { loadScenario } from './scenario/load';
import { checkCaller, createServer, listenUrl, listenWarning } from './server';
import { PROMETHEUS_BINARY, scrapingPrometheus, type ScrapingPrometheus } from './testing/scrapingPrometheus';

// Ports of this part's range (19460-19469).
const SIM_PORT = 19461;

/** A clock the test moves by hand. */
function manualClock(start: number) {
  let now = start;
  return { now: () => now, tick: (ms: number) => (now += ms) };
}

async function get(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
}

describe('serve', () => {
  const clock = manualClock(Date.UTC(2024, 2, 6, 20, 0));
  const live = new LiveSimulation({ scenario: loadScenario('normal-week'), speed: 60, now: clock.now });
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    server = createServer({ live });
    await new Promise<void>((resolve) => server.listen(SIM_PORT, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('serves /metrics that a real Prometheus text parser accepts, with every contract series, type and label', async () => {
    clock.tick(10_000);
    const res = await get(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    // promtool check metrics parses the text with Prometheus' own parser and lints it.
    const check = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: res.text, encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
    for (const spec of Object.values(SIGNALS)) {
      expect(res.text).toContain(`# TYPE ${spec.name} ${spec.type}\n`);
    }
    expect(res.text).toMatch(/^http_requests_total\{service="registry",route="download",code="302"\} \d+$/m);
    expect(res.text).toMatch(
      /^http_request_duration_seconds_bucket\{service="registry",route="api",le="\+Inf"\} \d+$/m
    );
    expect(res.text).toMatch(/^db_utilization_ratio\{cluster="main",instance="db-primary",role="primary"\} [\d.]+$/m);
    expect(res.text).toMatch(/^db_replication_lag_seconds\{cluster="main",instance="db-replica-1"\} [\d.]+$/m);
    expect(res.text).toMatch(/^service_last_deploy_timestamp_seconds\{service="registry",version="[^"]+"\} \d+$/m);
    // Nothing else: no default process metrics under other names.
    const names = new Set(
      res.text
        .split('\n')
        .filter((l) => l.startsWith('# TYPE'))
        .map((l) => l.split(' ')[2])
    );
    expect([...names].sort()).toEqual(
      Object.values(SIGNALS)
        .map((s) => s.name)
        .sort()
    );
  });

  it('counters grow as time passes; the model follows the (fast) clock', async () => {
    const count = (text: string) =>
      Number(/^http_requests_total\{service="registry",route="download",code="302"\} (\d+)$/m.exec(text)![1]);
    const first = count((await get(`${base}/metrics`)).text);
    clock.tick(5_000);
    const second = count((await get(`${base}/metrics`)).text);
    expect(second).toBeGreaterThan(first);
    const state = (await get(`${base}/api/state`)).json();
    expect(Date.parse(state.modelTime) - Date.parse(state.now)).toBeGreaterThan(0);
  });

  it('lists the scenarios and starts one: its events play from now, counters carry on', async () => {
    const list = (await get(`${base}/api/scenarios`)).json();
    expect(list.scenarios.map((s: { name: string }) => s.name)).toContain('crates-io-2023-07-20');
    const before = (await get(`${base}/metrics`)).text;
    const started = await get(`${base}/api/scenarios/crates-io-2023-07-20/start`, { method: 'POST' });
    expect(started.status).toBe(202);
    expect(started.json().started).toBe('crates-io-2023-07-20');
    clock.tick(60_000); // an hour of model time at speed 60
    const state = (await get(`${base}/api/state`)).json();
    expect(state.playing.scenario).toBe('crates-io-2023-07-20');
    expect(state.values.version).toBe('v2023.07.20-rollback');
    const after = (await get(`${base}/metrics`)).text;
    const dl = (t: string) =>
      Number(/^http_requests_total\{service="registry",route="download",code="302"\} (\d+)$/m.exec(t)![1]);
    expect(dl(after)).toBeGreaterThan(dl(before));
  });

  it.each([
    ['GET', '/nope', 404, /no such endpoint/],
    ['POST', '/metrics', 405, /POST is not allowed on \/metrics: use GET/],
    ['GET', '/api/scenarios/normal-week/start', 405, /use POST/],
    ['POST', '/api/scenarios/nonexistent/start', 404, /unknown scenario "nonexistent"/],
    ['POST', '/api/scenarios/%E0%A4%A/start', 400, /not valid URL encoding/],
    ['DELETE', '/api/state', 405, /use GET/],
    ['POST', '/api/scenarios/normal-week/start?lead=soon', 400, /lead: expected minutes from 0 to 720, got "soon"/],
    ['POST', '/api/scenarios/normal-week/start?lead=-5', 400, /lead: expected minutes/],
    ['GET', '//?a', 400, /malformed request target "\/\/\?a": expected a path such as \/metrics/],
    ['GET', '//metrics', 400, /malformed request target/],
    ['GET', '/api/scenarios/stop', 405, /use POST/],
  ])('%s %s answers %i with a JSON error, and the server keeps serving', async (method, p, status, message) => {
    const res = await get(`${base}${p}`, { method });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.json().error).toMatch(message);
    expect((await get(`${base}/metrics`)).status).toBe(200);
  });
});

describe('who may start or stop a scenario', () => {
  const clock = manualClock(Date.UTC(2024, 2, 6, 20, 0));
  const live = new LiveSimulation({ scenario: loadScenario('normal-week'), speed: 60, now: clock.now });
  let server: http.Server;
  let port: number;

  beforeAll(async () => {
    server = createServer({ live });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  /** A raw request, so the test sets Host and Origin as a browser would (fetch may not). */
  const post = (target: string, headers: Record<string, string>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, method: 'POST', path: target, headers, setHost: false },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        }
      );
      req.on('error', reject);
      req.end();
    });

  it.each([
    ['curl (no Origin)', { Host: '127.0.0.1:PORT' }],
    ['the host page through its server (no Origin)', { Host: '127.0.0.1:PORT' }],
    ['a page on this machine', { Host: '127.0.0.1:PORT', Origin: 'http://127.0.0.1:3001' }],
    ['a page on localhost', { Host: 'localhost:PORT', Origin: 'http://localhost:3001' }],
    ['the simulator itself', { Host: '[::1]:PORT', Origin: 'http://[::1]:PORT' }],
  ])('accepts %s', async (_who, headers) => {
    const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('PORT', String(port))]));
    const res = await post('/api/scenarios/crates-io-2023-07-20/start', h);
    expect(res.status).toBe(202);
    expect((await post('/api/scenarios/stop', h)).status).toBe(200);
  });

  it.each([
    [
      'a page elsewhere (CSRF)',
      { Host: '127.0.0.1:PORT', Origin: 'https://evil.example' },
      /a page at https:\/\/evil\.example may not start or stop scenarios/,
    ],
    ['a sandboxed frame or file', { Host: '127.0.0.1:PORT', Origin: 'null' }, /a page at null may not/],
    [
      'a rebound DNS name',
      { Host: 'evil.example:PORT' },
      /Host "evil\.example:\d+" is not an address of this simulator/,
    ],
    [
      'a rebound name with a loopback Origin',
      { Host: 'evil.example', Origin: 'http://127.0.0.1:3001' },
      /Host "evil\.example"/,
    ],
  ])('refuses %s with 403 and says why', async (_who, headers, message) => {
    const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('PORT', String(port))]));
    const before = live.state().playing;
    for (const target of ['/api/scenarios/cloudsmith-2020-02-04/start', '/api/scenarios/stop']) {
      const res = await post(target, h);
      expect(res.status).toBe(403);
      expect(JSON.parse(res.body).error).toMatch(message);
    }
    expect(live.state().playing).toEqual(before);
  });

  it('beyond loopback, accepts the IP address it was given and still refuses names', () => {
    expect(() => checkCaller({ host: '192.0.2.7:9464' }, '0.0.0.0')).not.toThrow();
    expect(() => checkCaller({ host: '192.0.2.7:9464' }, '192.0.2.7')).not.toThrow();
    expect(() => checkCaller({ host: '192.0.2.7:9464' })).toThrow(/not an address of this simulator/);
    expect(() => checkCaller({ host: 'evil.example:9464' }, '0.0.0.0')).toThrow(/not an address/);
    expect(() => checkCaller({ host: '192.0.2.7:9464', origin: 'http://192.0.2.7:9464' }, '0.0.0.0')).not.toThrow();
    expect(() => checkCaller({ host: '192.0.2.7:9464', origin: 'http://192.0.2.8' }, '0.0.0.0')).toThrow(/may not/);
  });

  it('says where it really listens, and warns beyond loopback', () => {
    expect(listenUrl({ address: '127.0.0.1', family: 'IPv4', port: 9464 })).toBe('http://127.0.0.1:9464');
    expect(listenUrl({ address: '::', family: 'IPv6', port: 9464 })).toBe('http://[::]:9464');
    expect(listenWarning({ address: '0.0.0.0', family: 'IPv4', port: 9464 })).toMatch(
      /^warning: listening on every address of this machine, not only 127\.0\.0\.1/
    );
    expect(listenWarning({ address: '192.0.2.7', family: 'IPv4', port: 9464 })).toMatch(/listening on 192\.0\.2\.7/);
  });
});

describe('a sped-up simulation', () => {
  const downloads = (live: LiveSimulation) => {
    let total = 0;
    for (let slot = 0; slot < live.current.routes[0].counts.length; slot++) {
      total += live.requestCount(0, slot);
    }
    return total;
  };

  it("counts at the model's own per-second rates, so rate() reads the same at any speed", () => {
    for (const speed of [1, 20, 60]) {
      const clock = manualClock(Date.UTC(2024, 2, 6, 12, 0));
      const live = new LiveSimulation({ scenario: loadScenario('normal-week'), speed, now: clock.now });
      live.advance();
      const before = downloads(live);
      clock.tick(60_000);
      live.advance();
      const perWallSecond = (downloads(live) - before) / 60;
      const modelRate = live.state().values.requestsPerSecond.download;
      expect({ speed, ratio: Math.round((perWallSecond / modelRate) * 10) / 10 }).toEqual({ speed, ratio: 1 });
    }
  });

  it('exports counters from zero at start: the warm-up is not counted', () => {
    const clock = manualClock(Date.UTC(2024, 2, 6, 12, 0));
    const live = new LiveSimulation({ scenario: loadScenario('normal-week'), speed: 1, now: clock.now });
    expect(downloads(live)).toBe(0);
    expect(live.writesTotal()).toBe(0);
    clock.tick(10_000);
    live.advance();
    // Ten seconds of about 200 req/s, not the warm-up's two hours.
    expect(downloads(live)).toBeGreaterThan(0);
    expect(downloads(live)).toBeLessThan(10 * 2 * live.state().values.requestsPerSecond.download);
  });

  it('starts a scenario with a lead: its first event comes that many model minutes later', () => {
    const clock = manualClock(Date.UTC(2024, 2, 6, 12, 0));
    const live = new LiveSimulation({ scenario: loadScenario('normal-week'), speed: 60, now: clock.now });
    live.start(loadScenario('crates-io-2023-07-20'), 20 * 60);
    clock.tick(15_000); // 15 model minutes
    expect(live.state().values.version).toBe('v2023.07.19');
    clock.tick(10_000); // 25: the bad deploy (12:17) has happened, the rollback (12:30) not yet
    expect(live.state().values.version).toBe('v2023.07.20');
    expect(() => live.start(loadScenario('normal-week'), -1)).toThrow(/lead: expected 0 or more seconds/);
  });
});

describe('scraped by a real Prometheus', () => {
  let server: http.Server;
  let prometheus: ScrapingPrometheus;

  beforeAll(async () => {
    const live = new LiveSimulation({ scenario: loadScenario('cloudsmith-2020-02-04'), speed: 60 });
    server = createServer({ live });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const target = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    prometheus = await scrapingPrometheus({ job_name: 'sim', static_configs: [{ targets: [target] }] });
  }, 30_000);

  afterAll(async () => {
    prometheus?.stop();
    await new Promise((resolve) => server.close(resolve));
  });

  it('ingests every contract series with its labels', async () => {
    expect(fs.existsSync(PROMETHEUS_BINARY)).toBe(true);
    expect(await prometheus.scrapes(1)).toBeGreaterThanOrEqual(1);
    expect(await prometheus.query('up{job="sim"} == 1')).toHaveLength(1);
    for (const spec of Object.values(SIGNALS)) {
      const name = spec.type === 'histogram' ? `${spec.name}_bucket` : spec.name;
      const series = await prometheus.query(name);
      expect(series.length).toBeGreaterThan(0);
      for (const s of series) {
        for (const label of spec.labels) {
          expect(s.metric[label]).toBeDefined();
        }
      }
    }
  }, 60_000);
});

/**
 * A bounded attack on every server `npm run demo` starts in Node (the simulator's, the sandbox's with its live
 * proxy, the alert receiver), on loopback: malformed requests, hundreds of concurrent connections, cut-off and
 * oversized bodies, slow clients, hostile webhooks. Every count is fixed and every exchange has a deadline, so a
 * run ends by itself. demo/abuse.test.ts asserts on the outcome; `npm run bench -- servers` prints the figures.
 *
 * Prometheus and Alertmanager are not ours: the proxy's Prometheus is a stub answering range queries.
 */
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { AddressInfo, connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { Sandbox, startSandbox } from '../sandbox/serve';
import { createServer as createSimulatorServer, LiveSimulation, loadScenario } from '../simulator';
import { AlertReceiver, DEFAULT_LIMITS, startReceiver } from './receiver';

const HOST = '127.0.0.1';

export interface DemoServers {
  readonly simulator: { readonly url: string; readonly port: number };
  readonly receiver: AlertReceiver;
  readonly sandbox: Sandbox;
  close(): Promise<void>;
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => resolve((server.address() as AddressInfo).port));
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** A Prometheus that answers every range query with one short series, as the real one would for `up`. */
function prometheusStub(): http.Server {
  return http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          status: 'success',
          data: { resultType: 'matrix', result: [{ metric: { __name__: 'up' }, values: [[1, '1']] }] },
        })
      );
    });
  });
}

/** The three servers on ephemeral loopback ports, wired as the demo wires them. */
export async function startDemoServers(): Promise<DemoServers> {
  const live = new LiveSimulation({ scenario: loadScenario('normal-week'), speed: 1 });
  const simulator = createSimulatorServer({ live });
  const simPort = await listen(simulator);
  const prometheus = prometheusStub();
  const promPort = await listen(prometheus);
  const receiver = await startReceiver(0);
  // The sandbox serves a built plugin; a stand-in keeps this independent of `npm run build`.
  const project = await mkdtemp(path.join(os.tmpdir(), 'cascade-abuse-'));
  await mkdir(path.join(project, 'dist'));
  await writeFile(path.join(project, 'dist', 'module.js'), 'define([], () => ({}));');
  await writeFile(path.join(project, 'dist', 'plugin.json'), '{"id": "abuse-panel", "type": "panel"}');
  const simUrl = `http://${HOST}:${simPort}`;
  const sandbox = await startSandbox({
    root: project,
    port: 0,
    bundleLabel: 'abuse',
    live: { prometheus: `http://${HOST}:${promPort}`, simulator: simUrl, receiver: receiver.url },
  });
  return {
    simulator: { url: simUrl, port: simPort },
    receiver,
    sandbox,
    async close() {
      await sandbox.close();
      await receiver.close();
      await closeServer(prometheus);
      await closeServer(simulator);
      await rm(project, { recursive: true, force: true });
    },
  };
}

/** What one exchange ended in: `HTTP 413`, `reset`, `closed` (no answer), `timeout`, or `cut` (we hung up). */
export type Outcome = string;

const EXCHANGE_DEADLINE_MS = 10_000;

/**
 * Sends raw bytes (or runs `drive` on the socket) and waits for the status line of the answer, the socket's end,
 * or the deadline, whichever is first.
 */
function exchange(
  port: number,
  drive: string | Buffer | ((socket: import('node:net').Socket) => void)
): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    let received = '';
    const socket = connect(port, HOST);
    const done = (outcome: Outcome) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        socket.destroy();
        resolve(outcome);
      }
    };
    const timer = setTimeout(() => done('timeout'), EXCHANGE_DEADLINE_MS);
    socket.on('connect', () => {
      if (typeof drive === 'function') {
        drive(socket);
      } else {
        socket.write(drive);
      }
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(received);
      if (status) {
        done(`HTTP ${status[1]}`);
      }
    });
    socket.on('error', (e: NodeJS.ErrnoException) =>
      done(e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 'reset' : (e.code ?? 'error'))
    );
    socket.on('close', () => done(received ? 'garbled' : 'closed'));
    socket.on('cut', () => done('cut'));
  });
}

/** Runs `tasks` with at most `width` in flight. */
async function pool<T>(tasks: ReadonlyArray<() => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
  return results;
}

/** A deterministic generator, so a failing run can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const request = (method: string, target: string, headers: Record<string, string> = {}, body = '') =>
  `${method} ${target} HTTP/1.1\r\nHost: ${HOST}\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}${body ? `Content-Length: ${Buffer.byteLength(body)}\r\n` : ''}Connection: close\r\n\r\n${body}`;

const JSON_TYPE = { 'Content-Type': 'application/json' };

/** Labels nested `depth` objects deep: 48 KB at 8,000, the payload that once crashed the receiver. */
export function nestedWebhook(depth: number): string {
  return `{"alerts":[{"status":"firing","labels":${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}}]}`;
}

/** Malformed requests every HTTP server meets, and those aimed at one server's own paths. */
function malformed(rand: () => number, own: readonly string[]): string[] {
  const garbage = Buffer.from(Array.from({ length: 64 }, () => Math.floor(rand() * 256))).toString('latin1');
  return [
    garbage,
    `${garbage}\r\n\r\n`,
    'GET //?a HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    'GET /%zz%00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    'BREW / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n',
    'GET / HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n',
    'GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n',
    `GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Long: ${'a'.repeat(20_000)}\r\n\r\n`,
    'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: abc\r\n\r\n',
    'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\nabc',
    'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n',
    ...own,
  ];
}

interface ServerPlan {
  readonly name: string;
  readonly port: number;
  /** Requests aimed at this server's own paths, wrong in some way. */
  readonly own: readonly string[];
  /** A well-formed request and a check of its answer. */
  readonly healthy: string;
  /** Where a body goes (cut off, oversized). */
  readonly bodyPath: string;
  readonly bodyHeaders: Record<string, string>;
}

function plans(s: DemoServers): ServerPlan[] {
  const severity5 = JSON.stringify({ alerts: [{ status: 'firing', labels: { alertname: 'X', severity: 5 } }] });
  return [
    {
      name: 'simulator',
      port: s.simulator.port,
      own: [
        request('GET', '/api/scenarios/%ff/start'),
        request('POST', '/api/scenarios/%ff/start'),
        request('POST', '/api/scenarios/nope/start'),
        request('POST', '/api/scenarios/normal-week/start?lead=abc'),
        request('DELETE', '/metrics'),
        request('GET', `/${'x/'.repeat(2000)}`),
      ],
      healthy: request('GET', '/api/state'),
      bodyPath: '/api/scenarios/nope/start',
      bodyHeaders: {},
    },
    {
      name: 'sandbox',
      port: s.sandbox.port,
      own: [
        request('GET', '/api/prom/query?query=up'),
        request('POST', '/api/prom/admin/tsdb/delete_series'),
        request('GET', '/api/prom/..%2f..%2f-/quit'),
        request('POST', '/api/sim/scenarios/normal-week/start', { Origin: 'http://attacker.example' }),
        request('GET', '/api/alerts', { 'Sec-Fetch-Site': 'cross-site' }),
        'GET /api/alerts HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n',
        request('GET', '/public/plugins/abuse-panel/..%2f..%2f..%2fetc%2fpasswd'),
        request('PUT', '/host/main.js', {}, 'x'),
      ],
      healthy: request('GET', '/api/alerts'),
      bodyPath: '/api/prom/query_range',
      bodyHeaders: { 'Content-Type': 'application/x-www-form-urlencoded' },
    },
    {
      name: 'receiver',
      port: Number(new URL(s.receiver.url).port),
      own: [
        request('POST', '/webhook', JSON_TYPE, 'not json'),
        request('POST', '/webhook', JSON_TYPE, nestedWebhook(8000)),
        request('POST', '/webhook', JSON_TYPE, severity5),
        request('POST', '/webhook', JSON_TYPE, '{"alerts":[{"status":"firing","labels":{"__proto__":{"x":"y"}}}]}'),
        request('POST', '/webhook', JSON_TYPE, '{"alerts":[null,1,"x"]}'),
        request('POST', '/webhook', { 'Content-Type': 'text/plain' }, '{"alerts":[]}'),
        request('POST', '/webhook', JSON_TYPE, '\xff\xfe{"alerts":[]}'),
        request('GET', '/webhook'),
      ],
      healthy: request('GET', '/alerts'),
      bodyPath: '/webhook',
      bodyHeaders: JSON_TYPE,
    },
  ];
}

export interface ServerFigures {
  requests: number;
  outcomes: Record<Outcome, number>;
}

export interface AbuseFigures {
  readonly servers: Record<string, ServerFigures>;
  readonly requests: number;
  readonly peakRssMb: number;
  readonly heapGrowthMb: number;
  /** Wall ms per well-formed request answered one at a time before the attack: the reference. */
  readonly referenceMsPerRequest: number;
  /** Wall ms per request of the attack as a whole (many in flight at once). */
  readonly abuseMsPerRequest: number;
  /** What the servers answered a well-formed request while slow clients held connections open. */
  readonly duringSlowClients: Outcome[];
  /** What the receiver kept once the 1 MB webhooks were in (before the many small ones pushed them out). */
  readonly afterBigWebhooks: { readonly alerts: number; readonly storedSize: number };
  readonly uncaught: string[];
}

export interface AbuseCounts {
  /** Malformed requests per server. */
  readonly malformed: number;
  /** Connections open at once, per server. */
  readonly concurrent: number;
  /** Bodies cut off halfway, per server. */
  readonly cutOff: number;
  /** Bodies over the limit, per server that takes bodies. */
  readonly oversized: number;
  /** Slow clients at once, per server, each taking `slowMs` to send its request. */
  readonly slow: number;
  readonly slowMs: number;
  /** 1 MB webhooks the receiver must take and keep within its limits. */
  readonly bigWebhooks: number;
}

export const DEFAULT_COUNTS: AbuseCounts = {
  malformed: 1000,
  concurrent: 300,
  cutOff: 100,
  oversized: 10,
  slow: 50,
  slowMs: 1000,
  bigWebhooks: 20,
};

/** Runs the whole attack against `servers`; returns the figures. Never throws on what the servers answer. */
export async function abuse(servers: DemoServers, counts: AbuseCounts = DEFAULT_COUNTS): Promise<AbuseFigures> {
  const uncaught: string[] = [];
  const onUncaught = (e: unknown) => uncaught.push(String(e instanceof Error ? (e.stack ?? e.message) : e));
  process.on('unhandledRejection', onUncaught);
  process.on('uncaughtException', onUncaught);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const heapBefore = process.memoryUsage().heapUsed;
  const rand = mulberry32(11);
  const figures: Record<string, ServerFigures> = {};
  const record = (name: string, outcomes: Outcome[]) => {
    const f = (figures[name] ??= { requests: 0, outcomes: {} });
    f.requests += outcomes.length;
    for (const o of outcomes) {
      f.outcomes[o] = (f.outcomes[o] ?? 0) + 1;
    }
  };
  const targets = plans(servers);
  const duringSlowClients: Outcome[] = [];
  try {
    // The reference: well-formed requests, one at a time.
    const refStart = performance.now();
    let refCount = 0;
    for (const t of targets) {
      for (let i = 0; i < 20; i++, refCount++) {
        await exchange(t.port, t.healthy);
      }
    }
    const referenceMsPerRequest = (performance.now() - refStart) / refCount;

    const attackStart = performance.now();
    let sent = 0;
    for (const t of targets) {
      // Malformed requests, 64 in flight.
      const kinds = malformed(rand, t.own);
      const outcomes = await pool(
        Array.from({ length: counts.malformed }, (_, i) => () => exchange(t.port, kinds[i % kinds.length])),
        64
      );
      record(t.name, outcomes);

      // Hundreds of connections at once, each with a well-formed request.
      record(t.name, await Promise.all(Array.from({ length: counts.concurrent }, () => exchange(t.port, t.healthy))));

      // Bodies cut off halfway: the client promises 100 KB, sends 10 bytes and hangs up.
      const cut = `POST ${t.bodyPath} HTTP/1.1\r\nHost: ${HOST}\r\n${Object.entries(t.bodyHeaders)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('')}Content-Length: 100000\r\n\r\n0123456789`;
      record(
        t.name,
        await pool(
          Array.from(
            { length: counts.cutOff },
            () => () =>
              exchange(t.port, (socket) => {
                socket.write(cut);
                setTimeout(() => socket.emit('cut'), 20);
              })
          ),
          32
        )
      );

      // Oversized bodies, 2 MiB, sent in full (no declared length: chunked), 2 at a time.
      const chunk = Buffer.alloc(64 * 1024, 'a');
      record(
        t.name,
        await pool(
          Array.from(
            { length: counts.oversized },
            () => () =>
              exchange(t.port, (socket) => {
                socket.write(
                  `POST ${t.bodyPath} HTTP/1.1\r\nHost: ${HOST}\r\n${Object.entries(t.bodyHeaders)
                    .map(([k, v]) => `${k}: ${v}\r\n`)
                    .join('')}Transfer-Encoding: chunked\r\n\r\n`
                );
                let left = 32;
                const more = () => {
                  while (left > 0 && !socket.destroyed) {
                    left--;
                    const ok =
                      socket.write(`${chunk.length.toString(16)}\r\n`) && socket.write(chunk) && socket.write('\r\n');
                    if (!ok) {
                      socket.once('drain', more);
                      return;
                    }
                  }
                  if (!socket.destroyed) {
                    socket.write('0\r\n\r\n');
                  }
                };
                more();
              })
          ),
          2
        )
      );

      // Slow clients: a byte at a time over `slowMs`; meanwhile a well-formed request must still be answered.
      const slow = Array.from({ length: counts.slow }, () =>
        exchange(t.port, (socket) => {
          const bytes = Buffer.from(t.healthy);
          const pace = Math.max(1, Math.floor(counts.slowMs / bytes.length));
          let i = 0;
          const drip = () => {
            if (socket.destroyed) {
              return;
            }
            socket.write(bytes.subarray(i, i + 1));
            i++;
            if (i < bytes.length) {
              setTimeout(drip, pace);
            }
          };
          drip();
        })
      );
      await new Promise((r) => setTimeout(r, Math.min(500, counts.slowMs / 4)));
      duringSlowClients.push(await exchange(t.port, t.healthy));
      record(t.name, await Promise.all(slow));
      sent += figures[t.name].requests;
    }

    // The receiver keeps what it is sent within its limits: 1 MB webhooks, and many small ones.
    const big = JSON.stringify({
      alerts: [
        { status: 'firing', labels: { alertname: 'Big' }, annotations: { summary: 'x'.repeat(1_000_000 - 100) } },
      ],
    });
    const receiverPort = targets[2].port;
    record(
      'receiver',
      await pool(
        Array.from(
          { length: counts.bigWebhooks },
          () => () => exchange(receiverPort, request('POST', '/webhook', JSON_TYPE, big))
        ),
        4
      )
    );
    const afterBigWebhooks = {
      alerts: servers.receiver.alerts.length,
      storedSize: servers.receiver.storedSize(),
    };
    const small = JSON.stringify({
      alerts: Array.from({ length: 50 }, (_, i) => ({ status: 'firing', labels: { alertname: `Small${i}` } })),
    });
    record(
      'receiver',
      await pool(
        Array.from(
          { length: Math.ceil((DEFAULT_LIMITS.maxAlerts * 1.5) / 50) },
          () => () => exchange(receiverPort, request('POST', '/webhook', JSON_TYPE, small))
        ),
        8
      )
    );
    sent = Object.values(figures).reduce((n, f) => n + f.requests, 0);
    const abuseMsPerRequest = (performance.now() - attackStart) / sent;
    return {
      servers: figures,
      requests: sent,
      peakRssMb: peakRss / 2 ** 20,
      heapGrowthMb: (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20,
      referenceMsPerRequest,
      abuseMsPerRequest,
      duringSlowClients,
      afterBigWebhooks,
      uncaught,
    };
  } finally {
    clearInterval(sampler);
    process.off('unhandledRejection', onUncaught);
    process.off('uncaughtException', onUncaught);
  }
}

/** The figures as a few lines of text: requests and outcomes per server, memory, time against the reference. */
export function formatFigures(f: AbuseFigures): string {
  const lines = [`Abuse of the demo's servers on loopback: ${f.requests} requests`];
  for (const [name, s] of Object.entries(f.servers)) {
    const outcomes = Object.entries(s.outcomes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([o, n]) => `${o} ${n}`)
      .join(', ');
    lines.push(`  ${name.padEnd(9)} ${String(s.requests).padStart(5)} requests: ${outcomes}`);
  }
  lines.push(
    `  answered during slow clients: ${f.duringSlowClients.join(', ')}`,
    `  peak RSS ${f.peakRssMb.toFixed(0)} MB (servers and attacker in one process), heap growth ${f.heapGrowthMb.toFixed(1)} MB`,
    `  time per request under attack / one well-formed request at a time: ${(f.abuseMsPerRequest / f.referenceMsPerRequest).toFixed(2)}x`,
    `  uncaught errors: ${f.uncaught.length}`
  );
  return lines.join('\n');
}

/** A check of each server after the attack: does it still answer what it is for, correctly? */
export async function stillServing(s: DemoServers): Promise<Record<string, string>> {
  const check = async (url: string, init: RequestInit, ok: (status: number, text: string) => boolean) => {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(EXCHANGE_DEADLINE_MS) });
      const text = await res.text();
      return ok(res.status, text) ? 'ok' : `HTTP ${res.status}: ${text.slice(0, 200)}`;
    } catch (e) {
      return (e as Error).message;
    }
  };
  const post = (body: string): RequestInit => ({
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  const good = JSON.stringify({ alerts: [{ status: 'firing', labels: { alertname: 'AfterTheAttack' } }] });
  return {
    'simulator /metrics': await check(
      `${s.simulator.url}/metrics`,
      {},
      (st, t) => st === 200 && t.includes('http_requests_total{')
    ),
    'simulator start': await check(
      `${s.simulator.url}/api/scenarios/normal-week/start`,
      { method: 'POST' },
      (st) => st === 202
    ),
    'receiver webhook': await check(`${s.receiver.url}/webhook`, post(good), (st) => st === 200),
    'receiver /alerts': await check(
      `${s.receiver.url}/alerts`,
      {},
      (st, t) => st === 200 && JSON.parse(t).at(-1)?.labels.alertname === 'AfterTheAttack'
    ),
    'sandbox page': await check(s.sandbox.url, {}, (st, t) => st === 200 && t.includes('data-live="1"')),
    'sandbox query_range': await check(
      new URL('/api/prom/query_range', s.sandbox.url).href,
      { method: 'POST', body: 'query=up', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      (st, t) => st === 200 && JSON.parse(t).status === 'success'
    ),
    'sandbox scenarios': await check(
      new URL('/api/sim/scenarios', s.sandbox.url).href,
      {},
      (st, t) => st === 200 && JSON.parse(t).scenarios.length > 0
    ),
    'sandbox alerts': await check(
      new URL('/api/alerts', s.sandbox.url).href,
      {},
      (st, t) => st === 200 && Array.isArray(JSON.parse(t))
    ),
  };
}

export interface AbuseReport {
  readonly figures: AbuseFigures;
  /** What the receiver kept at the end: alerts and characters. */
  readonly kept: { readonly alerts: number; readonly storedSize: number };
  /** Each check of stillServing(): 'ok' or what went wrong. */
  readonly after: Record<string, string>;
}

/** Starts the servers, attacks them, checks them, stops them. */
export async function abuseReport(counts: AbuseCounts = DEFAULT_COUNTS): Promise<AbuseReport> {
  const servers = await startDemoServers();
  try {
    const figures = await abuse(servers, counts);
    const kept = {
      alerts: servers.receiver.alerts.length,
      storedSize: servers.receiver.storedSize(),
    };
    return { figures, kept, after: await stillServing(servers) };
  } finally {
    await servers.close();
  }
}

export function formatReport(r: AbuseReport): string {
  const failing = Object.entries(r.after).filter(([, v]) => v !== 'ok');
  return [
    formatFigures(r.figures),
    `  receiver kept ${r.figures.afterBigWebhooks.alerts} alerts, ${(r.figures.afterBigWebhooks.storedSize / 2 ** 20).toFixed(1)} MiB after the 1 MB webhooks; ${r.kept.alerts} alerts, ${(r.kept.storedSize / 2 ** 20).toFixed(1)} MiB at the end`,
    `  afterwards: ${failing.length === 0 ? 'every server answers correctly' : failing.map(([k, v]) => `${k}: ${v}`).join('; ')}`,
  ].join('\n');
}

if (require.main === module) {
  // `npm run bench -- servers` prints the report; demo/abuse.test.ts reads it as JSON (`--json`), from a process
  // of its own, so an unhandled rejection counts as it would in the demo.
  void abuseReport().then((report) =>
    process.stdout.write(process.argv.includes('--json') ? `${JSON.stringify(report)}\n` : `${formatReport(report)}\n`)
  );
}

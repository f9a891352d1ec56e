/**
 * The HTTP side of `serve`: /metrics, GET /api/state, GET /api/scenarios, POST /api/scenarios/NAME/start.
 * Every answer but /metrics is JSON; every error is `{ "error": "..." }` with a 4xx code, and nothing a client
 * sends can stop the server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { foreignHost, foreignOrigin, isLoopback, listenUrl } from '../lib/localOnly';
import type { DialectName } from './dialects';
import { createMetricsRegistry } from './exposition';
import type { LiveSimulation } from './live';
import { listScenarios, loadScenario, ScenarioError } from './scenario/load';

export interface ServerOptions {
  live: LiveSimulation;
  /**
   * The address the server listens on (default 127.0.0.1). Listening beyond loopback (`--host 0.0.0.0`), a
   * request may also name the machine by an IP address; a DNS name other than localhost is refused either way.
   */
  listenHost?: string;
  /** Called for each request that ends in an error, for logging. */
  onError?: (message: string) => void;
  /** Exporters' names and labels to expose instead of the contract's (simulator/dialects.ts). */
  dialects?: readonly DialectName[];
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {}
  ) {
    super(message);
  }
}

/**
 * `?lead=MINUTES`: model minutes of the scenario's ordinary traffic before its first event (absent: none from
 * ordinary running, `SWITCH_LEAD_SECONDS` while another scenario plays).
 */
function parseLead(raw: string | null): number | undefined {
  if (raw === null || raw === '') {
    return undefined;
  }
  const minutes = Number(raw);
  if (!(minutes >= 0 && minutes <= 720)) {
    throw new HttpError(400, `lead: expected minutes from 0 to 720, got "${raw}"`);
  }
  return minutes;
}

const START_PATH = /^\/api\/scenarios\/([^/]+)\/start$/;
const STOP_PATH = '/api/scenarios/stop';

export { isLoopback, listenUrl };

/**
 * Who may start or stop a scenario: a request without an Origin (curl, the host page's server forwarding its
 * button) or from a page on this machine, addressed to a loopback name (or to the address given to --host). A
 * page elsewhere on the web can make the user's browser send a POST (CSRF: it carries that page's Origin) or
 * point its own DNS name at 127.0.0.1 (DNS rebinding: it carries that name in Host).
 */
export function checkCaller(headers: http.IncomingHttpHeaders, listenHost = '127.0.0.1'): void {
  if (foreignHost(headers.host, listenHost) !== null) {
    throw new HttpError(
      403,
      `Host "${(headers.host ?? '').slice(0, 200)}" is not an address of this simulator: call it as http://127.0.0.1:PORT or http://localhost:PORT`
    );
  }
  if (foreignOrigin(headers.origin, headers.host) !== null) {
    throw new HttpError(
      403,
      `a page at ${(headers.origin ?? '').slice(0, 200)} may not start or stop scenarios: only pages on this machine (http://127.0.0.1:PORT, ` +
        'http://localhost:PORT) and clients that send no Origin, such as curl, may'
    );
  }
}

/** The warning printed when the server listens beyond loopback. */
export function listenWarning(address: AddressInfo): string {
  const every = address.address === '0.0.0.0' || address.address === '::';
  return (
    `warning: listening on ${every ? 'every address of this machine' : address.address}, not only 127.0.0.1: ` +
    'other machines that can reach it can read /metrics and /api/state (starting a scenario still needs a ' +
    'loopback or IP address in Host and no foreign Origin)'
  );
}

export function createServer(opts: ServerOptions): http.Server {
  const { live } = opts;
  const registry: Registry = createMetricsRegistry(live, opts.dialects);
  const names = new Set(listScenarios().map((s) => s.name));

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const target = req.url ?? '/';
    // Only a path (origin-form); "//x" would be read as a host name, and anything else is no request of ours.
    if (!target.startsWith('/') || target.startsWith('//')) {
      throw new HttpError(400, `malformed request target ${JSON.stringify(target)}: expected a path such as /metrics`);
    }
    const url = new URL(target, 'http://localhost');
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const only = (allowed: string) => {
      if (method !== allowed && !(allowed === 'GET' && method === 'HEAD')) {
        throw new HttpError(405, `${method} is not allowed on ${path}: use ${allowed}`, { Allow: allowed });
      }
    };
    if (path === '/metrics') {
      only('GET');
      live.advance();
      const body = await registry.metrics();
      res.writeHead(200, { 'Content-Type': registry.contentType });
      res.end(method === 'HEAD' ? undefined : body);
      return;
    }
    if (path === '/api/state') {
      only('GET');
      return sendJson(res, 200, live.state());
    }
    if (path === '/api/scenarios') {
      only('GET');
      return sendJson(res, 200, {
        scenarios: listScenarios().map((s) => ({ ...s, playing: live.state().playing?.scenario === s.name })),
      });
    }
    const start = START_PATH.exec(path);
    if (start) {
      only('POST');
      let name: string;
      try {
        name = decodeURIComponent(start[1]);
      } catch {
        throw new HttpError(400, `scenario name in ${path} is not valid URL encoding`);
      }
      if (!names.has(name)) {
        throw new HttpError(404, `unknown scenario "${name}": expected one of ${[...names].join(', ')}`);
      }
      checkCaller(req.headers, opts.listenHost);
      const lead = parseLead(url.searchParams.get('lead'));
      live.start(loadScenario(name), lead === undefined ? undefined : lead * 60);
      return sendJson(res, 202, { started: name, state: live.state() });
    }
    if (path === STOP_PATH) {
      only('POST');
      checkCaller(req.headers, opts.listenHost);
      live.stop();
      return sendJson(res, 200, { stopped: true, state: live.state() });
    }
    if (path === '/') {
      only('GET');
      return sendJson(res, 200, {
        endpoints: [
          'GET /metrics',
          'GET /api/state',
          'GET /api/scenarios',
          'POST /api/scenarios/NAME/start[?lead=MINUTES]',
          'POST /api/scenarios/stop',
        ],
      });
    }
    throw new HttpError(404, `no such endpoint: ${path}`);
  };

  return http.createServer((req, res) => {
    // The request body is never needed: drain it so keep-alive connections stay usable.
    req.resume();
    handle(req, res).catch((err: unknown) => {
      const e =
        err instanceof HttpError
          ? err
          : err instanceof ScenarioError
            ? new HttpError(422, err.message)
            : new HttpError(500, `internal error: ${err instanceof Error ? err.message : String(err)}`);
      opts.onError?.(`${req.method} ${req.url}: ${e.status} ${e.message}`);
      if (!res.headersSent) {
        sendJson(res, e.status, { error: e.message }, e.headers);
      } else {
        res.end();
      }
    });
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body, null, 2)}\n`;
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

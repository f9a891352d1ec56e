/**
 * The HTTP side of `serve`: /metrics, GET /api/state, GET /api/scenarios, POST /api/scenarios/NAME/start.
 * Every answer but /metrics is JSON; every error is `{ "error": "..." }` with a 4xx code, and nothing a client
 * sends can stop the server.
 */
import http from 'node:http';
import type { Registry } from 'prom-client';
import { createMetricsRegistry } from './exposition';
import type { LiveSimulation } from './live';
import { listScenarios, loadScenario, ScenarioError } from './scenario/load';

export interface ServerOptions {
  live: LiveSimulation;
  /** Called for each request that ends in an error, for logging. */
  onError?: (message: string) => void;
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

/** `?lead=MINUTES`: model minutes of the scenario's ordinary traffic before its first event (default 0). */
function parseLead(raw: string | null): number {
  if (raw === null || raw === '') {
    return 0;
  }
  const minutes = Number(raw);
  if (!(minutes >= 0 && minutes <= 720)) {
    throw new HttpError(400, `lead: expected minutes from 0 to 720, got "${raw}"`);
  }
  return minutes;
}

const START_PATH = /^\/api\/scenarios\/([^/]+)\/start$/;

export function createServer(opts: ServerOptions): http.Server {
  const { live } = opts;
  const registry: Registry = createMetricsRegistry(live);
  const names = new Set(listScenarios().map((s) => s.name));

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
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
      const lead = parseLead(url.searchParams.get('lead'));
      live.start(loadScenario(name), lead * 60);
      return sendJson(res, 202, { started: name, state: live.state() });
    }
    if (path === '/') {
      only('GET');
      return sendJson(res, 200, {
        endpoints: ['GET /metrics', 'GET /api/state', 'GET /api/scenarios', 'POST /api/scenarios/NAME/start[?lead=MINUTES]'],
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

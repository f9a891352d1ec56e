/**
 * The host page's live mode: the sandbox server forwards the page's API calls to the local stack (Prometheus,
 * the simulator, the alert receiver), so the page talks to one origin and nothing needs CORS. Only the calls the
 * page makes are forwarded (cases/live.ts, host/LiveSidebar.tsx):
 *
 *   GET|POST /api/prom/query_range           -> <prometheus>/api/v1/query_range   (the panel's range queries)
 *   GET      /api/sim/scenarios              -> <simulator>/api/scenarios         (the scenario buttons)
 *   POST     /api/sim/scenarios/NAME/start   -> <simulator>/api/scenarios/NAME/start
 *   GET      /api/alerts                     -> <receiver>/alerts                 (what Alertmanager delivered)
 *
 * and only for the page itself: a request must name a loopback host (a DNS-rebinding page names its own) and,
 * when the browser says where it comes from, come from the page's own origin.
 */
import { IncomingMessage, ServerResponse } from 'node:http';

import { foreignHost } from '../lib/localOnly';

export interface LiveTargets {
  readonly prometheus: string;
  readonly simulator: string;
  readonly receiver: string;
}

const MAX_BODY = 1 << 20;

interface Route {
  readonly path: RegExp;
  readonly methods: readonly string[];
  readonly target: (live: LiveTargets, match: RegExpExecArray) => string;
}

const ROUTES: readonly Route[] = [
  {
    path: /^\/api\/prom\/query_range$/,
    methods: ['GET', 'POST'],
    target: (live) => `${live.prometheus}/api/v1/query_range`,
  },
  { path: /^\/api\/sim\/scenarios$/, methods: ['GET'], target: (live) => `${live.simulator}/api/scenarios` },
  {
    // Scenario names are plain words (simulator/scenarios/*.json): nothing that could leave the API.
    path: /^\/api\/sim\/scenarios\/([A-Za-z0-9_-]+)\/start$/,
    methods: ['POST'],
    target: (live, m) => `${live.simulator}/api/scenarios/${m[1]}/start`,
  },
  { path: /^\/api\/alerts$/, methods: ['GET'], target: (live) => `${live.receiver}/alerts` },
];

function findRoute(urlPath: string): { route: Route; match: RegExpExecArray } | null {
  for (const route of ROUTES) {
    const match = route.path.exec(urlPath);
    if (match) {
      return { route, match };
    }
  }
  return null;
}

/** Where a request of the page goes upstream, or null when the page never makes it. */
export function upstreamUrl(live: LiveTargets, urlPath: string, search: string): string | null {
  const found = findRoute(urlPath);
  return found ? `${found.route.target(live, found.match)}${search}` : null;
}

/** The paths live mode answers (forwarded or refused with a reason); everything else is the static site. */
export function isLivePath(urlPath: string): boolean {
  return urlPath.startsWith('/api/prom/') || urlPath.startsWith('/api/sim/') || urlPath === '/api/alerts';
}

/**
 * Null when the request may be forwarded, else why not. The Host header must be a loopback name (after DNS
 * rebinding it is the attacker's name); an Origin, when the browser sends one, must be the page's own; a browser
 * that says the request is cross-site is believed.
 */
export function refusedCaller(headers: IncomingMessage['headers']): string | null {
  const host = headers.host ?? '';
  const foreign = foreignHost(host);
  if (foreign !== null) {
    return foreign;
  }
  const origin = headers.origin;
  if (origin !== undefined && origin.toLowerCase() !== `http://${host.toLowerCase()}`) {
    return `requests from ${origin} are not forwarded: only the host page's own origin`;
  }
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    return `a ${site} request is not forwarded: only the host page's own`;
  }
  return null;
}

/** The body, or null when the client hung up or sent too much (then the answer is already on its way). */
async function readBody(req: IncomingMessage, res: ServerResponse): Promise<ReturnType<typeof Buffer.concat> | null> {
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_BODY) {
    tooLarge(res);
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) {
        tooLarge(res);
        return null;
      }
      chunks.push(chunk as Buffer);
    }
  } catch {
    // The client went away mid-body (ECONNRESET, "aborted"): nobody is left to answer.
    return null;
  }
  return Buffer.concat(chunks);
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) {
    return;
  }
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

/** 413 and close: the rest of the body is not worth reading. */
function tooLarge(res: ServerResponse): void {
  reply(res, 413, { error: `request body over ${MAX_BODY} bytes` }, { Connection: 'close' });
}

/**
 * Forwards one request; an upstream that is down is a 502 with a sentence, not a hang. Never rejects: a client
 * that hangs up, or anything else going wrong, ends this request only.
 */
export async function forward(
  live: LiveTargets,
  req: IncomingMessage,
  res: ServerResponse,
  urlPath: string,
  search: string
): Promise<void> {
  const refused = refusedCaller(req.headers);
  if (refused) {
    return reply(res, 403, { error: refused });
  }
  const found = findRoute(urlPath);
  if (!found) {
    return reply(res, 404, { error: `Not forwarded: ${urlPath} (the host page never asks for it)` });
  }
  const method = req.method ?? 'GET';
  if (!found.route.methods.includes(method)) {
    return reply(
      res,
      405,
      { error: `${method} ${urlPath} is not forwarded: use ${found.route.methods.join(' or ')}` },
      {
        Allow: found.route.methods.join(', '),
      }
    );
  }
  const body = await readBody(req, res);
  if (body === null) {
    return;
  }
  const target = `${found.route.target(live, found.match)}${search}`;
  try {
    const upstream = await fetch(target, {
      method,
      headers: req.headers['content-type'] ? { 'content-type': String(req.headers['content-type']) } : undefined,
      body: method === 'POST' ? body : undefined,
      signal: AbortSignal.timeout(30_000),
    });
    const answer = Buffer.from(await upstream.arrayBuffer());
    if (res.headersSent || res.destroyed) {
      return;
    }
    res.writeHead(upstream.status, {
      'Content-Type': upstream.headers.get('content-type') ?? 'application/json',
      'Cache-Control': 'no-store',
    });
    res.end(answer);
  } catch (error) {
    reply(res, 502, { error: `${new URL(target).origin} did not answer: ${(error as Error).message}` });
  }
}

/**
 * The host page's live mode: the sandbox server forwards the page's API calls to the local stack (Prometheus,
 * the simulator, the alert receiver), so the page talks to one origin and nothing needs CORS.
 *
 *   /api/prom/<path>   -> <prometheus>/api/v1/<path>     (GET, POST: range queries)
 *   /api/sim/<path>    -> <simulator>/api/<path>         (GET, POST: start a scenario)
 *   /api/alerts        -> <receiver>/alerts              (GET: what Alertmanager delivered)
 */
import { IncomingMessage, ServerResponse } from 'node:http';

export interface LiveTargets {
  readonly prometheus: string;
  readonly simulator: string;
  readonly receiver: string;
}

const MAX_BODY = 1 << 20;

/** Where a request of the page goes upstream, or null when it is not a live API path. */
export function upstreamUrl(live: LiveTargets, urlPath: string, search: string): string | null {
  const routes: Array<[string, string]> = [
    ['/api/prom/', `${live.prometheus}/api/v1/`],
    ['/api/sim/', `${live.simulator}/api/`],
  ];
  for (const [prefix, target] of routes) {
    if (urlPath.startsWith(prefix)) {
      const rest = urlPath.slice(prefix.length);
      // Upstream paths are plain names: no way out of the API through `..` or encoded slashes.
      if (!/^[A-Za-z0-9_\-./]*$/.test(rest) || rest.split('/').includes('..')) {
        return null;
      }
      return `${target}${rest}${search}`;
    }
  }
  return urlPath === '/api/alerts' ? `${live.receiver}/alerts` : null;
}

export function isLivePath(urlPath: string): boolean {
  return urlPath.startsWith('/api/prom/') || urlPath.startsWith('/api/sim/') || urlPath === '/api/alerts';
}

/** Forwards one request; an upstream that is down is a 502 with a sentence, not a hang. */
export async function forward(
  live: LiveTargets,
  req: IncomingMessage,
  res: ServerResponse,
  urlPath: string,
  search: string
): Promise<void> {
  const target = upstreamUrl(live, urlPath, search);
  const reply = (status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  if (!target) {
    return reply(404, { error: `Not a live API path: ${urlPath}` });
  }
  if (req.method !== 'GET' && req.method !== 'POST') {
    return reply(405, { error: `${req.method} is not forwarded` });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) {
      return reply(413, { error: 'request body too large' });
    }
    chunks.push(chunk as Buffer);
  }
  try {
    const upstream = await fetch(target, {
      method: req.method,
      headers: req.headers['content-type'] ? { 'content-type': String(req.headers['content-type']) } : undefined,
      body: req.method === 'POST' ? Buffer.concat(chunks) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
    res.writeHead(upstream.status, {
      'Content-Type': upstream.headers.get('content-type') ?? 'application/json',
      'Cache-Control': 'no-store',
    });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  } catch (error) {
    reply(502, { error: `${new URL(target).origin} did not answer: ${(error as Error).message}` });
  }
}

/**
 * A webhook receiver for Alertmanager: records the newest notifications with the time they arrived, so the demo
 * can show the alerts as they come and the end-to-end test can check their order. 127.0.0.1 unless told.
 *
 *   POST /webhook   Alertmanager's webhook payload (version 4), as `application/json`, at most 1 MiB
 *   GET  /alerts    what arrived, oldest first (the newest 1000, 8 MiB at most): [{ receivedAt, status, labels, ... }]
 *
 * Only JSON is accepted (415 otherwise): a web page can send `text/plain` or a form to any address without asking,
 * but not `application/json`. Labels and annotations must be flat maps of strings, as Alertmanager sends them.
 */
import { createServer, IncomingMessage, ServerResponse } from 'http';
import { AddressInfo } from 'net';

import { foreignHost, isLoopback, listenUrl, reachUrl } from '../lib/localOnly';

export { isLoopback };

export interface ReceivedAlert {
  /** Unix ms at which the notification arrived here. */
  readonly receivedAt: number;
  readonly receiver: string;
  readonly status: 'firing' | 'resolved';
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
}

export interface AlertReceiver {
  /** Where to reach it: a loopback address when it listens on every interface. */
  readonly url: string;
  /** Where it really listens, as `host:port`. */
  readonly listening: string;
  /** The newest alerts (within the limits), oldest first. */
  readonly alerts: readonly ReceivedAlert[];
  /** Characters of the kept alerts as JSON (what `GET /alerts` answers, give or take the commas). */
  storedSize(): number;
  /** The first stored arrival of a firing alert with this name (and labels), or undefined. */
  firstFiring(alertname: string, labels?: Record<string, string>): ReceivedAlert | undefined;
  close(): Promise<void>;
}

export interface ReceiverLimits {
  /** Alerts kept; older ones are dropped first. */
  readonly maxAlerts: number;
  /** Characters of the kept alerts as JSON, all together; older ones are dropped first. */
  readonly maxStored: number;
  /** Bytes of one webhook body; a larger one gets 413. */
  readonly maxBody: number;
}

/**
 * A demo delivers a few dozen notifications an hour, a few KB each (Alertmanager sends every alert of a group).
 * The newest 1000 alerts, at most 8 MiB of them, bound the receiver's memory whatever is posted.
 */
export const DEFAULT_LIMITS: ReceiverLimits = { maxAlerts: 1000, maxStored: 8 << 20, maxBody: 1 << 20 };

/** Alerts in one payload; Alertmanager groups rarely hold more than a handful. */
const MAX_ALERTS_PER_PAYLOAD = 1000;

/** A parse or validation problem: the sender gets a 400 with this message, and nothing is stored. */
export class WebhookError extends Error {}

/** A flat map of strings, copied into a fresh object (so a `__proto__` key stays a plain key). */
function stringMap(value: unknown, where: string): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WebhookError(`${where}: expected an object of strings`);
  }
  const entries = Object.entries(value);
  for (const [k, v] of entries) {
    if (typeof v !== 'string') {
      throw new WebhookError(`${where}.${k}: expected a string, got ${Array.isArray(v) ? 'array' : typeof v}`);
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** Reads and checks one Alertmanager webhook payload; throws a WebhookError with a message for anything else. */
export function parseWebhook(body: string, receivedAt: number): ReceivedAlert[] {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    throw new WebhookError('body is not JSON');
  }
  const p = payload as { receiver?: unknown; alerts?: unknown };
  if (!p || typeof p !== 'object' || !Array.isArray(p.alerts)) {
    throw new WebhookError('expected an Alertmanager webhook payload with an "alerts" array');
  }
  if (p.alerts.length > MAX_ALERTS_PER_PAYLOAD) {
    throw new WebhookError(`${p.alerts.length} alerts in one payload: at most ${MAX_ALERTS_PER_PAYLOAD}`);
  }
  if (p.receiver !== undefined && typeof p.receiver !== 'string') {
    throw new WebhookError('receiver: expected a string');
  }
  return p.alerts.map((raw: unknown, i) => {
    const a = (raw ?? {}) as { status?: unknown; labels?: unknown; annotations?: unknown; startsAt?: unknown };
    if (a.status !== 'firing' && a.status !== 'resolved') {
      throw new WebhookError(`alerts[${i}].status: expected "firing" or "resolved"`);
    }
    if (a.startsAt !== undefined && typeof a.startsAt !== 'string') {
      throw new WebhookError(`alerts[${i}].startsAt: expected a string`);
    }
    return {
      receivedAt,
      receiver: (p.receiver as string | undefined) ?? '',
      status: a.status,
      labels: stringMap(a.labels, `alerts[${i}].labels`),
      annotations: a.annotations === undefined ? {} : stringMap(a.annotations, `alerts[${i}].annotations`),
      startsAt: (a.startsAt as string | undefined) ?? '',
    };
  });
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function startReceiver(
  port: number,
  host = '127.0.0.1',
  onAlert?: (a: ReceivedAlert) => void,
  limits: ReceiverLimits = DEFAULT_LIMITS
): Promise<AlertReceiver> {
  const alerts: ReceivedAlert[] = [];
  const sizes: number[] = [];
  let stored = 0;
  const keep = (received: readonly ReceivedAlert[]) => {
    for (const alert of received) {
      const size = JSON.stringify(alert).length;
      alerts.push(alert);
      sizes.push(size);
      stored += size;
    }
    let drop = 0;
    while (alerts.length - drop > limits.maxAlerts || (stored > limits.maxStored && drop < alerts.length)) {
      stored -= sizes[drop];
      drop++;
    }
    alerts.splice(0, drop);
    sizes.splice(0, drop);
  };
  const send = (res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}) => {
    if (res.headersSent || res.destroyed) {
      return;
    }
    res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
    res.end(JSON.stringify(body));
  };
  // 413 and close: the rest of the body is not worth reading.
  const tooLarge = (res: ServerResponse) =>
    send(res, 413, { error: `body over ${limits.maxBody} bytes` }, { connection: 'close' });

  const receive = (req: IncomingMessage, res: ServerResponse) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      return send(res, 415, { error: `expected Content-Type application/json, got ${type || 'none'}` });
    }
    if (Number(req.headers['content-length']) > limits.maxBody) {
      return tooLarge(res);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBody && !done) {
        done = true;
        tooLarge(res);
      } else if (!done) {
        chunks.push(chunk);
      }
    });
    // A client that hangs up mid-body: nobody is left to answer.
    req.on('error', () => (done = true));
    req.on('end', () => {
      if (done) {
        return;
      }
      let received: ReceivedAlert[];
      try {
        // Decoded once, as a whole: a character split across chunks stays one character.
        received = parseWebhook(UTF8.decode(Buffer.concat(chunks)), Date.now());
      } catch (e) {
        const message = e instanceof WebhookError ? e.message : 'body is not UTF-8 text';
        return send(res, 400, { error: message });
      }
      keep(received);
      send(res, 200, { ok: true });
      received.forEach((a) => onAlert?.(a));
    });
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = (req.url ?? '/').split('?')[0];
    if (url === '/alerts' && req.method === 'GET') {
      req.resume();
      // What arrived can be read only under this machine's own names: a DNS-rebinding page could read it else.
      // POST stays open to any Host: Alertmanager in Docker calls the receiver by its service name.
      const refused = foreignHost(req.headers.host, host);
      return refused === null ? send(res, 200, alerts) : send(res, 403, { error: refused });
    }
    if (url === '/webhook' && req.method === 'POST') {
      return receive(req, res);
    }
    req.resume();
    return send(res, url === '/alerts' || url === '/webhook' ? 405 : 404, {
      error: `${req.method} ${url.slice(0, 200)} is not served here`,
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: reachUrl(address),
        listening: listenUrl(address).slice('http://'.length),
        alerts,
        storedSize: () => stored,
        firstFiring: (alertname, labels = {}) =>
          alerts.find(
            (a) =>
              a.status === 'firing' &&
              a.labels.alertname === alertname &&
              Object.entries(labels).every(([k, v]) => a.labels[k] === v)
          ),
        close: () =>
          new Promise((r) => {
            server.close(() => r());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** One line per delivered alert, for a log: time, state, name, severity, stage, summary. */
export function describeAlert(a: ReceivedAlert): string {
  const state = a.status === 'resolved' ? 'RESOLVED' : (a.labels.severity ?? 'firing').toUpperCase();
  return `${new Date(a.receivedAt).toISOString()} ${state} ${a.labels.alertname} [${a.labels.stage ?? '-'}] ${a.annotations.summary ?? ''}`.trim();
}

/** What the command line prints once listening: where, and a warning when that is beyond this machine. */
export function listeningLines(r: Pick<AlertReceiver, 'listening' | 'url'>, host: string): string[] {
  const lines = [`alert receiver listening on ${r.listening} (${r.url}): POST /webhook, GET /alerts`];
  if (!isLoopback(host)) {
    lines.push(
      `warning: ${host} is not a loopback address: anything that can reach this machine on that address can post alerts here and read them`
    );
  }
  return lines;
}

if (require.main === module) {
  // `node --import tsx demo/receiver.ts [--host H] [--port P]`: the Docker demo's receiver, logging to stdout.
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
  };
  const port = Number(arg('port', '9095'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port: expected a port number, got "${arg('port', '')}"`);
    process.exit(2);
  }
  const host = arg('host', '127.0.0.1');
  startReceiver(port, host, (a) => console.log(describeAlert(a))).then(
    (r) => {
      listeningLines(r, host).forEach((line) => (line.startsWith('warning') ? console.error(line) : console.log(line)));
      process.on('SIGTERM', () => void r.close().then(() => process.exit(0)));
    },
    (e: NodeJS.ErrnoException) => {
      console.error(`cannot listen on ${host}:${port}: ${e.code ?? e.message}`);
      process.exit(1);
    }
  );
}

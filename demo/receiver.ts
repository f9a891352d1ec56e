/**
 * A webhook receiver for Alertmanager: records every notification with the time it arrived, so the demo can
 * show the alerts as they come and the end-to-end test can check their order. 127.0.0.1 only.
 *
 *   POST /webhook   Alertmanager's webhook payload (version 4)
 *   GET  /alerts    what arrived, oldest first: [{ receivedAt, status, labels, annotations, startsAt }]
 */
import { createServer, IncomingMessage, ServerResponse } from 'http';
import { AddressInfo } from 'net';

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
  readonly url: string;
  readonly alerts: readonly ReceivedAlert[];
  /** The first arrival of a firing alert with this name (and labels), or undefined. */
  firstFiring(alertname: string, labels?: Record<string, string>): ReceivedAlert | undefined;
  close(): Promise<void>;
}

const MAX_BODY = 1 << 20;

/** Reads and checks one Alertmanager webhook payload; throws with a message for anything else. */
export function parseWebhook(body: string, receivedAt: number): ReceivedAlert[] {
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    throw new Error('body is not JSON');
  }
  const p = payload as { receiver?: unknown; alerts?: unknown };
  if (!p || typeof p !== 'object' || !Array.isArray(p.alerts)) {
    throw new Error('expected an Alertmanager webhook payload with an "alerts" array');
  }
  return p.alerts.map((raw, i) => {
    const a = raw as { status?: unknown; labels?: unknown; annotations?: unknown; startsAt?: unknown };
    if (!a || (a.status !== 'firing' && a.status !== 'resolved') || !a.labels || typeof a.labels !== 'object') {
      throw new Error(`alerts[${i}]: expected status "firing" or "resolved" and a labels object`);
    }
    return {
      receivedAt,
      receiver: String(p.receiver ?? ''),
      status: a.status,
      labels: a.labels as Record<string, string>,
      annotations: (a.annotations as Record<string, string>) ?? {},
      startsAt: String(a.startsAt ?? ''),
    };
  });
}

export function startReceiver(
  port: number,
  host = '127.0.0.1',
  onAlert?: (a: ReceivedAlert) => void
): Promise<AlertReceiver> {
  const alerts: ReceivedAlert[] = [];
  const send = (res: ServerResponse, code: number, body: unknown) => {
    res.writeHead(code, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    if (url === '/alerts' && req.method === 'GET') {
      return send(res, 200, alerts);
    }
    if (url === '/webhook' && req.method === 'POST') {
      let body = '';
      let tooLarge = false;
      req.on('data', (chunk: Buffer) => {
        body += chunk;
        if (body.length > MAX_BODY) {
          tooLarge = true;
          req.destroy();
        }
      });
      req.on('end', () => {
        if (tooLarge) {
          return;
        }
        try {
          const received = parseWebhook(body, Date.now());
          alerts.push(...received);
          received.forEach((a) => onAlert?.(a));
          send(res, 200, { ok: true });
        } catch (e) {
          send(res, 400, { error: (e as Error).message });
        }
      });
      return;
    }
    return send(res, url === '/alerts' || url === '/webhook' ? 405 : 404, {
      error: `${req.method} ${url} is not served here`,
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address() as AddressInfo;
      resolve({
        url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actual}`,
        alerts,
        firstFiring: (alertname, labels = {}) =>
          alerts.find(
            (a) =>
              a.status === 'firing' &&
              a.labels.alertname === alertname &&
              Object.entries(labels).every(([k, v]) => a.labels[k] === v)
          ),
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

/** One line per delivered alert, for a log: time, state, name, severity, stage, summary. */
export function describeAlert(a: ReceivedAlert): string {
  const state = a.status === 'resolved' ? 'RESOLVED' : (a.labels.severity ?? 'firing').toUpperCase();
  return `${new Date(a.receivedAt).toISOString()} ${state} ${a.labels.alertname} [${a.labels.stage ?? '-'}] ${a.annotations.summary ?? ''}`.trim();
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
  startReceiver(port, arg('host', '127.0.0.1'), (a) => console.log(describeAlert(a))).then((r) => {
    console.log(`alert receiver on ${r.url}: POST /webhook, GET /alerts`);
    process.on('SIGTERM', () => void r.close().then(() => process.exit(0)));
  });
}

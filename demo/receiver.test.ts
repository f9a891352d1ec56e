import { spawn } from 'child_process';
import http from 'http';
import path from 'path';

import { DEFAULT_LIMITS, describeAlert, isLoopback, listeningLines, parseWebhook, startReceiver } from './receiver';

const PAYLOAD = {
  version: '4',
  receiver: 'page',
  status: 'firing',
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'CascadeTrafficSurge', severity: 'warning', stage: 'traffic', service: 'registry' },
      annotations: { summary: 'Traffic rising fast' },
      startsAt: '2026-11-22T01:00:00Z',
    },
  ],
};

const JSON_TYPE = { 'content-type': 'application/json' };

/** A payload whose first alert's labels are nested `depth` objects deep. */
function nested(depth: number): string {
  const labels = `${'{"a":'.repeat(depth)}"x"${'}'.repeat(depth)}`;
  return `{"alerts":[{"status":"firing","labels":${labels}}]}`;
}

describe('the alert receiver', () => {
  it('parses an Alertmanager webhook payload and refuses anything else', () => {
    const [a] = parseWebhook(JSON.stringify(PAYLOAD), 1000);
    expect(a).toMatchObject({
      receivedAt: 1000,
      receiver: 'page',
      status: 'firing',
      labels: { alertname: 'CascadeTrafficSurge' },
    });
    expect(() => parseWebhook('nope', 0)).toThrow('body is not JSON');
    expect(() => parseWebhook('{"alerts": 3}', 0)).toThrow('"alerts" array');
    expect(() => parseWebhook('{"alerts": [{"status": "odd", "labels": {}}]}', 0)).toThrow('alerts[0]');
  });

  it('accepts flat maps of strings only, for labels and annotations', () => {
    const alert = (extra: object) => JSON.stringify({ alerts: [{ status: 'firing', labels: {}, ...extra }] });
    expect(() => parseWebhook(alert({ labels: { severity: 5 } }), 0)).toThrow(
      'alerts[0].labels.severity: expected a string, got number'
    );
    expect(() => parseWebhook(alert({ labels: { a: { b: 'c' } } }), 0)).toThrow('alerts[0].labels.a');
    expect(() => parseWebhook(alert({ labels: ['x'] }), 0)).toThrow('alerts[0].labels');
    expect(() => parseWebhook(alert({ annotations: { summary: ['x'] } }), 0)).toThrow('alerts[0].annotations.summary');
    expect(() => parseWebhook(alert({ startsAt: 5 }), 0)).toThrow('alerts[0].startsAt');
    expect(() => parseWebhook(nested(8000), 0)).toThrow(/alerts\[0\]\.labels\.a|not JSON/);
    // A "__proto__" label stays a label: it does not change what the map inherits.
    const [a] = parseWebhook('{"alerts":[{"status":"firing","labels":{"__proto__":"x","alertname":"A"}}]}', 0);
    expect(Object.getPrototypeOf(a.labels)).toBe(Object.prototype);
    expect(Object.keys(a.labels)).toEqual(['__proto__', 'alertname']);
  });

  it('records deliveries in order, serves them, and answers errors without stopping', async () => {
    const r = await startReceiver(0);
    try {
      const post = (body: string) => fetch(`${r.url}/webhook`, { method: 'POST', body, headers: JSON_TYPE });
      expect((await post(JSON.stringify(PAYLOAD))).status).toBe(200);
      expect((await post('garbage')).status).toBe(400);
      expect((await fetch(`${r.url}/elsewhere`)).status).toBe(404);
      expect((await fetch(`${r.url}/webhook`)).status).toBe(405);
      const list = await (await fetch(`${r.url}/alerts`)).json();
      expect(list).toHaveLength(1);
      expect(r.firstFiring('CascadeTrafficSurge', { service: 'registry' })).toBeDefined();
      expect(r.firstFiring('CascadeTrafficSurge', { service: 'other' })).toBeUndefined();
      expect(describeAlert(r.alerts[0])).toMatch(/WARNING CascadeTrafficSurge \[traffic\] Traffic rising fast$/);
    } finally {
      await r.close();
    }
  });

  it("lets only this machine's names read what arrived (a DNS-rebinding page names its own host)", async () => {
    const r = await startReceiver(0);
    /** GET /alerts with a Host header of our choosing (fetch may not set one). */
    const read = (host: string) =>
      new Promise<number>((resolve, reject) => {
        const req = http.request(`${r.url}/alerts`, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await read(new URL(r.url).host)).toBe(200);
      expect(await read('localhost')).toBe(200);
      expect(await read('rebound.attacker.example')).toBe(403);
      // Alertmanager in Docker posts to the receiver by its service name: delivering stays open to any Host.
      const delivered = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          `${r.url}/webhook`,
          { method: 'POST', headers: { host: 'receiver:9095', ...JSON_TYPE } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          }
        );
        req.on('error', reject);
        req.end(JSON.stringify(PAYLOAD));
      });
      expect(delivered).toBe(200);
    } finally {
      await r.close();
    }
  });

  it('stores nothing of a payload it refuses, and keeps serving after deeply nested labels', async () => {
    const r = await startReceiver(0);
    try {
      const post = (body: string) => fetch(`${r.url}/webhook`, { method: 'POST', body, headers: JSON_TYPE });
      const bad = { alerts: [{ status: 'firing', labels: { alertname: 'X', severity: 5 } }] };
      expect((await post(JSON.stringify(bad))).status).toBe(400);
      const bomb = await post(nested(8000));
      expect(bomb.status).toBe(400);
      const list = await fetch(`${r.url}/alerts`);
      expect(list.status).toBe(200);
      expect(await list.json()).toEqual([]);
    } finally {
      await r.close();
    }
  });

  it('refuses anything but application/json with 415, so a web page cannot post without asking', async () => {
    const r = await startReceiver(0);
    try {
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
        const res = await fetch(`${r.url}/webhook`, {
          method: 'POST',
          body: JSON.stringify(PAYLOAD),
          headers: { 'content-type': type },
        });
        expect([type, res.status]).toEqual([type, 415]);
      }
      const withCharset = await fetch(`${r.url}/webhook`, {
        method: 'POST',
        body: JSON.stringify(PAYLOAD),
        headers: { 'content-type': 'application/json; charset=utf-8' },
      });
      expect(withCharset.status).toBe(200);
      expect(r.alerts).toHaveLength(1);
    } finally {
      await r.close();
    }
  });

  it('answers 413 to an oversized body, declared or streamed, and stays up', async () => {
    const r = await startReceiver(0, '127.0.0.1', undefined, { ...DEFAULT_LIMITS, maxBody: 4096 });
    try {
      const big = JSON.stringify({ ...PAYLOAD, padding: 'x'.repeat(10_000) });
      const declared = await fetch(`${r.url}/webhook`, { method: 'POST', body: big, headers: JSON_TYPE });
      expect(declared.status).toBe(413);
      // Streamed without a length (chunked): the limit still holds.
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 10; i++) {
            controller.enqueue(new TextEncoder().encode('x'.repeat(1000)));
          }
          controller.close();
        },
      });
      const chunked = await fetch(`${r.url}/webhook`, {
        method: 'POST',
        body: stream,
        headers: JSON_TYPE,
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(413);
      expect((await fetch(`${r.url}/alerts`)).status).toBe(200);
      expect(r.alerts).toHaveLength(0);
    } finally {
      await r.close();
    }
  });

  it('keeps the newest alerts only, up to its limit', async () => {
    const r = await startReceiver(0, '127.0.0.1', undefined, { ...DEFAULT_LIMITS, maxAlerts: 3 });
    try {
      for (let i = 0; i < 5; i++) {
        const payload = { alerts: [{ status: 'firing', labels: { alertname: `A${i}` } }] };
        await fetch(`${r.url}/webhook`, { method: 'POST', body: JSON.stringify(payload), headers: JSON_TYPE });
      }
      const names = ((await (await fetch(`${r.url}/alerts`)).json()) as Array<{ labels: { alertname: string } }>).map(
        (a) => a.labels.alertname
      );
      expect(names).toEqual(['A2', 'A3', 'A4']);
    } finally {
      await r.close();
    }
  });

  it('keeps no more than its limit of characters, however large each alert', async () => {
    const r = await startReceiver(0, '127.0.0.1', undefined, { ...DEFAULT_LIMITS, maxStored: 50_000 });
    try {
      for (let i = 0; i < 10; i++) {
        const payload = {
          alerts: [{ status: 'firing', labels: { alertname: `A${i}` }, annotations: { summary: 'x'.repeat(20_000) } }],
        };
        const res = await fetch(`${r.url}/webhook`, {
          method: 'POST',
          body: JSON.stringify(payload),
          headers: JSON_TYPE,
        });
        expect(res.status).toBe(200);
      }
      expect(r.alerts.map((a) => a.labels.alertname)).toEqual(['A8', 'A9']);
      expect(r.storedSize()).toBeLessThanOrEqual(50_000);
      expect((await (await fetch(`${r.url}/alerts`)).text()).length).toBeLessThan(50_000);
    } finally {
      await r.close();
    }
  });

  it('decodes a body as a whole, so characters split across chunks survive', async () => {
    const r = await startReceiver(0);
    try {
      const summary = '\u00e9\u20ac\u{1F525}'.repeat(2000);
      const bytes = new TextEncoder().encode(
        JSON.stringify({ alerts: [{ status: 'firing', labels: { alertname: 'U' }, annotations: { summary } }] })
      );
      // Odd-sized chunks, a moment apart so they arrive apart, cut the multi-byte characters in the middle.
      let offset = 0;
      const stream = new ReadableStream({
        async pull(controller) {
          await new Promise((r) => setTimeout(r, 5));
          controller.enqueue(bytes.slice(offset, offset + 997));
          offset += 997;
          if (offset >= bytes.length) {
            controller.close();
          }
        },
      });
      const res = await fetch(`${r.url}/webhook`, {
        method: 'POST',
        body: stream,
        headers: JSON_TYPE,
        duplex: 'half',
      } as RequestInit);
      expect(res.status).toBe(200);
      expect(r.alerts[0].annotations.summary).toBe(summary);
    } finally {
      await r.close();
    }
  });
});

describe('where the receiver listens', () => {
  it('says the real address, and warns beyond loopback', async () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('0.0.0.0')).toBe(false);
    expect(isLoopback('192.168.1.2')).toBe(false);
    expect(listeningLines({ listening: '127.0.0.1:9095', url: 'http://127.0.0.1:9095' }, '127.0.0.1')).toHaveLength(1);
  });

  it('`receiver --host 0.0.0.0` prints 0.0.0.0 and a warning', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'receiver.ts'), '--host', '0.0.0.0', '--port', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'] }
    );
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (out += c));
    try {
      await new Promise<void>((resolve, reject) => {
        const check = () => (/warning/.test(out) && /listening on/.test(out) ? resolve() : undefined);
        child.stdout.on('data', check);
        child.stderr.on('data', check);
        child.once('exit', (code) => reject(new Error(`receiver exited (${code}): ${out}`)));
      });
    } finally {
      child.kill('SIGTERM');
    }
    expect(out).toMatch(/listening on 0\.0\.0\.0:\d+ \(http:\/\/127\.0\.0\.1:\d+\)/);
    expect(out).toMatch(/warning: 0\.0\.0\.0 is not a loopback address/);
  }, 30_000);
});

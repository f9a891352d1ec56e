import { describeAlert, parseWebhook, startReceiver } from './receiver';

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

  it('records deliveries in order, serves them, and answers errors without stopping', async () => {
    const r = await startReceiver(0);
    try {
      const post = (body: string) => fetch(`${r.url}/webhook`, { method: 'POST', body });
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
});

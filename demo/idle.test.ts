/**
 * `npm run demo -- --speed 20` left alone: the history must carry the time-compressed pack across the seam with
 * live data, so nothing fires on the idle demo (an alert there reads as a false alarm), while the traffic lane
 * and its seasonal band have data at once. Watched for three wall minutes (an hour of model time), longer than
 * the pack's velocity window (30 model minutes) and the seam's rate windows.
 */
import fs from 'fs';
import { spawnDemo, type RunningDemo } from './spawnDemo';

jest.setTimeout(8 * 60_000);

const WATCH_MS = 3 * 60_000;
let demo: RunningDemo;

afterAll(async () => {
  if (demo.npm.exitCode === null) {
    demo.npm.kill('SIGTERM');
    await demo.exited;
  }
  fs.rmSync(demo.stateDir, { recursive: true, force: true });
});

async function query(prometheus: number, expr: string): Promise<Array<{ metric: Record<string, string> }>> {
  const res = await fetch(`http://127.0.0.1:${prometheus}/api/v1/query?query=${encodeURIComponent(expr)}`);
  return (await res.json()).data.result;
}

it('fires nothing while idle at --speed 20, with traffic and its seasonal band there from the start', async () => {
  demo = await spawnDemo(['--speed', '20']);
  await demo.waitFor(/Ready in \d+ s/);
  const [, prometheus, , , receiver] = demo.ports;

  // The traffic lane: the last 30 model minutes (90 wall seconds) of traffic, from the history, and its band.
  const [lane] = await query(prometheus, 'count_over_time(cascade:http_requests:rate5m[90s])');
  expect(lane).toBeDefined();

  const seen = new Set<string>();
  // The seasonal group evaluates every 15 s: its band appears at its first evaluation, weeks ago all found.
  let weeksFound = 0;
  let band = 0;
  for (const until = Date.now() + WATCH_MS; Date.now() < until;) {
    for (const a of await query(prometheus, 'ALERTS{alertstate="firing"}')) {
      seen.add(a.metric.alertname);
    }
    weeksFound = Math.max(weeksFound, (await query(prometheus, 'cascade:http_requests:seasonal_rate5m')).length);
    band = Math.max(band, (await query(prometheus, 'cascade:http_requests:baseline_upper')).length);
    await new Promise((r) => setTimeout(r, 3000));
  }
  expect({ weeksFound, band }).toEqual({ weeksFound: 3, band: 1 });
  const delivered = (await (await fetch(`http://127.0.0.1:${receiver}/alerts`)).json()) as Array<{
    labels: { alertname: string };
  }>;
  expect([...seen]).toEqual([]);
  expect(delivered.map((a) => a.labels.alertname)).toEqual([]);
});

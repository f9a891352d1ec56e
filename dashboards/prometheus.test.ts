/**
 * Every dashboard query against a real Prometheus: the demo's stack at --speed 20 (the pack rendered from the
 * default configuration, time-compressed, over three weeks of the simulator's history on the compressed axis)
 * answers each query of both rendered dashboards with data for the simulator's service and cluster.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { DEFAULT_CONFIG } from '../config/schema';
import { freePorts } from '../demo/spawnDemo';
import { defaultStackOptions, speedSettings, startStack, type Stack } from '../demo/stack';
import { dashboardQueries, parseLabelValues, substituteVariables, variableQueries } from './queries';
import { renderDashboards } from './render';

const SPEED = 20;
const HISTORY_DAYS = 21;
const VARIABLES = { service: 'registry', cluster: 'main', datasource: 'prometheus' };

let stack: Stack | undefined;
let stateDir = '';

beforeAll(async () => {
  const [host, prometheus, alertmanager, simulator, receiver] = await freePorts(5);
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-dashboards-prom-'));
  const { timeScale, scrapeInterval } = speedSettings(SPEED);
  stack = await startStack(
    defaultStackOptions({
      stateDir: path.join(stateDir, 'stack'),
      ports: { host, prometheus, alertmanager, simulator, receiver },
      speed: SPEED,
      timeScale,
      scrapeInterval,
      historyDays: HISTORY_DAYS,
      hostPage: false,
      progress: () => undefined,
    })
  );
}, 5 * 60_000);

afterAll(async () => {
  await stack?.stop();
  if (stateDir) {
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
});

interface PromResponse {
  status: string;
  error?: string;
  data: { result: unknown[] };
}

async function queryRange(expr: string, start: number, end: number): Promise<PromResponse> {
  const form = new URLSearchParams({ query: expr, start: String(start), end: String(end), step: '60' });
  const res = await fetch(`${stack!.urls.prometheus}/api/v1/query_range`, { method: 'POST', body: form });
  return (await res.json()) as PromResponse;
}

/** Waits until the slowest recorded series the dashboards read (the seasonal band) has been evaluated. */
async function untilRecorded(expr: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const now = Date.now() / 1000;
    if ((await queryRange(expr, now - 60, now)).data?.result.length > 0) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`${expr} still returned nothing after ${timeoutMs / 1000} s`);
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

describe('the rendered dashboards against the demo stack\u2019s Prometheus', () => {
  it(
    'every query of both dashboards, and every variable, returns data',
    async () => {
      await untilRecorded('cascade:http_requests:baseline_upper{service="registry"}', 3 * 60_000);
      const dashboards = [...renderDashboards(DEFAULT_CONFIG).values()].map((text) => JSON.parse(text));
      const queries = dashboards.flatMap((d) => [
        ...dashboardQueries(d).map((q) => ({ where: `${d.uid} / ${q.title} / ${q.refId}`, expr: q.expr })),
        ...variableQueries(d).map((v) => ({
          where: `${d.uid} / $${v.name}`,
          expr: parseLabelValues(v.query)!.selector,
        })),
      ]);
      expect(queries.length).toBeGreaterThan(30);
      const runnable = queries.map((q) => ({ ...q, expr: substituteVariables(q.expr, VARIABLES) }));
      // The slow groups (6 h to 3 d error ratios) first evaluate a few intervals after Prometheus starts: ask
      // again for what is still empty until every query answers or the wait is over.
      let empty: string[] = [];
      const deadline = Date.now() + 3 * 60_000;
      let pending = runnable;
      for (;;) {
        const end = Date.now() / 1000;
        // The whole history (on the compressed axis) and the live minutes after it.
        const start = end - (HISTORY_DAYS * 86_400) / SPEED;
        const answered = await Promise.all(
          pending.map(async (q) => ({ q, body: await queryRange(q.expr, start, end) }))
        );
        const unanswered = answered.filter(({ body }) => body.status !== 'success' || body.data.result.length === 0);
        pending = unanswered.map(({ q }) => q);
        empty = unanswered.map(
          ({ q, body }) => `${q.where}: ${body.status === 'success' ? 'no data' : body.error} (${q.expr})`
        );
        if (pending.length === 0 || Date.now() > deadline) {
          break;
        }
        await new Promise((r) => setTimeout(r, 5000));
      }
      expect(empty).toEqual([]);
    },
    6 * 60_000
  );
});

/**
 * The live case: the Cascade panel's queries from the overview dashboard (dashboards/cascadePanel.ts, the one
 * definition both use), run as range queries against the local stack's Prometheus through the sandbox
 * server, and turned into frames shaped as Grafana's Prometheus data source returns them.
 */
import { dateTime, LoadingState } from '@grafana/data';
import { DEFAULT_CONFIG } from '../../config/schema';
import { cascadePanel, cascadeTargets, Scope } from '../../dashboards/cascadePanel';
import { promQueryRequest, PromQuery, promRangeFrames, PromSeries } from './promFrames';
import { CaseSource, SandboxCase, UnknownCaseError } from './types';

export const LIVE_CASE = 'live';

export interface LiveParams {
  readonly scope: Scope;
  readonly rangeMs: number;
}

const DURATION = /^(\d+)(m|h|d)$/;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `service`, `cluster` and `range` (e.g. 3h) from the page's URL; defaults fit the simulator's service. */
export function liveParams(search: string): LiveParams {
  const q = new URLSearchParams(search);
  const range = DURATION.exec(q.get('range') ?? '');
  const rangeMs = range ? Number(range[1]) * UNIT_MS[range[2] as keyof typeof UNIT_MS] : 3 * UNIT_MS.h;
  return { scope: { service: q.get('service') || 'registry', cluster: q.get('cluster') || 'main' }, rangeMs };
}

/** Grafana's step for a range query: the range over the panel's width in points, never under 15 s. */
export function queryStep(rangeMs: number, maxDataPoints: number): number {
  return Math.max(15_000, Math.ceil(rangeMs / Math.max(1, maxDataPoints) / 1000) * 1000);
}

interface PromMatrix {
  status: string;
  error?: string;
  data?: { resultType: string; result: Array<{ metric: Record<string, string>; values: Array<[number, string]> }> };
}

/** A matrix result as PromSeries: times in ms, Prometheus's string values as numbers. */
export function matrixSeries(body: PromMatrix, query: PromQuery): PromSeries[] {
  if (body.status !== 'success' || !body.data) {
    throw new Error(`Prometheus refused query ${query.refId} (${query.expr}): ${body.error ?? body.status}`);
  }
  if (body.data.resultType !== 'matrix') {
    throw new Error(`Query ${query.refId} returned a ${body.data.resultType}, not a range (matrix)`);
  }
  return body.data.result.map((r) => ({
    labels: r.metric,
    times: r.values.map(([t]) => Math.round(t * 1000)),
    values: r.values.map(([, v]) => Number(v)),
  }));
}

export async function loadLiveCase(
  params: LiveParams,
  maxDataPoints: number,
  now = Date.now(),
  fetchFn: typeof fetch = fetch
): Promise<SandboxCase> {
  const to = Math.floor(now / 1000) * 1000;
  const from = to - params.rangeMs;
  const stepMs = queryStep(params.rangeMs, maxDataPoints);
  const queries: PromQuery[] = cascadeTargets(params.scope).map((t) => ({
    refId: t.refId,
    expr: t.expr,
    legendFormat: t.legendFormat,
    stepMs,
  }));
  const series = await Promise.all(
    queries.map(async (query) => {
      const form = new URLSearchParams({
        query: query.expr,
        start: String(from / 1000),
        end: String(to / 1000),
        step: `${stepMs / 1000}s`,
      });
      const res = await fetchFn('/api/prom/query_range', {
        method: 'POST',
        body: form,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      const body = (await res.json()) as PromMatrix;
      return promRangeFrames(query, matrixSeries(body, query));
    })
  );
  const range = { from: dateTime(from), to: dateTime(to), raw: { from: `now-${params.rangeMs / 60_000}m`, to: 'now' } };
  const panel = cascadePanel(params.scope, DEFAULT_CONFIG);
  return {
    name: LIVE_CASE,
    title: `${params.scope.service}: live from Prometheus`,
    description:
      'The overview dashboard\u2019s Cascade panel, reading the local Prometheus that scrapes the simulator and records the rule pack.',
    data: {
      state: LoadingState.Done,
      series: series.flat(),
      annotations: [],
      timeRange: range,
      request: promQueryRequest(queries, range, stepMs),
    },
    options: panel.options,
  };
}

/** Live mode is on when the sandbox server was started with a Prometheus to read (the demo does that). */
export function liveEnabled(): boolean {
  return typeof document !== 'undefined' && document.body?.dataset.live === '1';
}

export const liveSource: CaseSource & { refreshMs: number } = {
  id: 'prometheus',
  refreshMs: 15_000,
  list: () =>
    liveEnabled()
      ? [{ name: LIVE_CASE, title: 'Live: the local Prometheus', description: 'The demo stack, refreshed every 15 s.' }]
      : [],
  load: (name) => {
    if (name !== LIVE_CASE || !liveEnabled()) {
      return Promise.reject(new UnknownCaseError(name, liveEnabled() ? [LIVE_CASE] : []));
    }
    const width = new URLSearchParams(window.location.search).get('width');
    return loadLiveCase(liveParams(window.location.search), Number(width) || 1000);
  },
};

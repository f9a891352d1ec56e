/**
 * /metrics for `serve`: a dedicated prom-client Registry (no default process metrics) whose collectors read the
 * live model at scrape time. prom-client does the text format (escaping, value spelling); we supply the values,
 * because they are the model's cumulative state, not observations made in this process.
 */
import { Registry } from 'prom-client';
import { SIGNALS, type SignalSpec } from '../contract/signals';
import type { LiveSimulation } from './live';
import { ROUTES } from './model/params';
import { CODE_SLOTS, ERROR_CODES } from './model/service';

interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

/** The shape prom-client's Registry reads from a registered metric. */
interface Collector {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram';
  get(): Promise<{ name: string; help: string; type: string; values: MetricValue[]; aggregator: string }>;
  reset(): void;
}

function collector(spec: SignalSpec, values: () => MetricValue[]): Collector {
  return {
    name: spec.name,
    help: spec.help,
    type: spec.type,
    get: async () => ({ name: spec.name, help: spec.help, type: spec.type, values: values(), aggregator: 'sum' }),
    reset: () => undefined,
  };
}

export function createMetricsRegistry(live: LiveSimulation): Registry {
  const registry = new Registry();
  const params = () => live.current.params;
  const add = (spec: SignalSpec, values: () => MetricValue[]) =>
    registry.registerMetric(collector(spec, values) as unknown as Parameters<Registry['registerMetric']>[0]);

  add(SIGNALS.traffic, () => {
    const p = params();
    const out: MetricValue[] = [];
    ROUTES.forEach((route, r) => {
      const codes = [p.routes[route].successCode, ...ERROR_CODES];
      for (let c = 0; c < CODE_SLOTS; c++) {
        out.push({ labels: { service: p.service, route, code: codes[c] }, value: live.requestCount(r, c) });
      }
    });
    return out;
  });
  add(SIGNALS.latency, () => {
    const p = params();
    const name = SIGNALS.latency.name;
    const bounds = [...p.latency.buckets.map(String), '+Inf'];
    const out: MetricValue[] = [];
    ROUTES.forEach((route, r) => {
      bounds.forEach((le, b) =>
        out.push({
          metricName: `${name}_bucket`,
          labels: { service: p.service, route, le },
          value: live.bucketCount(r, b),
        })
      );
      out.push({ metricName: `${name}_sum`, labels: { service: p.service, route }, value: live.durationSum(r) });
      out.push({
        metricName: `${name}_count`,
        labels: { service: p.service, route },
        value: live.bucketCount(r, bounds.length - 1),
      });
    });
    return out;
  });
  add(SIGNALS.trafficSources, () => [{ labels: { service: params().service }, value: live.current.sources }]);
  add(SIGNALS.writeBacklog, () => [{ labels: { cluster: params().cluster }, value: live.current.backlog }]);
  add(SIGNALS.writesApplied, () => [{ labels: { cluster: params().cluster }, value: live.writesTotal() }]);
  add(SIGNALS.dbUtilization, () => {
    const m = live.current;
    const cluster = params().cluster;
    return [
      { labels: { cluster, instance: 'db-primary', role: 'primary' }, value: round4(m.primaryUtilization) },
      ...m.replicas
        .filter((r) => r.online)
        .map((r) => ({ labels: { cluster, instance: r.name, role: 'replica' }, value: round4(r.utilization) })),
    ];
  });
  add(SIGNALS.replicaLag, () => {
    const cluster = params().cluster;
    return live.current.replicas
      .filter((r) => r.online)
      .map((r) => ({ labels: { cluster, instance: r.name }, value: Math.round(r.lagSeconds * 1000) / 1000 }));
  });
  add(SIGNALS.healthyInstances, () => [{ labels: { service: params().service }, value: live.current.pool.healthy }]);
  add(SIGNALS.desiredInstances, () => [{ labels: { service: params().service }, value: live.current.pool.desired }]);
  add(SIGNALS.lastDeploy, () => [
    {
      labels: { service: params().service, version: live.current.version },
      value: Math.round(live.toWall(live.current.deployedAt)),
    },
  ]);
  return registry;
}

function round4(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}

/**
 * /metrics for `serve`: a dedicated prom-client Registry (no default process metrics) whose collectors read the
 * live model at scrape time. prom-client does the text format (escaping, value spelling); we supply the values,
 * because they are the model's cumulative state, not observations made in this process.
 */
import { Registry } from 'prom-client';
import { SIGNALS, type SignalSpec, type SignalType } from '../contract/signals';
import { DIALECTS, translate, type DialectName } from './dialects';
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

function collector(family: { name: string; help: string; type: SignalType }, values: () => MetricValue[]): Collector {
  const { name, help, type } = family;
  return {
    name,
    help,
    type,
    get: async () => ({ name, help, type, values: values(), aggregator: 'sum' }),
    reset: () => undefined,
  };
}

interface Source {
  spec: SignalSpec;
  values: () => MetricValue[];
}

/** The sample names a contract family exposes. */
function sampleNames(spec: SignalSpec): string[] {
  return spec.type === 'histogram' ? ['_bucket', '_sum', '_count'].map((s) => spec.name + s) : [spec.name];
}

/**
 * /metrics in the contract's names, or in the given dialects (simulator/dialects.ts): each family the dialects
 * expose reads the contract samples it stands for at scrape time; the rest stay as they are.
 */
export function createMetricsRegistry(live: LiveSimulation, dialects: readonly DialectName[] = []): Registry {
  const registry = new Registry();
  const register = (c: Collector) => registry.registerMetric(c as unknown as Parameters<Registry['registerMetric']>[0]);
  const sources = contractSources(live);
  if (dialects.length === 0) {
    for (const s of sources) {
      register(collector(s.spec, s.values));
    }
    return registry;
  }
  // Which families each source feeds does not depend on label values: probe with the sample names alone.
  const families = new Map<string, { help: string; type: SignalType; feeds: Source[] }>();
  for (const source of sources) {
    for (const sample of sampleNames(source.spec)) {
      for (const t of translate(dialects, sample, source.spec.name, source.spec.type, {})) {
        const help =
          dialects.flatMap((d) => DIALECTS[d].families).find((f) => f.name === t.family)?.help ?? source.spec.help;
        const family = families.get(t.family) ?? { help, type: t.type, feeds: [] };
        if (!family.feeds.includes(source)) {
          family.feeds.push(source);
        }
        families.set(t.family, family);
      }
    }
  }
  for (const [name, family] of families) {
    register(
      collector({ name, help: family.help, type: family.type }, () =>
        family.feeds.flatMap((source) =>
          source.values().flatMap((mv) => {
            const labels = Object.fromEntries(Object.entries(mv.labels).map(([k, v]) => [k, String(v)]));
            const sample = mv.metricName ?? source.spec.name;
            return translate(dialects, sample, source.spec.name, source.spec.type, labels)
              .filter((t) => t.family === name)
              .map((t) => ({
                labels: { ...t.labels },
                value: t.value ? t.value(mv.value) : mv.value,
                ...(t.name !== name ? { metricName: t.name } : {}),
              }));
          })
        )
      )
    );
  }
  return registry;
}

function contractSources(live: LiveSimulation): Source[] {
  const out: Source[] = [];
  const params = () => live.current.params;
  const add = (spec: SignalSpec, values: () => MetricValue[]) => out.push({ spec, values });

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
  return out;
}

function round4(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}

import { spawnSync } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import YAML from 'yaml';
import { renderAll, OUTPUT_FILES } from '../alerts/render';
import { SIGNALS } from '../contract/signals';
import type { Route } from './model/params';
import { listPresets, loadConfig } from '../config/load';
import {
  DIALECT_NAMES,
  OTEL_ROUTES,
  deployGeneration,
  parseDialects,
  runInDialects,
  type DialectName,
} from './dialects';
import { createMetricsRegistry } from './exposition';
import { createServer } from './server';
import { scrapingPrometheus, type ScrapingPrometheus } from './testing/scrapingPrometheus';
import { LiveSimulation } from './live';
import { toOpenMetrics } from './output/openmetrics';
import { simulate, type Series, type SimulationRun } from './run';
import { loadScenario } from './scenario/load';

const ROOT = path.join(__dirname, '..');

/** Two hours of the first report (its surge, and a replica coming online) and the second report's deploys. */
function runs(): SimulationRun[] {
  const first = loadScenario('cloudsmith-2020-02-04');
  const second = loadScenario('crates-io-2023-07-20');
  return [
    simulate(first, { from: first.anchor + 21 * 3600, to: first.anchor + 24 * 3600, stepSeconds: 60 }),
    simulate(second, { from: second.anchor + 12 * 3600, to: second.anchor + 13 * 3600, stepSeconds: 60 }),
  ];
}
const RUNS = runs();

const sameLabels = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>) =>
  Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((k) => a[k] === b[k]);
const samples = (s: Series) => Array.from(s.values);

describe('dialects', () => {
  it('speak every preset of the configuration, under the same names', () => {
    expect([...DIALECT_NAMES].sort()).toEqual(listPresets());
  });

  it('refuse an unknown name with the list of known ones; accept repeats and comma lists', () => {
    expect(() => parseDialects(['otel-http,prometheus'])).toThrow(
      'unknown dialect "prometheus": expected one of kube-state-metrics, postgres-exporter, mysqld-exporter, otel-http'
    );
    expect(parseDialects(['otel-http, postgres-exporter', 'otel-http'])).toEqual(['otel-http', 'postgres-exporter']);
    expect(parseDialects([])).toEqual([]);
    expect(() => parseDialects(['postgres-exporter', 'mysqld-exporter'])).toThrow(
      'dialects postgres-exporter and mysqld-exporter both stand for db_replication_lag_seconds: name one of them'
    );
  });

  describe.each(DIALECT_NAMES.map((d) => [d]))('%s', (dialect: DialectName) => {
    const config = loadConfig({ presets: [dialect] });
    const mapped = (Object.keys(config.signals) as Array<keyof typeof config.signals>).filter(
      (k) => config.signals[k].metric !== SIGNALS[k].name
    );

    it('maps at least one signal in its preset', () => {
      expect(mapped.length).toBeGreaterThan(0);
    });

    it.each(RUNS.map((r) => [r.scenario.name, r]))(
      '%s: what the preset reads equals the contract series it stands for',
      (_name, run) => {
        const translated = runInDialects(run, [dialect]);
        for (const key of mapped) {
          const source = config.signals[key];
          const contract = run.series.filter((s) => s.name === SIGNALS[key].name);
          const dialectSeries = translated.series.filter((s) => s.name === source.metric);
          expect([key, dialectSeries.length > 0]).toEqual([key, true]);
          // Every contract label the preset maps is found under its source label, and nothing is left over.
          const contractLabels = (d: Series) =>
            Object.fromEntries(
              SIGNALS[key].labels
                .filter((l: string) => l !== 'version' && l !== 'le')
                .map((l) => [l, d.labels[source.labels[l] ?? l]])
            );
          if ('kind' in source && source.kind === 'generation') {
            // One series per service; the generation steps exactly where the deploy time does.
            const [series] = dialectSeries;
            expect(dialectSeries).toHaveLength(1);
            expect(contractLabels(series)).toEqual({ service: 'registry' });
            const deployedAt = run.times.map((_, k) =>
              Math.max(...contract.map((c) => c.values[k]).filter((v) => !Number.isNaN(v)))
            );
            expect(samples(series)).toEqual(Array.from(deployedAt, deployGeneration));
            const steps = (values: ArrayLike<number>) =>
              Array.from(values).flatMap((v, k) => (k > 0 && v !== values[k - 1] ? [k] : []));
            expect(steps(series.values)).toEqual(steps(deployedAt));
            expect(samples(series).every((v, k, all) => k === 0 || v >= all[k - 1])).toBe(true);
            continue;
          }
          expect(dialectSeries).toHaveLength(contract.length);
          for (const c of contract) {
            const match = dialectSeries.filter((d) =>
              sameLabels(
                contractLabels(d),
                Object.fromEntries(
                  Object.entries(c.labels)
                    .filter(([l]) => l !== 'version' && l !== 'le')
                    // OpenTelemetry's http.route is the route's template.
                    .map(([l, v]) => [l, l === 'route' ? OTEL_ROUTES[v as Route].route : v])
                )
              )
            );
            expect([c.labels, match.length]).toEqual([c.labels, 1]);
            expect(samples(match[0])).toEqual(samples(c));
          }
        }
        // The contract names of the mapped signals are gone; every other contract series is still there, unchanged.
        const gone = new Set<string>(mapped.map((k) => SIGNALS[k].name));
        expect(translated.series.filter((s) => gone.has(s.name))).toEqual([]);
        for (const s of run.series.filter((x) => !gone.has(x.name))) {
          const same = translated.series.filter((t) => t.name === s.name && sameLabels(t.labels, s.labels));
          expect(same.map(samples)).toEqual([samples(s)]);
        }
      }
    );

    it('keeps each family together in OpenMetrics, with a HELP for each', () => {
      const text = toOpenMetrics(runInDialects(RUNS[1], [dialect]));
      const types = text.split('\n').filter((l) => l.startsWith('# TYPE'));
      expect(new Set(types).size).toBe(types.length);
      for (const key of mapped) {
        const family = config.signals[key].metric.replace(/_count$/, '');
        expect(text).toMatch(new RegExp(`^# HELP ${family} \\S`, 'm'));
      }
    });
  });

  it('the real exporters\u2019 labels: a Deployment in a namespace, a database node as job and instance, OpenTelemetry\u2019s attributes', () => {
    const all = runInDialects(RUNS[0], ['kube-state-metrics', 'postgres-exporter', 'otel-http']);
    const labelsOf = (name: string) => all.series.filter((s) => s.name === name).map((s) => ({ ...s.labels }));
    expect(labelsOf('kube_deployment_status_replicas_available')).toEqual([
      { namespace: 'default', deployment: 'registry' },
    ]);
    expect(labelsOf('pg_replication_lag_seconds')).toContainEqual({ job: 'main', instance: 'db-replica-1' });
    expect(labelsOf('pg_replication_is_replica')).toContainEqual({ job: 'main', instance: 'db-primary' });
    expect(labelsOf('http_server_request_duration_seconds_count')).toContainEqual({
      job: 'registry',
      http_route: '/api/v1/crates/{crate}/{version}/download',
      http_request_method: 'GET',
      http_response_status_code: '302',
    });
    const mysql = runInDialects(RUNS[0], ['mysqld-exporter']);
    expect(mysql.series.find((s) => s.name === 'mysql_slave_status_seconds_behind_master')?.labels).toEqual({
      job: 'main',
      instance: 'db-replica-1',
      master_host: 'db-primary',
    });
  });
});

describe('/metrics in a dialect', () => {
  const live = new LiveSimulation({
    scenario: loadScenario('normal-week'),
    speed: 60,
    now: () => Date.UTC(2024, 2, 6, 20, 0),
  });

  it('exposes the dialect families with the labels Prometheus keeps under honor_labels, and the contract for the rest', async () => {
    const text = await createMetricsRegistry(live, ['postgres-exporter', 'otel-http', 'kube-state-metrics']).metrics();
    expect(text).toMatch(/^pg_replication_lag_seconds\{job="main",instance="db-replica-1"\} [\d.]+$/m);
    expect(text).toMatch(/^pg_up\{job="main",instance="db-primary"\} 1$/m);
    expect(text).toMatch(
      /^http_server_request_duration_seconds_count\{job="registry",http_route="\/api\/v1\/crates",http_request_method="GET",http_response_status_code="200"\} \d+$/m
    );
    expect(text).toMatch(/^# TYPE http_server_request_duration_seconds histogram$/m);
    expect(text).toMatch(
      /^kube_deployment_status_replicas_available\{namespace="default",deployment="registry"\} \d+$/m
    );
    expect(text).toMatch(
      /^kube_deployment_status_observed_generation\{namespace="default",deployment="registry"\} \d+$/m
    );
    expect(text).toMatch(/^db_write_backlog\{cluster="main"\} [\d.]+$/m);
    expect(text).toMatch(/^db_utilization_ratio\{cluster="main",instance="db-primary",role="primary"\} [\d.]+$/m);
    for (const gone of [
      'http_requests_total',
      'db_replication_lag_seconds',
      'instances_healthy',
      'instances_desired',
    ]) {
      expect([gone, text.includes(`\n${gone}{`)]).toEqual([gone, false]);
    }
  });

  it('the same values as the contract', async () => {
    const contract = await createMetricsRegistry(live).metrics();
    const dialect = await createMetricsRegistry(live, ['kube-state-metrics', 'mysqld-exporter']).metrics();
    const value = (text: string, re: RegExp) => Number(re.exec(text)?.[1]);
    expect(value(dialect, /^kube_deployment_spec_replicas\{[^}]*\} (\S+)$/m)).toBe(
      value(contract, /^instances_desired\{[^}]*\} (\S+)$/m)
    );
    expect(
      value(dialect, /^mysql_slave_status_seconds_behind_master\{[^}]*instance="db-replica-2"[^}]*\} (\S+)$/m)
    ).toBe(value(contract, /^db_replication_lag_seconds\{[^}]*instance="db-replica-2"\} (\S+)$/m));
    expect(value(dialect, /^kube_deployment_status_observed_generation\{[^}]*\} (\S+)$/m)).toBe(
      deployGeneration(value(contract, /^service_last_deploy_timestamp_seconds\{[^}]*\} (\S+)$/m))
    );
  });
});

describe('cascade-sim --dialect', () => {
  const cli = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(ROOT, 'bin', 'cascade-sim.js'), ...args], { encoding: 'utf8', cwd: ROOT });

  it('writes the history in a dialect', () => {
    const out = cli(
      'history',
      '--scenario',
      'crates-io-2023-07-20',
      '--from',
      '12:00',
      '--to',
      '12:10',
      '--dialect',
      'otel-http,mysqld-exporter',
      '--out',
      '-'
    );
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^http_server_request_duration_seconds_count\{job="registry",/m);
    expect(out.stdout).toMatch(/^mysql_slave_status_seconds_behind_master\{job="main",instance="db-replica-1"/m);
    expect(out.stdout).not.toMatch(/^http_requests_total/m);
  });

  it.each([['history', '--out', '-'], ['serve', '--port', '0'], ['promtool-series']])(
    '%s: an unknown dialect exits 2 naming the known ones',
    (command, ...rest) => {
      const out = cli(
        command,
        '--scenario',
        'normal-week',
        ...rest,
        '--dialect',
        'kube-state-metrics',
        '--dialect',
        'k8s'
      );
      expect(out.status).toBe(2);
      expect(out.stderr).toContain(
        'unknown dialect "k8s": expected one of kube-state-metrics, postgres-exporter, mysqld-exporter, otel-http'
      );
    }
  );
});

describe('serve --dialect, scraped by a real Prometheus with honor_labels', () => {
  let server: http.Server;
  let prometheus: ScrapingPrometheus;
  // One database exporter: postgres_exporter and mysqld_exporter both stand for the replica lag.
  const dialects: DialectName[] = ['kube-state-metrics', 'postgres-exporter', 'otel-http'];
  const config = loadConfig({ presets: dialects });
  const rules = new Map(
    (
      YAML.parse(renderAll(config).get(OUTPUT_FILES.prometheusRules)!) as {
        groups: Array<{ rules: Array<{ record?: string; expr: string }> }>;
      }
    ).groups
      .flatMap((g) => g.rules)
      .filter((r) => r.record !== undefined)
      .map((r) => [r.record!, r.expr])
  );

  beforeAll(async () => {
    const live = new LiveSimulation({ scenario: loadScenario('normal-week'), speed: 1 });
    server = createServer({ live, dialects });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const target = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    // As an exporter's scrape config: the target's own job and instance win over the scrape's.
    prometheus = await scrapingPrometheus({
      job_name: 'exporters',
      honor_labels: true,
      static_configs: [{ targets: [target] }],
    });
  }, 30_000);

  afterAll(async () => {
    prometheus?.stop();
    await new Promise((resolve) => server.close(resolve));
  });

  it("the presets' first recording rules, over what Prometheus scraped, give the contract's labels", async () => {
    // Rates need two scrapes; three leave room.
    expect(await prometheus.scrapes(3)).toBeGreaterThanOrEqual(3);
    const labelsOf = async (record: string) => {
      expect([record, rules.has(record)]).toEqual([record, true]);
      return (await prometheus.query(rules.get(record)!)).map((r) => r.metric);
    };
    expect(await labelsOf('cascade:db_replication_lag:seconds')).toContainEqual({
      cluster: 'main',
      instance: 'db-replica-1',
    });
    expect(await labelsOf('cascade:instances_healthy:sum')).toEqual([{ service: 'registry' }]);
    expect(await labelsOf('cascade:instances_desired:sum')).toEqual([{ service: 'registry' }]);
    expect(await labelsOf('cascade:http_requests_by_route:rate5m')).toContainEqual({
      service: 'registry',
      route: OTEL_ROUTES.download.route,
    });
  }, 60_000);
});

/** What a backtest reads and evaluates, worked out from the pack (pure). */
import { ALERT_NAMES } from '../catalogue';
import { loadConfig } from '../../config/load';
import { applySets } from './cli';
import { mentions, planBacktest, reachSeconds, selectorsIn } from './plan';

const WEEK = 7 * 86_400;
const DAY = 86_400;
const window = { from: 1_709_683_200, to: 1_709_769_600 };

describe('planBacktest', () => {
  const config = loadConfig();
  const plan = planBacktest(config, { window, stepSeconds: 60 });

  it('puts every recording rule above the rules whose series it reads', () => {
    const all = plan.levels.flat();
    for (const r of all) {
      for (const other of all.filter((o) => mentions(r.rule.expr, o.rule.record) && o.rule !== r.rule)) {
        expect([r.rule.record, r.level > other.level]).toEqual([r.rule.record, true]);
      }
    }
    expect(plan.levels[0].every((r) => !r.rule.expr.includes('cascade:'))).toBe(true);
    expect(plan.levels.length).toBeGreaterThan(3);
  });

  it("fetches the traffic the seasonal weeks back, the backlog its usual level's week back, and the rest hours back", () => {
    const back = new Map(plan.inputs.map((i) => [i.signal, window.from - i.from]));
    const weeks = config.traffic.baseline.weeks;
    // The earliest week's same-day level (1d, offset weeks and an hour), its rate window and lookbacks.
    expect(back.get('traffic')).toBeGreaterThanOrEqual(weeks * WEEK + DAY);
    expect(back.get('traffic')).toBeLessThan(weeks * WEEK + 2 * DAY);
    // The usual drain time (backlog.elevated): a week of the backlog and of the writes applied.
    for (const signal of ['writeBacklog', 'writesApplied'] as const) {
      expect(back.get(signal)).toBeGreaterThanOrEqual(WEEK);
      expect(back.get(signal)).toBeLessThan(WEEK + 6 * 3600);
    }
    for (const signal of ['replicaLag', 'healthyInstances'] as const) {
      expect(back.get(signal)).toBeLessThan(6 * 3600);
      expect(back.get(signal)).toBeGreaterThan(0);
    }
    const two = planBacktest(applySets(config, ['traffic.baseline.weeks=2']), { window, stepSeconds: 60 });
    expect(window.from - two.inputs.find((i) => i.signal === 'traffic')!.from).toBe(back.get('traffic')! - WEEK);
  });

  it("evaluates each alert from its for and keep_firing_for before the window, at its group's interval", () => {
    const inProgress = plan.alerts.find((a) => a.rule.alert === 'CascadeInProgress')!;
    expect(inProgress.keepFiringForSeconds).toBe(15 * 60);
    expect(window.from - inProgress.from).toBeGreaterThanOrEqual(17 * 60);
    expect(plan.alerts.map((a) => a.rule.alert).sort()).toEqual([...ALERT_NAMES].sort());
  });

  it('reads only the chosen services where a signal carries a service label', () => {
    const only = planBacktest(config, { window, stepSeconds: 60, services: ['registry', 'a.b'] });
    const selectors = new Map(only.inputs.map((i) => [i.signal, i.selectors]));
    expect(selectors.get('traffic')).toEqual(['http_requests_total{service=~"registry|a\\\\.b"}']);
    expect(selectors.get('writeBacklog')).toEqual(['db_write_backlog']);
  });

  it("reads a preset's metrics, the service filter on the label that carries the service", () => {
    const preset = loadConfig({ presets: ['otel-http', 'kube-state-metrics'] });
    const selectors = new Map(
      planBacktest(preset, { window, stepSeconds: 60, services: ['api'] }).inputs.map((i) => [i.signal, i.selectors])
    );
    expect(selectors.get('traffic')).toEqual(['http_server_request_duration_seconds_count{job=~"api"}']);
    expect(selectors.get('healthyInstances')).toEqual(['kube_deployment_status_replicas_available{deployment=~"api"}']);
    expect(selectors.get('lastDeploy')).toEqual(['kube_deployment_status_observed_generation{deployment=~"api"}']);
  });

  it('leaves out the inputs of a disabled signal and the rules that need it', () => {
    const off = planBacktest(applySets(config, ['signals.trafficSources.enabled=false']), { window, stepSeconds: 60 });
    expect(off.inputs.map((i) => i.signal)).not.toContain('trafficSources');
    expect(off.levels.flat().some((r) => r.rule.expr.includes('http_request_sources'))).toBe(false);
  });

  it('refuses a step that does not divide the evaluation intervals', () => {
    expect(() => planBacktest(config, { window, stepSeconds: 45 })).toThrow(/not a multiple of the 45 s step/);
  });
});

describe('expressions', () => {
  it('reach: the range and offset after the series, subqueries, the lookback', () => {
    expect(reachSeconds('avg_over_time(x[1d] offset 1w1h) / y', 'x')).toBe(DAY + WEEK + 3600 + 300);
    expect(reachSeconds('avg_over_time(x[1d] offset 1w1h) / y', 'y')).toBe(300);
    expect(reachSeconds('max_over_time((x > 0)[30m:1m])', 'x')).toBe(1800 + 300);
    // A subquery's offset counts for what it reads; a series outside the subquery is read at the evaluation time.
    const share = 'quantile_over_time(0.5, (x / on (s) group_left () (y > 0))[1d:1h] offset 1h) * on (s) group_left z';
    expect(reachSeconds(share, 'x')).toBe(DAY + 3600 + 300);
    expect(reachSeconds(share, 'y')).toBe(DAY + 3600 + 300);
    expect(reachSeconds(share, 'z')).toBe(300);
  });

  it('finds the selectors in a signal given as an expression', () => {
    expect(
      selectorsIn(
        'label_replace(1 - rate(node_cpu_seconds_total{mode="idle",job="postgres"}[5m]), "cluster", "main", "", "") * on (instance) group_left(role) pg_role'
      ).sort()
    ).toEqual(['node_cpu_seconds_total{mode="idle",job="postgres"}', 'pg_role']);
  });
});

import { DEFAULT_OPTIONS } from '../defaults';
import { evaluateStatus, StatusLevel } from './status';

const o = DEFAULT_OPTIONS;
const MIN = 60_000;

describe('evaluateStatus', () => {
  it('is Operational when every signal is ordinary', () => {
    const s = evaluateStatus(
      {
        traffic: { value: 1000, center: 980, anomaly: null, unit: 'reqps' },
        errorRatio: 0.001,
        backlog: { value: 100, forecast: null, unit: 'short' },
        utilization: { value: 0.4, node: 'db-primary', forecast: null },
        lag: { value: 1, replica: 'db-replica-1', forecast: null },
        instances: { healthy: 12, desired: 12 },
      },
      o
    );
    expect(s.word).toBe('Operational');
    expect(s.reasons).toEqual([]);
    expect(s.stageReached).toBeNull();
  });

  it('degrades on a traffic anomaly and names it', () => {
    const s = evaluateStatus({ traffic: { value: 3100, center: 1000, anomaly: 'high', unit: 'reqps' } }, o);
    expect(s.level).toBe(StatusLevel.Degraded);
    expect(s.reasons[0].text).toBe('traffic 3.1x its baseline');
    expect(s.stageReached).toBe('traffic');
    const low = evaluateStatus({ traffic: { value: 400, center: 1000, anomaly: 'low', unit: 'reqps' } }, o);
    expect(low.reasons[0].text).toBe('traffic 60% below its baseline');
  });

  it('degrades on a deploy that changed traffic, for a while after it', () => {
    const impact = {
      deploy: { time: 0, label: 'v2', source: 'series' as const },
      before: 1200,
      after: 1944,
      change: 0.62,
      agoMs: 7 * MIN,
    };
    expect(evaluateStatus({ deployImpact: impact }, o).reasons[0].text).toBe('+62% req/s since deploy 7 min ago');
    expect(evaluateStatus({ deployImpact: { ...impact, agoMs: 2 * 3600_000 } }, o).level).toBe(StatusLevel.Operational);
    expect(evaluateStatus({ deployImpact: { ...impact, change: 0.1 } }, o).level).toBe(StatusLevel.Operational);
  });

  it('reaches the backlog stage on a forecast crossing, an exceeded limit or a saturated node', () => {
    const crossing = { kind: 'crossing' as const, threshold: 1e5, etaMs: 14 * MIN, line: null, trend: null };
    const s = evaluateStatus(
      {
        traffic: { value: 3000, center: 1000, anomaly: 'high', unit: 'reqps' },
        backlog: { value: 5e4, forecast: crossing, unit: 'short' },
      },
      o
    );
    expect(s.activeStages).toEqual(['traffic', 'backlog']);
    expect(s.stageReached).toBe('backlog');
    expect(s.reasons.map((r) => r.text)).toEqual(['traffic 3.0x its baseline', 'backlog limit in ~14 min']);
    const above = evaluateStatus(
      { backlog: { value: 2e5, forecast: { ...crossing, kind: 'above', etaMs: 0 }, unit: 'short' } },
      o
    );
    expect(above.reasons[0].text).toBe('write backlog above its limit (200 K)');
    expect(evaluateStatus({ utilization: { value: 1, node: 'db-primary', forecast: null } }, o).reasons[0].text).toBe(
      'db-primary at 100%'
    );
  });

  it('counts replica lag when it is high, or above the warning and rising', () => {
    const rising = {
      kind: 'crossing' as const,
      threshold: 300,
      etaMs: 6 * MIN,
      line: null,
      trend: { direction: 'rising' as const, slope: 1, valueNow: 60, now: 0 },
    };
    expect(evaluateStatus({ lag: { value: 60, replica: 'db-replica-2', forecast: rising } }, o).reasons[0].text).toBe(
      'replica lag 1 min (db-replica-2) and rising'
    );
    expect(evaluateStatus({ lag: { value: 60, replica: 'r', forecast: null } }, o).level).toBe(StatusLevel.Operational);
    expect(evaluateStatus({ lag: { value: 400, replica: 'r', forecast: null } }, o).activeStages).toEqual(['replicas']);
  });

  it('calls failing requests an outage: partial, then major', () => {
    expect(evaluateStatus({ errorRatio: 0.04 }, o).word).toBe('Operational');
    expect(evaluateStatus({ errorRatio: 0.08 }, o).word).toBe('Partial outage');
    expect(evaluateStatus({ errorRatio: 0.08 }, o).reasons[0].text).toBe('8.0% of requests failing');
    expect(evaluateStatus({ errorRatio: 0.7 }, o).word).toBe('Major outage');
  });

  it('grades missing instances: degraded, partial, and major at zero', () => {
    expect(evaluateStatus({ instances: { healthy: 10, desired: 12 } }, o).word).toBe('Operational');
    expect(evaluateStatus({ instances: { healthy: 8, desired: 12 } }, o).word).toBe('Degraded performance');
    expect(evaluateStatus({ instances: { healthy: 5, desired: 12 } }, o).word).toBe('Partial outage');
    const zero = evaluateStatus({ instances: { healthy: 0, desired: 12 } }, o);
    expect(zero.word).toBe('Major outage');
    expect(zero.reasons[0].text).toBe('no healthy instances (12 desired)');
    // a service scaled to zero on purpose is not an outage
    expect(evaluateStatus({ instances: { healthy: 0, desired: 0 } }, o).word).toBe('Operational');
  });

  it('puts the most severe reason first and keeps cascade order among equals', () => {
    const s = evaluateStatus(
      {
        traffic: { value: 3000, center: 1000, anomaly: 'high', unit: 'reqps' },
        lag: { value: 400, replica: 'db-replica-1', forecast: null },
        instances: { healthy: 0, desired: 12 },
        errorRatio: 0.9,
      },
      o
    );
    expect(s.reasons.map((r) => r.stage)).toEqual(['instances', 'errors', 'traffic', 'replicas']);
    expect(s.stageReached).toBe('instances');
  });
});

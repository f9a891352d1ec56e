/**
 * @jest-environment jsdom
 */
import { DEFAULT_CONFIG } from '../../config/schema';
import { cascadePanel } from '../../dashboards/cascadePanel';
import { loadLiveCase, liveParams, matrixSeries, queryStep } from './live';
import { THRESHOLDS } from '../../config/definitions';

describe('the live case', () => {
  it('reads service, cluster and range from the URL, with defaults for the simulator', () => {
    expect(liveParams('')).toEqual({ scope: { service: 'registry', cluster: 'main' }, rangeMs: 3 * 3600_000 });
    expect(liveParams('?service=api&cluster=eu&range=45m')).toEqual({
      scope: { service: 'api', cluster: 'eu' },
      rangeMs: 45 * 60_000,
    });
    expect(liveParams('?range=forever').rangeMs).toBe(3 * 3600_000);
  });

  it('steps like Grafana: the range over the width, never under 15 s', () => {
    expect(queryStep(3 * 3600_000, 1000)).toBe(15_000);
    expect(queryStep(7 * 86_400_000, 1000)).toBe(605_000);
  });

  it('turns a matrix into series and explains a refusal', () => {
    const query = { refId: 'traffic', expr: 'x', stepMs: 15_000 };
    const series = matrixSeries(
      {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [
            {
              metric: { service: 'a' },
              values: [
                [1700000000, '1.5'],
                [1700000015, 'NaN'],
              ],
            },
          ],
        },
      },
      query
    );
    expect(series).toEqual([{ labels: { service: 'a' }, times: [1700000000000, 1700000015000], values: [1.5, NaN] }]);
    expect(() => matrixSeries({ status: 'error', error: 'parse error' }, query)).toThrow(
      'Prometheus refused query traffic (x): parse error'
    );
  });

  it('runs the dashboard\u2019s Cascade panel queries and shapes frames as Grafana does', async () => {
    const asked: string[] = [];
    const fakeFetch = (async (_url: string, init: RequestInit) => {
      const query = new URLSearchParams(String(init.body)).get('query')!;
      asked.push(query);
      const result = query.startsWith('cascade:http_requests:rate5m')
        ? [{ metric: { __name__: 'cascade:http_requests:rate5m', service: 'registry' }, values: [[1700000000, '12']] }]
        : [];
      return { json: async () => ({ status: 'success', data: { resultType: 'matrix', result } }) } as Response;
    }) as typeof fetch;
    const c = await loadLiveCase(liveParams(''), 1000, 1_700_000_100_000, fakeFetch);
    expect(asked).toContain('cascade:http_requests:rate5m{service="registry"}');
    expect(asked).toContain('cascade:db_write_backlog:sum{cluster="main"}');
    const traffic = c.data.series.find((f) => f.refId === 'traffic' && f.fields.length > 0)!;
    expect(traffic.fields[1].labels).toEqual({ __name__: 'cascade:http_requests:rate5m', service: 'registry' });
    expect(c.options).toEqual(cascadePanel(liveParams('').scope, DEFAULT_CONFIG).options);
    expect(c.options).toMatchObject({ database: { backlogLimit: THRESHOLDS.backlogLimit ?? 0 } });
  });
});

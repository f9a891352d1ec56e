import { labelValuesMetric, metricNames } from './promqlNames';

describe('metricNames', () => {
  it.each([
    ['http_requests_total', ['http_requests_total']],
    ['sum by (service, route) (rate(http_requests_total{code=~"5.."}[5m]))', ['http_requests_total']],
    [
      'cascade:http_requests:rate5m{service="a"} / on (service) group_left cascade:http_requests:baseline_rate5m',
      ['cascade:http_requests:rate5m', 'cascade:http_requests:baseline_rate5m'],
    ],
    [
      'changes(service_last_deploy_timestamp_seconds{service="$service"}[2m]) > 0',
      ['service_last_deploy_timestamp_seconds'],
    ],
    ['count(a > on (service, route) b * 1.5) or vector(0)', ['a', 'b']],
    ['x offset 1w and y[1h30m:5m] unless z', ['x', 'y', 'z']],
    [
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 1e-3',
      ['http_request_duration_seconds_bucket'],
    ],
    ['time() - cascade:deploy:last_timestamp_seconds', ['cascade:deploy:last_timestamp_seconds']],
    ['clamp_min(1 - cascade:http_errors:ratio_rate1d{service="x"} / 0.00100, 0)', ['cascade:http_errors:ratio_rate1d']],
  ])('%s', (expr, names) => {
    expect(metricNames(expr).sort()).toEqual([...names].sort());
  });

  it('reads the metric of a label_values variable', () => {
    expect(labelValuesMetric('label_values(http_requests_total, service)')).toBe('http_requests_total');
    expect(labelValuesMetric('query_result(up)')).toBeNull();
  });
});

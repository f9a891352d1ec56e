import { FieldType, ThresholdsMode } from '@grafana/data';
import { promFrame } from '../__fixtures__/frames';
import { DEFAULT_ROLES } from '../defaults';
import { extractSignals } from './frames';
import { splitPatterns } from './matchers';

const T = [1000, 2000, 3000];

describe('splitPatterns', () => {
  it('splits on commas but keeps regex literals whole', () => {
    expect(splitPatterns('a, b ,/x{1,3}/i,, c d')).toEqual(['a', 'b', '/x{1,3}/i', 'c d']);
    expect(splitPatterns('')).toEqual([]);
  });
});

describe('extractSignals', () => {
  it('finds the contract and recorded series by their metric names', () => {
    const { byRole, notices } = extractSignals(
      [
        promFrame('cascade:http_requests:rate5m', { service: 'registry' }, T, [1, 2, 3]),
        promFrame('cascade:http_requests:baseline_upper', { service: 'registry' }, T, [4, 4, 4]),
        promFrame('db_replication_lag_seconds', { instance: 'db-replica-1' }, T, [0, 1, 2]),
        promFrame('db_replication_lag_seconds', { instance: 'db-replica-2' }, T, [0, 3, 6]),
      ],
      DEFAULT_ROLES
    );
    expect(byRole.traffic).toHaveLength(1);
    expect(byRole.upper).toHaveLength(1);
    expect(byRole.lag.map((s) => s.labels.instance)).toEqual(['db-replica-1', 'db-replica-2']);
    expect(byRole.lag[0].unit).toBe('s');
    expect(notices).toEqual([]);
  });

  it('matches a query by its refId and a legend by the role name', () => {
    const byRef = promFrame(undefined, { cluster: 'main' }, T, [5, 6, 7], 'backlog');
    const byLegend = promFrame(undefined, {}, T, [1, 1, 1], 'B');
    byLegend.fields[1].config.displayNameFromDS = 'healthy';
    const { byRole } = extractSignals([byRef, byLegend], DEFAULT_ROLES);
    expect(byRole.backlog).toHaveLength(1);
    expect(byRole.healthy).toHaveLength(1);
  });

  it('uses custom matchers, regexes included, and reports a broken one', () => {
    const roles = { ...DEFAULT_ROLES, traffic: '/^nginx_.*rate$/', backlog: '/(/' };
    const { byRole, notices } = extractSignals([promFrame('nginx_requests_rate', {}, T, [1, 2, 3])], roles);
    expect(byRole.traffic).toHaveLength(1);
    expect(notices).toEqual(['Write backlog role: /(/ is not a valid regular expression']);
  });

  it('honours the field config: unit, decimals, fixed colour, thresholds', () => {
    const frame = promFrame('db_write_backlog', {}, T, [1, 2, 3]);
    frame.fields[1].config = {
      unit: 'ops',
      decimals: 1,
      color: { mode: 'fixed' as never, fixedColor: 'purple' },
      thresholds: {
        mode: ThresholdsMode.Absolute,
        steps: [
          { value: -Infinity, color: 'green' },
          { value: 5000, color: 'red' },
        ],
      },
    };
    const [signal] = extractSignals([frame], DEFAULT_ROLES).byRole.backlog;
    expect(signal).toMatchObject({ unit: 'ops', decimals: 1, color: 'purple', thresholds: [5000] });
  });

  it('skips what it cannot use and says why', () => {
    const noTime = {
      refId: 'X',
      length: 2,
      fields: [
        {
          name: 'Value',
          type: FieldType.number,
          config: {},
          labels: { __name__: 'instances_healthy' },
          values: [1, 2],
        },
      ],
    };
    const onlyNulls = promFrame('db_write_backlog', {}, T, [null, null, null]);
    const unmatched = promFrame('node_load1', {}, T, [1, 2, 3]);
    const result = extractSignals([noTime, onlyNulls, unmatched, null, 42, { fields: null }], DEFAULT_ROLES);
    expect(result.byRole.healthy).toEqual([]);
    expect(result.byRole.backlog).toEqual([]);
    expect(result.notices).toEqual([
      'X: no time field, skipped',
      'db_write_backlog (Write backlog): no numeric values',
    ]);
    expect(result.unmatched).toEqual(['node_load1']);
    expect(result.frameCount).toBe(4);
  });

  it('repairs unsorted, duplicate and non-numeric data and says so', () => {
    const frame = promFrame('instances_healthy', {}, [3000, 1000, 1000], [3, 1, 2]);
    (frame.fields[1].values as unknown[])[0] = 'three';
    const { byRole, notices } = extractSignals([frame], DEFAULT_ROLES);
    expect(Array.from(byRole.healthy[0].values)).toEqual([2, NaN]);
    expect(notices).toEqual([
      'instances_healthy: timestamps were out of order and have been sorted',
      'instances_healthy: 1 duplicate timestamp(s), kept the later value',
      'instances_healthy: 1 value(s) were not numbers and are shown as gaps',
    ]);
  });

  it('accepts nothing at all', () => {
    expect(extractSignals(undefined, DEFAULT_ROLES).frameCount).toBe(0);
    expect(extractSignals('frames', DEFAULT_ROLES).frameCount).toBe(0);
  });
});

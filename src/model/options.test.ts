import { DEFAULT_OPTIONS } from '../defaults';
import { resolveOptions } from './options';

describe('resolveOptions', () => {
  it('gives the defaults for nothing', () => {
    expect(resolveOptions(undefined)).toEqual({ options: DEFAULT_OPTIONS, problems: [] });
    expect(resolveOptions({}).problems).toEqual([]);
  });

  it('keeps valid values and fills the rest', () => {
    const { options, problems } = resolveOptions({
      database: { backlogLimit: 5000 },
      traffic: { bandMode: 'computed' },
    });
    expect(options.database.backlogLimit).toBe(5000);
    expect(options.database.lagWarnSeconds).toBe(DEFAULT_OPTIONS.database.lagWarnSeconds);
    expect(options.traffic.bandMode).toBe('computed');
    expect(problems).toEqual([]);
  });

  it('accepts numbers typed as text', () => {
    expect(resolveOptions({ database: { backlogLimit: '2500' } }).options.database.backlogLimit).toBe(2500);
  });

  it('replaces malformed values with the defaults and names them', () => {
    const { options, problems } = resolveOptions({
      database: { backlogLimit: 'lots', lagWarnSeconds: -3 },
      traffic: { bandMode: 'magic' },
      display: 'yes',
      roles: { traffic: 42 },
    });
    expect(options.database.backlogLimit).toBe(0);
    expect(options.database.lagWarnSeconds).toBe(30);
    expect(options.traffic.bandMode).toBe('auto');
    expect(options.display).toEqual(DEFAULT_OPTIONS.display);
    expect(options.roles.traffic).toBe(DEFAULT_OPTIONS.roles.traffic);
    expect(problems).toEqual([
      'option roles.traffic should be a string, got 42',
      'option database.backlogLimit should be a non-negative number, got "lots"',
      'option database.lagWarnSeconds should be a non-negative number, got -3',
      'option display should be an object',
      'option traffic.bandMode should be one of auto, query, computed, off',
    ]);
  });
});

import { DEFAULT_ROLES } from '../defaults';
import { analyseRegex, compileMatchers, MAX_NAME_LENGTH, PATTERN_STEP_LIMIT, worstSteps } from './matchers';

describe('analyseRegex', () => {
  it.each([
    ['(a+)+$', /repeats a group that itself repeats/],
    ['(a|aa)+$', /repeats a group of alternatives/],
    ['(?:x*y)*z', /repeats a group that itself repeats/],
    ['(\\w+)\\1', /backreference/],
    ['(?<n>a)\\k<n>', /backreference/],
    ['a*a*a*b', /steps on a 160-character name/],
    [`${'a?'.repeat(40)}${'a'.repeat(40)}`, /steps on a 160-character name/],
    ['x'.repeat(201), /longer than 200/],
  ])('refuses %s, which has no bound or too high a one', (source, reason) => {
    expect(analyseRegex(source).reason).toMatch(reason);
  });

  it.each([
    '^cascade:.*rate5m$',
    '^(api|web)-\\d+$',
    '[a-z(+)]+_total',
    '(?:ab)+',
    'lag|delay',
    '^db_(write_)?backlog$',
    '\\(a+\\)+',
  ])('accepts %s, whose worst case stays under the limit', (source) => {
    const a = analyseRegex(source);
    expect(a.reason).toBeNull();
    expect(worstSteps(a, MAX_NAME_LENGTH)).toBeLessThanOrEqual(PATTERN_STEP_LIMIT);
  });
});

describe('compileMatchers', () => {
  it('matches each distinct name once, however many fields carry it', () => {
    const notices: string[] = [];
    const m = compileMatchers({ ...DEFAULT_ROLES, lag: '/replica/' }, notices);
    const names = ['A', 'Value', 'node_load1', 'db-replica-1'];
    for (let i = 0; i < 100; i++) {
      m.byRole.lag.forEach((matcher) =>
        matcher(
          names,
          names.map((n) => n.toLowerCase())
        )
      );
    }
    expect(m.work().tests).toBe(4);
    expect(notices).toEqual([]);
  });

  it('stops at the work budget, says so, and still answers', () => {
    const notices: string[] = [];
    const m = compileMatchers({ ...DEFAULT_ROLES, traffic: '/^x.*y.*z$/' }, notices);
    const long = (i: number) => `${'q'.repeat(150)}${i}`;
    let matched = 0;
    for (let i = 0; i < 200; i++) {
      const names = [long(i)];
      matched += m.byRole.traffic.some((matcher) => matcher(names, names)) ? 1 : 0;
    }
    expect(matched).toBe(0);
    expect(m.work().steps).toBeLessThanOrEqual(2e8);
    expect(m.work().tests).toBeLessThan(200);
    expect(notices.filter((n) => /too many names/.test(n))).toHaveLength(1);
  });

  it('never tests names longer than the limit against a regex', () => {
    const m = compileMatchers({ ...DEFAULT_ROLES, traffic: '/a/' }, []);
    const names = ['a'.repeat(MAX_NAME_LENGTH + 1)];
    expect(m.byRole.traffic.some((matcher) => matcher(names, names))).toBe(false);
    expect(m.work().tests).toBe(0);
  });
});

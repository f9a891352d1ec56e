import { namedList } from './namedList';

describe('namedList', () => {
  it('names one, two, three, and the first three of more with how many are left', () => {
    expect(namedList([])).toBe('');
    expect(namedList(['a'])).toBe('a');
    expect(namedList(['a', 'b'])).toBe('a and b');
    expect(namedList(['a', 'b', 'c'])).toBe('a, b and c');
    expect(namedList(['a', 'b', 'c', 'd', 'e'])).toBe('a, b, c and 2 more');
    expect(namedList(['a', 'b', 'c'], 1)).toBe('a and 2 more');
  });
});

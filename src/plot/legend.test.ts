import { legendClickOf, legendKey, nextHidden } from './legend';

const lane = ['a', 'b', 'c'].map((l) => legendKey('database', l));
const [a, b, c] = lane;

describe('legend clicks', () => {
  it('a click isolates a series; a second click on it shows all again', () => {
    const isolated = nextHidden(lane, new Set(), b, 'isolate');
    expect([...isolated].sort()).toEqual([a, c]);
    expect([...nextHidden(lane, isolated, b, 'isolate')]).toEqual([]);
    // Clicking another series while one is isolated isolates that one.
    expect([...nextHidden(lane, isolated, c, 'isolate')].sort()).toEqual([a, b]);
  });

  it('ctrl/cmd-click toggles one series, never hiding the whole lane', () => {
    const one = nextHidden(lane, new Set(), a, 'toggle');
    expect([...one]).toEqual([a]);
    const two = nextHidden(lane, one, b, 'toggle');
    expect([...two].sort()).toEqual([a, b]);
    expect([...nextHidden(lane, two, c, 'toggle')]).toEqual([]);
    expect([...nextHidden(lane, two, a, 'toggle')]).toEqual([b]);
  });

  it('leaves other lanes alone', () => {
    const other = legendKey('traffic', 'Request rate');
    expect([...nextHidden(lane, new Set([other]), a, 'isolate')].sort()).toEqual([other, b, c].sort());
  });

  it('reads the modifier keys', () => {
    expect(legendClickOf({ ctrlKey: false, metaKey: false })).toBe('isolate');
    expect(legendClickOf({ ctrlKey: true, metaKey: false })).toBe('toggle');
    expect(legendClickOf({ ctrlKey: false, metaKey: true })).toBe('toggle');
  });
});

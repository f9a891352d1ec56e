import { compare, quantile, summarize } from './benchStats';

test('quantile interpolates between ranks and does not care about order', () => {
  expect(quantile([3, 1, 2], 0.5)).toBe(2);
  expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
  expect(quantile([10, 20, 30, 40, 50], 0.25)).toBe(20);
  expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
  expect(quantile([7], 0.9)).toBe(7);
});

test('quantile refuses empty input and q outside 0..1', () => {
  expect(() => quantile([], 0.5)).toThrow('quantile of no values');
  expect(() => quantile([1], 1.5)).toThrow('quantile needs 0 <= q <= 1, got 1.5');
});

test('summarize gives median, quartiles and range', () => {
  expect(summarize([5, 1, 4, 2, 3])).toEqual({ n: 5, median: 3, q1: 2, q3: 4, min: 1, max: 5 });
  expect(() => summarize([1, NaN])).toThrow('summarize needs finite numbers');
});

test('compare gives the ratio of medians and the spread of paired ratios', () => {
  const result = compare([30, 20, 25], [10, 10, 10]);
  expect(result.ratioOfMedians).toBe(2.5);
  expect(result.pairedRatios).toMatchObject({ median: 2.5, min: 2, max: 3 });
  expect(() => compare([1], [1, 2])).toThrow('compare needs paired runs');
});

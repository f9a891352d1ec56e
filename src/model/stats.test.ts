import fc from 'fast-check';
import { linearFit, madInPlace, medianInPlace, selectKth } from './stats';

function sortedMedian(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[n >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

describe('robust statistics', () => {
  it('selects the k-th smallest like a sort does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true, min: -1e6, max: 1e6 }), { minLength: 1, maxLength: 200 }),
        fc.nat(),
        (values, k) => {
          const kk = k % values.length;
          expect(selectKth(Float64Array.from(values), 0, values.length, kk)).toBe(
            [...values].sort((a, b) => a - b)[kk]
          );
        }
      )
    );
  });

  it('computes the median of a sub-range, odd and even, with duplicates', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 100 }), (values) => {
        const padded = Float64Array.from([999, ...values, -999]);
        expect(medianInPlace(padded, 1, values.length + 1)).toBe(sortedMedian(values));
      })
    );
    expect(medianInPlace(new Float64Array(0), 0, 0)).toBeNaN();
  });

  it('computes the median absolute deviation', () => {
    const values = Float64Array.from([1, 1, 2, 2, 4, 6, 9]);
    // median 2, deviations 1,1,0,0,2,4,7 -> median 1
    expect(madInPlace(values, 0, 7, 2, new Float64Array(7))).toBe(1);
  });

  it('fits a line exactly through collinear points and skips gaps', () => {
    const time = Float64Array.from([1e12, 1e12 + 1000, 1e12 + 2000, 1e12 + 3000]);
    const fit = linearFit(time, Float64Array.from([5, 7, NaN, 11]), 0, 4)!;
    expect(fit.slope).toBeCloseTo(0.002, 12);
    expect(fit.residualSd).toBeCloseTo(0, 9);
    expect(fit.points).toBe(3);
    expect(linearFit(time, Float64Array.from([1, NaN, NaN, 2]), 0, 4)).toBeNull();
  });
});

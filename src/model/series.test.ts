import {
  alignSeries,
  indexAtOrBefore,
  lastValue,
  readSeries,
  readTimeColumn,
  sumAligned,
  typicalStep,
  valueAt,
} from './series';

const f64 = (values: number[]) => Float64Array.from(values);

describe('readSeries', () => {
  it('reads clean ordered data as it is', () => {
    const { series, repairs } = readSeries([1000, 2000, 3000], [1, 2, 3]);
    expect(Array.from(series.time)).toEqual([1000, 2000, 3000]);
    expect(Array.from(series.values)).toEqual([1, 2, 3]);
    expect(series.gaps).toBe(0);
    expect(repairs).toEqual({
      badTimes: 0,
      nonNumeric: 0,
      unsorted: false,
      duplicates: 0,
      nulls: 0,
      nan: 0,
      nanText: 0,
      infinite: 0,
    });
  });

  it('turns nulls, NaN and infinities into gaps, and parses numeric strings', () => {
    const { series, repairs } = readSeries([1, 2, 3, 4, 5, 6], [null, NaN, Infinity, '4.5', 'NaN', '+Inf']);
    expect(Array.from(series.values).map((v) => (Number.isNaN(v) ? 'gap' : v))).toEqual([
      'gap',
      'gap',
      'gap',
      4.5,
      'gap',
      'gap',
    ]);
    expect(series.gaps).toBe(5);
    // Prometheus' special floats are missing values, not malformed ones, and counted as such for the notes.
    expect(repairs.nonNumeric).toBe(0);
    expect([repairs.nulls, repairs.nan, repairs.nanText, repairs.infinite]).toEqual([1, 1, 1, 2]);
  });

  it('counts NaN in a clean numeric column, which it uses without a copy', () => {
    const values = [1, NaN, 3, NaN];
    const { series, repairs } = readSeries([1, 2, 3, 4], values);
    expect(series.values).toBe(values);
    expect(repairs.nan).toBe(2);
  });

  it('counts values that are not numbers', () => {
    const { series, repairs } = readSeries([1, 2, 3], ['abc', true, { a: 1 }]);
    expect(series.gaps).toBe(3);
    expect(repairs.nonNumeric).toBe(3);
  });

  it('drops points whose time is not a time, and accepts ISO strings and Dates', () => {
    const { series, repairs } = readSeries(
      ['2020-02-04T21:02:00Z', 'soon', new Date(1_600_000_000_000), null],
      [1, 2, 3, 4]
    );
    expect(repairs.badTimes).toBe(2);
    expect(Array.from(series.time)).toEqual([1_580_850_120_000, 1_600_000_000_000]);
    expect(repairs.unsorted).toBe(false);
  });

  it('sorts unsorted data and keeps the later of duplicate timestamps', () => {
    const { series, repairs } = readSeries([3, 1, 2, 2, 1], [30, 10, 20, 21, 11]);
    expect(Array.from(series.time)).toEqual([1, 2, 3]);
    expect(Array.from(series.values)).toEqual([11, 21, 30]);
    expect(repairs.unsorted).toBe(true);
    expect(repairs.duplicates).toBe(2);
  });

  it('reports ordered duplicates without calling them unsorted', () => {
    const { series, repairs } = readSeries([1, 2, 2, 3], [1, 2, 3, 4]);
    expect(Array.from(series.values)).toEqual([1, 3, 4]);
    expect(repairs).toMatchObject({ unsorted: false, duplicates: 1 });
  });

  it('uses the shorter of two fields of different lengths', () => {
    expect(readSeries([1, 2, 3], [5]).series.time.length).toBe(1);
    expect(readSeries([], []).series.time.length).toBe(0);
  });
});

describe('lookups', () => {
  const time = f64([10, 20, 30, 40]);
  const series = { time, values: f64([1, NaN, 3, NaN]), gaps: 2 };

  it('finds the index at or before a time', () => {
    expect(indexAtOrBefore(time, 5)).toBe(-1);
    expect(indexAtOrBefore(time, 10)).toBe(0);
    expect(indexAtOrBefore(time, 35)).toBe(2);
    expect(indexAtOrBefore(time, 99)).toBe(3);
    expect(indexAtOrBefore(new Float64Array(0), 1)).toBe(-1);
  });

  it('finds the nearest value within a tolerance', () => {
    expect(valueAt(series, 29, 2)).toBe(3);
    expect(valueAt(series, 11, 2)).toBe(1);
    expect(valueAt(series, 25, 2)).toBeNaN();
  });

  it('finds the last real value and treats old ones as stale', () => {
    expect(lastValue(series)).toEqual({ time: 30, value: 3 });
    expect(lastValue(series, 45, 10)).toBeNull();
    expect(lastValue(series, 25)).toEqual({ time: 10, value: 1 });
  });

  it('measures the typical step even with an odd gap', () => {
    expect(typicalStep(f64([0, 15, 30, 45, 600, 615, 630]))).toBe(15);
    expect(typicalStep(f64([1]))).toBeNaN();
  });
});

describe('alignSeries', () => {
  it('returns series that share timestamps without copying them', () => {
    const time = f64([1, 2, 3]);
    const a = { time, values: f64([1, 2, 3]), gaps: 0 };
    const b = { time: f64([1, 2, 3]), values: f64([4, 5, 6]), gaps: 0 };
    const aligned = alignSeries([a, b]);
    expect(aligned.time).toBe(time);
    expect(aligned.values[0]).toBe(a.values);
    expect(aligned.values[1]).toBe(b.values);
  });

  it('puts series with different timestamps on their union, with gaps', () => {
    const a = { time: f64([1, 3, 5]), values: f64([10, 30, 50]), gaps: 0 };
    const b = { time: f64([2, 3, 6]), values: f64([20, 31, 60]), gaps: 0 };
    const aligned = alignSeries([a, b]);
    expect(Array.from(aligned.time)).toEqual([1, 2, 3, 5, 6]);
    expect(Array.from(aligned.values[0]).map((v) => (Number.isNaN(v) ? null : v))).toEqual([10, null, 30, 50, null]);
    expect(Array.from(aligned.values[1]).map((v) => (Number.isNaN(v) ? null : v))).toEqual([null, 20, 31, null, 60]);
  });

  it('sums aligned series, skipping gaps', () => {
    const sum = sumAligned([f64([1, NaN, NaN]), f64([2, 3, NaN])], 3);
    expect(Array.from(sum).map((v) => (Number.isNaN(v) ? null : v))).toEqual([3, 3, null]);
  });
});

describe('readTimeColumn', () => {
  it('reuses the previous column when the timestamps are the same, so alignment needs no comparison', () => {
    const first = readTimeColumn([1, 2, 3]);
    expect(readTimeColumn([1, 2, 3], first)).toBe(first);
    expect(readTimeColumn([1, 2, 4], first)).not.toBe(first);
    expect(readTimeColumn([1, 2, 4], first).clean).toBe(true);
    // an unclean column never stands in for another
    const unclean = readTimeColumn([3, 1, 2]);
    expect(unclean.clean).toBe(false);
    expect(readTimeColumn([3, 1, 2], unclean)).not.toBe(unclean);
  });
});

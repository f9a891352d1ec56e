/**
 * A flat array of numbers: a Float64Array, or the data source's own array when it already holds nothing
 * but numbers (then it is used as it is: copying 100k values costs five times reading them). Never null:
 * a missing value is NaN.
 */
export type Numbers = ArrayLike<number>;

/**
 * Numeric time series as flat arrays: the one shape every other model function works on.
 * Times are Unix milliseconds, strictly increasing; a missing or unusable value is NaN.
 */
export interface NumericSeries {
  readonly time: Numbers;
  readonly values: Numbers;
  /** How many values are NaN (0 lets the lanes hand the array to uPlot without a null-patched copy). */
  readonly gaps: number;
}

/** What had to be repaired while reading a field, so the panel can say so instead of hiding it. */
export interface SeriesRepairs {
  /** Points dropped because their timestamp was not a time. */
  badTimes: number;
  /** Values that were not numbers (strings that do not parse, booleans, objects). */
  nonNumeric: number;
  /** Whether the timestamps had to be sorted. */
  unsorted: boolean;
  /** Points dropped because another point had the same timestamp (the later one is kept). */
  duplicates: number;
  /** Missing values, shown as gaps: null or undefined; NaN numbers; "NaN" text (Prometheus' spelling); ±Infinity. */
  nulls: number;
  nan: number;
  nanText: number;
  infinite: number;
}

function noRepairs(): SeriesRepairs {
  return { badTimes: 0, nonNumeric: 0, unsorted: false, duplicates: 0, nulls: 0, nan: 0, nanText: 0, infinite: 0 };
}

export const EMPTY_SERIES: NumericSeries = { time: new Float64Array(0), values: new Float64Array(0), gaps: 0 };

function toTime(raw: unknown): number {
  if (typeof raw === 'number') {
    return Number.isFinite(raw) ? raw : NaN;
  }
  if (typeof raw === 'string') {
    const asNumber = Number(raw);
    if (raw.trim() !== '' && Number.isFinite(asNumber)) {
      return asNumber;
    }
    const parsed = Date.parse(raw);
    return Number.isFinite(parsed) ? parsed : NaN;
  }
  if (raw instanceof Date) {
    return raw.getTime();
  }
  if (raw && typeof raw === 'object' && typeof (raw as { valueOf(): unknown }).valueOf === 'function') {
    // moment/dateTime objects
    const v = (raw as { valueOf(): unknown }).valueOf();
    return typeof v === 'number' && Number.isFinite(v) ? v : NaN;
  }
  return NaN;
}

/** A value as a number: null/undefined/NaN/Infinity are missing (NaN); numeric strings parse ("NaN", "+Inf" do not count). */
function toValue(raw: unknown, repairs: SeriesRepairs): number {
  if (typeof raw === 'number') {
    if (Number.isFinite(raw)) {
      return raw;
    }
    if (Number.isNaN(raw)) {
      repairs.nan++;
    } else {
      repairs.infinite++;
    }
    return NaN;
  }
  if (raw === null || raw === undefined) {
    repairs.nulls++;
    return NaN;
  }
  if (typeof raw === 'string') {
    const trimmed = raw.trim();
    const n = trimmed === '' ? NaN : Number(trimmed);
    if (Number.isFinite(n)) {
      return n;
    }
    // Prometheus spells special floats as strings: they are missing values, not malformed ones.
    if (/^[+-]?nan$/i.test(trimmed)) {
      repairs.nanText++;
    } else if (/^[+-]?inf(inity)?$/i.test(trimmed) || Math.abs(n) === Infinity) {
      repairs.infinite++;
    } else {
      repairs.nonNumeric++;
    }
    return NaN;
  }
  repairs.nonNumeric++;
  return NaN;
}

/**
 * A time field read once: its timestamps as numbers, and whether they can be used as they are (all valid
 * and strictly increasing), which is what a range query returns and what the fast path needs.
 */
export interface TimeColumn {
  readonly time: Numbers;
  readonly clean: boolean;
}

function isNumberArray(a: unknown): a is Numbers {
  return Array.isArray(a) || a instanceof Float64Array || a instanceof Float32Array || a instanceof Int32Array;
}

/**
 * Reads a time field; a clean one (finite, strictly increasing numbers) is used without a copy. `previous` is
 * the column read just before: frames of one range query share their timestamps, and when these equal the
 * previous column that column is returned, so lanes align by identity instead of comparing every timestamp.
 */
export function readTimeColumn(times: ArrayLike<unknown>, previous?: TimeColumn): TimeColumn {
  const n = times.length >>> 0;
  if (isNumberArray(times)) {
    const other = previous && previous.clean && previous.time.length === n ? previous.time : null;
    let same = other !== null;
    let last = -Infinity;
    let i = 0;
    for (; i < n; i++) {
      const t = times[i];
      if (!(typeof t === 'number' && t > last && t - t === 0)) {
        break;
      }
      if (same && other![i] !== t) {
        same = false;
      }
      last = t;
    }
    if (i === n) {
      return same ? previous! : { time: times, clean: true };
    }
  }
  const time = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const raw = times[i];
    time[i] = typeof raw === 'number' ? (Number.isFinite(raw) ? raw : NaN) : toTime(raw);
  }
  return { time, clean: false };
}

function isTimeColumn(x: ArrayLike<unknown> | TimeColumn): x is TimeColumn {
  return 'clean' in x && typeof x.clean === 'boolean';
}

/**
 * Reads a time field and a value field (any array-likes of any content) into a NumericSeries.
 * When the timestamps are clean and the values are numbers the arrays are used as they are; otherwise
 * values are copied (nulls and junk become NaN), and timestamps sorted and de-duplicated when they must be.
 */
export function readSeries(
  times: ArrayLike<unknown> | TimeColumn,
  values: ArrayLike<unknown>
): {
  series: NumericSeries;
  repairs: SeriesRepairs;
} {
  const column = isTimeColumn(times) ? times : readTimeColumn(times);
  const repairs = noRepairs();
  const n = Math.min(column.time.length, values.length >>> 0);
  if (column.clean && n === column.time.length) {
    let gaps = 0;
    let i = 0;
    if (isNumberArray(values)) {
      // Numbers and NaN can be used as they are; anything else (null, Infinity, text) needs a copy.
      for (; i < n; i++) {
        const v = values[i];
        if (typeof v !== 'number' || v === Infinity || v === -Infinity) {
          break;
        }
        if (v !== v) {
          gaps++;
        }
      }
      if (i === n) {
        repairs.nan = gaps;
        return {
          series: {
            time: column.time,
            values: values.length === n ? values : Array.prototype.slice.call(values, 0, n),
            gaps,
          },
          repairs,
        };
      }
    }
    const out = new Float64Array(n);
    gaps = 0;
    for (i = 0; i < n; i++) {
      const raw = values[i];
      const v = typeof raw === 'number' && raw - raw === 0 ? raw : toValue(raw, repairs);
      out[i] = v;
      if (v !== v) {
        gaps++;
      }
    }
    return { series: { time: column.time, values: out, gaps }, repairs };
  }
  const time = new Float64Array(n);
  const vals = new Float64Array(n);
  let count = 0;
  let last = -Infinity;
  let ordered = true;
  for (let i = 0; i < n; i++) {
    const t = column.time[i];
    if (Number.isNaN(t)) {
      repairs.badTimes++;
      continue;
    }
    const v = toValue(values[i], repairs);
    if (t < last) {
      repairs.unsorted = true;
    }
    if (t <= last) {
      ordered = false;
    }
    last = t;
    time[count] = t;
    vals[count] = v;
    count++;
  }
  let outTime: Float64Array = time.subarray(0, count);
  let outValues: Float64Array = vals.subarray(0, count);
  if (!ordered) {
    ({ time: outTime, values: outValues } = sortAndDedupe(outTime, outValues, repairs));
  }
  return { series: { time: outTime, values: outValues, gaps: countGaps(outValues) }, repairs };
}

function sortAndDedupe(
  time: Float64Array,
  values: Float64Array,
  repairs: SeriesRepairs
): { time: Float64Array; values: Float64Array } {
  const order = new Uint32Array(time.length);
  for (let i = 0; i < order.length; i++) {
    order[i] = i;
  }
  // Stable on equal times (index as tie-break), so "the later sample wins" means later in the input.
  order.sort((a, b) => time[a] - time[b] || a - b);
  const outTime = new Float64Array(time.length);
  const outValues = new Float64Array(time.length);
  let count = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (count > 0 && outTime[count - 1] === time[i]) {
      repairs.duplicates++;
      outValues[count - 1] = values[i];
      continue;
    }
    outTime[count] = time[i];
    outValues[count] = values[i];
    count++;
  }
  return { time: outTime.subarray(0, count), values: outValues.subarray(0, count) };
}

/** Index of the last point at or before t (-1 when t is before the first point). Binary search. */
export function indexAtOrBefore(time: Numbers, t: number): number {
  let lo = 0;
  let hi = time.length - 1;
  if (hi < 0 || t < time[0]) {
    return -1;
  }
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (time[mid] <= t) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

/** Index of the first point at or after t (time.length when there is none). Binary search. */
export function lowerBound(time: Numbers, t: number): number {
  let lo = 0;
  let hi = time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (time[mid] < t) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/** The value nearest to t within `tolerance` ms, or NaN. */
export function valueAt(series: NumericSeries, t: number, tolerance: number): number {
  const i = indexAtOrBefore(series.time, t);
  let best = -1;
  let bestDistance = Infinity;
  for (const j of [i, i + 1]) {
    if (j >= 0 && j < series.time.length) {
      const d = Math.abs(series.time[j] - t);
      if (d < bestDistance) {
        bestDistance = d;
        best = j;
      }
    }
  }
  return best >= 0 && bestDistance <= tolerance ? series.values[best] : NaN;
}

/** The last non-NaN value at or before t, with its time; stale when older than maxAge. */
export function lastValue(
  series: NumericSeries,
  t = Infinity,
  maxAge = Infinity
): { time: number; value: number } | null {
  for (let i = indexAtOrBefore(series.time, t); i >= 0; i--) {
    if (!Number.isNaN(series.values[i])) {
      return t - series.time[i] <= maxAge ? { time: series.time[i], value: series.values[i] } : null;
    }
  }
  return null;
}

/** Median spacing of the timestamps (the query's step, for data from Prometheus). */
export function typicalStep(time: Numbers): number {
  const n = time.length;
  if (n < 2) {
    return NaN;
  }
  // Sampling keeps this O(1)-ish on a million points; steps are regular for range queries.
  const samples = Math.min(n - 1, 101);
  const diffs = new Float64Array(samples);
  const stride = (n - 1) / samples;
  for (let k = 0; k < samples; k++) {
    const i = Math.floor(k * stride);
    diffs[k] = time[i + 1] - time[i];
  }
  diffs.sort();
  return diffs[samples >> 1];
}

function sameTimes(a: Numbers, b: Numbers): boolean {
  if (a === b) {
    return true;
  }
  if (a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}

/**
 * Puts several series on one shared time axis, as one uPlot instance needs. Series from one range
 * query share their timestamps and are returned as they are (no copy); otherwise the axis is the
 * union of all timestamps and each series gets NaN where it has no point.
 */
export function alignSeries(list: readonly NumericSeries[]): { time: Numbers; values: Numbers[] } {
  if (list.length === 0) {
    return { time: new Float64Array(0), values: [] };
  }
  const first = list[0].time;
  if (list.every((s) => sameTimes(s.time, first))) {
    return { time: first, values: list.map((s) => s.values) };
  }
  // k-way merge of the sorted time arrays into their union.
  const cursors = new Uint32Array(list.length);
  const total = list.reduce((sum, s) => sum + s.time.length, 0);
  const union = new Float64Array(total);
  let count = 0;
  for (;;) {
    let next = Infinity;
    for (let s = 0; s < list.length; s++) {
      const c = cursors[s];
      if (c < list[s].time.length && list[s].time[c] < next) {
        next = list[s].time[c];
      }
    }
    if (next === Infinity) {
      break;
    }
    union[count++] = next;
    for (let s = 0; s < list.length; s++) {
      if (cursors[s] < list[s].time.length && list[s].time[cursors[s]] === next) {
        cursors[s]++;
      }
    }
  }
  const time = union.subarray(0, count);
  const values = list.map((s) => {
    const out = new Float64Array(count).fill(NaN);
    let j = 0;
    for (let i = 0; i < s.time.length; i++) {
      while (time[j] < s.time[i]) {
        j++;
      }
      out[j] = s.values[i];
    }
    return out;
  });
  return { time, values };
}

/** Point-wise sum of aligned value arrays; NaN only where every input is NaN. */
export function sumAligned(values: readonly Numbers[], length: number): Numbers {
  if (values.length === 1) {
    return values[0];
  }
  const out = new Float64Array(length).fill(NaN);
  for (const v of values) {
    for (let i = 0; i < length; i++) {
      const x = v[i];
      if (!Number.isNaN(x)) {
        out[i] = Number.isNaN(out[i]) ? x : out[i] + x;
      }
    }
  }
  return out;
}

export function countGaps(values: Numbers): number {
  let gaps = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) {
      gaps++;
    }
  }
  return gaps;
}

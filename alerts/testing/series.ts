/**
 * Input series for promtool unit tests, written as per-step sample arrays (null = no sample,
 * a scrape gap) and encoded in promtool's expanding notation.
 */

export type Sample = number | null;

export interface InputSeries {
  series: string;
  values: string;
}

/** Trims float noise so that linear runs are recognised and the files stay readable. */
function clean(value: number): number {
  return Number(value.toPrecision(12));
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) {
    return 'NaN';
  }
  if (!Number.isFinite(value)) {
    return value > 0 ? 'Inf' : '-Inf';
  }
  return String(clean(value));
}

/** promtool notation: `a+bxn` for evenly spaced runs, `_xn` for gaps, plain numbers otherwise. */
export function encode(samples: readonly Sample[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < samples.length) {
    const v = samples[i];
    if (v === null) {
      let j = i;
      while (j < samples.length && samples[j] === null) {
        j++;
      }
      parts.push(j - i === 1 ? '_' : `_x${j - i}`);
      i = j;
      continue;
    }
    let j = i + 1;
    const next = samples[j];
    if (next !== null && next !== undefined && Number.isFinite(v) && Number.isFinite(next)) {
      const step = clean(next - v);
      while (j < samples.length) {
        const s = samples[j];
        if (
          s === null ||
          !Number.isFinite(s) ||
          Math.abs(clean(v + step * (j - i)) - clean(s)) > 1e-9 * Math.max(1, Math.abs(s))
        ) {
          break;
        }
        j++;
      }
      const n = j - i - 1;
      if (n >= 2) {
        parts.push(`${formatNumber(v)}${step < 0 ? '-' : '+'}${formatNumber(Math.abs(step))}x${n}`);
        i = j;
        continue;
      }
    }
    parts.push(formatNumber(v));
    i++;
  }
  return parts.join(' ');
}

export function series(name: string, samples: readonly Sample[]): InputSeries {
  return { series: name, values: encode(samples) };
}

/** `n` samples of one value. */
export function hold(value: Sample, n: number): Sample[] {
  return Array.from({ length: n }, () => value);
}

/** `n` samples going linearly from `from` to `to` (both included). */
export function ramp(from: number, to: number, n: number): Sample[] {
  return Array.from({ length: n }, (_, i) => (n === 1 ? to : from + ((to - from) * i) / (n - 1)));
}

/** `n` samples of a gauge at `base` until sample `at`, then changing by `perStep` each sample. */
export function trend(base: number, at: number, perStep: number, n: number): Sample[] {
  return Array.from({ length: n }, (_, i) => (i <= at ? base : base + perStep * (i - at)));
}

/**
 * A counter sampled every `stepSeconds`, from per-second rates (one per step: the rate during the
 * step that ends at that sample). Null rates are scrape gaps: the counter keeps counting unseen.
 */
export function counter(ratesPerSecond: readonly Sample[], stepSeconds = 60, start = 0): Sample[] {
  let total = start;
  return ratesPerSecond.map((rate, i) => {
    if (i > 0) {
      total += (rate ?? ratesPerSecond[i - 1] ?? 0) * stepSeconds;
    }
    return rate === null ? null : total;
  });
}

/** Replaces samples [from, from+n) with gaps. */
export function withGap(samples: readonly Sample[], from: number, n: number): Sample[] {
  return samples.map((s, i) => (i >= from && i < from + n ? null : s));
}

/** A counter restart at index `at`: the counter starts again from 0 (a process restart). */
export function withReset(samples: readonly Sample[], at: number): Sample[] {
  const offset = samples[at] ?? 0;
  return samples.map((s, i) => (i < at || s === null ? s : s - offset));
}

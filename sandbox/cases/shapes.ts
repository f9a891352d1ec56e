/**
 * Small deterministic building blocks for synthetic series: a seeded random source, a step grid
 * aligned the way Grafana aligns Prometheus range queries, and curve shapes.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** mulberry32: a tiny seeded PRNG, so every run of a case draws the same "noise". */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Roughly normal noise in [-1, 1] (sum of uniforms), scaled by `scale`. */
export function jitter(random: () => number, scale: number): number {
  return ((random() + random() + random()) / 1.5 - 1) * scale;
}

/**
 * Timestamps of a range query ending at `endMs`, `hours` long, one per `stepMs`, both ends included
 * and aligned to the step (Grafana aligns start and end to multiples of the step).
 */
export function stepGrid(endMs: number, hours: number, stepMs: number): number[] {
  if (!(stepMs > 0) || !(hours > 0)) {
    throw new Error(`stepGrid needs hours > 0 and stepMs > 0, got hours=${hours}, stepMs=${stepMs}.`);
  }
  const end = Math.floor(endMs / stepMs) * stepMs;
  const start = Math.ceil((end - hours * HOUR_MS) / stepMs) * stepMs;
  const times: number[] = [];
  for (let t = start; t <= end; t += stepMs) {
    times.push(t);
  }
  return times;
}

/** 0 before `from`, 1 after `to`, a straight line between. */
export function ramp(t: number, from: number, to: number): number {
  return Math.min(1, Math.max(0, (t - from) / (to - from)));
}

/** 0 before `from`, 1 after `to`, an S-curve between. */
export function smoothstep(t: number, from: number, to: number): number {
  if (t <= from) {
    return 0;
  }
  if (t >= to) {
    return 1;
  }
  const x = (t - from) / (to - from);
  return x * x * (3 - 2 * x);
}

/**
 * A day-shaped load: `mean` with a sinusoidal swing of ±`swing` (fraction) peaking at `peakHourUtc`.
 * Real traffic has a sharper evening peak; a cosine is enough for a band to hug it.
 */
export function diurnal(t: number, mean: number, swing: number, peakHourUtc: number): number {
  const hourOfDay = (t % (24 * HOUR_MS)) / HOUR_MS;
  return mean * (1 + swing * Math.cos(((hourOfDay - peakHourUtc) / 24) * 2 * Math.PI));
}

/** Minutes from `anchorMs` to `t` (negative before the anchor). */
export function minutesSince(t: number, anchorMs: number): number {
  return (t - anchorMs) / MINUTE_MS;
}

export const TIME = { MINUTE_MS, HOUR_MS } as const;

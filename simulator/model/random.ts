/**
 * Deterministic randomness. Two kinds, for two jobs:
 * - `hashNoise`/`valueNoise`: counter-based, a pure function of (seed, channel, time). Traffic noise uses these so
 *   that the value at a given instant does not depend on where a run starts or on its step: the same minute of
 *   the week looks the same whether the run began a day or three weeks earlier.
 * - `Prng`: a small sequential generator (mulberry32) for stateful parts (health-check outcomes), seeded per run.
 */

/** A 32-bit integer hash of up to three integers (murmur3-style finaliser). */
export function hash32(a: number, b: number, c = 0): number {
  let h = Math.imul(a | 0, 0x9e3779b1) ^ Math.imul(b | 0, 0x85ebca77) ^ Math.imul(c | 0, 0xc2b2ae3d);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [-1, 1) from (seed, channel, integer index). */
export function hashNoise(seed: number, channel: number, index: number): number {
  return hash32(seed, channel, index) / 0x80000000 - 1;
}

/**
 * Smooth noise in [-1, 1]: hashed values at knots every `periodSeconds`, joined by cosine interpolation, so it
 * has no jumps (a jump in traffic would look like a surge to a velocity alert).
 */
export function valueNoise(seed: number, channel: number, timeSeconds: number, periodSeconds: number): number {
  const x = timeSeconds / periodSeconds;
  const k = Math.floor(x);
  const frac = x - k;
  const w = (1 - Math.cos(Math.PI * frac)) / 2;
  return hashNoise(seed, channel, k) * (1 - w) + hashNoise(seed, channel, k + 1) * w;
}

/** mulberry32: tiny, fast, good enough for simulation; the whole state is one 32-bit integer. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = hash32(seed, 0x5eed) | 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

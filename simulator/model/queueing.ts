/**
 * The small pieces of queueing the model is made of, as pure functions so each can be tested alone.
 */

/** Utilisation above which the queueing formulas are clamped (they diverge at 1; the fluid queue takes over). */
export const RHO_CLAMP = 0.98;

/**
 * Work waiting in a queue at utilisation `rho` when nothing is overloaded: the M/M/1 mean, rho / (1 - rho),
 * scaled so that `scale` units wait at rho = 0.5. It rises slowly, then steeply as rho nears 1: the backlog
 * grows well before the server is saturated.
 */
export function queueingBacklog(rho: number, scale: number): number {
  const r = Math.min(RHO_CLAMP, Math.max(0, rho));
  return (scale * r) / (1 - r);
}

/** Latency of a server at utilisation `rho` whose idle latency is `idleSeconds` (M/M/1: idle / (1 - rho)). */
export function queueingLatency(rho: number, idleSeconds: number): number {
  const r = Math.min(RHO_CLAMP, Math.max(0, rho));
  return idleSeconds / (1 - r);
}

export interface FluidStep {
  /** Work left waiting after the step. */
  backlog: number;
  /** Work done during the step, per second. */
  servedRate: number;
}

/**
 * One step of a fluid queue: work arrives at `arrivalRate`, is done at up to `capacityRate`, and what cannot be
 * done waits (first in, first out).
 */
export function fluidQueueStep(backlog: number, arrivalRate: number, capacityRate: number, dt: number): FluidStep {
  const capacity = Math.max(0, capacityRate);
  const available = backlog / dt + Math.max(0, arrivalRate);
  const servedRate = Math.min(available, capacity);
  return { backlog: Math.max(0, backlog + (Math.max(0, arrivalRate) - servedRate) * dt), servedRate };
}

/**
 * Request latency is modelled as `base + Exp(mean - base)`: a floor plus an exponential tail, the simplest shape
 * with a long tail whose size follows the mean. Share of requests that take longer than `threshold` seconds.
 */
export function tailShare(mean: number, base: number, threshold: number): number {
  if (threshold <= base) {
    return 1;
  }
  const spread = mean - base;
  if (spread <= 0) {
    return 0;
  }
  return Math.exp(-(threshold - base) / spread);
}

/** Mean of min(latency, cap) for the same shape: what a histogram's _sum sees when slow requests are cut at the cap. */
export function cappedMean(mean: number, base: number, cap: number): number {
  if (cap <= base) {
    return cap;
  }
  const spread = mean - base;
  if (spread <= 0) {
    return base;
  }
  return base + spread * (1 - Math.exp(-(cap - base) / spread));
}

/**
 * Requests a client makes per request it needs, when each attempt fails with probability `failureShare`, a
 * share `retryShare` of clients retries, and a retrying client makes at most `attempts` attempts in all:
 * 1 + retryShare * (f + f^2 + ... + f^(attempts-1)). A fully broken route with cargo's 4 attempts and 90 %
 * retrying clients gives 3.7x.
 */
export function attemptsPerRequest(failureShare: number, attempts: number, retryShare: number): number {
  const f = Math.min(1, Math.max(0, failureShare));
  let extra = 0;
  let power = 1;
  for (let k = 1; k < attempts; k++) {
    power *= f;
    extra += power;
  }
  return 1 + Math.min(1, Math.max(0, retryShare)) * extra;
}

/**
 * The background workers that apply the write backlog to the primary (the first report's "background data
 * processing"). Requests create write work; it waits in a queue; a pool of workers applies it at up to
 * `throughput` units a second, and what they apply loads the primary. Three regimes follow:
 * - work arrives slower than the workers apply it: the queue holds only what waits for a worker (Little's law);
 * - it arrives faster: the backlog grows roughly linearly, while the primary is still below 100 %;
 * - the applied work plus the reads fill the primary: the workers wait on it and slow down, so the backlog grows
 *   faster still. A huge backlog makes each unit dearer (contention), which keeps the primary busy while it drains.
 * Pure functions, so each regime can be tested alone.
 */
import { fluidQueueStep } from './queueing';

/**
 * Jest runs tests in a vm context whose global object answers through an interceptor: every lookup of `Math` there
 * costs as much as the arithmetic around it. The per-step code keeps its own reference.
 */
const math = Math;

/** Share of the primary writes always get, however many reads wait (the database does not starve them). */
export const MIN_WRITE_SHARE = 0.1;
/** Worker utilisation at which the ordinary waiting work stops growing (beyond it the fluid backlog takes over). */
const WAITING_RHO_MAX = 0.9;

export interface WorkersInput {
  /** Write work arriving, units per second. */
  arrival: number;
  /** Most the workers can apply, units per second. */
  throughput: number;
  /** Primary capacity, work units per second. */
  primaryCapacity: number;
  /** Reads the primary serves, work units per second (served before writes, down to MIN_WRITE_SHARE). */
  primaryReads: number;
  /** Primary work per unit of write work applied (contention and fixes included). */
  workPerWrite: number;
  dt: number;
}

export interface WorkersStep {
  /** Work left queued after the step (beyond what ordinarily waits for a worker). */
  backlog: number;
  /** Write work applied during the step, units per second. */
  appliedRate: number;
  /** Most the workers could apply during the step: their throughput, or less when the primary is full. */
  limit: number;
  /** Work the primary did, per second: reads plus applied writes (may exceed capacity when reads alone do). */
  primaryLoad: number;
  /** The workers were held back by a full primary with work waiting. */
  primaryBound: boolean;
}

export function workersStep(backlog: number, i: WorkersInput): WorkersStep {
  const room = math.max(MIN_WRITE_SHARE * i.primaryCapacity, i.primaryCapacity - i.primaryReads);
  const primaryLimit = room / math.max(i.workPerWrite, 1e-9);
  const limit = math.min(i.throughput, primaryLimit);
  const fluid = fluidQueueStep(backlog, i.arrival, limit, i.dt);
  return {
    backlog: fluid.backlog,
    appliedRate: fluid.servedRate,
    limit,
    primaryLoad: i.primaryReads + i.workPerWrite * fluid.servedRate,
    primaryBound: primaryLimit < i.throughput && fluid.servedRate >= primaryLimit * (1 - 1e-9),
  };
}

/** Primary work per unit of write work as the backlog swells: 1 + contention * B / (B + half). */
export function contentionFactor(backlog: number, contention: number, halfBacklog: number): number {
  const b = math.max(0, backlog);
  return 1 + contention * (b / (b + halfBacklog));
}

/**
 * Work that waits for a worker in ordinary running (Little's law: arrival x wait), the wait growing as the workers
 * near their limit (M/M/1: wait / (1 - rho)), up to WAITING_RHO_MAX. This is the ordinary, seasonal level of the
 * backlog; work beyond the workers' limit is the fluid backlog on top of it.
 */
export function waitingWork(arrival: number, limit: number, waitSeconds: number): number {
  if (arrival <= 0) {
    return 0;
  }
  const rho = math.min(WAITING_RHO_MAX, arrival / math.max(limit, 1e-9));
  return (arrival * waitSeconds) / (1 - rho);
}

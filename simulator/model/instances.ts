/**
 * Frontend instances behind a load balancer, as an orchestrator runs them: each instance boots (`bootSeconds`),
 * then starts: it checks the database every health-check interval and joins once `bootChecks` checks in a row pass
 * (and, with `bootstrapFromZero` off, only while a peer is healthy); if it is not ready within
 * `startTimeoutSeconds` the orchestrator kills it and boots a new one. A healthy instance is health-checked every
 * interval and cycled (replaced by a booting one) after `unhealthyThreshold` failed checks in a row. Scale-downs
 * drain instances before removing them.
 *
 * Instances are not identical: each has a `sensitivity`, how hard the database's troubles hit its own probe
 * (its connection pool, its share of the traffic). The first instances are spread evenly over
 * 1 +/- sensitivitySpread; a replacement draws its own. So when the database slows down gradually, the fleet
 * shrinks one instance at a time, the most sensitive first, rather than collapsing at once.
 */
import { tailShare } from './queueing';
import type { ServiceParams } from './params';
import type { Prng } from './random';

/**
 * Jest runs tests in a vm context whose global object answers through an interceptor: every lookup of `Math` there
 * costs as much as the arithmetic around it. The per-step code keeps its own reference.
 */
const math = Math;

type InstanceState = 'booting' | 'starting' | 'healthy' | 'draining';

interface Instance {
  state: InstanceState;
  /** Seconds left booting, starting or draining. */
  timer: number;
  /** Consecutive failed health checks (healthy), or consecutive passed ones (starting). */
  failures: number;
  /** Seconds since the last health check. */
  sinceProbe: number;
  /** Multiplies the database latency and lag its probe sees. */
  sensitivity: number;
}

/** The pool's share of a service's instance parameters (documented there); the fleet's size comes per step. */
export type InstancePoolParams = Omit<
  ServiceParams['instances'],
  'desired' | 'capacityPerInstance' | 'bootstrapFromZero'
>;

export interface PoolStepInput {
  /** Mean latency of the database query a health check makes, seconds (before the instance's sensitivity). */
  probeLatency: number;
  /** Lag of the freshest replica, seconds: a check fails when the data it reads is too stale. */
  freshestLag: number;
  /** Whether an instance may finish booting when none is healthy. */
  bootstrapFromZero: boolean;
}

export interface PoolStepResult {
  /** Instances cycled during the step because their health checks failed. */
  cycled: number;
  /** Starts that timed out during the step (database unavailable, or no instance to bootstrap from). */
  failedBoots: number;
}

/** Seconds of a health check's own work, without the database. */
const PROBE_BASE_SECONDS = 0.01;

/**
 * Probability that one health check fails: its database query takes longer than the timeout (latency with an
 * exponential tail, see tailShare), or the freshest replica is further behind than the check accepts (a ramp
 * over the last quarter of the limit, so it does not flip all at once).
 */
export function probeFailure(
  latency: number,
  lag: number,
  p: Pick<InstancePoolParams, 'healthCheckTimeoutSeconds' | 'healthCheckMaxLagSeconds'>
): number {
  const slow = tailShare(PROBE_BASE_SECONDS + latency, PROBE_BASE_SECONDS / 2, p.healthCheckTimeoutSeconds);
  const limit = p.healthCheckMaxLagSeconds;
  const stale = math.min(1, math.max(0, (lag - limit) / (0.25 * limit)));
  return 1 - (1 - slow) * (1 - stale);
}

export class InstancePool {
  private instances: Instance[] = [];
  private desiredCount: number;

  /**
   * `probePhase(i)` is the seconds since instance i's last check at the start (default: drawn). Staggered so checks
   * do not run in lockstep; the service model derives it from Unix time so that runs starting at different times
   * check at the same instants.
   */
  constructor(
    desired: number,
    private readonly params: InstancePoolParams,
    private readonly prng: Prng,
    probePhase: (i: number) => number = () => prng.next() * params.healthCheckIntervalSeconds
  ) {
    this.desiredCount = desired;
    for (let i = 0; i < desired; i++) {
      this.instances.push({
        state: 'healthy',
        timer: 0,
        failures: 0,
        sinceProbe: probePhase(i),
        // Spread evenly, so the order in which they give way does not hang on a lucky draw.
        sensitivity: 1 + params.sensitivitySpread * (desired > 1 ? (2 * i) / (desired - 1) - 1 : 0),
      });
    }
  }

  get desired(): number {
    return this.desiredCount;
  }

  /** Instances passing health checks and serving (draining ones still finish their requests). */
  get healthy(): number {
    let n = 0;
    for (let ii = 0; ii < this.instances.length; ii++) {
      const inst = this.instances[ii];
      if (inst.state === 'healthy' || inst.state === 'draining') {
        n++;
      }
    }
    return n;
  }

  /** Instances booting or waiting for the database to start. */
  get booting(): number {
    let n = 0;
    for (let ii = 0; ii < this.instances.length; ii++) {
      const inst = this.instances[ii];
      if (inst.state === 'booting' || inst.state === 'starting') {
        n++;
      }
    }
    return n;
  }

  /** The orchestrator's target changed: start new instances, or drain the surplus (booting ones go first). */
  setDesired(desired: number): void {
    const target = math.max(0, math.round(desired));
    this.desiredCount = target;
    let active = this.instances.filter((i) => i.state !== 'draining');
    while (active.length < target) {
      const inst = this.newBooting();
      this.instances.push(inst);
      active.push(inst);
    }
    let surplus = active.length - target;
    for (const state of ['booting', 'starting', 'healthy'] as const) {
      for (const inst of active) {
        if (surplus > 0 && inst.state === state) {
          if (state !== 'healthy') {
            this.instances.splice(this.instances.indexOf(inst), 1);
          } else {
            inst.state = 'draining';
            inst.timer = this.params.drainSeconds;
          }
          surplus--;
        }
      }
      active = this.instances.filter((i) => i.state !== 'draining');
    }
  }

  /** Boot every instance that is not serving again, now (an operator starting a fresh cycle after a fix). */
  restartBoots(): void {
    for (let ii = 0; ii < this.instances.length; ii++) {
      const inst = this.instances[ii];
      if (inst.state === 'booting' || inst.state === 'starting') {
        Object.assign(inst, this.newBooting());
      }
    }
  }

  step(dt: number, input: PoolStepInput): PoolStepResult {
    const p = this.params;
    const healthyAtStart = this.healthy;
    let cycled = 0;
    let failedBoots = 0;
    for (let i = this.instances.length - 1; i >= 0; i--) {
      const inst = this.instances[i];
      if (inst.state === 'draining') {
        inst.timer -= dt;
        if (inst.timer <= 0) {
          this.instances.splice(i, 1);
        }
        continue;
      }
      if (inst.state === 'booting') {
        inst.timer -= dt;
        if (inst.timer <= 0) {
          inst.state = 'starting';
          inst.timer = p.startTimeoutSeconds;
          inst.failures = 0;
          inst.sinceProbe = p.healthCheckIntervalSeconds;
        }
        continue;
      }
      if (inst.state === 'starting') {
        // Starting up reads configuration from the database and, in the first report's service, from a peer.
        const hasPeer = healthyAtStart > 0 || input.bootstrapFromZero;
        inst.sinceProbe += dt;
        inst.timer -= dt;
        if (inst.sinceProbe >= p.healthCheckIntervalSeconds) {
          const failure = this.failureOf(inst, input);
          while (inst.sinceProbe >= p.healthCheckIntervalSeconds) {
            inst.sinceProbe -= p.healthCheckIntervalSeconds;
            inst.failures = hasPeer && !this.fails(failure) ? inst.failures + 1 : 0;
          }
        }
        if (inst.failures >= p.bootChecks) {
          inst.state = 'healthy';
          inst.failures = 0;
        } else if (inst.timer <= 0) {
          // Not ready in time: the orchestrator kills it and boots another.
          Object.assign(inst, this.newBooting());
          failedBoots++;
        }
        continue;
      }
      inst.sinceProbe += dt;
      if (inst.sinceProbe >= p.healthCheckIntervalSeconds) {
        const failure = this.failureOf(inst, input);
        while (inst.sinceProbe >= p.healthCheckIntervalSeconds) {
          inst.sinceProbe -= p.healthCheckIntervalSeconds;
          inst.failures = this.fails(failure) ? inst.failures + 1 : 0;
        }
      }
      if (inst.failures >= p.unhealthyThreshold) {
        // Cycled: the orchestrator kills it and starts a replacement (a new host), which has to boot.
        Object.assign(inst, this.newBooting());
        cycled++;
      }
    }
    return { cycled, failedBoots };
  }

  private newBooting(): Instance {
    return {
      state: 'booting',
      timer: this.params.bootSeconds,
      failures: 0,
      sinceProbe: 0,
      sensitivity: 1 + this.params.sensitivitySpread * (2 * this.prng.next() - 1),
    };
  }

  private failureOf(inst: Instance, input: PoolStepInput): number {
    return probeFailure(inst.sensitivity * input.probeLatency, inst.sensitivity * input.freshestLag, this.params);
  }

  private fails(probability: number): boolean {
    // No draw when the outcome is certain: ordinary weeks cost nothing here.
    if (probability <= 1e-9) {
      return false;
    }
    if (probability >= 1) {
      return true;
    }
    return this.prng.next() < probability;
  }
}

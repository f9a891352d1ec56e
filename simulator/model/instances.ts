/**
 * Frontend instances behind a load balancer, as an orchestrator runs them: each instance boots, is health-checked
 * every few seconds, is cycled (killed and replaced by a booting one) after a run of failed checks, and a booting
 * instance needs the database to finish starting. Scale-downs drain instances before removing them.
 */
import type { Prng } from './random';

type InstanceState = 'booting' | 'healthy' | 'draining';

interface Instance {
  state: InstanceState;
  /** Seconds left booting or draining. */
  timer: number;
  /** Consecutive failed health checks. */
  failures: number;
  /** Seconds since the last health check. */
  sinceProbe: number;
}

export interface InstancePoolParams {
  bootSeconds: number;
  healthCheckIntervalSeconds: number;
  unhealthyThreshold: number;
  bootChecks: number;
  drainSeconds: number;
}

export interface PoolStepInput {
  /** Probability that one health check fails now (slow or lagging database). */
  probeFailure: number;
  /** Whether an instance may finish booting when none is healthy. */
  bootstrapFromZero: boolean;
}

export interface PoolStepResult {
  /** Instances cycled during the step because their health checks failed. */
  cycled: number;
  /** Boots that failed during the step (database unavailable, or no instance to bootstrap from). */
  failedBoots: number;
}

export class InstancePool {
  private instances: Instance[] = [];
  private desiredCount: number;

  constructor(
    desired: number,
    private readonly params: InstancePoolParams,
    private readonly prng: Prng
  ) {
    this.desiredCount = desired;
    for (let i = 0; i < desired; i++) {
      // Staggered so health checks do not run in lockstep.
      this.instances.push({
        state: 'healthy',
        timer: 0,
        failures: 0,
        sinceProbe: prng.next() * params.healthCheckIntervalSeconds,
      });
    }
  }

  get desired(): number {
    return this.desiredCount;
  }

  /** Instances passing health checks and serving (draining ones still finish their requests). */
  get healthy(): number {
    let n = 0;
    for (const inst of this.instances) {
      if (inst.state !== 'booting') {
        n++;
      }
    }
    return n;
  }

  get booting(): number {
    return this.instances.filter((i) => i.state === 'booting').length;
  }

  /** The orchestrator's target changed: start new instances, or drain the surplus (booting ones go first). */
  setDesired(desired: number): void {
    const target = Math.max(0, Math.round(desired));
    this.desiredCount = target;
    let active = this.instances.filter((i) => i.state !== 'draining');
    while (active.length < target) {
      const inst: Instance = { state: 'booting', timer: this.params.bootSeconds, failures: 0, sinceProbe: 0 };
      this.instances.push(inst);
      active.push(inst);
    }
    let surplus = active.length - target;
    for (const state of ['booting', 'healthy'] as const) {
      for (const inst of active) {
        if (surplus > 0 && inst.state === state) {
          if (state === 'booting') {
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

  /** Restart every booting instance's boot now (an operator starting a fresh cycle after a fix). */
  restartBoots(): void {
    for (const inst of this.instances) {
      if (inst.state === 'booting') {
        inst.timer = this.params.bootSeconds;
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
          // Starting up reads configuration from the database and, in the first report's service, from a peer.
          const hasPeer = healthyAtStart > 0 || input.bootstrapFromZero;
          if (hasPeer && this.passes(input.probeFailure, p.bootChecks)) {
            inst.state = 'healthy';
            inst.failures = 0;
            inst.sinceProbe = 0;
          } else {
            inst.timer += p.bootSeconds;
            failedBoots++;
          }
        }
        continue;
      }
      inst.sinceProbe += dt;
      while (inst.sinceProbe >= p.healthCheckIntervalSeconds) {
        inst.sinceProbe -= p.healthCheckIntervalSeconds;
        inst.failures = this.fails(input.probeFailure) ? inst.failures + 1 : 0;
      }
      if (inst.failures >= p.unhealthyThreshold) {
        // Cycled: the orchestrator kills it and starts a replacement, which has to boot.
        inst.state = 'booting';
        inst.timer = p.bootSeconds;
        inst.failures = 0;
        cycled++;
      }
    }
    return { cycled, failedBoots };
  }

  private passes(probeFailure: number, checks: number): boolean {
    for (let i = 0; i < checks; i++) {
      if (this.fails(probeFailure)) {
        return false;
      }
    }
    return true;
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

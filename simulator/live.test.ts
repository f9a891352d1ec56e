import fc from 'fast-check';
import { LiveSimulation } from './live';
import { ROUTES } from './model/params';
import { CODE_SLOTS, MODEL_STEP_SECONDS } from './model/service';
import { filterSeries, simulate } from './run';
import { listScenarios, loadScenario } from './scenario/load';

const SCENARIOS = listScenarios().map((s) => loadScenario(s.name));

/** Every exported counter as a Prometheus scrape reads it, by a name of our own. */
function counters(live: LiveSimulation): Map<string, number> {
  live.advance();
  const out = new Map<string, number>();
  ROUTES.forEach((route, r) => {
    let requests = 0;
    for (let slot = 0; slot < CODE_SLOTS; slot++) {
      requests += live.requestCount(r, slot);
    }
    out.set(`requests:${route}`, requests);
    const buckets = live.current.routes[r].buckets.length;
    for (let b = 0; b < buckets; b++) {
      out.set(`bucket:${route}:${b}`, live.bucketCount(r, b));
    }
    out.set(`sum:${route}`, live.durationSum(r));
  });
  out.set('writes', live.writesTotal());
  return out;
}

/** Requests per second the model is serving right now, per route. */
function modelRates(live: LiveSimulation): number[] {
  live.advance();
  return live.current.routes.map((r) => r.rate);
}

const operation = fc.record({
  /** Wall seconds of running before the operation. */
  before: fc.integer({ min: 0, max: 600 }),
  action: fc.oneof(
    fc.record({
      kind: fc.constant('start' as const),
      scenario: fc.integer({ min: 0, max: SCENARIOS.length - 1 }),
      // Half the runs start as the button does (no lead), the rest with any lead the API accepts.
      leadMinutes: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 720 })),
    }),
    fc.record({ kind: fc.constant('stop' as const) })
  ),
  /** Wall seconds over which the increase across the operation is measured. */
  after: fc.integer({ min: 1, max: 20 }),
});

describe('live counters across starts, stops and restarts', () => {
  it("never jump: an operation adds nothing at once, and the increase across it stays within the model's own rates", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 120, noNaN: true }),
        fc.integer({ min: 0, max: 7 * 24 - 1 }),
        fc.array(operation, { minLength: 1, maxLength: 3 }),
        (speed, launchHour, operations) => {
          let now = Date.UTC(2024, 2, 4) + launchHour * 3_600_000;
          const live = new LiveSimulation({ scenario: SCENARIOS[0], speed, now: () => now });
          for (const op of operations) {
            now += op.before * 1000;
            const before = counters(live);
            const peak = modelRates(live);
            if (op.action.kind === 'start') {
              live.start(SCENARIOS[op.action.scenario], op.action.leadMinutes * 60);
            } else {
              live.stop();
            }
            // No time has passed: every counter reads what it read just before (up to the exported rounding).
            const at = counters(live);
            for (const [name, value] of before) {
              expect({ name, change: Math.abs(at.get(name)! - value) <= 1 }).toEqual({ name, change: true });
            }
            // Some wall time passes: the requests exported per wall second are the model's per-second rates
            // (counts are divided by the speed), so they cannot exceed the highest rate the model served.
            const slices = 10;
            for (let i = 0; i < slices; i++) {
              now += (op.after * 1000) / slices;
              modelRates(live).forEach((rate, r) => (peak[r] = Math.max(peak[r], rate)));
            }
            const after = counters(live);
            ROUTES.forEach((route, r) => {
              const name = `requests:${route}`;
              const perSecond = (after.get(name)! - before.get(name)!) / op.after;
              // The model steps on a 5 s grid, so a short interval may hold one more step at either end.
              const gridSlack = 1 + (2 * MODEL_STEP_SECONDS) / (speed * op.after);
              const allowed = 1.5 * peak[r] * gridSlack + 2 / op.after;
              expect({ name, speed, within: perSecond <= allowed, perSecond, allowed }).toMatchObject({ within: true });
            });
            for (const [name, value] of after) {
              expect({ name, monotonic: value >= at.get(name)! }).toEqual({ name, monotonic: true });
            }
          }
        }
      ),
      { numRuns: 40 }
    );
  });

  it('a stop returns to the ordinary traffic at the wall clock, and a restart of the same scenario replays it again', () => {
    let now = Date.UTC(2024, 2, 6, 12);
    const live = new LiveSimulation({ scenario: SCENARIOS[0], speed: 60, now: () => now });
    const crates = loadScenario('crates-io-2023-07-20');
    live.start(crates);
    now += 20_000; // 20 model minutes: 12:37, after the rollback
    expect(live.state().playing?.scenario).toBe('crates-io-2023-07-20');
    expect(live.state().values.version).toBe('v2023.07.20-rollback');
    live.start(crates);
    expect(live.state().values.version).toBe('v2023.07.20');
    live.stop();
    expect(live.state().playing).toBeNull();
    expect(live.state().scenario).toBe(SCENARIOS[0].name);
    expect(Date.parse(live.state().modelTime) / 1000).toBeCloseTo(now / 1000, -1);
  });
});

describe('ordinary traffic served long after the scenario was written', () => {
  const week = loadScenario('normal-week'); // written for the week of 2024-03-04, 0.5 % growth a week
  const servedAt = (iso: string) => {
    const at = Date.parse(iso);
    const live = new LiveSimulation({ scenario: week, speed: 1, now: () => at });
    return modelRates(live).reduce((a, b) => a + b, 0);
  };

  it("stays at the level of the scenario's week, not 2.7 years of compounding growth", () => {
    // Both Wednesdays at 15:00, after the weekly release: the same point of the week, 142 weeks apart.
    const written = servedAt('2024-03-06T15:00:00Z');
    const later = servedAt('2026-11-25T15:00:00Z');
    expect(Math.round((later / written) * 100) / 100).toBeGreaterThan(0.85);
    expect(Math.round((later / written) * 100) / 100).toBeLessThan(1.15);
  });

  it('reads the same in the backfilled history as served live, so the switch from one to the other is seamless', () => {
    const at = Date.parse('2026-11-25T15:00:00Z') / 1000;
    const run = simulate(week, { from: at - 300, to: at, stepSeconds: 300 });
    const historyRate =
      filterSeries(run, 'http_requests_total').reduce((sum, s) => sum + (s.values[1] - s.values[0]), 0) / 300;
    const ratio = historyRate / servedAt('2026-11-25T15:00:00Z');
    expect(Math.round(ratio * 100) / 100).toBeGreaterThan(0.9);
    expect(Math.round(ratio * 100) / 100).toBeLessThan(1.1);
  });
});

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

  it('exports a counter that has counted nothing as 0, never -1, across a start', () => {
    // What the property above once drew: the carried-over base's rounding error read -1 on idle error codes.
    const now = Date.UTC(2024, 2, 4);
    const live = new LiveSimulation({ scenario: SCENARIOS[0], speed: 1.7266587140457204, now: () => now });
    live.start(SCENARIOS[0], 0);
    const values = [...counters(live).values()];
    expect(values.filter((v) => v < 0)).toEqual([]);
    expect(values.filter((v) => v === 0).length).toBeGreaterThan(0);
  });

  it('a stop returns to the ordinary traffic where its clock has got to, and a restart of the same scenario replays it again', () => {
    const launch = Date.UTC(2024, 2, 6, 12);
    let now = launch;
    const live = new LiveSimulation({ scenario: SCENARIOS[0], speed: 60, now: () => now });
    const crates = loadScenario('crates-io-2023-07-20');
    live.start(crates);
    now += 20_000; // 20 model minutes: 12:37, after the rollback
    expect(live.state().playing?.scenario).toBe('crates-io-2023-07-20');
    expect(live.state().values.version).toBe('v2023.07.20-rollback');
    // Started again while it plays: thirty model minutes of its ordinary traffic first, so that the deploy's
    // "before" holds this replay's service, not the end of the previous one.
    live.start(crates);
    expect(live.state().values.version).toBe('v2023.07.19');
    const { playing } = live.state();
    expect((Date.parse(playing!.firstEventAt) - Date.parse(playing!.startedAt)) / 1000).toBeCloseTo(30, 0);
    now += 30_000;
    expect(live.state().values.version).toBe('v2023.07.20');
    live.start(crates, 0);
    expect(live.state().values.version).toBe('v2023.07.20');
    live.stop();
    expect(live.state().playing).toBeNull();
    expect(live.state().scenario).toBe(SCENARIOS[0].name);
    // The clock the demo's history is laid on: the wall clock's at launch, then 60 times faster (50 s: 50 min).
    expect(Date.parse(live.state().modelTime) / 1000).toBeCloseTo(launch / 1000 + 60 * 50, -1);
  });
});

describe('a replay pressed at any hour', () => {
  const week = loadScenario('normal-week');
  const report = loadScenario('cloudsmith-2020-02-04');
  const speed = 20;
  const total = (live: LiveSimulation) => modelRates(live).reduce((a, b) => a + b, 0);

  /**
   * The demo's ordinary week launched at `launch`, pressed at once (as the button does: no lead), and watched
   * beside a twin that nobody pressed: the twin serves what the history Prometheus compares with holds at that
   * wall time. Returns the replay's traffic over the twin's at model minutes after the press, and the minutes
   * from the press to each milestone.
   */
  function pressAt(launch: string, atMinutes: number[]) {
    let now = Date.parse(launch);
    const pressed = new LiveSimulation({ scenario: week, speed, now: () => now });
    const twin = new LiveSimulation({ scenario: week, speed, now: () => now });
    const pressedAt = now;
    pressed.start(report);
    const ratios = atMinutes.map((minutes) => {
      now = pressedAt + ((minutes * 60) / speed) * 1000;
      return total(pressed) / total(twin);
    });
    now = pressedAt + ((150 * 60) / speed) * 1000;
    const { milestones, playing } = pressed.state();
    const minutes = Object.fromEntries(
      Object.entries(milestones).map(([kind, iso]) => [kind, ((Date.parse(iso) - pressedAt) / 1000 / 60) * speed])
    );
    return { ratios, minutes, scale: playing!.trafficScale };
  }

  // A night, a busy afternoon, the report's own hour and weekday, a weekend morning.
  const launches = ['2026-11-30T03:00:00Z', '2026-11-30T13:00:00Z', '2026-12-01T21:02:00Z', '2026-12-05T10:00:00Z'];
  const runs = launches.map((launch) => pressAt(launch, [0, 15]));

  it("starts at the traffic usual for the hour (no step at the press), scaled by the usual level's ratio to the report's", () => {
    for (const [i, run] of runs.entries()) {
      const atPress = run.ratios[0];
      expect({ launch: launches[i], atPress, usual: atPress > 0.9 && atPress < 1.1 }).toMatchObject({ usual: true });
    }
    // The busy afternoon's usual traffic is about twice the night's: so is its replay's.
    expect(runs[1].scale / runs[0].scale).toBeGreaterThan(1.6);
  });

  it('stands as far above the usual level, and reaches each milestone as many minutes after the press, whatever the hour', () => {
    const surge = runs.map((run) => run.ratios[1]);
    expect(surge[0]).toBeGreaterThan(2);
    for (const [i, ratio] of surge.entries()) {
      const relative = ratio / surge[2];
      expect({ launch: launches[i], relative, same: relative > 0.9 && relative < 1.1 }).toMatchObject({ same: true });
    }
    for (const run of runs) {
      expect(run.minutes).toEqual(runs[2].minutes);
    }
    expect(runs[2].minutes.primarySaturated).toBeGreaterThan(30);
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

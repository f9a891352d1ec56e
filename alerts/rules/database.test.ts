/** Backlog, saturation and replica alerts around their thresholds. */
import { loadConfig } from '../../config/load';
import { hold, ramp, trend } from '../testing/series';
import { assertPassed, runUnitCases, type UnitCase } from '../testing/unit';
import { CLUSTER, key, PRIMARY, REPLICA, SERVICE, world } from '../testing/world';

const MINUTES = 120;
const TIMEOUT = 120_000;
// Database alerts name the cluster and the service that writes to it (one cluster: every service).
const main = { service: SERVICE, cluster: CLUSTER };

describe('CascadeWriteBacklogGrowing', () => {
  // The world applies 50 units of write work per second.
  it(
    'fires when the projected backlog would take too long to drain, not for a batch that holds',
    async () => {
      const cases: UnitCase[] = [
        {
          name: 'backlog growing by 1000 units a minute from 60m',
          series: world(MINUTES, { [key.backlog()]: trend(10, 60, 1000, MINUTES) }),
          expect: [
            { at: '61m', silent: ['CascadeWriteBacklogGrowing'] },
            // Projected 30 minutes ahead it would take more than 5 minutes to drain; 3 minutes' `for`.
            { at: '70m', firing: [{ alert: 'CascadeWriteBacklogGrowing', labels: main }] },
          ],
          annotations: [
            {
              at: '90m',
              alert: 'CascadeWriteBacklogGrowing',
              labels: main,
              annotations: {
                summary: 'The write backlog is growing faster than the database drains it.',
                description:
                  'The write backlog of main is 30.01k and growing by 16.67/s; at this trend it needs 20m 0s to drain in 30m ' +
                  '(10m 0s now). Shed or rate-limit the traffic that creates it, pause background work, add capacity now.',
                runbook_url:
                  'https://github.com/cascade-watch/cascade-watch/blob/main/alerts/runbooks/CascadeWriteBacklogGrowing.md',
                dashboard_url: 'http://127.0.0.1:3000/d/cascade-overview/cascade-overview?var-service=registry',
              },
            },
          ],
        },
        {
          // The simulator's nightly batch: the queue fills within minutes, holds, drains.
          name: 'a batch fills 1,500 units (30 s of work) in 6 minutes, holds 34 minutes, drains',
          series: world(MINUTES, {
            [key.backlog()]: [
              ...hold(10, 60),
              ...ramp(10, 1500, 6),
              ...hold(1500, 34),
              ...ramp(1500, 10, 5),
              ...hold(10, 15),
            ],
          }),
          expect: ['66m', '80m', '105m'].map((at) => ({ at, silent: ['CascadeWriteBacklogGrowing' as const] })),
        },
      ];
      assertPassed(await runUnitCases({ cases }));
    },
    TIMEOUT
  );

  it(
    'with a limit configured, also fires when the projection crosses the limit',
    async () => {
      const config = loadConfig();
      config.backlog.limit = 5000;
      // 100 units a minute: drains in time, but is projected past 5,000 units from ~80m.
      const growing = world(MINUTES, { [key.backlog()]: trend(10, 60, 100, MINUTES) });
      const cases: UnitCase[] = [
        {
          name: 'backlog growing by 100 units a minute',
          series: growing,
          expect: [
            { at: '79m', silent: ['CascadeWriteBacklogGrowing'] },
            { at: '88m', firing: [{ alert: 'CascadeWriteBacklogGrowing', labels: main }] },
          ],
        },
      ];
      assertPassed(await runUnitCases({ cases, config }));
      const withoutLimit = [
        {
          name: 'the same without a limit',
          series: growing,
          expect: [{ at: '88m', silent: ['CascadeWriteBacklogGrowing' as const] }],
        },
      ];
      assertPassed(await runUnitCases({ cases: withoutLimit }));
    },
    TIMEOUT
  );
});

describe('CascadeWriteBacklogElevated', () => {
  // 50 units applied a second: a backlog of 500 drains in 10 s, 3,000 in 60 s.
  const LONG = 300;
  const usual = (minutes: number) => hold(500, minutes);
  it(
    'fires when the drain time has stayed above 3x its usual for an hour, not while it drains nor on a quiet database',
    async () => {
      // The default's usual level is the 95th percentile of a week; a test world holds hours, so the median
      // (an hour held high is 5 of its 17 quarter-hour samples) keeps the usual level where it was.
      const config = loadConfig();
      config.backlog.elevated.usualQuantile = 0.5;
      const cases: UnitCase[] = [
        {
          name: 'the backlog holds 6x its usual drain time from 180m, flat',
          series: world(LONG, { [key.backlog()]: [...usual(180), ...hold(3000, LONG - 180)] }),
          expect: [
            { at: '239m', silent: ['CascadeWriteBacklogElevated'] },
            { at: '242m', firing: [{ alert: 'CascadeWriteBacklogElevated', labels: main }] },
          ],
          annotations: [
            {
              at: '250m',
              alert: 'CascadeWriteBacklogElevated',
              labels: main,
              annotations: {
                summary: 'The write backlog has stayed far above its usual size.',
                description:
                  'The write backlog of main has needed at least 1m 0s to drain for 1h, against 10s usually ' +
                  '(50th percentile of the last 1w). The database works near its ceiling: the next rise in writes ' +
                  'fills it. Add capacity or shed the work that writes before it does.',
                runbook_url:
                  'https://github.com/cascade-watch/cascade-watch/blob/main/alerts/runbooks/CascadeWriteBacklogElevated.md',
                dashboard_url: 'http://127.0.0.1:3000/d/cascade-overview/cascade-overview?var-service=registry',
              },
            },
          ],
        },
        {
          // A batch that ends after 55 minutes: its backlog is still above 40 s of work when the hour is up.
          name: 'the backlog holds 6x from 180m, then drains from 235m over 15 minutes',
          series: world(LONG, {
            [key.backlog()]: [...usual(180), ...hold(3000, 55), ...ramp(3000, 500, 15), ...usual(LONG - 250)],
          }),
          expect: ['241m', '245m', '260m'].map((at) => ({ at, silent: ['CascadeWriteBacklogElevated' as const] })),
        },
        {
          name: 'a quiet database: 0.1 s of work usually, 0.6 s held (6x, under the 30 s floor)',
          series: world(LONG, { [key.backlog()]: [...hold(5, 180), ...hold(30, LONG - 180)] }),
          expect: [{ at: '260m', silent: ['CascadeWriteBacklogElevated'] }],
        },
      ];
      assertPassed(await runUnitCases({ cases, config }));
    },
    TIMEOUT
  );
});

describe('CascadeDatabaseSaturationImminent and CascadeDatabaseSaturated', () => {
  // One alert per service and cluster, whichever node it is about.
  const primary = main;
  const replica = main;
  /** 0.2 until 60m, then `level` (a batch switching on), back to 0.2 at 100m. */
  const step = (level: number) => [...hold(0.2, 60), ...hold(level, 40), ...hold(0.2, MINUTES - 100)];

  it(
    'forecast a node climbing towards saturation, not a step up to a plateau',
    async () => {
      const cases: UnitCase[] = [
        {
          name: 'primary utilisation climbing one point a minute from 40 % at 60m',
          series: world(MINUTES, { [key.utilization(PRIMARY, 'primary')]: trend(0.4, 60, 0.01, MINUTES) }),
          expect: [
            // On course for 95 % within 30 minutes from ~86m (at 65 %); then 10 minutes' `for`.
            { at: '90m', silent: ['CascadeDatabaseSaturationImminent'] },
            {
              at: '100m',
              firing: [{ alert: 'CascadeDatabaseSaturationImminent', labels: primary }],
              silent: ['CascadeDatabaseSaturated'],
            },
            // Saturated at 115m: the forecast has come true and stops.
            { at: '117m', silent: ['CascadeDatabaseSaturationImminent'] },
          ],
          annotations: [
            {
              at: '100m',
              alert: 'CascadeDatabaseSaturationImminent',
              labels: primary,
              annotations: {
                summary: 'A database node is on course to saturate.',
                description:
                  // 900 s, less float rounding (humanizeDuration truncates).
                  'The busiest node of main is 80% busy; the first to get there reaches 95% in about 14m 59s on its 15m trend. ' +
                  'Add replicas while the primary can still feed them; shed load that writes.',
                runbook_url:
                  'https://github.com/cascade-watch/cascade-watch/blob/main/alerts/runbooks/CascadeDatabaseSaturationImminent.md',
                dashboard_url: 'http://127.0.0.1:3000/d/cascade-overview/cascade-overview?var-service=registry',
              },
            },
          ],
        },
        {
          name: 'a replica climbing the same way',
          series: world(MINUTES, { [key.utilization(REPLICA, 'replica')]: trend(0.4, 60, 0.01, MINUTES) }),
          expect: [{ at: '100m', firing: [{ alert: 'CascadeDatabaseSaturationImminent', labels: replica }] }],
        },
        {
          name: 'a batch steps the replica from 20 % to 66 % and holds (the nightly-batch scenario)',
          series: world(MINUTES, { [key.utilization(REPLICA, 'replica')]: step(0.66) }),
          expect: ['62m', '66m', '70m', '75m', '80m'].map((at) => ({
            at,
            silent: ['CascadeDatabaseSaturationImminent' as const],
          })),
        },
        {
          name: 'busy but steady at 80 %',
          series: world(MINUTES, { [key.utilization(PRIMARY, 'primary')]: hold(0.8, MINUTES) }),
          expect: [{ at: '90m', silent: ['CascadeDatabaseSaturationImminent', 'CascadeDatabaseSaturated'] }],
        },
      ];
      assertPassed(await runUnitCases({ cases }));
    },
    TIMEOUT
  );

  it(
    'page when the primary stays saturated with work queuing behind it, not for a batch that keeps up',
    async () => {
      // 50 units/s are applied: 1,000 units queued are 20 s of work.
      const queued = [...hold(10, 60), ...hold(1000, MINUTES - 60)];
      const cases: UnitCase[] = [
        {
          name: 'primary at 97 % from 60m, 20 s of work queued',
          series: world(MINUTES, { [key.utilization(PRIMARY, 'primary')]: step(0.97), [key.backlog()]: queued }),
          expect: [
            { at: '68m', silent: ['CascadeDatabaseSaturated'] },
            // 10 minutes at 97 % (from 60m), then 1 minute's `for`.
            { at: '72m', firing: [{ alert: 'CascadeDatabaseSaturated', labels: primary }] },
          ],
          annotations: [
            {
              at: '75m',
              alert: 'CascadeDatabaseSaturated',
              labels: primary,
              annotations: {
                summary: 'The primary database is saturated.',
                description:
                  'The primary of main has been at least 97% busy for 10m, with 20s of write work queued behind it: ' +
                  'writes queue, replicas fall behind, health checks start failing next.',
                runbook_url:
                  'https://github.com/cascade-watch/cascade-watch/blob/main/alerts/runbooks/CascadeDatabaseSaturated.md',
                dashboard_url: 'http://127.0.0.1:3000/d/cascade-overview/cascade-overview?var-service=registry',
              },
            },
          ],
        },
        {
          name: 'primary at 97 % for a batch that keeps up (nothing queues)',
          series: world(MINUTES, { [key.utilization(PRIMARY, 'primary')]: step(0.97) }),
          expect: [{ at: '80m', silent: ['CascadeDatabaseSaturated', 'CascadeDatabaseSaturationImminent'] }],
        },
        {
          name: 'a replica at 97 % with work queued is not the primary',
          series: world(MINUTES, { [key.utilization(REPLICA, 'replica')]: step(0.97), [key.backlog()]: queued }),
          expect: [{ at: '80m', silent: ['CascadeDatabaseSaturated'] }],
        },
      ];
      assertPassed(await runUnitCases({ cases }));
    },
    TIMEOUT
  );
});

describe('CascadeReplicaLagGrowing and CascadeReplicaLagHigh', () => {
  const replica = main;
  it(
    'warn while lag climbs past 30 s, page above 300 s, stay quiet on steady lag',
    async () => {
      const cases: UnitCase[] = [
        {
          name: 'lag gaining 30 s a minute from 60m',
          series: world(MINUTES, { [key.lag(REPLICA)]: trend(0.5, 60, 30, MINUTES) }),
          expect: [
            { at: '62m', silent: ['CascadeReplicaLagGrowing', 'CascadeReplicaLagHigh'] },
            {
              at: '68m',
              firing: [{ alert: 'CascadeReplicaLagGrowing', labels: replica }],
              silent: ['CascadeReplicaLagHigh'],
            },
            {
              at: '80m',
              firing: [
                { alert: 'CascadeReplicaLagGrowing', labels: replica },
                { alert: 'CascadeReplicaLagHigh', labels: replica },
              ],
            },
          ],
          annotations: [
            {
              // The trend's 10-minute window is all climbing by then.
              at: '72m',
              alert: 'CascadeReplicaLagGrowing',
              labels: replica,
              annotations: {
                summary: 'A replica is falling behind.',
                description:
                  'The furthest-behind replica of main is 6m 0s behind; the fastest-falling gains 0.5 s of lag per second. ' +
                  'Reads from it are stale; the primary is likely overloaded.',
                runbook_url:
                  'https://github.com/cascade-watch/cascade-watch/blob/main/alerts/runbooks/CascadeReplicaLagGrowing.md',
                dashboard_url: 'http://127.0.0.1:3000/d/cascade-overview/cascade-overview?var-service=registry',
              },
            },
          ],
        },
        {
          name: 'lag steady at 60 s',
          series: world(MINUTES, { [key.lag(REPLICA)]: hold(60, MINUTES) }),
          expect: [{ at: '90m', silent: ['CascadeReplicaLagGrowing', 'CascadeReplicaLagHigh'] }],
        },
        {
          name: 'lag steady at 200 s, below the critical threshold',
          series: world(MINUTES, { [key.lag(REPLICA)]: hold(200, MINUTES) }),
          expect: [{ at: '90m', silent: ['CascadeReplicaLagHigh'] }],
        },
      ];
      assertPassed(await runUnitCases({ cases }));
    },
    TIMEOUT
  );
});

/** Backlog, saturation and replica alerts around their thresholds. */
import { loadConfig } from '../config/load';
import { hold, ramp, type Sample } from '../testing/series';
import { assertPassed, runUnitCases, type UnitCase } from '../testing/unit';
import { CLUSTER, key, PRIMARY, REPLICA, world } from '../testing/world';

const MINUTES = 120;
const TIMEOUT = 120_000;
const main = { cluster: CLUSTER };

/** A gauge at `base` until minute `at`, then changing by `perMinute` each minute. */
function trend(base: number, at: number, perMinute: number, minutes = MINUTES): Sample[] {
  return Array.from({ length: minutes }, (_, i) => (i <= at ? base : base + perMinute * (i - at)));
}

describe('CascadeWriteBacklogGrowing', () => {
  // The world applies 50 units of write work per second.
  it(
    'fires when the projected backlog would take too long to drain, not for a batch that holds',
    async () => {
      const cases: UnitCase[] = [
        {
          name: 'backlog growing by 1000 units a minute from 60m',
          series: world(MINUTES, { [key.backlog()]: trend(10, 60, 1000) }),
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
                dashboard_url: 'http://127.0.0.1:3000/d/cascade-overview/cascade-overview?var-cluster=main',
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
      const growing = world(MINUTES, { [key.backlog()]: trend(10, 60, 100) });
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

describe('CascadeDatabaseSaturationImminent and CascadeDatabaseSaturated', () => {
  it(
    'forecast saturation of any node; page when the primary stays saturated',
    async () => {
      const cases: UnitCase[] = [
        {
          name: 'primary utilisation climbing one point a minute from 40 % at 60m',
          series: world(MINUTES, { [key.utilization(PRIMARY, 'primary')]: trend(0.4, 60, 0.01) }),
          expect: [
            // Reaches 95 % at 115m; the forecast sees it coming 30 minutes ahead (after 5 minutes' `for`).
            { at: '85m', silent: ['CascadeDatabaseSaturationImminent'] },
            {
              at: '95m',
              firing: [
                {
                  alert: 'CascadeDatabaseSaturationImminent',
                  labels: { cluster: CLUSTER, instance: PRIMARY, role: 'primary' },
                },
              ],
              silent: ['CascadeDatabaseSaturated'],
            },
          ],
        },
        {
          name: 'a replica climbing the same way',
          series: world(MINUTES, { [key.utilization(REPLICA, 'replica')]: trend(0.4, 60, 0.01) }),
          expect: [
            {
              at: '95m',
              firing: [
                {
                  alert: 'CascadeDatabaseSaturationImminent',
                  labels: { cluster: CLUSTER, instance: REPLICA, role: 'replica' },
                },
              ],
            },
          ],
        },
        {
          name: 'busy but steady at 80 %',
          series: world(MINUTES, { [key.utilization(PRIMARY, 'primary')]: hold(0.8, MINUTES) }),
          expect: [{ at: '90m', silent: ['CascadeDatabaseSaturationImminent', 'CascadeDatabaseSaturated'] }],
        },
        {
          name: 'primary at 97 % from 60m',
          series: world(MINUTES, {
            [key.utilization(PRIMARY, 'primary')]: [...hold(0.4, 60), ...hold(0.97, MINUTES - 60)],
          }),
          expect: [
            { at: '65m', silent: ['CascadeDatabaseSaturated'] },
            {
              at: '72m',
              firing: [
                { alert: 'CascadeDatabaseSaturated', labels: { cluster: CLUSTER, instance: PRIMARY, role: 'primary' } },
              ],
            },
          ],
        },
        {
          name: 'a replica at 97 % is not the primary',
          series: world(MINUTES, {
            [key.utilization(REPLICA, 'replica')]: [...hold(0.3, 60), ...hold(0.97, MINUTES - 60)],
          }),
          expect: [{ at: '80m', silent: ['CascadeDatabaseSaturated'] }],
        },
      ];
      assertPassed(await runUnitCases({ cases }));
    },
    TIMEOUT
  );
});

describe('CascadeReplicaLagGrowing and CascadeReplicaLagHigh', () => {
  const replica = { cluster: CLUSTER, instance: REPLICA };
  it(
    'warn while lag climbs past 30 s, page above 300 s, stay quiet on steady lag',
    async () => {
      const cases: UnitCase[] = [
        {
          name: 'lag gaining 30 s a minute from 60m',
          series: world(MINUTES, { [key.lag(REPLICA)]: trend(0.5, 60, 30) }),
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
                  'Replica db-replica-1 of main is 6m 0s behind and gaining 0.5 s of lag per second. ' +
                  'Reads from it are stale; the primary is likely overloaded.',
                runbook_url:
                  'https://github.com/cascade-watch/cascade-watch/blob/main/alerts/runbooks/CascadeReplicaLagGrowing.md',
                dashboard_url: 'http://127.0.0.1:3000/d/cascade-overview/cascade-overview?var-cluster=main',
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

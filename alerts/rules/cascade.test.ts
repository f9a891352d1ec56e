/** CascadeInProgress: two stages at once page, one of them outside the database; one stage alone does not. */
import { loadConfig } from '../../config/load';
import { counter, hold, trend } from '../testing/series';
import { assertPassed, runUnitCases, type UnitCase } from '../testing/unit';
import { key, REPLICA, world } from '../testing/world';

const MINUTES = 120;
const TIMEOUT = 120_000;

/** Download requests climbing by 5 req/s every minute from 60m: a surge that keeps growing. */
const surge = counter(trend(20, 60, 5, MINUTES));
/** The write backlog growing by 1000 units a minute from 60m (50 units/s are applied). */
const backlog = trend(10, 60, 1000, MINUTES);
/** A replica falling behind by 5 s a minute from 60m: past 30 s at 66m, under the critical 300 s to the end. */
const lag = trend(0.5, 60, 5, MINUTES);

describe('CascadeInProgress', () => {
  it(
    'pages when the traffic and backlog stages are active together',
    async () => {
      const cases: UnitCase[] = [
        {
          name: 'surge from 60m, backlog growing from 60m',
          series: world(MINUTES, { [key.requests('download')]: surge, [key.backlog()]: backlog }),
          expect: [
            // The surge warns first; the backlog warning follows (see database.test.ts); then the page.
            { at: '64m', silent: ['CascadeInProgress'] },
            {
              at: '90m',
              firing: [
                { alert: 'CascadeWriteBacklogGrowing', labels: { service: 'registry', cluster: 'main' } },
                { alert: 'CascadeInProgress', labels: { service: 'registry' } },
              ],
            },
          ],
          annotations: [
            {
              at: '90m',
              alert: 'CascadeInProgress',
              labels: { service: 'registry' },
              annotations: {
                summary: 'The cascade has started: several stages are active at once.',
                description:
                  '2 stages of the cascade of registry are active at once (1 = active): traffic 1, backlog 1, replicas 0, instances 0. ' +
                  'Act on the earliest stage first: shed or rate-limit the traffic source, add database capacity ahead of time, ' +
                  'pause background processing.',
                runbook_url:
                  'https://github.com/cascade-watch/cascade-watch/blob/main/alerts/runbooks/CascadeInProgress.md',
                dashboard_url: 'http://127.0.0.1:3000/d/cascade-overview/cascade-overview?var-service=registry',
              },
            },
          ],
        },
        {
          name: 'the backlog stops growing at 80m: the page holds 15 minutes after the stage goes quiet',
          series: world(MINUTES, {
            [key.requests('download')]: surge,
            [key.backlog()]: backlog.map((b, i) => (i <= 80 ? b : backlog[80])),
          }),
          expect: [
            {
              at: '100m',
              firing: [{ alert: 'CascadeInProgress', labels: { service: 'registry' } }],
              silent: ['CascadeWriteBacklogGrowing'],
            },
            { at: '115m', silent: ['CascadeInProgress'] },
          ],
        },
        {
          name: 'the surge alone',
          series: world(MINUTES, { [key.requests('download')]: surge }),
          expect: [
            {
              at: '90m',
              firing: [{ alert: 'CascadeTrafficSurge', labels: { service: 'registry' } }],
              silent: ['CascadeInProgress'],
            },
          ],
        },
        {
          name: 'the backlog alone',
          series: world(MINUTES, { [key.backlog()]: backlog }),
          expect: [{ at: '90m', silent: ['CascadeInProgress'] }],
        },
      ];
      assertPassed(await runUnitCases({ cases }));
    },
    TIMEOUT
  );

  it(
    "does not page on the database's own stages (a batch) unless configured to",
    async () => {
      const batch = world(MINUTES, { [key.backlog()]: backlog, [key.lag(REPLICA)]: lag });
      const cases: UnitCase[] = [
        {
          name: 'backlog and replica lag growing while the traffic is ordinary',
          series: batch,
          expect: [
            {
              at: '90m',
              firing: [
                { alert: 'CascadeWriteBacklogGrowing', labels: { service: 'registry', cluster: 'main' } },
                { alert: 'CascadeReplicaLagGrowing', labels: { service: 'registry', cluster: 'main' } },
              ],
              silent: ['CascadeInProgress'],
            },
          ],
        },
        {
          name: 'the same with the surge: the traffic stage makes it a cascade',
          series: world(MINUTES, {
            [key.requests('download')]: surge,
            [key.backlog()]: backlog,
            [key.lag(REPLICA)]: lag,
          }),
          expect: [{ at: '90m', firing: [{ alert: 'CascadeInProgress', labels: { service: 'registry' } }] }],
        },
      ];
      assertPassed(await runUnitCases({ cases }));

      // cascade.requireOneOf empty: any two stages page, the database's own included.
      const config = loadConfig();
      config.cascade.requireOneOf = [];
      const anyStages: UnitCase[] = [
        {
          name: 'backlog and replica lag growing, requireOneOf empty',
          series: batch,
          expect: [{ at: '90m', firing: [{ alert: 'CascadeInProgress', labels: { service: 'registry' } }] }],
        },
      ];
      assertPassed(await runUnitCases({ cases: anyStages, config }));
    },
    TIMEOUT
  );

  it(
    'counts a stage only once its alert would fire (its `for` has passed)',
    async () => {
      // 7 of 10 instances healthy: CascadeHealthyInstancesLow needs 10 minutes of that.
      const unhealthyFor = (minutes: number) => [
        ...hold(10, 80),
        ...hold(7, minutes),
        ...hold(10, MINUTES - 80 - minutes),
      ];
      const cases: UnitCase[] = [
        {
          name: 'instances dip for 6 minutes next to a growing backlog',
          series: world(MINUTES, { [key.backlog()]: backlog, [key.healthy()]: unhealthyFor(6) }),
          expect: [{ at: '88m', silent: ['CascadeInProgress', 'CascadeHealthyInstancesLow'] }],
        },
        {
          name: 'instances stay down next to a growing backlog',
          series: world(MINUTES, { [key.backlog()]: backlog, [key.healthy()]: unhealthyFor(40) }),
          expect: [
            {
              at: '95m',
              firing: [
                { alert: 'CascadeHealthyInstancesLow', labels: { service: 'registry' } },
                { alert: 'CascadeInProgress', labels: { service: 'registry' } },
              ],
            },
          ],
        },
      ];
      assertPassed(await runUnitCases({ cases }));
    },
    TIMEOUT
  );
});

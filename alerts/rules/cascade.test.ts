/** CascadeInProgress: two stages at once page; one stage alone does not. */
import { counter, hold, type Sample } from '../testing/series';
import { assertPassed, runUnitCases, type UnitCase } from '../testing/unit';
import { key, world } from '../testing/world';

const MINUTES = 120;
const TIMEOUT = 120_000;

/** Download requests climbing by 5 req/s every minute from 60m: a surge that keeps growing. */
const surge = counter(Array.from({ length: MINUTES }, (_, i) => (i <= 60 ? 20 : 20 + 5 * (i - 60))));
/** The write backlog growing by 1000 units a minute from 60m (50 units/s are applied). */
const backlog: Sample[] = Array.from({ length: MINUTES }, (_, i) => (i <= 60 ? 10 : 10 + 1000 * (i - 60)));

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

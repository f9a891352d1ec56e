/**
 * CascadeSignalMissing, and the pack's robustness: scrape gaps and counter resets must not fire
 * anything.
 */
import { counter, hold, series, withGap, withReset, type Sample } from '../testing/series';
import { assertPassed, runUnitCases, type UnitCase } from '../testing/unit';
import { healthyWorld, key, REPLICA, world } from '../testing/world';

const MINUTES = 120;
const TIMEOUT = 120_000;

const gone = (from: number): Sample[] => [...hold(10, from), ...hold(null, MINUTES - from)];

describe('CascadeSignalMissing', () => {
  it(
    'fires when a signal or one owner of it disappears, not on a short scrape gap',
    async () => {
      const cases: UnitCase[] = [
        {
          name: 'the write backlog is no longer scraped from 60m',
          series: world(MINUTES, { [key.backlog()]: gone(60) }),
          expect: [
            // The last sample still counts for 10 minutes; then 5 minutes' `for`.
            { at: '70m', silent: ['CascadeSignalMissing'] },
            {
              at: '77m',
              firing: [
                { alert: 'CascadeSignalMissing', labels: { signal: 'writeBacklog', metric: 'db_write_backlog' } },
              ],
            },
          ],
          annotations: [
            {
              at: '77m',
              alert: 'CascadeSignalMissing',
              labels: { signal: 'writeBacklog', metric: 'db_write_backlog' },
              annotations: {
                summary: 'An input signal of the pack is missing.',
                description:
                  "No db_write_backlog (signal writeBacklog) for 10m or more. Alerts that read it cannot fire: check the exporter, the scrape job and the pack's selectors.",
                runbook_url:
                  'https://github.com/cascade-watch/cascade-watch/blob/main/alerts/runbooks/CascadeSignalMissing.md',
                dashboard_url: 'http://127.0.0.1:3000/d/cascade-overview/cascade-overview',
              },
            },
          ],
        },
        {
          name: 'one of two replicas stops reporting its lag at 60m',
          series: [...world(MINUTES), series(key.lag('db-replica-2'), gone(60))],
          expect: [
            {
              at: '77m',
              firing: [
                {
                  alert: 'CascadeSignalMissing',
                  labels: {
                    signal: 'replicaLag',
                    metric: 'db_replication_lag_seconds',
                    cluster: 'main',
                    instance: 'db-replica-2',
                  },
                },
              ],
            },
          ],
        },
        {
          name: 'never there at all',
          series: world(MINUTES, { [key.healthy()]: null }),
          expect: [
            {
              at: '30m',
              firing: [
                { alert: 'CascadeSignalMissing', labels: { signal: 'healthyInstances', metric: 'instances_healthy' } },
              ],
            },
          ],
        },
        {
          name: 'a four-minute scrape gap in the backlog',
          series: world(MINUTES, { [key.backlog()]: withGap(hold(10, MINUTES), 60, 4) }),
          expect: [
            { at: '64m', silent: ['CascadeSignalMissing'] },
            { at: '75m', silent: ['CascadeSignalMissing'] },
          ],
        },
      ];
      assertPassed(await runUnitCases({ cases }));
    },
    TIMEOUT
  );
});

describe('counter resets and scrape gaps', () => {
  it(
    'fire nothing',
    async () => {
      const all = healthyWorld(MINUTES);
      // A scrape gap of 4 minutes in every series at 80m (Prometheus restarted, say)...
      for (const [name, samples] of all) {
        all.set(name, withGap(samples, 80, 4));
      }
      // ...the frontends restart at 60m (their request counters start again from 0)...
      for (const route of ['download', 'api', 'upload'] as const) {
        all.set(key.requests(route), withGap(withReset(all.get(key.requests(route))!, 60), 80, 4));
      }
      // ...and the database's write counter restarts at 100m, the lag gauge misses two scrapes.
      all.set(key.writes(), withGap(withReset(counter(hold(50, MINUTES)), 100), 80, 4));
      all.set(key.lag(REPLICA), withGap(withGap(hold(0.5, MINUTES), 80, 4), 105, 2));
      const cases: UnitCase[] = [
        {
          name: 'resets at 60m and 100m, gaps at 80m and 105m',
          series: [...all].map(([name, samples]) => series(name, samples)),
          expect: ['61m', '65m', '70m', '84m', '86m', '90m', '101m', '107m', '119m'].map((at) => ({
            at,
            nothingFires: true,
          })),
        },
      ];
      assertPassed(await runUnitCases({ cases }));
    },
    TIMEOUT
  );
});

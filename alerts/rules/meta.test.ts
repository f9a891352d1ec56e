/**
 * CascadeSignalMissing, and the pack's robustness: scrape gaps and counter resets must not fire
 * anything.
 */
import { counter, encode, hold, series, withGap, withReset, type InputSeries, type Sample } from '../testing/series';
import { assertPassed, runUnitCases, type UnitCase } from '../testing/unit';
import { healthyWorld, key, PRIMARY, REPLICA, SERVICE, world } from '../testing/world';

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
                    // A node's series go to the services writing to its cluster.
                    service: 'registry',
                    cluster: 'main',
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

/** A series whose sample at `at` is a staleness marker (the target vanished for one scrape), in promtool notation. */
function withStale(name: string, samples: readonly Sample[], at: number): InputSeries {
  const before = encode(samples.slice(0, at));
  const after = encode(samples.slice(at + 1));
  return { series: name, values: [before, 'stale', after].filter((part) => part !== '').join(' ') };
}

const ROUTES = ['download', 'api', 'upload'] as const;

/**
 * The healthy world through a rough two hours: a scrape gap of 4 minutes in every series at 80m (Prometheus
 * restarted, say); the frontends restart at 60m (one stale scrape, then every request counter, errors included,
 * starts again from 0); the database's write counter restarts at 100m; the gauges read NaN for a few scrapes and
 * the lag gauge misses two. `errorsPerSecond` 5xx a second on the download route, all along.
 */
function roughWorld(errorsPerSecond: number): InputSeries[] {
  const all = healthyWorld(MINUTES);
  all.set(key.requests('download', '500'), counter(hold(errorsPerSecond, MINUTES)));
  for (const [name, samples] of all) {
    all.set(name, withGap(samples, 80, 4));
  }
  all.set(key.writes(), withGap(withReset(counter(hold(50, MINUTES)), 100), 80, 4));
  all.set(key.lag(REPLICA), withGap(withGap(hold(0.5, MINUTES), 80, 4), 105, 2));
  const nan = (name: string, from: number, n: number) =>
    all.set(
      name,
      all.get(name)!.map((v, i) => (i >= from && i < from + n && v !== null ? NaN : v))
    );
  nan(key.backlog(), 30, 3);
  nan(key.utilization(PRIMARY, 'primary'), 40, 2);
  nan(key.lag(REPLICA), 45, 2);
  nan(key.healthy(), 50, 2);
  const restarted = new Set(ROUTES.flatMap((route) => [key.requests(route), key.requests(route, '500')]));
  return [...all].map(([name, samples]) =>
    restarted.has(name) ? withStale(name, withReset(samples, 60), 60) : series(name, samples)
  );
}

/** Times around every disturbance: right after the restart, the gap, the write counter's reset, the lag gap. */
const AROUND = [
  '20m',
  '32m',
  '41m',
  '46m',
  '51m',
  '61m',
  '62m',
  '63m',
  '64m',
  '65m',
  '70m',
  '84m',
  '86m',
  '90m',
  '101m',
  '103m',
  '107m',
  '119m',
];

describe('counter resets, staleness markers, scrape gaps and NaN samples', () => {
  it(
    'fire nothing on a healthy service, and do not silence an error-budget burn that is really happening',
    async () => {
      const cases: UnitCase[] = [
        {
          // 0.01 errors a second: 0.04 % of the traffic, under every burn threshold of a 99.9 % SLO.
          name: 'a healthy service: resets at 60m and 100m, stale at 60m, gaps at 80m and 105m, NaN from 30m',
          series: roughWorld(0.01),
          expect: AROUND.map((at) => ({ at, nothingFires: true })),
        },
        {
          // Positive control: 1 error a second of 27 (3.7 %, a 37x burn) across the same disturbances. rate()
          // carries the burn through the restart; a function that took the reset for a fall in traffic would not.
          name: 'the same, burning 37x its error budget all along',
          series: roughWorld(1),
          expect: AROUND.map((at) => ({
            at,
            firing: [{ alert: 'CascadeErrorBudgetBurnFast' as const, labels: { service: SERVICE } }],
          })),
        },
      ];
      assertPassed(await runUnitCases({ cases }));
    },
    TIMEOUT
  );
});

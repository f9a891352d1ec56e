/**
 * Traffic alerts around their thresholds. The seasonal band is supplied as input series here
 * (its computation has its own tests in baseline.test.ts), so these run over two hours.
 */
import { SIGNALS } from '../../contract/signals';
import { loadConfig } from '../../config/load';
import { counter, hold, ramp, series, withReset, type Sample } from '../testing/series';
import { seriesLiteral } from '../testing/testfile';
import { assertPassed, runUnitCases, type UnitCase } from '../testing/unit';
import { key, ROUTE_RATES, SERVICE, world, type Route } from '../testing/world';
import { SERIES } from './series';

const MINUTES = 120;
const TIMEOUT = 120_000;
const registry = { service: SERVICE };

/** A route's rate `before` req/s until minute `at`, then `after` (the other routes stay as they are). */
function rateStep(before: number, after: number, at = 60) {
  return rateSlide(before, after, 0, at);
}

/** A route's rate `before` req/s until minute `at`, then sliding linearly to `after` over `minutes`, then held. */
function rateSlide(before: number, after: number, minutes: number, at = 60) {
  return counter([
    ...hold(before, at + 1),
    ...ramp(before, after, minutes + 1).slice(1),
    ...hold(after, MINUTES - at - minutes - 1),
  ]);
}

/** The same change on every route of the healthy world, each from its own rate (ROUTE_RATES). */
function everyRoute(change: (rate: number) => Sample[]): Record<string, Sample[]> {
  return Object.fromEntries(
    Object.entries(ROUTE_RATES).map(([route, rate]) => [key.requests(route as Route), change(rate)])
  );
}

/** A constant seasonal band for a service, as the seasonal group would record it. */
function band(service: string, baseline: number, upper: number, lower: number) {
  return [
    series(seriesLiteral(SERIES.baseline, { service }), hold(baseline, MINUTES)),
    series(seriesLiteral(SERIES.baselineUpper, { service }), hold(upper, MINUTES)),
    series(seriesLiteral(SERIES.baselineLower, { service }), hold(lower, MINUTES)),
  ];
}

// The healthy world serves 26 req/s in total (download 20, api 5, upload 1).
const TOTAL = ROUTE_RATES.download + ROUTE_RATES.api + ROUTE_RATES.upload;

/** A fourth route, for cases about a route's size. */
const searchKey = seriesLiteral(SIGNALS.traffic.name, { service: SERVICE, route: 'search', code: '200' });

/** Each route's usual rate (its share of the baseline), as the seasonal group would record it. */
function routeBaselines(service: string, rates: Record<string, number>) {
  return Object.entries(rates).map(([route, rate]) =>
    series(seriesLiteral(SERIES.routeBaseline, { service, route }), hold(rate, MINUTES))
  );
}

describe('CascadeTrafficSurge', () => {
  it(
    'fires when the rate doubles within minutes, not on a modest rise or a quiet service',
    async () => {
      const cases: UnitCase[] = [
        {
          name: 'rate x2.2: fires after the surge, resolves once the new level is the norm',
          series: world(MINUTES, { [key.requests('download')]: rateStep(20, 50) }),
          expect: [
            { at: '61m', silent: ['CascadeTrafficSurge'] },
            { at: '67m', firing: [{ alert: 'CascadeTrafficSurge', labels: registry }] },
            { at: '105m', silent: ['CascadeTrafficSurge'] },
          ],
          annotations: [
            {
              at: '66m',
              alert: 'CascadeTrafficSurge',
              labels: registry,
              annotations: {
                summary: 'Traffic is rising much faster than usual.',
                description:
                  "registry's request rate, or one of its routes', is 2.1x its average of the previous 30m " +
                  '(the service: 2.1x, now 56 req/s; its fastest-rising route: 2.5x; client networks 1.0x). ' +
                  'A surge this steep creates write work faster than it drains: watch the backlog.',
                runbook_url:
                  'https://github.com/cascade-watch/cascade-watch/blob/main/alerts/runbooks/CascadeTrafficSurge.md',
                dashboard_url: 'http://127.0.0.1:3000/d/cascade-overview/cascade-overview?var-service=registry',
              },
            },
          ],
        },
        {
          name: 'rate x1.4 from the usual clients: below the surge ratio',
          series: world(MINUTES, { [key.requests('download')]: rateStep(20, 30) }),
          expect: [
            { at: '66m', silent: ['CascadeTrafficSurge'] },
            { at: '75m', silent: ['CascadeTrafficSurge'] },
          ],
        },
        {
          name: 'rate x1.4 from five times as many client networks: a surge of a new shape',
          series: world(MINUTES, {
            [key.requests('download')]: rateStep(20, 30),
            [key.sources()]: [...hold(100, 61), ...hold(500, MINUTES - 61)],
          }),
          expect: [
            { at: '61m', silent: ['CascadeTrafficSurge'] },
            { at: '68m', firing: [{ alert: 'CascadeTrafficSurge', labels: registry }] },
          ],
        },
        {
          name: 'one route tripling (api 5 -> 15 req/s) while the sum rises 1.4x: the route surges',
          series: world(MINUTES, { [key.requests('api')]: rateStep(5, 15) }),
          expect: [
            { at: '61m', silent: ['CascadeTrafficSurge'] },
            { at: '66m', firing: [{ alert: 'CascadeTrafficSurge', labels: registry }] },
          ],
        },
        {
          name: 'a small route rising 1.6x (1.2 -> 1.9 req/s): its extra traffic is under 3 % of the service',
          series: [...world(MINUTES), series(searchKey, counter([...hold(1.2, 61), ...hold(1.9, MINUTES - 61)]))],
          expect: [{ at: '70m', silent: ['CascadeTrafficSurge'] }],
        },
        {
          // As in a generated world (a 6 % route surging 5.4x): 4 % of the service's traffic is extra already.
          name: 'a small route rising 1.7x (1.6 -> 2.7 req/s): its extra traffic is 4 % of the service',
          series: [...world(MINUTES), series(searchKey, counter([...hold(1.6, 61), ...hold(2.7, MINUTES - 61)]))],
          expect: [{ at: '70m', firing: [{ alert: 'CascadeTrafficSurge', labels: registry }] }],
        },
        {
          name: 'a quiet service quadrupling below the low-traffic floor',
          series: [
            ...world(MINUTES),
            series(key.requests('download', '302', 'mirror'), counter([...hold(0.2, 61), ...hold(0.8, MINUTES - 61)])),
          ],
          expect: [{ at: '70m', firing: [], silent: ['CascadeTrafficSurge'] }],
        },
      ];
      assertPassed(await runUnitCases({ cases }));
    },
    TIMEOUT
  );
});

describe('CascadeTrafficSurge against the usual level', () => {
  const registryBand = [...band(SERVICE, TOTAL, 32.5, 19.5), ...routeBaselines(SERVICE, ROUTE_RATES)];
  /** A route's counter: its usual rate, 40 minutes at `low` from minute 21, then `back` (its usual rate unless given). */
  const dropAndBack = (usual: number, low: number, back = usual) =>
    counter([...hold(usual, 21), ...hold(low, 40), ...hold(back, MINUTES - 61)]);

  it(
    'traffic coming back to its usual level after a drop is no surge; the same climb above it is',
    async () => {
      const cases: UnitCase[] = [
        {
          name: 'the whole service back from 42 % to its baseline',
          series: [...world(MINUTES, { [key.requests('download')]: dropAndBack(20, 5) }), ...registryBand],
          expect: [{ at: '66m', silent: ['CascadeTrafficSurge'] }],
        },
        {
          name: 'one route back from 20 % to its usual rate',
          series: [...world(MINUTES, { [key.requests('api')]: dropAndBack(5, 1) }), ...registryBand],
          expect: [{ at: '66m', silent: ['CascadeTrafficSurge'] }],
        },
        {
          // As in generated drop worlds: the traffic comes back a little above its baseline, still inside the band.
          name: 'the whole service back from 42 % to 1.15x its baseline',
          series: [...world(MINUTES, { [key.requests('download')]: dropAndBack(20, 5, 23.9) }), ...registryBand],
          expect: [{ at: '70m', silent: ['CascadeTrafficSurge'] }],
        },
        {
          name: 'one route back from 20 % to 1.15x its usual rate',
          series: [...world(MINUTES, { [key.requests('api')]: dropAndBack(5, 1, 5.75) }), ...registryBand],
          expect: [{ at: '70m', silent: ['CascadeTrafficSurge'] }],
        },
        {
          name: 'the same climb from the usual level to twice it',
          series: [...world(MINUTES, { [key.requests('download')]: rateStep(20, 50) }), ...registryBand],
          expect: [{ at: '66m', firing: [{ alert: 'CascadeTrafficSurge', labels: registry }] }],
        },
      ];
      assertPassed(await runUnitCases({ cases, withoutGroups: ['traffic-seasonal'] }));
    },
    TIMEOUT
  );
});

describe('CascadeTrafficAnomalyHigh and CascadeTrafficAnomalyLow', () => {
  // Baseline 26 req/s with a band of ±6.5 (the minimum band width, 25 %).
  const registryBand = [...band(SERVICE, TOTAL, 32.5, 19.5), ...routeBaselines(SERVICE, ROUTE_RATES)];

  it(
    'fire outside the band after their `for`, not inside it or without a baseline',
    async () => {
      const cases: UnitCase[] = [
        {
          name: 'above the upper band for 5 minutes',
          series: [...world(MINUTES, { [key.requests('download')]: rateStep(20, 40) }), ...registryBand],
          expect: [
            { at: '61m', silent: ['CascadeTrafficAnomalyHigh'] },
            {
              at: '70m',
              firing: [{ alert: 'CascadeTrafficAnomalyHigh', labels: registry }],
              silent: ['CascadeTrafficAnomalyLow'],
            },
          ],
          annotations: [
            {
              at: '70m',
              alert: 'CascadeTrafficAnomalyHigh',
              labels: registry,
              annotations: {
                summary: 'Traffic is above its seasonal baseline band.',
                description:
                  'registry serves 46 req/s, above the upper band of 32.5 req/s (baseline 26 req/s at this time in earlier weeks). ' +
                  "Check the traffic's shape and sources before the database feels it.",
                runbook_url:
                  'https://github.com/cascade-watch/cascade-watch/blob/main/alerts/runbooks/CascadeTrafficAnomalyHigh.md',
                dashboard_url: 'http://127.0.0.1:3000/d/cascade-overview/cascade-overview?var-service=registry',
              },
            },
          ],
        },
        {
          name: 'a rise that stays inside the band',
          series: [...world(MINUTES, { [key.requests('download')]: rateStep(20, 26) }), ...registryBand],
          expect: [{ at: '80m', silent: ['CascadeTrafficAnomalyHigh', 'CascadeTrafficAnomalyLow'] }],
        },
        {
          name: 'no baseline yet (less than a week of history): nothing to compare with',
          series: world(MINUTES, { [key.requests('download')]: rateStep(20, 80) }),
          expect: [{ at: '80m', silent: ['CascadeTrafficAnomalyHigh', 'CascadeTrafficAnomalyLow'] }],
        },
        {
          name: 'far above the band (3.3x the baseline, deep tier): within minutes',
          series: [...world(MINUTES, { [key.requests('download')]: rateStep(20, 80) }), ...registryBand],
          expect: [
            { at: '62m', silent: ['CascadeTrafficAnomalyHigh'] },
            { at: '66m', firing: [{ alert: 'CascadeTrafficAnomalyHigh', labels: registry }] },
          ],
        },
        {
          name: 'just below the lower band (73 % of the baseline): after 15 minutes',
          series: [...world(MINUTES, { [key.requests('download')]: rateStep(20, 13) }), ...registryBand],
          expect: [
            { at: '75m', silent: ['CascadeTrafficAnomalyLow'] },
            {
              at: '82m',
              firing: [{ alert: 'CascadeTrafficAnomalyLow', labels: registry }],
              silent: ['CascadeTrafficAnomalyHigh'],
            },
          ],
        },
        {
          // Fires a minute after the five-minute rate passes 0.65x the baseline (with two minutes' patience: 65m).
          name: 'far below it (42 % of the baseline, deep tier): within minutes',
          series: [...world(MINUTES, { [key.requests('download')]: rateStep(20, 5) }), ...registryBand],
          expect: [
            { at: '62m', silent: ['CascadeTrafficAnomalyLow'] },
            { at: '64m', firing: [{ alert: 'CascadeTrafficAnomalyLow', labels: registry }] },
            {
              at: '69m',
              firing: [{ alert: 'CascadeTrafficAnomalyLow', labels: registry }],
              silent: ['CascadeTrafficAnomalyHigh'],
            },
          ],
          annotations: [
            {
              at: '69m',
              alert: 'CascadeTrafficAnomalyLow',
              labels: registry,
              annotations: {
                summary: 'Traffic is below its seasonal baseline band.',
                description:
                  'registry serves 11 req/s against a baseline of 26 req/s (lower band 19.5 req/s); its furthest-fallen ' +
                  'route is at 25% of its usual rate. Clients may be failing before they reach it, or a route is down.',
                runbook_url:
                  'https://github.com/cascade-watch/cascade-watch/blob/main/alerts/runbooks/CascadeTrafficAnomalyLow.md',
                dashboard_url: 'http://127.0.0.1:3000/d/cascade-overview/cascade-overview?var-service=registry',
              },
            },
          ],
        },
        {
          // A third below the baseline is deep (traffic.anomalyLow.deep.ratio 0.65): no 15 minutes' patience. Every
          // route falls alike, so no route is further down than the service (at 0.6 this waited 15 minutes).
          name: 'every route down to 62 % of its usual rate: the deep tier, within minutes',
          series: [
            ...world(
              MINUTES,
              everyRoute((rate) => rateStep(rate, 0.62 * rate))
            ),
            ...registryBand,
          ],
          expect: [
            { at: '63m', silent: ['CascadeTrafficAnomalyLow'] },
            { at: '67m', firing: [{ alert: 'CascadeTrafficAnomalyLow', labels: registry }] },
          ],
        },
        {
          // Falling tier: below 0.8x after falling in each of 7 minutes. The deep tier alone waits for 0.65x (75m).
          name: 'every route sliding to 40 % over 20 minutes: warned while the fall is still shallow',
          series: [
            ...world(
              MINUTES,
              everyRoute((rate) => rateSlide(rate, 0.4 * rate, 20))
            ),
            ...registryBand,
          ],
          expect: [
            { at: '66m', silent: ['CascadeTrafficAnomalyLow'] },
            { at: '71m', firing: [{ alert: 'CascadeTrafficAnomalyLow', labels: registry }] },
          ],
        },
        {
          name: 'one route (api) sliding to 20 % over 20 minutes while the sum stays inside the band',
          series: [...world(MINUTES, { [key.requests('api')]: rateSlide(5, 1, 20) }), ...registryBand],
          expect: [
            { at: '66m', silent: ['CascadeTrafficAnomalyLow'] },
            { at: '71m', firing: [{ alert: 'CascadeTrafficAnomalyLow', labels: registry }] },
          ],
        },
        {
          // The reset loses a minute of requests: the 5-minute rate dips to about 0.74x for 5 minutes while the
          // decline (0.7 % a minute) goes on through it. The dip's first minute takes a fifth off (maxPerMinute).
          name: 'an evening decline through a process restart: the reset is no fall in progress',
          series: [
            ...world(
              MINUTES,
              everyRoute((rate) => withReset(rateSlide(rate, 0.8 * rate, 30, 50), 62))
            ),
            ...registryBand,
          ],
          expect: [
            { at: '64m', silent: ['CascadeTrafficAnomalyLow'] },
            { at: '67m', silent: ['CascadeTrafficAnomalyLow'] },
            { at: '90m', silent: ['CascadeTrafficAnomalyLow'] },
          ],
        },
        {
          name: 'one route down to 20 % of its usual rate while the sum stays inside the band',
          series: [...world(MINUTES, { [key.requests('api')]: rateStep(5, 1) }), ...registryBand],
          expect: [
            { at: '62m', silent: ['CascadeTrafficAnomalyLow'] },
            { at: '70m', firing: [{ alert: 'CascadeTrafficAnomalyLow', labels: registry }] },
          ],
        },
        {
          name: 'a route at the low-traffic floor (upload, 1 req/s) stopping: too small to tell',
          series: [
            ...world(MINUTES, { [key.requests('upload')]: counter([...hold(1, 61), ...hold(0, MINUTES - 61)]) }),
            ...registryBand,
          ],
          expect: [{ at: '90m', silent: ['CascadeTrafficAnomalyLow'] }],
        },
        {
          name: 'a dip that stays inside the band',
          series: [...world(MINUTES, { [key.requests('download')]: rateStep(20, 16) }), ...registryBand],
          expect: [{ at: '90m', silent: ['CascadeTrafficAnomalyLow'] }],
        },
      ];
      assertPassed(await runUnitCases({ cases, withoutGroups: ['traffic-seasonal'] }));
    },
    TIMEOUT
  );

  it(
    'a service whose baseline is below the low-traffic floor never alerts on a drop',
    async () => {
      // Band width 0 so that only the floor can keep these quiet.
      const config = loadConfig();
      config.traffic.baseline.minBandAbsolute = 0;
      const quiet = (service: string, baseline: number) => [
        series(key.requests('download', '302', service), counter([...hold(baseline, 61), ...hold(0, MINUTES - 61)])),
        ...band(service, baseline, baseline * 1.25, baseline * 0.75),
      ];
      const cases: UnitCase[] = [
        {
          name: 'traffic stops: alerts above the floor (2 req/s), not below it (0.8 req/s)',
          series: [...world(MINUTES), ...quiet('busy', 2), ...quiet('quiet', 0.8)],
          expect: [
            {
              at: '90m',
              firing: [{ alert: 'CascadeTrafficAnomalyLow', labels: { service: 'busy' } }],
            },
          ],
        },
      ];
      assertPassed(await runUnitCases({ cases, config, withoutGroups: ['traffic-seasonal'] }));
    },
    TIMEOUT
  );
});

/**
 * The seasonal baseline and its band, computed by the pack's own recording rules over three weeks
 * and a half of hand-made traffic. Evaluated every 5 minutes, the interval of the seasonal group
 * in production, and only the traffic groups, which keeps three weeks of promtool steps cheap.
 */
import { counter, series } from '../testing/series';
import { assertPassed, runUnitCases } from '../testing/unit';
import { SERIES } from './series';
import { key } from '../testing/world';

const DAY = 1440;
const WEEK = 7 * DAY;
/** Evaluated at 12:00 on day 22: three full weeks of history plus a day for the level ratios. */
const AT = 22 * DAY + 12 * 60;
const MINUTES = AT + 1;
const TIMEOUT = 240_000;

/** A counter series for one service from its rate (req/s) at each minute. */
function service(name: string, rate: (minute: number) => number) {
  return series(key.requests('download', '302', name), counter(Array.from({ length: MINUTES }, (_, m) => rate(m))));
}

/** A counter series of another route of a service. */
function route(name: string, routeName: 'api' | 'upload', rate: (minute: number) => number) {
  return series(key.requests(routeName, '200', name), counter(Array.from({ length: MINUTES }, (_, m) => rate(m))));
}

/** Daily shape: 20 req/s, ramping to 60 between 10:00 and 14:00, back down by 18:00. */
function daily(minute: number): number {
  const m = minute % DAY;
  if (m < 600 || m >= 1080) {
    return 20;
  }
  return m < 840 ? 20 + (40 * (m - 600)) / 240 : 60 - (40 * (m - 840)) / 240;
}

/** `expr` is true (1) for the service at the evaluation time. */
function holds(expr: string, svc: string) {
  return { at: `${AT}m`, expr, samples: [{ labels: `{service="${svc}"}`, value: 1 }] };
}

const close = (series: string, svc: string, value: number, tolerance = 1e-6) =>
  holds(`abs(${series}{service="${svc}"} - ${value}) < bool ${tolerance}`, svc);

/** A route's usual rate, within a tolerance (read back per service). */
const routeClose = (svc: string, routeName: string, value: number, tolerance = 1e-6) =>
  holds(
    `sum by (service) (abs(${SERIES.routeBaseline}{service="${svc}", route="${routeName}"} - ${value}) < bool ${tolerance})`,
    svc
  );

describe('seasonal baseline', () => {
  it(
    'is the median of earlier weeks, growth-adjusted, robust to one odd week, centred in time; routes get their share',
    async () => {
      const result = await runUnitCases({
        evaluationInterval: '5m',
        withoutGroups: [
          'database',
          'instances',
          'stages',
          ...['traffic', 'deploy', 'backlog', 'replicas', 'instances', 'cascade', 'slo', 'meta'].map(
            (g) => `alerts.${g}`
          ),
        ],
        cases: [
          {
            name: 'four services over three weeks and a half',
            series: [
              // Steady: the band is the minimum width, 25 % either side.
              service('steady', () => 26),
              // Growing 10 % a week: each earlier week, scaled by its level ratio, predicts today's 13.31.
              service('growing', (m) => 10 * Math.pow(1.1, Math.min(3, Math.floor(m / WEEK)))),
              // Steady but for a two-hour spike at the same time of day, two weeks before.
              service('odd-week', (m) => (m >= WEEK + DAY + 11 * 60 && m < WEEK + DAY + 13 * 60 ? 100 : 26)),
              // The daily ramp: a centred window follows it without lag.
              service('ramp', daily),
              // Two routes, 30 and 10 req/s: api's usual rate is its quarter of the baseline, 40.
              service('split', () => 30),
              route('split', 'api', () => 10),
              // The same, api down to 2 req/s for the last half hour: its usual rate does not follow the drop.
              service('split-drop', () => 30),
              route('split-drop', 'api', (m) => (m >= AT - 30 ? 2 : 10)),
              // Api at 6x for three hours yesterday: its usual share (a median) does not follow it.
              service('split-surged', () => 30),
              route('split-surged', 'api', (m) => (m >= AT - DAY + 60 && m < AT - DAY + 240 ? 60 : 10)),
            ],
            expect: [],
            queries: [
              close(SERIES.baseline, 'steady', 26),
              close(SERIES.baselineUpper, 'steady', 32.5),
              close(SERIES.baselineLower, 'steady', 19.5),
              close(SERIES.baseline, 'growing', 13.31),
              close(SERIES.baseline, 'odd-week', 26),
              close(SERIES.baselineUpper, 'odd-week', 32.5),
              // Now (12:00, mid-ramp) the baseline matches the current rate to within 0.5 req/s
              // (a trailing 30-minute window would be 4 req/s behind).
              holds(`abs(${SERIES.baseline}{service="ramp"} - ${SERIES.requests}{service="ramp"}) < bool 0.5`, 'ramp'),
              routeClose('split', 'api', 10),
              routeClose('split', 'download', 30),
              routeClose('split-drop', 'api', 10),
              // Its share of the baseline stays a quarter (the baseline itself follows the day's mean level).
              holds(
                `sum by (service) (abs(${SERIES.routeBaseline}{service="split-surged", route="api"} / on (service) group_left ${SERIES.baseline} - 0.25) < bool 1e-9)`,
                'split-surged'
              ),
            ],
          },
        ],
      });
      assertPassed(result);
    },
    TIMEOUT
  );
});

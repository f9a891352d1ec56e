/** Deploy alerts: a route's rate (against the rest of its service's) or error ratio against its own just before the deploy. */
import { counter, hold } from '../testing/series';
import { assertPassed, runUnitCases, type UnitCase } from '../testing/unit';
import { key, SERVICE, world } from '../testing/world';
import { SERIES } from './series';

const MINUTES = 120;
const TIMEOUT = 120_000;
const download = { service: SERVICE, route: 'download' };

/** The release v1 runs until minute `at`, when v2 is deployed (promtool's clock: seconds since t=0). */
function deployAt(at: number) {
  return {
    [key.deploy(SERVICE, 'v1')]: [...hold(-86400, at), ...hold(null, MINUTES - at)],
    [key.deploy(SERVICE, 'v2')]: [...hold(null, at), ...hold(at * 60, MINUTES - at)],
  };
}

function rateStep(before: number, after: number, at: number) {
  return counter([...hold(before, at + 1), ...hold(after, MINUTES - at - 1)]);
}

describe('CascadeDeployTrafficAnomaly', () => {
  it(
    'fires for the route whose rate jumps right after a deploy, and only for it',
    async () => {
      const cases: UnitCase[] = [
        {
          name: 'deploy at 60m, download requests x3.5 from 61m (clients retrying)',
          series: world(MINUTES, { ...deployAt(60), [key.requests('download')]: rateStep(20, 70, 61) }),
          expect: [
            { at: '60m', silent: ['CascadeDeployTrafficAnomaly'] },
            // Only the download route: api and upload did not change.
            { at: '66m', firing: [{ alert: 'CascadeDeployTrafficAnomaly', labels: download }] },
            // The window closes 30 minutes after the deploy.
            { at: '95m', silent: ['CascadeDeployTrafficAnomaly'] },
          ],
          annotations: [
            {
              at: '70m',
              alert: 'CascadeDeployTrafficAnomaly',
              labels: download,
              annotations: {
                summary: 'Requests to a route jumped right after a deploy.',
                description:
                  'Route download of registry serves 70 req/s against 20 req/s before the deploy 10m 0s ago. ' +
                  'Clients retrying a broken release look like this: smoke-test the route and roll back if it fails.',
                runbook_url:
                  'https://github.com/cascade-watch/cascade-watch/blob/main/alerts/runbooks/CascadeDeployTrafficAnomaly.md',
                dashboard_url: 'http://127.0.0.1:3000/d/cascade-deploy-watch/deploy-watch?var-service=registry',
              },
            },
          ],
        },
        {
          name: 'the same jump without a deploy',
          series: world(MINUTES, { [key.requests('download')]: rateStep(20, 70, 61) }),
          expect: [{ at: '70m', silent: ['CascadeDeployTrafficAnomaly'] }],
        },
        {
          name: 'a jump 35 minutes after the deploy, outside its window',
          series: world(MINUTES, { ...deployAt(60), [key.requests('download')]: rateStep(20, 70, 95) }),
          expect: [{ at: '105m', silent: ['CascadeDeployTrafficAnomaly'] }],
        },
        {
          // A third of the clients failing and retrying: below the old fixed 1.5x, a jump against the rest.
          name: 'deploy at 60m, download x1.4 from 61m while api and upload stay flat',
          series: world(MINUTES, { ...deployAt(60), [key.requests('download')]: rateStep(20, 28, 61) }),
          expect: [
            { at: '60m', silent: ['CascadeDeployTrafficAnomaly'] },
            { at: '70m', firing: [{ alert: 'CascadeDeployTrafficAnomaly', labels: download }] },
          ],
        },
        {
          // A daily ramp or a surge on the whole service in the window: every route rose alike.
          name: 'deploy at 60m, every route x1.6 from 61m',
          series: world(MINUTES, {
            ...deployAt(60),
            [key.requests('download')]: rateStep(20, 32, 61),
            [key.requests('api')]: rateStep(5, 8, 61),
            [key.requests('upload')]: rateStep(1, 1.6, 61),
          }),
          expect: [{ at: '70m', silent: ['CascadeDeployTrafficAnomaly'] }],
        },
        {
          // No other route to compare with: the route's own rise decides.
          name: 'a service with download alone: deploy at 60m, download x1.4 from 61m',
          series: world(MINUTES, {
            ...deployAt(60),
            [key.requests('download')]: rateStep(20, 28, 61),
            [key.requests('api')]: null,
            [key.requests('api', '500')]: null,
            [key.requests('upload')]: null,
            [key.requests('upload', '500')]: null,
          }),
          expect: [{ at: '70m', firing: [{ alert: 'CascadeDeployTrafficAnomaly', labels: download }] }],
        },
        {
          // A route under 1 req/s: tripled, its extra requests (0.8 req/s) pass `trafficMinIncrease` (0.5 req/s).
          name: 'deploy at 60m, upload 0.4 -> 1.2 req/s from 61m',
          series: world(MINUTES, { ...deployAt(60), [key.requests('upload')]: rateStep(0.4, 1.2, 61) }),
          expect: [
            { at: '60m', silent: ['CascadeDeployTrafficAnomaly'] },
            { at: '67m', firing: [{ alert: 'CascadeDeployTrafficAnomaly', labels: { ...download, route: 'upload' } }] },
          ],
        },
        {
          // Five times a trickle is still a trickle: 0.4 req/s more stays under the minimum increase.
          name: 'deploy at 60m, upload 0.1 -> 0.5 req/s from 61m',
          series: world(MINUTES, { ...deployAt(60), [key.requests('upload')]: rateStep(0.1, 0.5, 61) }),
          expect: [{ at: '75m', silent: ['CascadeDeployTrafficAnomaly'] }],
        },
        {
          name: 'a deploy with a small rise (x1.2)',
          series: world(MINUTES, { ...deployAt(60), [key.requests('download')]: rateStep(20, 24, 61) }),
          expect: [{ at: '70m', silent: ['CascadeDeployTrafficAnomaly'] }],
        },
      ];
      assertPassed(await runUnitCases({ cases }));
    },
    TIMEOUT
  );
});

describe('CascadeDeployErrorRatio', () => {
  it(
    "fires when a route's errors rise well above their pre-deploy ratio, not on a small rise",
    async () => {
      const cases: UnitCase[] = [
        {
          name: 'deploy at 60m, 20 % of downloads fail from 61m',
          series: world(MINUTES, { ...deployAt(60), [key.requests('download', '500')]: rateStep(0, 5, 61) }),
          expect: [
            { at: '60m', silent: ['CascadeDeployErrorRatio'] },
            { at: '68m', firing: [{ alert: 'CascadeDeployErrorRatio', labels: download }] },
          ],
          annotations: [
            {
              at: '70m',
              alert: 'CascadeDeployErrorRatio',
              labels: download,
              annotations: {
                summary: 'A route fails more often since the last deploy.',
                description:
                  'Route download of registry fails 20% of requests against 0% before the deploy 10m 0s ago. ' +
                  'Roll back first, investigate after.',
                runbook_url:
                  'https://github.com/cascade-watch/cascade-watch/blob/main/alerts/runbooks/CascadeDeployErrorRatio.md',
                dashboard_url: 'http://127.0.0.1:3000/d/cascade-deploy-watch/deploy-watch?var-service=registry',
              },
            },
          ],
        },
        {
          name: 'deploy at 60m, 1 % of downloads fail: below the minimum increase',
          series: world(MINUTES, { ...deployAt(60), [key.requests('download', '500')]: rateStep(0, 0.2, 61) }),
          expect: [{ at: '75m', silent: ['CascadeDeployErrorRatio'] }],
        },
        {
          name: 'errors that were already there before the deploy (5 % both before and after)',
          series: world(MINUTES, {
            ...deployAt(60),
            [key.requests('download', '500')]: counter(hold(1, MINUTES)),
          }),
          expect: [{ at: '75m', silent: ['CascadeDeployErrorRatio'] }],
        },
      ];
      assertPassed(await runUnitCases({ cases }));
    },
    TIMEOUT
  );
});

describe('pre-deploy latch', () => {
  it(
    'holds the rate from before the deploy through the window, then follows the route again',
    async () => {
      const predeploy = (at: string, value: number) => ({
        at,
        expr: `${SERIES.predeployRate}{route="download"}`,
        samples: [{ labels: `${SERIES.predeployRate}{route="download", service="registry"}`, value }],
      });
      const cases: UnitCase[] = [
        {
          name: 'deploy at 60m, download x3.5 from 61m',
          series: world(MINUTES, { ...deployAt(60), [key.requests('download')]: rateStep(20, 70, 61) }),
          expect: [],
          queries: [predeploy('59m', 20), predeploy('85m', 20), predeploy('115m', 70)],
        },
      ];
      assertPassed(await runUnitCases({ cases }));
    },
    TIMEOUT
  );
});

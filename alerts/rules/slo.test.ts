/** Error-budget burn: the SRE workbook's multi-window, multi-burn-rate tiers for a 99.9 % SLO. */
import { counter, hold, series } from '../testing/series';
import { assertPassed, runUnitCases, type UnitCase } from '../testing/unit';
import { key, SERVICE, world } from '../testing/world';

const TIMEOUT = 180_000;
const registry = { service: SERVICE };

/**
 * The world's 26 req/s with `ratio` of them failing: downloads keep 20 req/s in total, a share
 * of them now 500s.
 */
function failing(ratio: number, minutes: number) {
  const errors = 26 * ratio;
  return {
    [key.requests('download')]: counter(hold(20 - errors, minutes)),
    [key.requests('download', '500')]: counter(hold(errors, minutes)),
  };
}

describe('CascadeErrorBudgetBurnFast and CascadeErrorBudgetBurnSlow', () => {
  it(
    'fast: 2 % errors burn the budget 20x and page; 0.5 % does not',
    async () => {
      const cases: UnitCase[] = [
        {
          name: '2 % of requests fail',
          series: world(90, failing(0.02, 90)),
          expect: [{ at: '20m', firing: [{ alert: 'CascadeErrorBudgetBurnFast', labels: registry }] }],
          annotations: [
            {
              at: '30m',
              alert: 'CascadeErrorBudgetBurnFast',
              labels: registry,
              annotations: {
                summary: 'The error budget is burning fast.',
                description:
                  'registry is spending its error budget 20.0x as fast as a 99.9% SLO allows (errors: 2% over 5m, 2% over 1h). ' +
                  "At this pace a month's budget lasts days.",
                runbook_url:
                  'https://github.com/cascade-watch/cascade-watch/blob/main/alerts/runbooks/CascadeErrorBudgetBurnFast.md',
                dashboard_url: 'http://127.0.0.1:3000/d/cascade-overview/cascade-overview?var-service=registry',
              },
            },
          ],
        },
        {
          name: '0.5 % of requests fail (5x): not fast',
          series: world(90, failing(0.005, 90)),
          expect: [{ at: '85m', silent: ['CascadeErrorBudgetBurnFast'] }],
        },
      ];
      assertPassed(await runUnitCases({ cases }));
    },
    TIMEOUT
  );

  it(
    'slow: 0.5 % errors (5x) warn; 0.08 % (within budget) does not; a quiet service never does',
    async () => {
      const quiet = 'mirror';
      const cases: UnitCase[] = [
        {
          name: '0.5 % of requests fail for three hours',
          series: world(180, failing(0.005, 180)),
          expect: [
            {
              at: '170m',
              firing: [{ alert: 'CascadeErrorBudgetBurnSlow', labels: registry }],
              silent: ['CascadeErrorBudgetBurnFast'],
            },
          ],
        },
        {
          name: '0.08 % of requests fail: within the budget',
          series: world(180, failing(0.0008, 180)),
          expect: [{ at: '170m', silent: ['CascadeErrorBudgetBurnSlow', 'CascadeErrorBudgetBurnFast'] }],
        },
        {
          name: 'half of a quiet service requests fail (0.5 req/s, below the low-traffic floor)',
          series: [
            ...world(180),
            series(key.requests('download', '302', quiet), counter(hold(0.25, 180))),
            series(key.requests('download', '500', quiet), counter(hold(0.25, 180))),
          ],
          expect: [{ at: '170m', silent: ['CascadeErrorBudgetBurnSlow', 'CascadeErrorBudgetBurnFast'] }],
        },
      ];
      assertPassed(await runUnitCases({ cases }));
    },
    TIMEOUT
  );
});

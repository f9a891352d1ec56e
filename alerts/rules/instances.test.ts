/** Instance alerts: healthy against desired, the zero case, and churn outside deploys and scaling. */
import { hold, type Sample } from '../testing/series';
import { assertPassed, runUnitCases, type UnitCase } from '../testing/unit';
import { key, SERVICE, world } from '../testing/world';

const MINUTES = 120;
const TIMEOUT = 120_000;
const registry = { service: SERVICE };

/** `before` until minute `at`, then `after`. */
function step(before: number, after: number, at = 60): Sample[] {
  return [...hold(before, at), ...hold(after, MINUTES - at)];
}

/** Healthy count from minute 60: 10, 9, 10, 8, 10, 9, ... (instances failing checks and coming back). */
function cycling(from = 60): Sample[] {
  const pattern = [10, 9, 10, 8];
  return Array.from({ length: MINUTES }, (_, i) => (i < from ? 10 : pattern[(i - from) % pattern.length]));
}

describe('healthy instances', () => {
  it(
    'warn below 75 %, page below 50 % and at zero',
    async () => {
      const cases: UnitCase[] = [
        {
          name: '7 of 10 healthy from 60m',
          series: world(MINUTES, { [key.healthy()]: step(10, 7) }),
          expect: [
            { at: '65m', silent: ['CascadeHealthyInstancesLow'] },
            {
              at: '72m',
              firing: [{ alert: 'CascadeHealthyInstancesLow', labels: registry }],
              silent: ['CascadeHealthyInstancesCritical', 'CascadeNoHealthyInstances'],
            },
          ],
          annotations: [
            {
              at: '72m',
              alert: 'CascadeHealthyInstancesLow',
              labels: registry,
              annotations: {
                summary: 'Fewer healthy instances than desired.',
                description:
                  'registry has 7 healthy of 10 desired instances (70%). The rest serve their share of traffic: ' +
                  'add instances ahead of demand and find why they fail health checks.',
                runbook_url:
                  'https://github.com/cascade-watch/cascade-watch/blob/main/alerts/runbooks/CascadeHealthyInstancesLow.md',
                dashboard_url: 'http://127.0.0.1:3000/d/cascade-overview/cascade-overview?var-service=registry',
              },
            },
          ],
        },
        {
          name: '8 of 10 healthy: above the warning ratio',
          series: world(MINUTES, { [key.healthy()]: step(10, 8) }),
          expect: [{ at: '90m', silent: ['CascadeHealthyInstancesLow'] }],
        },
        {
          name: '4 of 10 healthy from 60m',
          series: world(MINUTES, { [key.healthy()]: step(10, 4) }),
          expect: [
            { at: '61m', silent: ['CascadeHealthyInstancesCritical'] },
            { at: '64m', firing: [{ alert: 'CascadeHealthyInstancesCritical', labels: registry }] },
            {
              at: '75m',
              firing: [
                { alert: 'CascadeHealthyInstancesCritical', labels: registry },
                { alert: 'CascadeHealthyInstancesLow', labels: registry },
              ],
              silent: ['CascadeNoHealthyInstances'],
            },
          ],
        },
        {
          name: 'the last instance goes at 60m: paged within two minutes',
          series: world(MINUTES, { [key.healthy()]: step(10, 0) }),
          expect: [
            { at: '59m', silent: ['CascadeNoHealthyInstances'] },
            { at: '61m', firing: [{ alert: 'CascadeNoHealthyInstances', labels: registry }] },
          ],
          annotations: [
            {
              at: '61m',
              alert: 'CascadeNoHealthyInstances',
              labels: registry,
              annotations: {
                summary: 'No healthy instance: the service is down.',
                description:
                  'registry has no healthy instance of 10 desired. Starting from zero may need a bootstrap path: follow the runbook.',
                runbook_url:
                  'https://github.com/cascade-watch/cascade-watch/blob/main/alerts/runbooks/CascadeNoHealthyInstances.md',
                dashboard_url: 'http://127.0.0.1:3000/d/cascade-overview/cascade-overview?var-service=registry',
              },
            },
          ],
        },
        {
          name: 'scaled to zero on purpose (none desired)',
          series: world(MINUTES, { [key.healthy()]: step(10, 0), [key.desired()]: step(10, 0) }),
          expect: [
            {
              at: '75m',
              silent: ['CascadeNoHealthyInstances', 'CascadeHealthyInstancesLow', 'CascadeHealthyInstancesCritical'],
            },
          ],
        },
      ];
      assertPassed(await runUnitCases({ cases }));
    },
    TIMEOUT
  );
});

describe('CascadeInstanceChurn', () => {
  it(
    'fires when instances keep failing and coming back, not during a deploy or a scaling change',
    async () => {
      const cases: UnitCase[] = [
        {
          name: 'healthy count cycling from 60m',
          series: world(MINUTES, { [key.healthy()]: cycling() }),
          expect: [
            { at: '62m', silent: ['CascadeInstanceChurn'] },
            {
              at: '75m',
              firing: [{ alert: 'CascadeInstanceChurn', labels: registry }],
              silent: ['CascadeHealthyInstancesLow'],
            },
          ],
        },
        {
          name: 'the same cycling during a rolling deploy at 60m',
          series: world(MINUTES, {
            [key.healthy()]: cycling(),
            [key.deploy(SERVICE, 'v1')]: [...hold(-86400, 60), ...hold(null, MINUTES - 60)],
            [key.deploy(SERVICE, 'v2')]: [...hold(null, 60), ...hold(3600, MINUTES - 60)],
          }),
          expect: [{ at: '70m', silent: ['CascadeInstanceChurn'] }],
        },
        {
          name: 'a planned scale-down from 12 to 8, healthy following one a minute',
          series: world(MINUTES, {
            [key.desired()]: step(12, 8),
            [key.healthy()]: [...hold(12, 60), 11, 10, 9, ...hold(8, MINUTES - 63)],
          }),
          expect: [
            { at: '70m', silent: ['CascadeInstanceChurn', 'CascadeHealthyInstancesLow'] },
            { at: '100m', silent: ['CascadeInstanceChurn', 'CascadeHealthyInstancesLow'] },
          ],
        },
      ];
      assertPassed(await runUnitCases({ cases }));
    },
    TIMEOUT
  );
});

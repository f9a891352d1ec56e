/** Topology: which cluster each service writes to, and the database alerts it routes. */
import { loadConfig } from '../../config/load';
import { SIGNALS } from '../../contract/signals';
import { hold, series, trend } from '../testing/series';
import { evaluationErrors, seriesLiteral } from '../testing/testfile';
import { assertPassed, runUnitCases, type UnitCase } from '../testing/unit';
import { CLUSTER, key, SERVICE, world } from '../testing/world';

const MINUTES = 120;
const TIMEOUT = 120_000;
const info = 'cascade:service_cluster:info';

/** The backlog growing by 1000 units a minute from 60m (the world applies 50 units/s). */
const growing = trend(10, 60, 1000, MINUTES);

/** A second cluster, `other`, healthy, and a second service, `search`. */
function secondClusterAndService() {
  return [
    series(seriesLiteral(SIGNALS.writeBacklog.name, { cluster: 'other' }), hold(10, MINUTES)),
    series(seriesLiteral(SIGNALS.writesApplied.name, { cluster: 'other' }), hold(0, MINUTES)),
    series(key.healthy('search'), hold(3, MINUTES)),
    series(key.desired('search'), hold(3, MINUTES)),
  ];
}

describe('topology', () => {
  it(
    'with none configured: every service on the one cluster; with several clusters, nothing inferred and no error',
    async () => {
      const cases: UnitCase[] = [
        {
          name: 'one cluster, two services: both write to it, and both get the backlog alert',
          series: [...world(MINUTES, { [key.backlog()]: growing }), ...secondClusterAndService().slice(2)],
          expect: [
            {
              at: '90m',
              firing: [
                { alert: 'CascadeWriteBacklogGrowing', labels: { service: SERVICE, cluster: CLUSTER } },
                { alert: 'CascadeWriteBacklogGrowing', labels: { service: 'search', cluster: CLUSTER } },
              ],
            },
          ],
          queries: [
            {
              at: '90m',
              expr: info,
              samples: [
                { labels: `${info}{cluster="main", service="registry"}`, value: 1 },
                { labels: `${info}{cluster="main", service="search"}`, value: 1 },
              ],
            },
          ],
        },
        {
          name: 'two clusters: no pairs, and the backlog alert keeps its cluster alone',
          series: [...world(MINUTES, { [key.backlog()]: growing }), ...secondClusterAndService()],
          expect: [{ at: '90m', firing: [{ alert: 'CascadeWriteBacklogGrowing', labels: { cluster: CLUSTER } }] }],
          queries: [{ at: '90m', expr: info, samples: [] }],
        },
      ];
      const result = await runUnitCases({ cases });
      assertPassed(result);
      // Several clusters are no many-to-many error: the pairs are left out, not failed on.
      expect(evaluationErrors(result.output)).toEqual([]);
    },
    TIMEOUT
  );

  it(
    'from a static list and from an info metric the user has, combined',
    async () => {
      const config = loadConfig();
      config.topology.services = [{ service: SERVICE, cluster: CLUSTER }];
      config.topology.metric = {
        metric: 'service_database_info',
        matchers: 'env="prod"',
        labels: { service: 'app', cluster: 'db_cluster' },
      };
      const cases: UnitCase[] = [
        {
          name: 'registry listed, search from the info metric, both on main; a dev series ignored',
          series: [
            ...world(MINUTES, { [key.backlog()]: growing }),
            ...secondClusterAndService(),
            series('service_database_info{app="search", db_cluster="main", env="prod"}', hold(1, MINUTES)),
            series('service_database_info{app="search", db_cluster="other", env="dev"}', hold(1, MINUTES)),
          ],
          expect: [
            {
              at: '90m',
              firing: [
                { alert: 'CascadeWriteBacklogGrowing', labels: { service: SERVICE, cluster: CLUSTER } },
                { alert: 'CascadeWriteBacklogGrowing', labels: { service: 'search', cluster: CLUSTER } },
              ],
            },
          ],
          queries: [
            {
              at: '90m',
              expr: info,
              samples: [
                { labels: `${info}{cluster="main", service="registry"}`, value: 1 },
                { labels: `${info}{cluster="main", service="search"}`, value: 1 },
              ],
            },
          ],
        },
      ];
      assertPassed(await runUnitCases({ config, cases }));
    },
    TIMEOUT
  );
});

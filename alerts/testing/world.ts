/**
 * A small healthy world for unit tests: every input series of the contract, steady, for one
 * service (`registry`, three routes) and one database cluster (`main`). Tests replace the
 * series their alert is about; everything else stays quiet.
 */
import { SIGNALS } from '../../contract/signals';
import { seriesLiteral } from './testfile';
import { counter, hold, series, type InputSeries, type Sample } from './series';

export const SERVICE = 'registry';
export const CLUSTER = 'main';

/** Requests per second of each route in the healthy world. */
export const ROUTE_RATES = { download: 20, api: 5, upload: 1 } as const;
export const SUCCESS_CODES = { download: '302', api: '200', upload: '201' } as const;
export type Route = keyof typeof ROUTE_RATES;

const S = SIGNALS;

export const key = {
  requests: (route: Route, code: string = SUCCESS_CODES[route], service = SERVICE) =>
    seriesLiteral(S.traffic.name, { service, route, code }),
  sources: (service = SERVICE) => seriesLiteral(S.trafficSources.name, { service }),
  backlog: () => seriesLiteral(S.writeBacklog.name, { cluster: CLUSTER }),
  writes: () => seriesLiteral(S.writesApplied.name, { cluster: CLUSTER }),
  utilization: (instance: string, role: 'primary' | 'replica') =>
    seriesLiteral(S.dbUtilization.name, { cluster: CLUSTER, instance, role }),
  lag: (instance: string) => seriesLiteral(S.replicaLag.name, { cluster: CLUSTER, instance }),
  healthy: (service = SERVICE) => seriesLiteral(S.healthyInstances.name, { service }),
  desired: (service = SERVICE) => seriesLiteral(S.desiredInstances.name, { service }),
  deploy: (service = SERVICE, version = 'v1') => seriesLiteral(S.lastDeploy.name, { service, version }),
};

export const PRIMARY = 'db-primary';
export const REPLICA = 'db-replica-1';

/** Every series of the healthy world, `minutes` samples each (one a minute from t=0). */
export function healthyWorld(minutes: number): Map<string, Sample[]> {
  const world = new Map<string, Sample[]>();
  for (const route of Object.keys(ROUTE_RATES) as Route[]) {
    world.set(key.requests(route), counter(hold(ROUTE_RATES[route], minutes)));
    world.set(key.requests(route, '500'), counter(hold(0, minutes)));
  }
  world.set(key.sources(), hold(100, minutes));
  world.set(key.backlog(), hold(10, minutes));
  world.set(key.writes(), counter(hold(50, minutes)));
  world.set(key.utilization(PRIMARY, 'primary'), hold(0.4, minutes));
  world.set(key.utilization(REPLICA, 'replica'), hold(0.3, minutes));
  world.set(key.lag(REPLICA), hold(0.5, minutes));
  world.set(key.healthy(), hold(10, minutes));
  world.set(key.desired(), hold(10, minutes));
  // Deployed a day before the test starts (promtool's clock starts at 0).
  world.set(key.deploy(), hold(-86400, minutes));
  return world;
}

/** The healthy world with some series replaced (null removes one). */
export function world(minutes: number, changes: Record<string, Sample[] | null> = {}): InputSeries[] {
  const all = healthyWorld(minutes);
  for (const [name, samples] of Object.entries(changes)) {
    if (samples === null) {
      all.delete(name);
    } else {
      all.set(name, samples);
    }
  }
  return [...all].map(([name, samples]) => series(name, samples));
}

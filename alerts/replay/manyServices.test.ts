/**
 * Many services in one Prometheus: the first report replayed for one service while two others have
 * an ordinary day, each on its own database cluster, with the topology configured. Every alert,
 * the page included, must name the incident's service alone, and the Alertmanager example (with a
 * team route per service) must route each of them to that service's team.
 *
 * The simulator speaks for one service (`registry`, cluster `main`); the three are its runs with
 * the service and cluster labels substituted here, on the same time axis.
 */
import fs from 'fs';
import path from 'path';
import YAML from 'yaml';

import { loadConfig } from '../../config/load';
import { loadScenario, simulate, type SimulationRun } from '../../simulator';
import { renderAlertmanagerExample, teamRoute } from '../render/alertmanager';
import { amtool } from '../testing/promtool';
import { workDir } from '../testing/testfile';
import { replay, type ReplayResult } from './replay';
import { REPLAYS, simulateForReplay } from './scenarios';

const TIMEOUT = 20 * 60_000;

/** The incident's service and the two ordinary ones, each with its own cluster. */
const INCIDENT = { service: 'packages', cluster: 'packages-db' };
const ORDINARY = [
  { service: 'search', cluster: 'search-db', seed: 11 },
  { service: 'accounts', cluster: 'accounts-db', seed: 23 },
];

/** A run's series as another service's: its service and cluster labels substituted. */
function asService(run: SimulationRun, owner: { service: string; cluster: string }): SimulationRun['series'] {
  return run.series.map((s) => ({
    ...s,
    labels: {
      ...s.labels,
      ...('service' in s.labels ? { service: owner.service } : {}),
      ...('cluster' in s.labels ? { cluster: owner.cluster } : {}),
    },
  }));
}

describe('many services in one Prometheus', () => {
  let result: ReplayResult;
  const config = loadConfig();
  config.topology.services = [INCIDENT, ...ORDINARY].map(({ service, cluster }) => ({ service, cluster }));

  beforeAll(async () => {
    const incident = simulateForReplay(
      REPLAYS.find((r) => r.scenario === 'cloudsmith-2020-02-04')!,
      config
    );
    const ordinary = loadScenario('normal-week');
    const { from, to, stepSeconds } = incident.run;
    const series = [
      ...asService(incident.run, INCIDENT),
      ...ORDINARY.flatMap((o) =>
        // An ordinary week's traffic and database, on the incident's time axis, each with its own random draws.
        asService(simulate(ordinary, { from, to, stepSeconds, seed: o.seed }), o).filter((s) =>
          incident.run.series.some((i) => i.name === s.name)
        )
      ),
    ];
    result = await replay({ name: 'many-services', run: { ...incident.run, series }, window: incident.window, config });
  }, TIMEOUT);

  it("raises the first report's alerts, CascadeInProgress included, for the incident's service alone", () => {
    const fired = result.alerts.filter((a) => !Number.isNaN(a.firstFiring));
    const names = new Set(fired.map((a) => a.alertname));
    for (const expected of [
      'CascadeTrafficSurge',
      'CascadeWriteBacklogGrowing',
      'CascadeInProgress',
      'CascadeDatabaseSaturated',
      'CascadeNoHealthyInstances',
    ]) {
      expect({ expected, fired: names.has(expected) }).toEqual({ expected, fired: true });
    }
    for (const a of fired) {
      // Every alert names the service; the database alerts its cluster too; nothing for the other two.
      const owner = { service: a.labels.service, cluster: a.labels.cluster ?? INCIDENT.cluster };
      expect({ alert: a.alertname, ...owner }).toEqual({ alert: a.alertname, ...INCIDENT });
    }
    const database = fired.filter((a) => a.stage === 'backlog' || a.stage === 'replicas');
    expect(database.length).toBeGreaterThan(0);
    for (const a of database) {
      expect({ alert: a.alertname, cluster: a.labels.cluster }).toEqual({
        alert: a.alertname,
        cluster: INCIDENT.cluster,
      });
    }
  });

  it('routes each alert to the team of its service through the Alertmanager example', async () => {
    const example = YAML.parse(renderAlertmanagerExample()) as {
      route: { routes: object[] };
      receivers: Array<{ name: string }>;
    };
    const owners = [INCIDENT, ...ORDINARY];
    // The example's commented team route, one per service, ahead of the severity routes.
    example.route.routes.unshift(...owners.map((o) => teamRoute(o.service, [o.service])));
    example.receivers.push(
      ...owners.flatMap((o) => [{ name: `team-${o.service}-tickets` }, { name: `team-${o.service}-pager` }])
    );
    const dir = workDir('many-services-am');
    const file = path.join(dir, 'alertmanager.yml');
    fs.writeFileSync(file, YAML.stringify(example));

    const routed = async (labels: Record<string, string>) => {
      const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
      const out = await amtool(['config', 'routes', 'test', `--config.file=${file}`, ...args]);
      expect(out.status).toBe(0);
      return out.stdout.trim();
    };
    const fired = result.alerts.filter((a) => !Number.isNaN(a.firstFiring));
    for (const a of fired) {
      const team = a.severity === 'critical' ? 'pager' : 'tickets';
      const labels = { alertname: a.alertname, severity: a.severity, stage: a.stage, ...a.labels };
      expect({ labels, receiver: await routed(labels) }).toEqual({
        labels,
        receiver: `team-${INCIDENT.service}-${team}`,
      });
    }
    // The same page for another service reaches that service's team, not the incident's.
    for (const o of ORDINARY) {
      const page = { alertname: 'CascadeInProgress', severity: 'critical', stage: 'cascade', service: o.service };
      expect(await routed(page)).toBe(`team-${o.service}-pager`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

/**
 * The whole pack for one configuration: rule groups in evaluation order. Rules that need a
 * disabled signal are left out (and the groups they leave empty).
 */
import type { CascadeConfig } from '../../config/schema';
import { hasSignals } from './build';
import { cascadeAlerts, stageRecording } from './cascade';
import { backlogAlerts, databaseRecording, databaseSeasonalRecording, replicaAlerts } from './database';
import { instanceAlerts, instanceRecording } from './instances';
import { metaAlerts } from './meta';
import { isAlert, type AlertRule, type Rule, type RuleGroup } from './model';
import { compressPack } from './timeScale';
import { deployAlerts, sloAlerts, trafficAlerts, trafficRecording, trafficSeasonalRecording } from './traffic';

export const GROUP_PREFIX = 'cascade-watch';

export function buildPack(config: CascadeConfig): RuleGroup[] {
  const enabled = <T extends Rule>(rules: T[]) => rules.filter((r) => hasSignals(config, r.needs));
  const fast = config.evaluationInterval;
  const group = (name: string, rules: Rule[], interval = fast): RuleGroup => ({
    name: `${GROUP_PREFIX}.${name}`,
    interval,
    rules,
  });

  const stageAlerts: Array<[string, AlertRule[]]> = [
    ['traffic', enabled(trafficAlerts(config))],
    ['deploy', enabled(deployAlerts(config))],
    ['backlog', enabled(backlogAlerts(config))],
    ['replicas', enabled(replicaAlerts(config))],
    ['instances', enabled(instanceAlerts(config))],
  ];
  const stages = enabled(
    stageRecording(
      config,
      stageAlerts.flatMap(([, alerts]) => alerts)
    )
  );

  const groups: RuleGroup[] = [
    group('traffic', enabled(trafficRecording(config))),
    // The slow group: weekly statistics of traffic and of the database's drain time.
    group(
      'traffic-seasonal',
      enabled([...trafficSeasonalRecording(config), ...databaseSeasonalRecording(config)]),
      config.slowEvaluationInterval
    ),
    group('database', enabled(databaseRecording(config))),
    group('instances', enabled(instanceRecording(config))),
    group('stages', stages),
    ...stageAlerts.map(([name, alerts]) => group(`alerts.${name}`, alerts)),
    group('alerts.cascade', enabled(cascadeAlerts(config, stages))),
    group('alerts.slo', enabled(sloAlerts(config))),
    group('alerts.meta', enabled(metaAlerts(config))),
  ];
  return compressPack(
    groups.filter((g) => g.rules.length > 0),
    config.timeScale
  );
}

export function packAlerts(groups: RuleGroup[]): AlertRule[] {
  return groups.flatMap((g) => g.rules.filter(isAlert));
}

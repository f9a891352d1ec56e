/** Instances: healthy against desired, churn; the instance alerts. */
import type { CascadeConfig } from '../../config/schema';
import { gauge, num, on, wallSeconds } from '../promql';
import { alert, record } from './build';
import type { AlertRule, RecordingRule } from './model';
import { SERIES as S } from './series';

export function instanceRecording(c: CascadeConfig): RecordingRule[] {
  return [
    record(S.healthy, gauge(c, c.signals.healthyInstances, 'sum', ['service']), {
      by: ['service'],
      help: 'Instances of each service passing health checks.',
      needs: ['healthyInstances'],
    }),
    record(S.desired, gauge(c, c.signals.desiredInstances, 'sum', ['service']), {
      by: ['service'],
      help: 'Instances of each service the orchestrator wants running.',
      needs: ['desiredInstances'],
    }),
    record(S.healthyRatio, `${S.healthy} / ${on(c, 'service')} (${S.desired} > 0)`, {
      by: ['service'],
      help: 'Healthy over desired instances of each service (0..1, absent when none are desired).',
      needs: ['healthyInstances', 'desiredInstances'],
    }),
  ];
}

const m = (series: string) => (matchers: string) => `${series}{${matchers}}`;

export function instanceAlerts(c: CascadeConfig): AlertRule[] {
  const i = c.instances;
  const service = on(c, 'service');
  const window = i.churnWindow;
  const context = { healthy: m(S.healthy), desired: m(S.desired) };
  const ratioDescription = (x: Parameters<AlertRule['description']>[0]) =>
    `${x.label('service')} has ${x.context('healthy', 'number')} healthy of ${x.context('desired', 'number')} desired instances (${x.value('percent')}).`;
  // Cycling during a deploy or a scaling change is expected: those windows are left out.
  const notDeploying = c.signals.lastDeploy.enabled
    ? [`unless ${service} ${S.deployAge} < ${num(wallSeconds(c, window))}`]
    : [];
  return [
    alert('CascadeHealthyInstancesLow', {
      expr: `${S.healthyRatio} < ${num(i.lowRatio)}`,
      for: i.lowFor,
      by: ['service'],
      needs: ['healthyInstances', 'desiredInstances'],
      summary: 'Fewer healthy instances than desired.',
      description: (x) =>
        `${ratioDescription(x)} The rest serve their share of traffic: add instances ahead of demand and find why they fail health checks.`,
      context,
    }),
    alert('CascadeHealthyInstancesCritical', {
      expr: `${S.healthyRatio} < ${num(i.criticalRatio)}`,
      for: i.criticalFor,
      by: ['service'],
      needs: ['healthyInstances', 'desiredInstances'],
      summary: 'Most instances are unhealthy.',
      description: (x) =>
        `${ratioDescription(x)} The survivors carry everything and will fail next: shed load now, keep the last instances alive.`,
      context,
    }),
    alert('CascadeNoHealthyInstances', {
      expr: `${S.healthy} == 0 and ${service} ${S.desired} > 0`,
      for: i.noneFor,
      by: ['service'],
      needs: ['healthyInstances', 'desiredInstances'],
      summary: 'No healthy instance: the service is down.',
      description: (x) =>
        `${x.label('service')} has no healthy instance of ${x.context('desired', 'number')} desired. ` +
        `Starting from zero may need a bootstrap path: follow the runbook.`,
      context: { desired: m(S.desired) },
    }),
    alert('CascadeInstanceChurn', {
      expr: [
        `resets(${S.healthy}[${window}]) >= ${i.churnDrops}`,
        `and ${service} (changes(${S.healthy}[${window}]) - resets(${S.healthy}[${window}])) >= ${i.churnDrops}`,
        `unless ${service} changes(${S.desired}[${window}]) > 0`,
        ...notDeploying,
      ].join('\n'),
      for: i.churnFor,
      by: ['service'],
      needs: ['healthyInstances', 'desiredInstances'],
      summary: 'Instances are cycling.',
      description: (x) =>
        `The healthy count of ${x.label('service')} dropped ${x.value('number')} times in ${window} and recovered as often, ` +
        `outside any deploy or scaling change: instances fail health checks and get replaced. Look at what they depend on.`,
    }),
  ];
}

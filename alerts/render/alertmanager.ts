/**
 * An example Alertmanager configuration: grouped by alert, service and cluster (every alert of the
 * pack carries `service`, so a team's route matches its services), routed by severity, and
 * inhibitions that keep a page from drowning in the warnings it supersedes.
 */
import type { AlertName } from '../catalogue';
import { generatedHeader, toYaml } from './yaml';

interface Inhibition {
  source: AlertName;
  targets: AlertName[];
  equal: string[];
  why: string;
}

/** Which alert silences which, for the same service (and cluster). */
export const INHIBITIONS: Inhibition[] = [
  {
    source: 'CascadeNoHealthyInstances',
    targets: ['CascadeHealthyInstancesCritical', 'CascadeHealthyInstancesLow', 'CascadeInstanceChurn'],
    equal: ['service'],
    why: 'with no healthy instance, "few healthy instances" and churn say nothing new',
  },
  {
    source: 'CascadeHealthyInstancesCritical',
    targets: ['CascadeHealthyInstancesLow'],
    equal: ['service'],
    why: 'the critical threshold supersedes the warning one',
  },
  {
    source: 'CascadeReplicaLagHigh',
    targets: ['CascadeReplicaLagGrowing'],
    equal: ['service', 'cluster'],
    why: 'a replica far behind is also falling behind',
  },
  {
    source: 'CascadeDatabaseSaturated',
    targets: ['CascadeDatabaseSaturationImminent', 'CascadeWriteBacklogElevated'],
    equal: ['service', 'cluster'],
    why: 'the saturation the forecast, or the backlog held without headroom, warned about has arrived',
  },
  {
    source: 'CascadeErrorBudgetBurnFast',
    targets: ['CascadeErrorBudgetBurnSlow'],
    equal: ['service'],
    why: 'the fast burn pages; the slow one would only repeat it',
  },
];

/**
 * A team's own route: its services' alerts go to its receivers, a page to its pager. Every alert
 * names its service (database alerts their cluster too, one alert per service writing to it), so
 * this goes first under `route.routes`, ahead of the severity routes.
 */
export function teamRoute(team: string, services: string[]) {
  return {
    matchers: [`service=~"${services.join('|')}"`],
    receiver: `team-${team}-tickets`,
    routes: [{ matchers: ['severity="critical"'], receiver: `team-${team}-pager` }],
  };
}

/** The example's commented team route (receivers named team-<team>-tickets / -pager). */
function teamRouteComment(): string[] {
  const yaml = toYaml([teamRoute('registry', ['registry', 'registry-api'])])
    .trimEnd()
    .split('\n');
  return [
    'Routing to the team that owns a service: add a route like this one first under route.routes, with',
    "receivers of those names (its services' alerts reach that team alone; the rest falls through):",
    ...yaml.map((line) => `    ${line}`),
  ];
}

export function renderAlertmanagerExample(): string {
  const config = {
    route: {
      receiver: 'cascade-tickets',
      group_by: ['alertname', 'service', 'cluster'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '4h',
      routes: [
        { matchers: ['severity="critical"'], receiver: 'cascade-pager', group_wait: '10s', repeat_interval: '1h' },
        { matchers: ['severity="warning"'], receiver: 'cascade-tickets', repeat_interval: '12h' },
        { matchers: ['severity="info"'], receiver: 'cascade-null' },
      ],
    },
    receivers: [
      // Replace the webhooks with your pager (PagerDuty, Opsgenie...) and your chat or ticket system.
      { name: 'cascade-pager', webhook_configs: [{ url: 'http://127.0.0.1:5001/pager', send_resolved: true }] },
      { name: 'cascade-tickets', webhook_configs: [{ url: 'http://127.0.0.1:5001/tickets', send_resolved: true }] },
      { name: 'cascade-null' },
    ],
    inhibit_rules: INHIBITIONS.map((i) => ({
      source_matchers: [`alertname="${i.source}"`],
      target_matchers: [`alertname=~"${i.targets.join('|')}"`],
      equal: i.equal,
    })),
  };
  const why = INHIBITIONS.map((i) => `  ${i.source} silences ${i.targets.join(', ')}: ${i.why}.`);
  return toYaml(config, [
    ...generatedHeader('Example Alertmanager configuration for the Cascade Watch pack.').slice(0, -1),
    'Critical alerts page, warnings open tickets or chat messages, info is not routed. Inhibitions:',
    ...why,
    '',
    ...teamRouteComment(),
    '',
  ]);
}

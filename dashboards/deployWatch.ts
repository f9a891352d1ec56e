import type { CascadeConfig } from '../config/schema';
import { RECORDED } from '../contract/signals';
import { dashboardScope, serviceSelector } from './cascadePanel';
import { Dashboard, stat, target, thresholds, timeseries } from './grafana';
import { alertFilter, alertList, dashboardLink, deployAnnotation, variables } from './overview';

/** Seconds in a duration the configuration validated (`30m`, `1h30m`). */
function durationSeconds(duration: string): number {
  const unit: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };
  return [...duration.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)].reduce((sum, [, n, u]) => sum + Number(n) * unit[u], 0);
}

/**
 * For the person promoting a release (the second report): per route, the window after the latest deploy
 * against the window before it. Retries against a broken release raise a route's rate even when every
 * response is a success, so "extra requests since the deploy" is the retry storm's size.
 *
 * The Grafana-managed deploy alerts show their state on panels 5 (request rate) and 7 (error ratio): keep
 * the order (alerts/render/annotations.ts, checked by alerts/render/grafana.test.ts).
 */
export function deployWatch(config: CascadeConfig): Dashboard {
  const svc = serviceSelector(dashboardScope(config));
  const { trafficRatio, errorRatioFactor } = config.deploy;
  return {
    uid: config.dashboards.deployWatch.uid,
    title: config.dashboards.deployWatch.title,
    description:
      'Per route: request rate and error ratio since the latest deploy against before it, the extra requests (retries), and the pack\u2019s deploy alerts.',
    tags: config.dashboards.tags,
    time: { from: 'now-1h', to: 'now' },
    refresh: config.dashboards.refresh.deployWatch,
    variables: variables(config, false),
    annotations: [deployAnnotation(config)],
    links: [dashboardLink(config, 'overview', 'The whole cascade for this service')],
    panels: [
      stat(
        'Since the latest deploy',
        'Time since the running release was deployed, and its version.',
        6,
        5,
        [target('A', `${RECORDED.deployAge}${svc}`, '{{service}}', true)],
        { unit: 's', decimals: 0, thresholds: thresholds('orange', [durationSeconds(config.deploy.window), 'green']) }
      ),
      stat(
        'Deployed at',
        'When the running release was deployed (the pack\u2019s recorded deploy time, from a deploy timestamp or a rollout\u2019s generation).',
        6,
        5,
        [target('A', `${RECORDED.deployTimestamp}${svc} * 1000`, '{{service}}', true)],
        { unit: 'dateTimeAsIso', thresholds: thresholds('blue') }
      ),
      stat(
        'Routes jumping since the deploy',
        `Routes whose rise since the deploy is more than ${trafficRatio}x the rest of the service\u2019s (CascadeDeployTrafficAnomaly\u2019s condition, before its minimum increase).`,
        6,
        5,
        [target('A', `count(${RECORDED.deployJumpByRoute}${svc} > ${trafficRatio}) or vector(0)`, 'routes', true)],
        { unit: 'none', decimals: 0, thresholds: thresholds('green', [1, 'red']) }
      ),
      stat(
        'Routes above their pre-deploy error ratio',
        `Routes whose error ratio is more than ${errorRatioFactor}x the ratio before the deploy (CascadeDeployErrorRatio\u2019s condition).`,
        6,
        5,
        [
          target(
            'A',
            `count(${RECORDED.errorRatioByRoute}${svc} > on (${joinLabels(config)}) ${RECORDED.predeployErrorRatioByRoute} * ${errorRatioFactor}) or vector(0)`,
            'routes',
            true
          ),
        ],
        { unit: 'none', decimals: 0, thresholds: thresholds('green', [1, 'red']) }
      ),
      timeseries(
        'Request rate by route, now and before the deploy',
        'Solid: each route\u2019s rate; dashed: its rate in the window before the latest deploy (latched for 30 minutes after it).',
        12,
        9,
        [
          target('A', `${RECORDED.requestRateByRoute}${svc}`, '{{route}}'),
          target('B', `${RECORDED.predeployRateByRoute}${svc}`, '{{route}} before deploy'),
        ],
        { unit: 'reqps', min: 0 },
        [
          {
            matcher: { id: 'byRegexp', options: '.* before deploy' },
            properties: [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [6, 4] } }],
          },
        ]
      ),
      timeseries(
        'Extra requests since the deploy (retries)',
        'Each route\u2019s rise over its pre-deploy rate beyond the rest of the service\u2019s (a daily ramp lifts every route alike and leaves this at 0): +260% is what cargo\u2019s retries against broken download URLs looked like in the second report.',
        12,
        9,
        [target('A', `${RECORDED.deployJumpByRoute}${svc} - 1`, '{{route}}')],
        {
          unit: 'percentunit',
          thresholds: thresholds('green', [trafficRatio - 1, 'red']),
          custom: { thresholdsStyle: { mode: 'dashed' } },
        }
      ),
      timeseries(
        'Error ratio by route, now and before the deploy',
        'Solid: each route\u2019s 5xx ratio; dashed: the ratio before the latest deploy.',
        12,
        9,
        [
          target('A', `${RECORDED.errorRatioByRoute}${svc}`, '{{route}}'),
          target('B', `${RECORDED.predeployErrorRatioByRoute}${svc}`, '{{route}} before deploy'),
        ],
        { unit: 'percentunit', min: 0 },
        [
          {
            matcher: { id: 'byRegexp', options: '.* before deploy' },
            properties: [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [6, 4] } }],
          },
        ]
      ),
      alertList('Deploy alerts', alertFilter(config, 'stage=deploy'), 9, 12),
    ],
  };
}

/** Labels that identify a route's series: the grouping labels, service and route. */
function joinLabels(config: CascadeConfig): string {
  return [...config.groupingLabels, 'service', 'route'].join(', ');
}

import { DEFAULT_CONFIG } from '../config/schema';
import { SIGNALS } from '../contract/signals';
import { Dashboard, datasourceVariable, labelVariable, stat, target, thresholds, timeseries } from './grafana';
import { alertList, DEPLOY_ANNOTATION, DEPLOY_WATCH_UID, OVERVIEW_UID } from './overview';

const svc = '{service="$service"}';

/**
 * For the person promoting a release (the second report): per route, the window after the latest deploy
 * against the window before it. Retries against a broken release raise a route's rate even when every
 * response is a success, so "extra requests since the deploy" is the retry storm's size.
 */
export const deployWatch: Dashboard = {
  uid: DEPLOY_WATCH_UID,
  title: 'Deploy watch',
  description:
    'Per route: request rate and error ratio since the latest deploy against before it, the extra requests (retries), and the pack\u2019s deploy alerts.',
  tags: ['cascade-watch'],
  time: { from: 'now-1h', to: 'now' },
  refresh: '10s',
  variables: [datasourceVariable(), labelVariable('service', 'Service', SIGNALS.traffic.name)],
  annotations: [DEPLOY_ANNOTATION],
  links: [
    {
      title: 'Cascade overview',
      type: 'link',
      url: `/d/${OVERVIEW_UID}/cascade-overview?\${__url_time_range}&\${service:queryparam}&\${datasource:queryparam}`,
      icon: 'dashboard',
      targetBlank: false,
      tooltip: 'The whole cascade for this service',
    },
  ],
  panels: [
    stat(
      'Since the latest deploy',
      'Time since the running release was deployed, and its version.',
      6,
      5,
      [target('A', `cascade:deploy:age_seconds${svc}`, '{{service}}', true)],
      { unit: 's', decimals: 0, thresholds: thresholds('orange', [1800, 'green']) }
    ),
    stat(
      'Running version',
      'The version label of the deploy-time series.',
      6,
      5,
      [target('A', `${SIGNALS.lastDeploy.name}${svc}`, '{{version}}', true)],
      { unit: 'dateTimeFromNow', thresholds: thresholds('blue') }
    ),
    stat(
      'Routes above their pre-deploy rate',
      `Routes whose rate is more than ${DEFAULT_CONFIG.deploy.trafficRatio}x the rate before the deploy (CascadeDeployTrafficAnomaly\u2019s condition).`,
      6,
      5,
      [
        target(
          'A',
          `count(cascade:http_requests_by_route:rate5m${svc} > on (service, route) cascade:http_requests_by_route:predeploy_rate5m * ${DEFAULT_CONFIG.deploy.trafficRatio}) or vector(0)`,
          'routes',
          true
        ),
      ],
      { unit: 'none', decimals: 0, thresholds: thresholds('green', [1, 'red']) }
    ),
    stat(
      'Routes above their pre-deploy error ratio',
      `Routes whose error ratio is more than ${DEFAULT_CONFIG.deploy.errorRatioFactor}x the ratio before the deploy (CascadeDeployErrorRatio\u2019s condition).`,
      6,
      5,
      [
        target(
          'A',
          `count(cascade:http_errors_by_route:ratio_rate5m${svc} > on (service, route) cascade:http_errors_by_route:predeploy_ratio_rate5m * ${DEFAULT_CONFIG.deploy.errorRatioFactor}) or vector(0)`,
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
        target('A', `cascade:http_requests_by_route:rate5m${svc}`, '{{route}}'),
        target('B', `cascade:http_requests_by_route:predeploy_rate5m${svc}`, '{{route}} before deploy'),
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
      'Each route\u2019s rate over its pre-deploy rate, minus one: +260% is what cargo\u2019s retries against broken download URLs looked like in the second report.',
      12,
      9,
      [
        target(
          'A',
          `cascade:http_requests_by_route:rate5m${svc} / on (service, route) cascade:http_requests_by_route:predeploy_rate5m - 1`,
          '{{route}}'
        ),
      ],
      {
        unit: 'percentunit',
        thresholds: thresholds('green', [DEFAULT_CONFIG.deploy.trafficRatio - 1, 'red']),
        custom: { thresholdsStyle: { mode: 'dashed' } },
      }
    ),
    timeseries(
      'Error ratio by route, now and before the deploy',
      'Solid: each route\u2019s 5xx ratio; dashed: the ratio before the latest deploy.',
      12,
      9,
      [
        target('A', `cascade:http_errors_by_route:ratio_rate5m${svc}`, '{{route}}'),
        target('B', `cascade:http_errors_by_route:predeploy_ratio_rate5m${svc}`, '{{route}} before deploy'),
      ],
      { unit: 'percentunit', min: 0 },
      [
        {
          matcher: { id: 'byRegexp', options: '.* before deploy' },
          properties: [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [6, 4] } }],
        },
      ]
    ),
    alertList('Deploy alerts', 'stage=deploy, service=$service', 9, 12),
  ],
};

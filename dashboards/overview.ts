import { DEFAULT_CONFIG } from '../config/schema';
import { RECORDED, SIGNALS } from '../contract/signals';
import { cascadePanel, DASHBOARD_SCOPE } from './cascadePanel';
import {
  Dashboard,
  datasourceVariable,
  labelVariable,
  Panel,
  promAnnotation,
  rightAxis,
  row,
  stat,
  target,
  thresholds,
  timeseries,
} from './grafana';

export const OVERVIEW_UID = 'cascade-overview';
export const DEPLOY_WATCH_UID = 'cascade-deploy-watch';

const svc = '{service="$service"}';
const db = '{cluster="$cluster"}';

/** The deploy annotation both dashboards carry: a marker wherever the running release changed. */
export const DEPLOY_ANNOTATION = promAnnotation(
  'Deploys',
  `changes(${SIGNALS.lastDeploy.name}${svc}[2m]) > 0`,
  'Deploy {{version}}',
  'purple',
  ['deploy']
);

/** The pack's alerts for this service, firing or pending, from the data source's rules. */
export function alertList(title: string, filter: string, h = 8, w = 24): Panel {
  return {
    type: 'alertlist',
    title,
    description: 'The rule pack\u2019s alerts for this service (Prometheus-managed, read from the data source).',
    w,
    h,
    options: {
      viewMode: 'list',
      groupMode: 'default',
      groupBy: [],
      maxItems: 20,
      sortOrder: 3,
      dashboardAlerts: false,
      alertName: '',
      alertInstanceLabelFilter: filter,
      datasource: '${datasource}',
      folder: null,
      showInstances: true,
      stateFilter: { firing: true, pending: true, noData: false, normal: false, error: true, recovering: true },
    },
  };
}

function panels(): Panel[] {
  const slo = DEFAULT_CONFIG.slo.target;
  const budget = 1 - slo;
  return [
    cascadePanel(DASHBOARD_SCOPE),

    row('Traffic'),
    timeseries(
      'Request rate by route',
      'Each route\u2019s request rate (5 m), as the pack records it.',
      12,
      8,
      [target('A', `cascade:http_requests_by_route:rate5m${svc}`, '{{route}}')],
      { unit: 'reqps', min: 0 }
    ),
    timeseries(
      'Request rate against its seasonal baseline',
      'The service\u2019s rate and the band of the same time of week in earlier weeks; outside the band for long enough fires CascadeTrafficAnomalyHigh/Low.',
      12,
      8,
      [
        target('A', `${RECORDED.requestRate}${svc}`, 'rate'),
        target('B', `${RECORDED.baselineRate}${svc}`, 'baseline'),
        target('C', `${RECORDED.baselineUpper}${svc}`, 'upper band'),
        target('D', `${RECORDED.baselineLower}${svc}`, 'lower band'),
      ],
      { unit: 'reqps', min: 0 },
      [
        {
          matcher: { id: 'byName', options: 'upper band' },
          properties: [
            { id: 'custom.fillBelowTo', value: 'lower band' },
            { id: 'custom.lineWidth', value: 0 },
            { id: 'custom.fillOpacity', value: 15 },
          ],
        },
        { matcher: { id: 'byName', options: 'lower band' }, properties: [{ id: 'custom.lineWidth', value: 0 }] },
        {
          matcher: { id: 'byName', options: 'baseline' },
          properties: [{ id: 'custom.lineStyle', value: { fill: 'dash', dash: [6, 4] } }],
        },
      ]
    ),
    timeseries(
      'Traffic velocity and sources',
      'The last 5 minutes\u2019 rate over the 30 minutes before, and the same for the number of client networks (http_request_sources): the first report\u2019s surge was new in shape and velocity, not in volume.',
      12,
      8,
      [
        target('A', `cascade:http_requests:velocity_ratio${svc}`, 'rate velocity'),
        target('B', `cascade:http_request_sources:velocity_ratio${svc}`, 'sources velocity'),
        target('C', `${SIGNALS.trafficSources.name}${svc}`, 'client networks'),
      ],
      {
        unit: 'none',
        decimals: 2,
        thresholds: thresholds('green', [1.5, 'orange']),
        custom: { thresholdsStyle: { mode: 'dashed' } },
      },
      [rightAxis('client networks', 'short')]
    ),
    timeseries(
      '5xx and 504 ratio',
      'Share of requests failing: all 5xx, and gateway timeouts (504: the database too slow) alone.',
      12,
      8,
      [
        target('A', `${RECORDED.errorRatio}${svc}`, '5xx'),
        target(
          'B',
          `sum by (service) (rate(${SIGNALS.traffic.name}{service="$service", code="504"}[5m])) / sum by (service) (rate(${SIGNALS.traffic.name}${svc}[5m]))`,
          '504'
        ),
      ],
      {
        unit: 'percentunit',
        min: 0,
        thresholds: thresholds('green', [0.05, 'orange'], [0.5, 'red']),
        custom: { thresholdsStyle: { mode: 'dashed' } },
      }
    ),

    row('Database'),
    timeseries(
      'Write backlog and drain time',
      'Units of write work waiting for the primary, and how long they would take to drain at the current apply rate.',
      12,
      8,
      [
        target('A', `${SIGNALS.writeBacklog.name}${db}`, 'backlog'),
        target('B', `cascade:db_write_backlog:drain_seconds${db}`, 'drain time'),
      ],
      { unit: 'short', min: 0 },
      [rightAxis('drain time', 's')]
    ),
    timeseries(
      'Utilisation per node',
      'Busy fraction of each database node; the pack forecasts when it reaches saturation.',
      12,
      8,
      [target('A', `${SIGNALS.dbUtilization.name}${db}`, '{{instance}} ({{role}})')],
      {
        unit: 'percentunit',
        min: 0,
        max: 1,
        thresholds: thresholds('green', [DEFAULT_CONFIG.database.saturation, 'red']),
        custom: { thresholdsStyle: { mode: 'dashed' } },
      }
    ),
    timeseries(
      'Replica lag',
      'How far each replica is behind the primary.',
      12,
      8,
      [target('A', `${SIGNALS.replicaLag.name}${db}`, '{{instance}}')],
      {
        unit: 's',
        min: 0,
        thresholds: thresholds(
          'green',
          [DEFAULT_CONFIG.replicas.lagWarning, 'orange'],
          [DEFAULT_CONFIG.replicas.lagCritical, 'red']
        ),
        custom: { thresholdsStyle: { mode: 'dashed' } },
      }
    ),
    timeseries(
      'Healthy against desired instances',
      'Frontend instances passing health checks and the number the orchestrator wants.',
      12,
      8,
      [
        target('A', `${SIGNALS.healthyInstances.name}${svc}`, 'healthy'),
        target('B', `${SIGNALS.desiredInstances.name}${svc}`, 'desired'),
      ],
      {
        unit: 'none',
        min: 0,
        decimals: 0,
        custom: {
          drawStyle: 'line',
          lineInterpolation: 'stepAfter',
          lineWidth: 2,
          fillOpacity: 0,
          showPoints: 'never',
        },
      }
    ),

    row('Error budget'),
    timeseries(
      'Error budget burn rate',
      `Error ratio over the SLO windows divided by the budget (SLO ${slo * 100}%): 14.4x over 1 h and 6x over 6 h page (CascadeErrorBudgetBurnFast), 3x over 1 d and 1x over 3 d make a ticket.`,
      16,
      8,
      ['5m', '1h', '6h', '1d', '3d'].map((w, i) =>
        target(String.fromCharCode(65 + i), `cascade:http_errors:ratio_rate${w}${svc} / ${budget.toPrecision(3)}`, w)
      ),
      {
        unit: 'x',
        min: 0,
        thresholds: thresholds('green', [1, 'yellow'], [6, 'orange'], [14.4, 'red']),
        custom: { thresholdsStyle: { mode: 'dashed' } },
      }
    ),
    stat(
      'Budget left this day',
      'Share of a day\u2019s error budget not yet spent at the last day\u2019s error ratio.',
      8,
      8,
      [
        target(
          'A',
          `clamp_min(1 - cascade:http_errors:ratio_rate1d${svc} / ${budget.toPrecision(3)}, 0)`,
          'budget left'
        ),
      ],
      { unit: 'percentunit', min: 0, max: 1, thresholds: thresholds('red', [0.25, 'orange'], [0.5, 'green']) }
    ),

    row('Alerts'),
    alertList('Cascade alerts for this service', 'service=$service'),
  ];
}

export const overview: Dashboard = {
  uid: OVERVIEW_UID,
  title: 'Cascade overview',
  description:
    'The Cascade panel for one service, and the signals behind it: traffic, database, instances, errors, and the rule pack\u2019s alerts.',
  tags: ['cascade-watch'],
  variables: [
    datasourceVariable(),
    labelVariable('service', 'Service', SIGNALS.traffic.name),
    labelVariable('cluster', 'Database cluster', SIGNALS.writeBacklog.name),
  ],
  annotations: [DEPLOY_ANNOTATION],
  links: [
    {
      title: 'Deploy watch',
      type: 'link',
      url: `/d/${DEPLOY_WATCH_UID}/deploy-watch?\${__url_time_range}&\${service:queryparam}&\${datasource:queryparam}`,
      icon: 'dashboard',
      targetBlank: false,
      tooltip: 'Per route: the window after the latest deploy against the window before it',
    },
  ],
  panels: panels(),
};

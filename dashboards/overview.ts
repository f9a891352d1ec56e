import { dashboardPath } from '../config/dashboards';
import type { CascadeConfig } from '../config/schema';
import { RECORDED } from '../contract/signals';
import { DEFAULT_OPTIONS } from '../src/defaults';
import { cascadePanel, clusterSelector, dashboardScope, serviceSelector } from './cascadePanel';
import {
  AlertListPanel,
  Dashboard,
  DashboardLink,
  datasourceVariable,
  labelVariable,
  Panel,
  promAnnotation,
  PromAnnotation,
  QueryVariable,
  rightAxis,
  row,
  stat,
  target,
  thresholds,
  timeseries,
  Variable,
} from './grafana';

/** The deploy annotation both dashboards carry: a marker wherever the recorded deploy time changed. */
export function deployAnnotation(config: CascadeConfig): PromAnnotation {
  const svc = serviceSelector(dashboardScope(config));
  return promAnnotation(
    'Deploys',
    `changes(${RECORDED.deployTimestamp}${svc}[2m]) > 0`,
    'Deploy {{service}}',
    'purple',
    ['deploy']
  );
}

/**
 * The variables: data source, one per grouping label, `service` (from the recorded request rate, so every
 * service with traffic is listed whatever the preset) and, on the overview, `cluster`: the database clusters
 * the service writes to, from the pack's `cascade:service_cluster:info` (the configuration's topology).
 */
export function variables(config: CascadeConfig, withCluster: boolean): Variable[] {
  const groups: Record<string, string> = {};
  const out: Variable[] = [datasourceVariable(config.grafanaDatasourceUid)];
  for (const label of config.groupingLabels) {
    out.push(labelVariable(label, label, selector(RECORDED.requestRate, groups)));
    groups[label] = `$${label}`;
  }
  out.push(labelVariable('service', 'Service', selector(RECORDED.requestRate, groups)));
  if (withCluster) {
    out.push(clusterVariable(config));
  }
  return out;
}

/** The recorded series naming each service's database cluster (routing helper's rule, from config `topology`). */
export const SERVICE_CLUSTER_INFO = RECORDED.serviceCluster;

function clusterVariable(config: CascadeConfig): QueryVariable {
  return labelVariable(
    'cluster',
    'Database cluster',
    `${SERVICE_CLUSTER_INFO}${serviceSelector(dashboardScope(config))}`
  );
}

function selector(metric: string, labels: Record<string, string>): string {
  const m = Object.entries(labels).map(([l, v]) => `${l}="${v}"`);
  return m.length === 0 ? metric : `${metric}{${m.join(', ')}}`;
}

/** A link to the other dashboard, carrying the time range and every variable. */
export function dashboardLink(
  config: CascadeConfig,
  which: 'overview' | 'deployWatch',
  tooltip: string
): DashboardLink {
  const params = ['datasource', ...config.groupingLabels, 'service'].map((v) => `\${${v}:queryparam}`);
  return {
    title: config.dashboards[which].title,
    type: 'link',
    url: `${dashboardPath(config, which)}?\${__url_time_range}&${params.join('&')}`,
    icon: 'dashboard',
    targetBlank: false,
    tooltip,
  };
}

/** The alert list's label filter for the dashboard's service (and grouping labels), plus `extra` matchers. */
export function alertFilter(config: CascadeConfig, ...extra: string[]): string {
  return [...extra, ...config.groupingLabels.map((l) => `${l}=$${l}`), 'service=$service'].join(', ');
}

/** The pack's alerts for this service, firing or pending, from the data source's rules. */
export function alertList(title: string, filter: string, h = 8, w = 24): AlertListPanel {
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

function panels(config: CascadeConfig): Panel[] {
  const scope = dashboardScope(config);
  const svc = serviceSelector(scope);
  const db = clusterSelector(scope);
  const slo = config.slo.target;
  const budget = 1 - slo;
  const status = DEFAULT_OPTIONS.status;
  const burnWindows = [
    ['5m', RECORDED.errorRatio],
    ['1h', RECORDED.errorRatio1h],
    ['6h', RECORDED.errorRatio6h],
    ['1d', RECORDED.errorRatio1d],
    ['3d', RECORDED.errorRatio3d],
  ] as const;
  return [
    cascadePanel(scope, config),

    row('Traffic'),
    timeseries(
      'Request rate by route',
      'Each route\u2019s request rate (5 m), as the pack records it.',
      12,
      8,
      [target('A', `${RECORDED.requestRateByRoute}${svc}`, '{{route}}')],
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
      'The last 5 minutes\u2019 rate over the 30 minutes before, and the same for the number of client networks: the first report\u2019s surge was new in shape and velocity, not in volume.',
      12,
      8,
      [
        target('A', `${RECORDED.requestVelocity}${svc}`, 'rate velocity'),
        target('B', `${RECORDED.sourcesVelocity}${svc}`, 'sources velocity'),
        target('C', `${RECORDED.sources}${svc}`, 'client networks'),
      ],
      {
        unit: 'none',
        decimals: 2,
        thresholds: thresholds('green', [config.traffic.surge.ratio, 'orange']),
        custom: { thresholdsStyle: { mode: 'dashed' } },
      },
      [rightAxis('client networks', 'short')]
    ),
    timeseries(
      'Error ratio, service and routes',
      'Share of requests failing (the pack\u2019s error codes, 5xx by default): the service as a whole, and each route; the dashed lines are the panel\u2019s partial and major outage ratios.',
      12,
      8,
      [
        target('A', `${RECORDED.errorRatio}${svc}`, 'service'),
        target('B', `${RECORDED.errorRatioByRoute}${svc}`, '{{route}}'),
      ],
      {
        unit: 'percentunit',
        min: 0,
        thresholds: thresholds('green', [status.partialErrorRatio, 'orange'], [status.majorErrorRatio, 'red']),
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
        target('A', `${RECORDED.backlog}${db}`, 'backlog'),
        target('B', `${RECORDED.backlogDrainTime}${db}`, 'drain time'),
      ],
      { unit: 'short', min: 0 },
      [rightAxis('drain time', 's')]
    ),
    timeseries(
      'Utilisation per node',
      'Busy fraction of each database node; the pack forecasts when it reaches saturation.',
      12,
      8,
      [target('A', `${RECORDED.utilization}${db}`, '{{instance}} ({{role}})')],
      {
        unit: 'percentunit',
        min: 0,
        max: 1,
        thresholds: thresholds('green', [config.database.saturation, 'red']),
        custom: { thresholdsStyle: { mode: 'dashed' } },
      }
    ),
    timeseries(
      'Replica lag',
      'How far each replica is behind the primary.',
      12,
      8,
      [target('A', `${RECORDED.replicaLag}${db}`, '{{instance}}')],
      {
        unit: 's',
        min: 0,
        thresholds: thresholds('green', [config.replicas.lagWarning, 'orange'], [config.replicas.lagCritical, 'red']),
        custom: { thresholdsStyle: { mode: 'dashed' } },
      }
    ),
    timeseries(
      'Healthy against desired instances',
      'Frontend instances passing health checks and the number the orchestrator wants.',
      12,
      8,
      [
        target('A', `${RECORDED.healthyInstances}${svc}`, 'healthy'),
        target('B', `${RECORDED.desiredInstances}${svc}`, 'desired'),
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
      burnWindows.map(([w, series], i) =>
        target(String.fromCharCode(65 + i), `${series}${svc} / ${budget.toPrecision(3)}`, w)
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
      [target('A', `clamp_min(1 - ${RECORDED.errorRatio1d}${svc} / ${budget.toPrecision(3)}, 0)`, 'budget left')],
      { unit: 'percentunit', min: 0, max: 1, thresholds: thresholds('red', [0.25, 'orange'], [0.5, 'green']) }
    ),

    row('Alerts'),
    alertList('Cascade alerts for this service', alertFilter(config)),
  ];
}

/** The Cascade panel for one service, and the signals behind it. */
export function overview(config: CascadeConfig): Dashboard {
  return {
    uid: config.dashboards.overview.uid,
    title: config.dashboards.overview.title,
    description:
      'The Cascade panel for one service, and the signals behind it: traffic, database, instances, errors, and the rule pack\u2019s alerts.',
    tags: config.dashboards.tags,
    refresh: config.dashboards.refresh.overview,
    variables: variables(config, true),
    annotations: [deployAnnotation(config)],
    links: [
      dashboardLink(
        config,
        'deployWatch',
        'Per route: the window after the latest deploy against the window before it'
      ),
    ],
    panels: panels(config),
  };
}

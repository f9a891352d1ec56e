import { FieldConfigProperty, PanelPlugin } from '@grafana/data';
import { initPluginTranslations } from '@grafana/i18n';
import { HideableFieldConfig } from '@grafana/schema';
import { commonOptionsBuilder } from '@grafana/ui';
import { CascadePanel } from './components/CascadePanel/CascadePanel';
import { DEFAULT_OPTIONS, ROLE_LABELS, ROLE_ORDER } from './defaults';
import { CascadeOptions, Role } from './types';

const ROLE_HELP: Record<Role, string> = {
  traffic: 'Request rate. Several series are summed for the band and shown one by one.',
  baseline: 'Expected request rate, e.g. the rule pack\u2019s seasonal baseline. Computed from the data when absent.',
  upper: 'Upper bound of the expected band.',
  lower: 'Lower bound of the expected band.',
  errors: '5xx ratio (0..1), a percentage, or a 5xx rate (divided by the traffic).',
  backlog: 'Units of write work waiting for the primary database.',
  lag: 'Seconds each replica is behind the primary (one series per replica).',
  utilization: 'Busy fraction (0..1) of each database node.',
  healthy: 'Instances passing health checks.',
  desired: 'Instances the orchestrator wants running.',
  deploy: 'Unix time of the running release (every change is a deploy marker).',
};

/** The plugin's id (plugin.json): its translations' namespace. */
export const PLUGIN_ID = 'cascadewatch-cascade-panel';

// Grafana 12.1+ loads locales/<language>/<id>.json for the plugin (plugin.json `languages`); this points the
// panel's t() at that namespace. Not awaited: until it resolves, t() gives the English in the code.
void initPluginTranslations(PLUGIN_ID);

export const plugin = new PanelPlugin<CascadeOptions, HideableFieldConfig>(CascadePanel)
  // Standard field options (unit, decimals, min/max, colour, thresholds, display name, data links): without
  // registering them Grafana drops them from the panel's field config. Value mappings and "no value" mean nothing here.
  .useFieldConfig({
    disableStandardOptions: [FieldConfigProperty.Mappings, FieldConfigProperty.NoValue],
    // "Hide in area" (an override's hideFrom.viz), as the time series panel has it: that series is not drawn.
    useCustomConfig: (builder) => commonOptionsBuilder.addHideFrom(builder),
  })
  .setPanelOptions((builder) => {
    const d = DEFAULT_OPTIONS;
    // Roles: which query results are which signal.
    for (const role of ROLE_ORDER) {
      builder.addTextInput({
        path: `roles.${role}`,
        name: ROLE_LABELS[role],
        description: `${ROLE_HELP[role]} Comma-separated series names, query refIds or legends; /regex/ allowed.`,
        category: ['Signal roles'],
        defaultValue: d.roles[role],
      });
    }
    builder
      .addRadio({
        path: 'traffic.bandMode',
        name: 'Baseline band',
        description:
          'Auto uses the query\u2019s baseline series when there is one and computes a robust rolling band otherwise.',
        category: ['Traffic'],
        defaultValue: d.traffic.bandMode,
        settings: {
          options: [
            { value: 'auto', label: 'Auto' },
            { value: 'query', label: 'From query' },
            { value: 'computed', label: 'Computed' },
            { value: 'off', label: 'Off' },
          ],
        },
      })
      .addNumberInput({
        path: 'traffic.bandWidth',
        name: 'Band width',
        description: 'Half-width of the computed band, in robust standard deviations.',
        category: ['Traffic'],
        defaultValue: d.traffic.bandWidth,
        settings: { min: 0.5, step: 0.5 },
      })
      .addNumberInput({
        path: 'traffic.baselineWindowMinutes',
        name: 'Baseline window (min)',
        description: 'Trailing window of the computed baseline.',
        category: ['Traffic'],
        defaultValue: d.traffic.baselineWindowMinutes,
        settings: { min: 5, integer: true },
      })
      .addNumberInput({
        path: 'traffic.minBandRatio',
        name: 'Minimum band width',
        description: 'The band is never narrower than this fraction of the baseline on each side (0.1 = 10%).',
        category: ['Traffic'],
        defaultValue: d.traffic.minBandRatio,
        settings: { min: 0, step: 0.05 },
      })
      .addNumberInput({
        path: 'traffic.lowTrafficFloor',
        name: 'Low-traffic floor',
        description: 'Below this rate nothing counts as anomalous.',
        category: ['Traffic'],
        defaultValue: d.traffic.lowTrafficFloor,
        settings: { min: 0 },
      })
      .addNumberInput({
        path: 'traffic.minAnomalyMinutes',
        name: 'Minimum anomaly (min)',
        description: 'Shorter excursions outside the band are not shaded.',
        category: ['Traffic'],
        defaultValue: d.traffic.minAnomalyMinutes,
        settings: { min: 0 },
      })
      .addNumberInput({
        path: 'database.backlogLimit',
        name: 'Backlog limit',
        description:
          'Write backlog at which the service is in trouble. 0 takes it from the backlog field\u2019s thresholds.',
        category: ['Database'],
        defaultValue: d.database.backlogLimit,
        settings: { min: 0 },
      })
      .addNumberInput({
        path: 'database.lagWarnSeconds',
        name: 'Replica lag warning (s)',
        category: ['Database'],
        defaultValue: d.database.lagWarnSeconds,
        settings: { min: 0 },
      })
      .addNumberInput({
        path: 'database.lagCriticalSeconds',
        name: 'Replica lag critical (s)',
        category: ['Database'],
        defaultValue: d.database.lagCriticalSeconds,
        settings: { min: 0 },
      })
      .addNumberInput({
        path: 'database.saturation',
        name: 'Saturation',
        description: 'Utilisation (0..1) counted as saturated.',
        category: ['Database'],
        defaultValue: d.database.saturation,
        settings: { min: 0, max: 1, step: 0.05 },
      })
      .addNumberInput({
        path: 'database.forecastFitMinutes',
        name: 'Forecast fit window (min)',
        description: 'Trailing window fitted to forecast when a rising signal reaches its threshold.',
        category: ['Database'],
        defaultValue: d.database.forecastFitMinutes,
        settings: { min: 1 },
      })
      .addNumberInput({
        path: 'database.forecastHorizonMinutes',
        name: 'Forecast horizon (min)',
        description: 'ETAs further away are not shown.',
        category: ['Database'],
        defaultValue: d.database.forecastHorizonMinutes,
        settings: { min: 1 },
      })
      .addNumberInput({
        path: 'instances.lowFraction',
        name: 'Minimum healthy fraction',
        description: 'Healthy below this fraction of desired degrades the status; drawn as the minimum line.',
        category: ['Instances'],
        defaultValue: d.instances.lowFraction,
        settings: { min: 0, max: 1, step: 0.05 },
      })
      .addNumberInput({
        path: 'instances.criticalFraction',
        name: 'Critical healthy fraction',
        description: 'Healthy below this fraction of desired is a partial outage.',
        category: ['Instances'],
        defaultValue: d.instances.criticalFraction,
        settings: { min: 0, max: 1, step: 0.05 },
      })
      .addNumberInput({
        path: 'status.partialErrorRatio',
        name: 'Partial outage error ratio',
        description: '5xx ratio (0..1) from which the status is a partial outage.',
        category: ['Status'],
        defaultValue: d.status.partialErrorRatio,
        settings: { min: 0, max: 1, step: 0.01 },
      })
      .addNumberInput({
        path: 'status.majorErrorRatio',
        name: 'Major outage error ratio',
        category: ['Status'],
        defaultValue: d.status.majorErrorRatio,
        settings: { min: 0, max: 1, step: 0.05 },
      })
      .addNumberInput({
        path: 'status.staleMinutes',
        name: 'Stale after (min)',
        description: 'Readings older than this at the end of the range are not used for the status.',
        category: ['Status'],
        defaultValue: d.status.staleMinutes,
        settings: { min: 1 },
      })
      .addRadio({
        path: 'deploys.annotations',
        name: 'Annotations as deploys',
        category: ['Deploys'],
        defaultValue: d.deploys.annotations,
        settings: {
          options: [
            { value: 'all', label: 'All' },
            { value: 'tagged', label: 'Tagged' },
            { value: 'none', label: 'None' },
          ],
        },
      })
      .addTextInput({
        path: 'deploys.annotationTag',
        name: 'Deploy tag',
        category: ['Deploys'],
        defaultValue: d.deploys.annotationTag,
        showIf: (o) => o.deploys?.annotations === 'tagged',
      })
      .addNumberInput({
        path: 'deploys.impactWindowMinutes',
        name: 'Impact window (min)',
        description: 'Traffic before and after a deploy is compared over this window.',
        category: ['Deploys'],
        defaultValue: d.deploys.impactWindowMinutes,
        settings: { min: 1 },
      })
      .addNumberInput({
        path: 'deploys.impactThreshold',
        name: 'Impact threshold',
        description: 'A traffic change since the latest deploy above this fraction (0.5 = +50%) degrades the status.',
        category: ['Deploys'],
        defaultValue: d.deploys.impactThreshold,
        settings: { min: 0, step: 0.1 },
      })
      .addBooleanSwitch({
        path: 'display.showTraffic',
        name: 'Traffic lane',
        category: ['Lanes'],
        defaultValue: d.display.showTraffic,
      })
      .addBooleanSwitch({
        path: 'display.showDatabase',
        name: 'Database lane',
        category: ['Lanes'],
        defaultValue: d.display.showDatabase,
      })
      .addBooleanSwitch({
        path: 'display.showInstances',
        name: 'Instances lane',
        category: ['Lanes'],
        defaultValue: d.display.showInstances,
      })
      .addBooleanSwitch({
        path: 'display.showForecastZone',
        name: 'Forecast zone',
        description: 'Extend the time axis past now to show where forecasts cross their thresholds.',
        category: ['Lanes'],
        defaultValue: d.display.showForecastZone,
      });
    return builder;
  });

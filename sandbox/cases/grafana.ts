/**
 * Cases on a new Grafana panel: the frames Grafana 12's Prometheus data source returns (refIds A, B, C...,
 * `Time` + `Value`, legends as `displayNameFromDS`, an empty frame for a query without data, NaN decoded from
 * the JSON entities) and the dashboard's annotations as Grafana hands them to panels. The case sets no field
 * config, so the host gives the fields the plugin's defaults, as Grafana does: Grafana's default thresholds.
 * The dashboards are the ones the model's tests use (src/__fixtures__/grafanaScenarios.ts).
 */
import { dateTime, LoadingState, PanelData } from '@grafana/data';

import { grafanaAnnotations, promBackendFrames, PromQuerySpec } from '../../src/__fixtures__/promBackend';
import {
  ANNOTATIONS,
  deployStep,
  drainedThenFlat,
  FROM,
  HOSTILE_LAG_MATCHER,
  hostileLegends,
  lagClimb,
  NOW,
  ordinaryDay,
  STEP,
} from '../../src/__fixtures__/grafanaScenarios';
import { CaseSource, CaseSummary, SandboxCase, UnknownCaseError } from './types';

export const GRAFANA_CASE_NAMES = [
  'grafana-new-panel',
  'grafana-deploy-step',
  'grafana-forecasts',
  'grafana-hostile-matcher',
] as const;
export type GrafanaCaseName = (typeof GRAFANA_CASE_NAMES)[number];

interface Definition {
  readonly title: string;
  readonly description: string;
  readonly queries: () => PromQuerySpec[];
  readonly options?: Record<string, unknown>;
}

const DEFINITIONS: Record<GrafanaCaseName, Definition> = {
  'grafana-new-panel': {
    title: 'New panel, ordinary day',
    description:
      'A panel just added in Grafana: default thresholds (red at 80) under a backlog of 113, instances per zone, an empty deploy query, a deploy annotation, an alert state change and a note.',
    queries: () => ordinaryDay(),
  },
  'grafana-deploy-step': {
    title: 'Deploy step under rate()',
    description:
      'Traffic steps from 100 to 164 req/s at a deploy ten minutes ago; rate(...[5m]) draws the step as a five-minute ramp.',
    queries: deployStep,
  },
  'grafana-forecasts': {
    title: 'Forecasts that follow the curve',
    description:
      'A replica whose lag climbed from 2 s to 280 s in five minutes, and a backlog that drained and has been flat for five minutes.',
    queries: () => ordinaryDay({ lag: lagClimb(), backlog: drainedThenFlat() }),
    options: { database: { backlogLimit: 50_000 } },
  },
  'grafana-hostile-matcher': {
    title: 'A regex matcher that would stall the panel',
    description:
      'The lag role set to /(a+)+$/ (refused, with a note) next to the series name, on replicas named with 17 to 25 characters.',
    queries: () => ordinaryDay({ lag: hostileLegends() }),
    options: { roles: { lag: HOSTILE_LAG_MATCHER } },
  },
};

function isGrafanaCaseName(name: string): name is GrafanaCaseName {
  return (GRAFANA_CASE_NAMES as readonly string[]).includes(name);
}

export function buildGrafanaCase(name: string): SandboxCase {
  if (!isGrafanaCaseName(name)) {
    throw new UnknownCaseError(name, GRAFANA_CASE_NAMES);
  }
  const d = DEFINITIONS[name];
  const from = dateTime(FROM);
  const to = dateTime(NOW);
  const data: PanelData = {
    state: LoadingState.Done,
    series: promBackendFrames(d.queries(), { from: FROM, stepMs: STEP }),
    annotations: grafanaAnnotations(Object.values(ANNOTATIONS)),
    timeRange: { from, to, raw: { from, to } },
  };
  return { name, title: d.title, description: d.description, data, options: d.options };
}

export const grafanaSource: CaseSource = {
  id: 'grafana',
  list(): CaseSummary[] {
    return GRAFANA_CASE_NAMES.map((name) => ({
      name,
      title: DEFINITIONS[name].title,
      description: DEFINITIONS[name].description,
    }));
  },
  async load(name: string): Promise<SandboxCase> {
    return buildGrafanaCase(name);
  },
};

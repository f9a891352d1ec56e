import type { FieldConfigSource, PanelData } from '@grafana/data';

/**
 * What the host page renders: the panel's data as Grafana would hand it over, plus what a dashboard
 * would store next to the panel (its title, option overrides and field config).
 */
export interface SandboxCase {
  readonly name: string;
  /** Panel title shown in the host's chrome. */
  readonly title: string;
  /** One sentence for people picking a case in the control bar. */
  readonly description: string;
  /** `state: Done`, one frame per series, annotations and the time range, as Grafana's query runner delivers them. */
  readonly data: PanelData;
  /** Panel options the dashboard overrides; merged over the plugin's own defaults by the host. */
  readonly options?: Record<string, unknown>;
  /** Field config the dashboard stores (units, thresholds); merged with the plugin's field-config defaults. */
  readonly fieldConfig?: FieldConfigSource;
}

export interface CaseSummary {
  readonly name: string;
  readonly title: string;
  readonly description: string;
}

/**
 * The data-source seam: where the host gets a case's data from. The synthetic generator is one
 * source; a live Prometheus (range queries turned into frames) or the simulator's scenarios are
 * others, added beside it rather than forked from it.
 */
export interface CaseSource {
  /** Short id shown in the control bar, e.g. `synthetic`. */
  readonly id: string;
  list(): readonly CaseSummary[];
  /** Rejects with an Error naming the case and the known ones when `name` is not one of `list()`. */
  load(name: string): Promise<SandboxCase>;
}

export class UnknownCaseError extends Error {
  constructor(
    readonly caseName: string,
    readonly known: readonly string[]
  ) {
    super(`Unknown case "${caseName}". Known cases: ${known.join(', ')}.`);
    this.name = 'UnknownCaseError';
  }
}

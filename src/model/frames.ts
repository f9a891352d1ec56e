import { DataFrame, DisplayProcessor, Field, FieldType, getFieldDisplayName, ThresholdsMode } from '@grafana/data';
import { GRAFANA_DEFAULT_THRESHOLDS, ROLE_LABELS, ROLE_ORDER, ROLE_UNITS } from '../defaults';
import { Role, RoleMatchers } from '../types';
import { compileMatchers } from './matchers';
import { NumericSeries, readSeries, readTimeColumn, TimeColumn } from './series';

/** One series of one role, read from a data frame field, with what the field config says about it. */
export interface Signal extends NumericSeries {
  readonly role: Role;
  /** The field's display name, as Grafana computes it: unique, but often `metric{label="..."}`. */
  readonly name: string;
  /**
   * What the lanes call it: the query's legend when one is set, else the role and the label values
   * that tell this series from its siblings ("Lag db-replica-2").
   */
  readonly label: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly unit: string;
  readonly decimals?: number;
  /** The field config's axis bounds, when set. */
  readonly min?: number;
  readonly max?: number;
  /** Fixed colour from the field config, when one is set. */
  readonly color?: string;
  /** Absolute threshold steps from the field config (the base step left out). */
  readonly thresholds: readonly number[];
  /** Grafana's display processor, when the host applied field config (it does before a panel renders). */
  readonly display?: DisplayProcessor;
}

export type SignalsByRole = Record<Role, Signal[]>;

export interface ExtractedSignals {
  readonly byRole: SignalsByRole;
  /** What was repaired or skipped, in words, for the panel's notices. */
  readonly notices: string[];
  /** Numeric fields that matched no role (their names), to help a person set the roles. */
  readonly unmatched: string[];
  /** Regular-expression tests the role matchers ran (each distinct name once), and their bounded cost. */
  readonly matchWork: { tests: number; steps: number };
  readonly frameCount: number;
}

/** Every name a person or a data source may have given this series. */
function candidateNames(frame: DataFrame, field: Field, displayName: string): string[] {
  const names = [
    frame.refId,
    frame.name,
    field.name,
    field.config?.displayName,
    field.config?.displayNameFromDS,
    field.labels?.__name__,
    displayName,
    // "db_write_backlog{cluster="main"}" -> "db_write_backlog"
    displayName.split('{')[0],
  ];
  return names.filter((n): n is string => typeof n === 'string' && n.length > 0);
}

function findTimeField(frame: DataFrame): Field | undefined {
  const fields = Array.isArray(frame.fields) ? frame.fields : [];
  return (
    fields.find((f) => f && f.type === FieldType.time) ??
    fields.find((f) => f && typeof f.name === 'string' && /^(time|timestamp|ts)$/i.test(f.name))
  );
}

function safeDisplayName(field: Field, frame: DataFrame, frames: DataFrame[]): string {
  try {
    return getFieldDisplayName(field, frame, frames);
  } catch {
    return field.labels?.__name__ || (typeof field.name === 'string' ? field.name : '(unnamed)');
  }
}

/**
 * Grafana gives every field of a new panel the same thresholds (base green, red at 80), so they say nothing about
 * this field: only steps that differ from them, in any value, colour or count, were set by someone.
 */
export function isGrafanaDefaultThresholds(t: { mode?: unknown; steps?: unknown }): boolean {
  const d = GRAFANA_DEFAULT_THRESHOLDS;
  if (t.mode !== d.mode || !Array.isArray(t.steps) || t.steps.length !== d.steps.length) {
    return false;
  }
  return t.steps.every((step: { value?: unknown; color?: unknown } | null, i) => {
    const want = d.steps[i];
    // The base step's value is -Infinity in memory and null in saved JSON.
    const sameValue = want.value === null ? !Number.isFinite(step?.value) : step?.value === want.value;
    return sameValue && step?.color === want.color;
  });
}

function absoluteThresholds(field: Field): number[] {
  const t = field.config?.thresholds;
  if (!t || t.mode !== ThresholdsMode.Absolute || !Array.isArray(t.steps) || isGrafanaDefaultThresholds(t)) {
    return [];
  }
  return t.steps.map((s) => s.value).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
}

function emptyByRole(): SignalsByRole {
  const out = {} as SignalsByRole;
  for (const role of ROLE_ORDER) {
    out[role] = [];
  }
  return out;
}

function describeRepairs(name: string, r: ReturnType<typeof readSeries>['repairs']): string[] {
  const notes: string[] = [];
  if (r.unsorted) {
    notes.push(`${name}: timestamps were out of order and have been sorted`);
  }
  if (r.duplicates > 0) {
    notes.push(`${name}: ${r.duplicates} duplicate timestamp(s), kept the later value`);
  }
  if (r.badTimes > 0) {
    notes.push(`${name}: ${r.badTimes} point(s) without a valid time were dropped`);
  }
  if (r.nonNumeric > 0) {
    notes.push(`${name}: ${r.nonNumeric} value(s) were not numbers and are shown as gaps`);
  }
  const missing = [
    r.nulls > 0 ? `${r.nulls} null` : '',
    r.nan > 0 ? `${r.nan} NaN` : '',
    r.nanText > 0 ? `${r.nanText} "NaN" text` : '',
    r.infinite > 0 ? `${r.infinite} infinite` : '',
  ].filter(Boolean);
  if (missing.length > 0) {
    notes.push(`${name}: ${missing.join(', ')} value(s) shown as gaps`);
  }
  return notes;
}

function finiteOrUndefined(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Values a number field may hold; strings are accepted because some data sources send numbers as text. */
function isValueField(field: Field): boolean {
  return field.type === FieldType.number || field.type === FieldType.string || field.type === FieldType.other;
}

/**
 * Reads the query results into signals by role. Frames and fields of any shape are accepted; what cannot
 * be used is skipped with a notice saying why. The first role (in ROLE_ORDER) whose matchers accept any of
 * the field's names, the query's refId or the frame's name takes the field.
 */
export function extractSignals(frames: unknown, roles: RoleMatchers): ExtractedSignals {
  const notices: string[] = [];
  const unmatched: string[] = [];
  const byRole = emptyByRole();
  const list = Array.isArray(frames) ? (frames.filter((f) => f && typeof f === 'object') as DataFrame[]) : [];
  // Grafana's display-name logic looks across all frames and throws on malformed ones: give it the sound ones.
  const sound = list.filter(
    (f) => Array.isArray(f.fields) && f.fields.every((field) => field && typeof field === 'object')
  );
  const isSound = new Set(sound);
  const matchers = compileMatchers(roles, notices);

  let previousColumn: TimeColumn | undefined;
  list.forEach((frame, frameIndex) => {
    const frameLabel = frame.refId || frame.name || `frame ${frameIndex + 1}`;
    const fields = Array.isArray(frame.fields) ? frame.fields.filter((f) => f && typeof f === 'object') : [];
    const timeField = findTimeField(frame);
    const valueFields = fields.filter((f) => f !== timeField && isValueField(f));
    if (valueFields.length === 0) {
      return;
    }
    if (!timeField || !timeField.values) {
      notices.push(`${frameLabel}: no time field, skipped`);
      return;
    }
    // One time column per frame, read once for all its value fields.
    let column: TimeColumn | undefined;
    for (const field of valueFields) {
      const displayName = safeDisplayName(field, frame, isSound.has(frame) ? sound : [frame]);
      const names = candidateNames(frame, field, displayName);
      const lower = names.map((n) => n.toLowerCase());
      const role = ROLE_ORDER.find((r) => matchers.byRole[r].some((m) => m(names, lower)));
      if (!role) {
        if (field.type === FieldType.number) {
          unmatched.push(displayName);
        }
        continue;
      }
      const raw = field.values ?? [];
      column = column ?? readTimeColumn(timeField.values as ArrayLike<unknown>, previousColumn);
      previousColumn = column;
      const { series, repairs } = readSeries(column, raw as ArrayLike<unknown>);
      if (series.time.length === 0 || series.gaps === series.values.length) {
        notices.push(`${displayName} (${ROLE_LABELS[role]}): no numeric values`);
        continue;
      }
      notices.push(...describeRepairs(displayName, repairs));
      const config = field.config ?? {};
      byRole[role].push({
        ...series,
        role,
        name: displayName,
        label: config.displayName || config.displayNameFromDS || '',
        labels: field.labels ?? {},
        unit: typeof config.unit === 'string' && config.unit ? config.unit : ROLE_UNITS[role],
        decimals: typeof config.decimals === 'number' ? config.decimals : undefined,
        min: finiteOrUndefined(config.min),
        max: finiteOrUndefined(config.max),
        color: config.color?.mode === 'fixed' ? config.color.fixedColor : undefined,
        thresholds: absoluteThresholds(field),
        display: typeof field.display === 'function' ? field.display : undefined,
      });
    }
  });

  for (const role of ROLE_ORDER) {
    byRole[role] = withShortLabels(byRole[role]);
  }
  return { byRole, notices, unmatched, frameCount: list.length, matchWork: matchers.work() };
}

/** Labels (other than __name__) whose values differ between the series of one role. */
function varyingLabels(signals: readonly Signal[]): string[] {
  const keys = new Set(signals.flatMap((s) => Object.keys(s.labels)).filter((k) => k !== '__name__'));
  return [...keys].filter((k) => new Set(signals.map((s) => s.labels[k])).size > 1);
}

function withShortLabels(signals: Signal[]): Signal[] {
  if (signals.length === 0) {
    return signals;
  }
  const varying = varyingLabels(signals);
  return signals.map((s) => {
    if (s.label) {
      return s;
    }
    const distinct = varying.map((k) => s.labels[k]).filter(Boolean);
    // A series with labels but no legend is named by what tells it apart, or by its role when alone.
    const label =
      distinct.length > 0
        ? `${SHORT_ROLE[s.role]} ${distinct.join(' ')}`
        : signals.length > 1
          ? s.name
          : LONE_LABEL[s.role];
    return { ...s, label };
  });
}

/** A role's only series is named by the role; the traffic lane is already called Traffic. */
const LONE_LABEL: Record<Role, string> = { ...ROLE_LABELS, traffic: 'Request rate' };

const SHORT_ROLE: Record<Role, string> = {
  traffic: 'Traffic',
  baseline: 'Baseline',
  upper: 'Upper',
  lower: 'Lower',
  errors: 'Errors',
  backlog: 'Backlog',
  lag: 'Lag',
  utilization: 'Util',
  healthy: 'Healthy',
  desired: 'Desired',
  deploy: 'Deploy',
};

import { DataFrame, DisplayProcessor, Field, FieldType, getFieldDisplayName, ThresholdsMode } from '@grafana/data';
import { ROLE_LABELS, ROLE_ORDER, ROLE_UNITS } from '../defaults';
import { Role, RoleMatchers } from '../types';
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
  readonly frameCount: number;
}

type Matcher = (candidate: string) => boolean;

/** Parses "name, other, /regex/i" into matchers; a broken regex is reported, not thrown. */
export function compileMatchers(roles: RoleMatchers, notices: string[]): Record<Role, Matcher[]> {
  const out = {} as Record<Role, Matcher[]>;
  for (const role of ROLE_ORDER) {
    const text = typeof roles[role] === 'string' ? roles[role] : '';
    out[role] = splitPatterns(text).flatMap((pattern): Matcher[] => {
      const regex = /^\/(.+)\/([a-z]*)$/.exec(pattern);
      if (!regex) {
        const wanted = pattern.toLowerCase();
        return [(candidate) => candidate.toLowerCase() === wanted];
      }
      try {
        const re = new RegExp(regex[1], regex[2]);
        return [(candidate) => re.test(candidate)];
      } catch {
        notices.push(`${ROLE_LABELS[role]} role: ${pattern} is not a valid regular expression`);
        return [];
      }
    });
  }
  return out;
}

/** Splits on commas outside /regex/ literals, so `/a{1,3}/` stays whole. */
export function splitPatterns(text: string): string[] {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && (text[i] === ',' || text[i] === ' ')) {
      i++;
    }
    if (i >= text.length) {
      break;
    }
    let end: number;
    if (text[i] === '/') {
      // A regex literal runs to its closing (unescaped) slash and its flags.
      end = i + 1;
      while (end < text.length && !(text[end] === '/' && text[end - 1] !== '\\')) {
        end++;
      }
      end++;
      while (end < text.length && /[a-z]/.test(text[end])) {
        end++;
      }
    } else {
      end = text.indexOf(',', i);
      end = end < 0 ? text.length : end;
    }
    parts.push(text.slice(i, end).trim());
    i = end;
  }
  return parts.filter((p) => p.length > 0);
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

function absoluteThresholds(field: Field): number[] {
  const t = field.config?.thresholds;
  if (!t || t.mode !== ThresholdsMode.Absolute || !Array.isArray(t.steps)) {
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
  return notes;
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
      const role = ROLE_ORDER.find((r) => matchers[r].some((m) => names.some(m)));
      if (!role) {
        if (field.type === FieldType.number) {
          unmatched.push(displayName);
        }
        continue;
      }
      const raw = field.values ?? [];
      column = column ?? readTimeColumn(timeField.values as ArrayLike<unknown>);
      const { series, repairs } = readSeries(column, raw as ArrayLike<unknown>);
      notices.push(...describeRepairs(displayName, repairs));
      if (series.time.length === 0 || series.gaps === series.values.length) {
        notices.push(`${displayName} (${ROLE_LABELS[role]}): no numeric values`);
        continue;
      }
      const config = field.config ?? {};
      byRole[role].push({
        ...series,
        role,
        name: displayName,
        label: config.displayName || config.displayNameFromDS || '',
        labels: field.labels ?? {},
        unit: typeof config.unit === 'string' && config.unit ? config.unit : ROLE_UNITS[role],
        decimals: typeof config.decimals === 'number' ? config.decimals : undefined,
        color: config.color?.mode === 'fixed' ? config.color.fixedColor : undefined,
        thresholds: absoluteThresholds(field),
        display: typeof field.display === 'function' ? field.display : undefined,
      });
    }
  });

  for (const role of ROLE_ORDER) {
    byRole[role] = withShortLabels(byRole[role]);
  }
  return { byRole, notices, unmatched, frameCount: list.length };
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

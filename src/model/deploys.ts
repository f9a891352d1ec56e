import { DataFrame, Field, FieldType } from '@grafana/data';
import { DeployOptions } from '../types';
import { Signal } from './frames';
import { indexAtOrBefore, NumericSeries } from './series';

export interface DeployMarker {
  readonly time: number;
  /** e.g. the release version or the annotation's text. */
  readonly label: string;
  readonly source: 'annotation' | 'series';
}

function fieldByName(frame: DataFrame, names: string[]): Field | undefined {
  return frame.fields?.find((f) => f && names.includes(String(f.name).toLowerCase()));
}

function annotationTags(raw: unknown): string[] {
  if (Array.isArray(raw)) {
    return raw.map(String);
  }
  return typeof raw === 'string' && raw ? raw.split(',').map((t) => t.trim()) : [];
}

/** An annotation that is not a deploy: kept for the lanes to draw, never used for the status. */
export interface AnnotationMarker {
  readonly time: number;
  /** Equal to `time` for a point in time; later for a region. */
  readonly timeEnd: number;
  /** `alert`: an alert rule changed state (Grafana's "Annotations & Alerts"); `note`: anything else. */
  readonly kind: 'alert' | 'note';
  /** Plain text: the title or text, HTML removed; for alerts the state first ("Alerting: ..."). */
  readonly label: string;
  readonly tags: readonly string[];
  /** The annotation query's colour, when Grafana set one. */
  readonly color?: string;
}

/** Annotation text may carry HTML; labels are plain text, and short. */
function plainText(raw: unknown, max = 120): string {
  const text = String(raw ?? '')
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function queryTags(source: unknown): string[] {
  const tags = source && typeof source === 'object' ? (source as { tags?: unknown }).tags : undefined;
  return Array.isArray(tags) ? tags.map(String) : [];
}

/**
 * Splits the panel's annotations (Grafana hands them over as data frames) into deploys and the rest. Alert-state
 * annotations are never deploys. In `tagged` mode (the default) an annotation is a deploy when it carries the
 * deploy tag, or when the annotation query that made it does: Prometheus annotation queries give their events no
 * tags of their own, only the query's. In `all` mode every other annotation is a deploy; in `none`, none is.
 */
export function readAnnotations(
  frames: unknown,
  options: DeployOptions
): { deploys: DeployMarker[]; annotations: AnnotationMarker[] } {
  const deploys: DeployMarker[] = [];
  const annotations: AnnotationMarker[] = [];
  if (!Array.isArray(frames)) {
    return { deploys, annotations };
  }
  const wanted = options.annotationTag.trim().toLowerCase();
  for (const frame of frames as DataFrame[]) {
    if (!frame || !Array.isArray(frame.fields)) {
      continue;
    }
    const time = fieldByName(frame, ['time']) ?? frame.fields.find((f) => f && f.type === FieldType.time);
    if (!time?.values) {
      continue;
    }
    const [timeEnd, text, title, tags, source, newState, alertId, color] = [
      'timeend',
      'text',
      'title',
      'tags',
      'source',
      'newstate',
      'alertid',
      'color',
    ].map((name) => fieldByName(frame, [name]));
    for (let i = 0; i < time.values.length; i++) {
      const t = Number(time.values[i]);
      if (!Number.isFinite(t)) {
        continue;
      }
      const end = Number(timeEnd?.values[i]);
      const state = plainText(newState?.values[i], 40);
      const isAlert = state !== '' || Number(alertId?.values[i]) > 0;
      const rowTags = annotationTags(tags?.values[i]);
      const tagged = [...rowTags, ...queryTags(source?.values[i])].some((tag) => tag.toLowerCase() === wanted);
      const isDeploy = !isAlert && (options.annotations === 'all' || (options.annotations === 'tagged' && tagged));
      const label = plainText(title?.values[i]) || plainText(text?.values[i]);
      if (isDeploy) {
        deploys.push({ time: t, label: label || 'deploy', source: 'annotation' });
        continue;
      }
      const c = color?.values[i];
      annotations.push({
        time: t,
        timeEnd: Number.isFinite(end) && end > t ? end : t,
        kind: isAlert ? 'alert' : 'note',
        label: isAlert && state ? `${state}: ${label}` : label || 'annotation',
        tags: rowTags,
        color: typeof c === 'string' && c ? c : undefined,
      });
    }
  }
  return { deploys, annotations };
}

/** Deploy markers from the panel's annotations (see readAnnotations). */
export function deploysFromAnnotations(frames: unknown, options: DeployOptions): DeployMarker[] {
  return readAnnotations(frames, options).deploys;
}

/**
 * Deploys from a deploy-time gauge (service_last_deploy_timestamp_seconds): every new value is a deploy at
 * that time. Values are seconds; values that are already milliseconds are taken as they are.
 */
export function deploysFromSeries(signals: readonly Signal[], from: number, to: number): DeployMarker[] {
  const out: DeployMarker[] = [];
  for (const s of signals) {
    let previous = NaN;
    for (let i = 0; i < s.values.length; i++) {
      const v = s.values[i];
      if (Number.isNaN(v) || v === previous) {
        continue;
      }
      previous = v;
      const t = v > 1e11 ? v : v * 1000;
      if (t >= from && t <= to) {
        const service = s.labels.service;
        const version = s.labels.version;
        out.push({ time: t, label: [service, version].filter(Boolean).join(' ') || 'deploy', source: 'series' });
      }
    }
  }
  return out;
}

/** One marker per deploy: sources that report the same deploy within the tolerance are merged. */
export function mergeDeploys(markers: readonly DeployMarker[], toleranceMs = 60_000): DeployMarker[] {
  const sorted = [...markers].sort((a, b) => a.time - b.time);
  const out: DeployMarker[] = [];
  for (const m of sorted) {
    const last = out[out.length - 1];
    if (last && m.time - last.time <= toleranceMs) {
      // Prefer the series' label (it names the version), keep the earliest time.
      if (m.source === 'series' && last.source !== 'series') {
        out[out.length - 1] = { ...m, time: last.time };
      }
      continue;
    }
    out.push(m);
  }
  return out;
}

export interface DeployImpact {
  readonly deploy: DeployMarker;
  /** Mean traffic in the window before the deploy. */
  readonly before: number;
  /** Mean traffic over the later half of the time since the deploy (up to the window): the level it settled at. */
  readonly after: number;
  /** after / before - 1. */
  readonly change: number;
  readonly agoMs: number;
}

function meanBetween(series: NumericSeries, from: number, to: number): number {
  let sum = 0;
  let n = 0;
  for (let i = Math.max(0, indexAtOrBefore(series.time, from)); i < series.time.length && series.time[i] <= to; i++) {
    if (series.time[i] >= from && !Number.isNaN(series.values[i])) {
      sum += series.values[i];
      n++;
    }
  }
  return n > 0 ? sum / n : NaN;
}

/**
 * The traffic change a deploy brought: the level since the deploy against the mean over windowMs before it. The
 * second report's signature: a broken release makes clients retry.
 *
 * Traffic is a rate over a trailing window (`rate(x[5m])`), so a step at the deploy is drawn as a ramp as long as
 * that window. The mean since the deploy counts the ramp and reads a +64% step as +47% ten minutes later; the
 * level is therefore the mean over the later half of the time since the deploy (at most windowMs), where a
 * ramp no longer than half the window has settled.
 */
export function deployImpact(
  traffic: NumericSeries,
  deploy: DeployMarker,
  now: number,
  windowMs: number
): DeployImpact | null {
  if (deploy.time > now) {
    return null;
  }
  const before = meanBetween(traffic, deploy.time - windowMs, deploy.time - 1);
  const elapsed = Math.min(now, deploy.time + windowMs) - deploy.time;
  const after = meanBetween(traffic, deploy.time + elapsed / 2, deploy.time + elapsed);
  if (!(before > 0) || Number.isNaN(after)) {
    return null;
  }
  return { deploy, before, after, change: after / before - 1, agoMs: now - deploy.time };
}

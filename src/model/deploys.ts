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

/** Deploy markers from the panel's annotations (Grafana hands them to panels as data frames). */
export function deploysFromAnnotations(frames: unknown, options: DeployOptions): DeployMarker[] {
  if (options.annotations === 'none' || !Array.isArray(frames)) {
    return [];
  }
  const out: DeployMarker[] = [];
  for (const frame of frames as DataFrame[]) {
    if (!frame || !Array.isArray(frame.fields)) {
      continue;
    }
    const time = frame.fields.find((f) => f && f.type === FieldType.time) ?? fieldByName(frame, ['time']);
    if (!time?.values) {
      continue;
    }
    const text = fieldByName(frame, ['text']);
    const title = fieldByName(frame, ['title']);
    const tags = fieldByName(frame, ['tags']);
    for (let i = 0; i < time.values.length; i++) {
      const t = Number(time.values[i]);
      if (!Number.isFinite(t)) {
        continue;
      }
      if (options.annotations === 'tagged' && !annotationTags(tags?.values[i]).includes(options.annotationTag)) {
        continue;
      }
      const label = String(title?.values[i] ?? text?.values[i] ?? 'deploy')
        // Annotation text may carry HTML; the label is plain text.
        .replace(/<[^>]*>/g, '')
        .trim();
      out.push({ time: t, label: label || 'deploy', source: 'annotation' });
    }
  }
  return out;
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
  /** Mean traffic since the deploy (up to the window). */
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
 * The traffic change a deploy brought: mean rate since the deploy (at most windowMs) against the mean
 * over windowMs before it. The second report's signature: a broken release makes clients retry.
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
  const after = meanBetween(traffic, deploy.time, Math.min(now, deploy.time + windowMs));
  if (!(before > 0) || Number.isNaN(after)) {
    return null;
  }
  return { deploy, before, after, change: after / before - 1, agoMs: now - deploy.time };
}

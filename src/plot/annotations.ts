import { DataFrame, Field, FieldType } from '@grafana/data';
import { CascadeModel } from '../model/cascade';
import { CascadeOptions } from '../types';

/** An annotation that is not a deploy (a manual note, an alert's state change), as the panel draws it. */
export interface PanelAnnotation {
  readonly time: number;
  /** Equal to `time` for a point in time; later for a region. */
  readonly timeEnd: number;
  readonly kind: 'alert' | 'note';
  readonly label: string;
  readonly color?: string;
}

function column(frame: DataFrame, name: string) {
  return frame.fields.find((f) => f && String(f.name).toLowerCase() === name)?.values;
}

function tagsOf(raw: unknown): string[] {
  if (Array.isArray(raw)) {
    return raw.map((t) => String(t).toLowerCase());
  }
  return typeof raw === 'string' && raw ? raw.split(',').map((t) => t.trim().toLowerCase()) : [];
}

function plainText(raw: unknown): string {
  return String(raw ?? '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
}

/**
 * The annotations to draw as annotations, not deploys. The model lists them (`model.annotations`) once it
 * tells them apart from deploys; until then they are read here from the panel's annotation frames: the rows
 * the deploy option does not take as deploys (none with "All", the untagged ones with "Tagged").
 */
export function panelAnnotations(
  model: CascadeModel,
  frames: readonly DataFrame[] | undefined,
  options: CascadeOptions
): PanelAnnotation[] {
  const fromModel = (model as { annotations?: readonly PanelAnnotation[] }).annotations;
  if (Array.isArray(fromModel)) {
    return [...fromModel];
  }
  const mode = options.deploys?.annotations;
  if (mode === 'all' || !Array.isArray(frames)) {
    return [];
  }
  const tag = String(options.deploys?.annotationTag ?? '').toLowerCase();
  const out: PanelAnnotation[] = [];
  for (const frame of frames) {
    if (!frame || !Array.isArray(frame.fields)) {
      continue;
    }
    const time = column(frame, 'time') ?? frame.fields.find((f: Field) => f?.type === FieldType.time)?.values;
    if (!time) {
      continue;
    }
    const [timeEnd, title, text, tags, newState, color] = ['timeend', 'title', 'text', 'tags', 'newstate', 'color'].map(
      (n) => column(frame, n)
    );
    for (let i = 0; i < time.length; i++) {
      const t = Number(time[i]);
      if (!Number.isFinite(t) || (mode === 'tagged' && tagsOf(tags?.[i]).includes(tag))) {
        continue;
      }
      const end = Number(timeEnd?.[i]);
      const state = plainText(newState?.[i]);
      const words = plainText(title?.[i]) || plainText(text?.[i]) || 'annotation';
      out.push({
        time: t,
        timeEnd: Number.isFinite(end) && end > t ? end : t,
        kind: state ? 'alert' : 'note',
        label: state ? `${state}: ${words}` : words,
        color: typeof color?.[i] === 'string' && color[i] ? String(color[i]) : undefined,
      });
    }
  }
  return out.sort((a, b) => a.time - b.time);
}

/** The annotations at a hovered time, within `toleranceMs` of a point or inside a region. */
export function annotationsAt(
  annotations: readonly PanelAnnotation[],
  time: number,
  toleranceMs: number
): PanelAnnotation[] {
  return annotations.filter((a) => time >= a.time - toleranceMs && time <= a.timeEnd + toleranceMs);
}

import { DEFAULT_OPTIONS } from '../defaults';
import { CascadeOptions } from '../types';

/**
 * Panel options as saved in a dashboard can be anything: older versions, hand-edited JSON, provisioning
 * mistakes. This fills what is missing from the defaults and replaces values of the wrong type, and
 * says which ones it replaced, so the panel never works on a NaN threshold.
 */
export function resolveOptions(raw: unknown): { options: CascadeOptions; problems: string[] } {
  const problems: string[] = [];
  const options = mergeWithDefaults(DEFAULT_OPTIONS, raw, '', problems) as CascadeOptions;
  if (!BAND_MODES.includes(options.traffic.bandMode)) {
    problems.push(`option traffic.bandMode should be one of ${BAND_MODES.join(', ')}`);
    options.traffic.bandMode = DEFAULT_OPTIONS.traffic.bandMode;
  }
  if (!ANNOTATION_MODES.includes(options.deploys.annotations)) {
    problems.push(`option deploys.annotations should be one of ${ANNOTATION_MODES.join(', ')}`);
    options.deploys.annotations = DEFAULT_OPTIONS.deploys.annotations;
  }
  return { options, problems };
}

export const BAND_MODES: ReadonlyArray<CascadeOptions['traffic']['bandMode']> = ['auto', 'query', 'computed', 'off'];
export const ANNOTATION_MODES: ReadonlyArray<CascadeOptions['deploys']['annotations']> = ['all', 'tagged', 'none'];

function mergeWithDefaults(defaults: unknown, raw: unknown, path: string, problems: string[]): unknown {
  if (defaults !== null && typeof defaults === 'object') {
    const source =
      raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    if (raw !== undefined && source !== raw) {
      problems.push(`option ${path || 'root'} should be an object`);
    }
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(defaults as Record<string, unknown>)) {
      out[key] = mergeWithDefaults(value, source[key], path ? `${path}.${key}` : key, problems);
    }
    return out;
  }
  if (raw === undefined || raw === null) {
    return defaults;
  }
  if (typeof defaults === 'number') {
    // Number inputs in the editor can hand over strings.
    const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0) {
      return n;
    }
    problems.push(`option ${path} should be a non-negative number, got ${JSON.stringify(raw)}`);
    return defaults;
  }
  if (typeof raw !== typeof defaults) {
    problems.push(`option ${path} should be a ${typeof defaults}, got ${JSON.stringify(raw)}`);
    return defaults;
  }
  return raw;
}

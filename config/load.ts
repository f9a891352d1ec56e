/**
 * Reading a user's configuration: YAML file → presets → defaults, validated with messages that
 * name the file, the field and what was expected.
 */
import fs from 'fs';
import path from 'path';
import YAML from 'yaml';
import type { z } from 'zod';

import { namedList } from '../lib/namedList';
import { configSchema, DEFAULT_CONFIG, type CascadeConfig } from './schema';

export const PRESETS_DIR = path.resolve(__dirname, 'presets');

/** A configuration problem a person can fix; the CLI prints `message` and exits with status 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Plain = Record<string, unknown>;

function isPlainObject(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key; anything else (lists included) is replaced by the override. */
export function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) {
    return override === undefined ? base : override;
  }
  const merged: Plain = { ...base };
  for (const [key, value] of Object.entries(override)) {
    merged[key] = key in base ? deepMerge(base[key], value) : value;
  }
  return merged;
}

export function listPresets(): string[] {
  return fs
    .readdirSync(PRESETS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.replace(/\.yaml$/, ''))
    .sort();
}

function formatPath(issuePath: readonly PropertyKey[]): string {
  return issuePath.length === 0 ? '(top level)' : issuePath.map(String).join('.');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  }
  return issue.message;
}

/** Parses one YAML document into a plain object, or explains why it is not one. */
export function parseYamlObject(text: string, source: string): Plain {
  let value: unknown;
  try {
    const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      throw doc.errors[0];
    }
    // Turning the document into values is where aliases expand: the yaml library stops an alias bomb here.
    value = doc.toJS();
  } catch (err) {
    throw new ConfigError(`${source}: not valid YAML: ${(err as Error).message}`);
  }
  if (value === null || value === undefined) {
    return {};
  }
  if (!isPlainObject(value)) {
    throw new ConfigError(`${source}: expected a mapping of settings at the top level, got ${typeof value}`);
  }
  return value;
}

function readPreset(name: string, requestedBy: string): Plain {
  if (!/^[a-z0-9-]+$/.test(name) || !listPresets().includes(name)) {
    throw new ConfigError(`${requestedBy}: unknown preset "${name}"; expected one of ${listPresets().join(', ')}`);
  }
  const file = path.join(PRESETS_DIR, `${name}.yaml`);
  const preset = parseYamlObject(fs.readFileSync(file, 'utf8'), file);
  delete preset.presets;
  return preset;
}

function presetNames(value: unknown, source: string): string[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new ConfigError(`${source}: presets: expected a list of preset names (${listPresets().join(', ')})`);
  }
  return value;
}

/**
 * Validates a merged configuration object. `source` names where it came from in messages.
 * Every problem is reported at once, one per line.
 */
export function validateConfig(candidate: unknown, source: string): CascadeConfig {
  const result = configSchema.safeParse(candidate);
  if (result.success) {
    return result.data;
  }
  const lines = result.error.issues.map((issue) => `${source}: ${formatPath(issue.path)}: ${describeIssue(issue)}`);
  throw new ConfigError(lines.join('\n'));
}

export interface LoadOptions {
  /** The user's YAML file; omitted for the defaults. */
  file?: string;
  /** Presets applied before the file, in order (the file's own `presets:` list comes after these). */
  presets?: string[];
  /** Told, in a sentence, when the file undoes a preset (see `presetsUndone`); the configuration still loads. */
  warn?: (message: string) => void;
}

/** Each leaf (a value that is not a mapping) of a plain object, with its path. */
function leaves(value: Plain, prefix: string[] = []): Array<[string[], unknown]> {
  return Object.entries(value).flatMap(([key, v]) =>
    isPlainObject(v) ? leaves(v, [...prefix, key]) : [[[...prefix, key], v] as [string[], unknown]]
  );
}

function at(value: unknown, keys: string[]): unknown {
  return keys.reduce<unknown>((v, key) => (isPlainObject(v) && key in v ? v[key] : undefined), value);
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The fields a user's file sets back to their default where a preset had changed them: what a file printed by
 * `--print-config` without the presets does (it holds every field), silently turning the preset off. One
 * sentence per preset, or none.
 */
export function presetsUndone(presets: Array<[string, Plain]>, user: Plain, file: string): string[] {
  return presets.flatMap(([name, preset]) => {
    const undone = leaves(preset)
      .filter(([keys, value]) => !same(value, at(DEFAULT_CONFIG, keys)))
      .filter(([keys]) => at(user, keys) !== undefined && same(at(user, keys), at(DEFAULT_CONFIG, keys)))
      .map(([keys]) => keys.join('.'));
    if (undone.length === 0) {
      return [];
    }
    return [
      `${file}: undoes preset ${name}: it sets ${namedList(undone)} back to ${undone.length > 1 ? 'their defaults' : 'its default'}. ` +
        `A file printed by --print-config holds every field: print it with the presets ` +
        `(cascade-rules --preset ${name} --print-config), or keep in it only the fields you change.`,
    ];
  });
}

/** Defaults, then presets, then the user's file; validated as a whole. */
export function loadConfig(options: LoadOptions = {}): CascadeConfig {
  let merged: unknown = DEFAULT_CONFIG;
  const applied: Array<[string, Plain]> = [];
  for (const name of options.presets ?? []) {
    applied.push([name, readPreset(name, 'command line')]);
    merged = deepMerge(merged, applied[applied.length - 1][1]);
  }
  let source = 'defaults';
  if (options.file !== undefined) {
    source = options.file;
    let text: string;
    try {
      text = fs.readFileSync(options.file, 'utf8');
    } catch (err) {
      throw new ConfigError(
        `${options.file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`
      );
    }
    const user = parseYamlObject(text, options.file);
    for (const name of presetNames(user.presets, options.file)) {
      applied.push([name, readPreset(name, options.file)]);
      merged = deepMerge(merged, applied[applied.length - 1][1]);
    }
    delete user.presets;
    presetsUndone(applied, user, options.file).forEach((message) => options.warn?.(message));
    merged = deepMerge(merged, user);
  } else if ((options.presets ?? []).length > 0) {
    source = `presets ${(options.presets ?? []).join(', ')}`;
  }
  return validateConfig(merged, source);
}

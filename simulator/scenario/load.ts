/**
 * Scenarios: load a file (YAML or JSON), validate it, resolve its times, and expand repeating events for a run.
 * Every problem becomes a ScenarioError whose message names the file, the field and what was expected, e.g.
 *   simulator/scenarios/x.yaml: events[2].at: expected a time such as "21:02" or "+45m", got "9pm"
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import type { z } from 'zod';
import type { ModelEvent } from '../model/events';
import { DEFAULT_SERVICE, mergeParams, type DeepPartial, type ServiceParams } from '../model/params';
import { scenarioFileSchema, type ScenarioFile, type ScenarioFileEvent } from './schema';
import { parseDuration, parseTimeSpec, TIME_SPEC_EXAMPLES } from './time';

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioError';
  }
}

/** A scenario event with its times resolved to Unix seconds. */
export type ScenarioEvent = ScenarioFileEvent & { start: number; end?: number; period?: number };

export interface Scenario {
  name: string;
  description: string;
  /** Where it was loaded from ("" for one built in code). */
  file: string;
  /** Unix seconds (a UTC day for the incidents). */
  anchor: number;
  seed: number;
  /** The run a scenario is meant to be looked at over (the CLI's default --from/--to). */
  window: { from: number; to: number };
  service: ServiceParams;
  /** Unix seconds of the release running before any deploy event. */
  releaseDeployedAt: number;
  events: ScenarioEvent[];
}

export const SCENARIO_DIR = path.join(__dirname, '..', 'scenarios');
const EXTENSIONS = ['.yaml', '.yml', '.json'];

/** Built-in scenarios, by name, with their descriptions. */
export function listScenarios(): Array<{ name: string; description: string }> {
  return builtinFiles().map((file) => {
    const s = loadScenarioFile(file);
    return { name: s.name, description: s.description };
  });
}

function builtinFiles(): string[] {
  return fs
    .readdirSync(SCENARIO_DIR)
    .filter((f) => EXTENSIONS.includes(path.extname(f)))
    .sort()
    .map((f) => path.join(SCENARIO_DIR, f));
}

/** A built-in scenario's name, or a path to a scenario file. */
export function loadScenario(nameOrPath: string): Scenario {
  const builtin = builtinFiles().find((f) => path.basename(f, path.extname(f)) === nameOrPath);
  if (builtin) {
    return loadScenarioFile(builtin);
  }
  const looksLikePath =
    nameOrPath.includes('/') || nameOrPath.includes('\\') || EXTENSIONS.includes(path.extname(nameOrPath));
  if (looksLikePath && fs.existsSync(nameOrPath)) {
    return loadScenarioFile(nameOrPath);
  }
  const names = builtinFiles().map((f) => path.basename(f, path.extname(f)));
  throw new ScenarioError(
    looksLikePath
      ? `${nameOrPath}: no such scenario file`
      : `unknown scenario "${nameOrPath}": expected one of ${names.join(', ')}, or a path to a .yaml/.json file`
  );
}

export function loadScenarioFile(file: string): Scenario {
  const shown = displayPath(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new ScenarioError(`${shown}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  let raw: unknown;
  try {
    raw = path.extname(file) === '.json' ? JSON.parse(text) : YAML.parse(text, { prettyErrors: false });
  } catch (e) {
    const format = path.extname(file) === '.json' ? 'JSON' : 'YAML';
    // The parser recursed past the stack on deeply nested brackets: say so, not "Maximum call stack size exceeded".
    const why =
      e instanceof RangeError || /Maximum call stack/.test(String(e))
        ? `nested more than the parser can read (${MAX_DEPTH} levels is the most a scenario may use)`
        : firstLine(e);
    throw new ScenarioError(`${shown}: not valid ${format}: ${why}`);
  }
  return parseScenario(raw, shown, path.basename(file, path.extname(file)));
}

/** Validate an already-parsed scenario object; `source` names it in errors. */
export function parseScenario(raw: unknown, source: string, defaultName = 'custom'): Scenario {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ScenarioError(`${source}: expected a mapping with description, anchor, service and events`);
  }
  const deep = tooDeep(raw);
  if (deep) {
    throw new ScenarioError(
      `${source}: ${formatPath(deep)}: nested more than ${MAX_DEPTH} levels deep; a scenario's fields are a few levels at most`
    );
  }
  const parsed = scenarioFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ScenarioError(`${source}: ${formatIssue(parsed.error.issues[0], raw)}`);
  }
  return resolve(parsed.data, source, defaultName);
}

/** Deeper than any field of the schema (events[0].effects.x is 4): validation and messages recurse no further. */
const MAX_DEPTH = 16;

/** The path to the first value nested deeper than MAX_DEPTH, found without recursion; undefined if none. */
function tooDeep(raw: object): PropertyKey[] | undefined {
  const stack: Array<{ value: unknown; path: PropertyKey[] }> = [{ value: raw, path: [] }];
  while (stack.length) {
    const { value, path: at } = stack.pop()!;
    if (typeof value !== 'object' || value === null) {
      continue;
    }
    if (at.length > MAX_DEPTH) {
      return at.slice(0, MAX_DEPTH + 1);
    }
    for (const [key, child] of Object.entries(value)) {
      stack.push({ value: child, path: [...at, Array.isArray(value) ? Number(key) : key] });
    }
  }
  return undefined;
}

function resolve(file: ScenarioFile, source: string, defaultName: string): Scenario {
  const anchor = parseTimeSpec(file.anchor, 0)!;
  const time = (spec: string, field: string): number => {
    const t = parseTimeSpec(spec, anchor);
    if (t === undefined) {
      throw new ScenarioError(
        `${source}: ${field}: expected a time such as ${TIME_SPEC_EXAMPLES}, got ${JSON.stringify(spec)}`
      );
    }
    return t;
  };
  const events = file.events.map((e, i): ScenarioEvent => {
    const field = `events[${i}]`;
    const start = time(e.at, `${field}.at`);
    const period = e.every === undefined ? undefined : parseDuration(e.every);
    let end: number | undefined;
    if (e.type === 'surge' && e.until !== undefined) {
      end = time(e.until, `${field}.until`);
      if (end <= start) {
        throw new ScenarioError(
          `${source}: ${field}.until: expected a time after at (${e.at}), got ${JSON.stringify(e.until)}`
        );
      }
    }
    if (e.type === 'batch') {
      end = start + parseDuration(e.for)!;
    }
    if (period !== undefined && end !== undefined && end - start >= period) {
      throw new ScenarioError(`${source}: ${field}.every: expected a period longer than the event itself`);
    }
    return { ...e, start, end, period };
  });
  let window = { from: anchor - 86_400, to: anchor + 86_400 };
  if (file.window) {
    window = { from: time(file.window.from, 'window.from'), to: time(file.window.to, 'window.to') };
    if (window.to <= window.from) {
      throw new ScenarioError(`${source}: window.to: expected a time after window.from`);
    }
  }
  const service = mergeParams<ServiceParams>(DEFAULT_SERVICE, file.service as DeepPartial<ServiceParams>);
  return {
    name: file.name ?? defaultName,
    description: file.description,
    file: source,
    anchor,
    seed: file.seed,
    window,
    service,
    releaseDeployedAt: time(service.release.deployedAt, 'service.release.deployedAt'),
    events,
  };
}

/** The model events of a run over [from, to]: one-off events as they are, repeating ones for each occurrence. */
export function eventsForRun(scenario: Scenario, from: number, to: number): ModelEvent[] {
  const out: ModelEvent[] = [];
  for (const e of scenario.events) {
    if (e.period === undefined) {
      out.push(toModelEvent(e, 0, 0));
      continue;
    }
    // Occurrences that may still be in effect at `from` (a day of slack covers any batch or surge) up to `to`.
    const first = Math.ceil((from - 86_400 - e.start) / e.period);
    const last = Math.floor((to - e.start) / e.period);
    for (let k = first; k <= last; k++) {
      out.push(toModelEvent(e, k * e.period, k));
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

function toModelEvent(e: ScenarioEvent, shift: number, occurrence: number): ModelEvent {
  const start = e.start + shift;
  const end = e.end === undefined ? Infinity : e.end + shift;
  switch (e.type) {
    case 'surge':
      return {
        type: 'surge',
        start,
        end,
        note: e.note,
        routes: e.routes,
        rampMinutes: e.rampMinutes,
        fallMinutes: e.fallMinutes,
        sourcesMultiplier: e.sourcesMultiplier,
        writeCostMultiplier: e.writeCostMultiplier,
        readCostMultiplier: e.readCostMultiplier,
      };
    case 'deploy':
      return {
        type: 'deploy',
        start,
        note: e.note,
        version: e.version
          .replace('{n}', String(occurrence))
          .replace('{date}', new Date(start * 1000).toISOString().slice(0, 10).replace(/-/g, '.')),
        breaks: e.breaks,
        blip: e.blip,
        effects: e.effects,
        rampMinutes: e.rampMinutes,
      };
    case 'add-replicas':
      return { type: 'add-replicas', start, note: e.note, count: e.count };
    case 'scale':
      return { type: 'scale', start, note: e.note, desired: e.desired };
    case 'batch':
      return { type: 'batch', start, end, note: e.note, writeRate: e.writeRate };
    case 'restart':
      return { type: 'restart', start, note: e.note };
  }
}

/** `events[2].at` from a zod issue path. */
export function formatPath(p: readonly PropertyKey[]): string {
  let out = '';
  for (const key of p) {
    out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  }
  return out || '(top level)';
}

function formatIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const where = formatPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    return `${where === '(top level)' ? '' : `${where}: `}unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  }
  const got = valueAt(raw, issue.path);
  // zod's own wording is "Invalid input: expected number, received string"; say what we got instead.
  const message = issue.message.replace(/^Invalid input: /, '').replace(/, received \w+$/, '');
  if (got === undefined && issue.code === 'invalid_type') {
    return `${where}: missing: ${message}`;
  }
  return `${where}: ${message.includes(', got ') ? message : `${message}, got ${describeValue(got)}`}`;
}

function valueAt(raw: unknown, p: readonly PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const key of p) {
    if (typeof v !== 'object' || v === null) {
      return undefined;
    }
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function describeValue(v: unknown): string {
  if (v === undefined) {
    return 'nothing';
  }
  if (typeof v === 'number' && !Number.isFinite(v)) {
    return String(v);
  }
  const json = JSON.stringify(v);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel;
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

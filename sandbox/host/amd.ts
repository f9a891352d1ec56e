/**
 * A small AMD loader for one module at a time, the part of Grafana's SystemJS setup a panel plugin
 * relies on: the built `module.js` calls `define([...deps], factory)`; the host supplies every dep
 * from its own bundle (React, @grafana/*, ...), plus the special `module` (whose `uri` webpack uses
 * to find its public path), `exports` and `require`. No DOM here, so it runs in Node tests too.
 */

/** Returns the module value the plugin receives for a dep; may load it lazily. */
export type HostModuleProvider = () => unknown;
export type HostModules = Readonly<Record<string, HostModuleProvider>>;

export interface AmdDefinition {
  readonly id?: string;
  readonly deps: readonly string[];
  /** A factory function, or (rarely) the module value itself. */
  readonly factory: unknown;
}

/** Deps every AMD loader resolves itself rather than from the host's modules. */
export const LOADER_DEPS: readonly string[] = ['require', 'exports', 'module'];

export class AmdLoadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AmdLoadError';
  }
}

export class MissingHostModulesError extends AmdLoadError {
  constructor(
    readonly url: string,
    readonly missing: readonly string[],
    readonly supplied: readonly string[]
  ) {
    super(
      `${url} needs modules the host does not supply: ${missing.join(', ')}. ` +
        `The host supplies: ${supplied.join(', ')}. ` +
        'If Grafana supplies them to plugins too, add them to sandbox/host/hostModules.ts; otherwise bundle them into the plugin.'
    );
    this.name = 'MissingHostModulesError';
  }
}

/**
 * Runs the module's source with a private `define` and returns what it defined. The source sees
 * `define.amd`, as UMD wrappers expect, but no global is touched.
 */
export function captureDefinition(source: string, url: string): AmdDefinition {
  const definitions: AmdDefinition[] = [];
  const define = (...args: unknown[]) => {
    definitions.push(parseDefineArgs(args, url));
  };
  define.amd = {};
  let run: (defineFn: typeof define) => void;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- evaluating the plugin's code is the loader's job
    run = new Function('define', `${source}\n//# sourceURL=${url}`) as (defineFn: typeof define) => void;
  } catch (error) {
    throw new AmdLoadError(`${url} is not valid JavaScript: ${messageOf(error)}`, { cause: error });
  }
  try {
    run(define);
  } catch (error) {
    throw new AmdLoadError(`Evaluating ${url} threw: ${messageOf(error)}`, { cause: error });
  }
  if (definitions.length === 0) {
    throw new AmdLoadError(
      `${url} did not call define(): expected an AMD module, as webpack writes with output.library.type "amd" (run \`npm run build\`).`
    );
  }
  if (definitions.length > 1) {
    throw new AmdLoadError(`${url} called define() ${definitions.length} times; the host loads one module per file.`);
  }
  return definitions[0];
}

function parseDefineArgs(args: unknown[], url: string): AmdDefinition {
  const [first, second, third] = args;
  if (typeof first === 'string') {
    if (!Array.isArray(second)) {
      return withImplicitDeps(first, third === undefined ? second : third);
    }
    return { id: first, deps: stringDeps(second, url), factory: third };
  }
  if (Array.isArray(first)) {
    return { deps: stringDeps(first, url), factory: second };
  }
  return withImplicitDeps(undefined, first);
}

/** `define(function (require, exports, module) {...})`: the CommonJS-style form asks for the loader deps by arity. */
function withImplicitDeps(id: string | undefined, factory: unknown): AmdDefinition {
  const deps = typeof factory === 'function' && factory.length > 0 ? LOADER_DEPS.slice(0, factory.length) : [];
  return { id, deps, factory };
}

function stringDeps(deps: unknown[], url: string): string[] {
  const bad = deps.filter((d) => typeof d !== 'string');
  if (bad.length > 0) {
    throw new AmdLoadError(`${url} lists dependencies that are not strings: ${bad.map((d) => String(d)).join(', ')}.`);
  }
  return deps as string[];
}

/** The deps neither the loader nor the host can supply, in the order the module lists them. */
export function missingDependencies(deps: readonly string[], modules: HostModules): string[] {
  return deps.filter((dep) => !LOADER_DEPS.includes(dep) && !Object.prototype.hasOwnProperty.call(modules, dep));
}

/**
 * Resolves the definition's deps (waiting for lazily loaded ones), calls its factory and returns
 * the module's exports. Every missing dep is named at once, before anything runs.
 */
export async function instantiate(
  definition: AmdDefinition,
  url: string,
  modules: HostModules
): Promise<Record<string, unknown>> {
  const missing = missingDependencies(definition.deps, modules);
  if (missing.length > 0) {
    throw new MissingHostModulesError(url, missing, Object.keys(modules).sort());
  }

  const moduleRecord = {
    id: definition.id ?? url,
    uri: url,
    exports: {} as Record<string, unknown>,
    config: () => ({}),
  };
  const resolved = new Map<string, unknown>();
  const hostValues = await Promise.all(
    definition.deps.filter((dep) => !LOADER_DEPS.includes(dep)).map(async (dep) => [dep, await modules[dep]()] as const)
  );
  hostValues.forEach(([dep, value]) => resolved.set(dep, value));

  // The module's own synchronous require() can only hand out what was already resolved for it.
  const localRequire = (name: string) => {
    if (name === 'exports') {
      return moduleRecord.exports;
    }
    if (name === 'module') {
      return moduleRecord;
    }
    if (!resolved.has(name)) {
      throw new AmdLoadError(`${url} called require("${name}") for a module it did not list in define().`);
    }
    return resolved.get(name);
  };
  resolved.set('require', localRequire);
  resolved.set('exports', moduleRecord.exports);
  resolved.set('module', moduleRecord);

  const { factory } = definition;
  if (typeof factory !== 'function') {
    return asExports(factory, url);
  }
  let result: unknown;
  try {
    result = factory(...definition.deps.map((dep) => resolved.get(dep)));
  } catch (error) {
    throw new AmdLoadError(`The factory of ${url} threw: ${messageOf(error)}`, { cause: error });
  }
  return asExports(result === undefined ? moduleRecord.exports : result, url);
}

function asExports(value: unknown, url: string): Record<string, unknown> {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) {
    throw new AmdLoadError(`${url} defined ${value === null ? 'null' : typeof value} instead of a module object.`);
  }
  return value as Record<string, unknown>;
}

/** Fetches, evaluates and instantiates one AMD module. `fetchText` is injected so Node tests need no server. */
export async function loadAmdModule(
  url: string,
  modules: HostModules,
  fetchText: (url: string) => Promise<string>
): Promise<Record<string, unknown>> {
  const source = await fetchText(url);
  return instantiate(captureDefinition(source, url), url, modules);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

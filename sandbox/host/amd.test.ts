import { externals } from '../../.config/bundler/externals';
import {
  AmdLoadError,
  captureDefinition,
  HostModules,
  instantiate,
  loadAmdModule,
  missingDependencies,
  MissingHostModulesError,
} from './amd';
import { NOT_SUPPLIED, SUPPLIED_MODULES } from './sharedModules';

const URL_ = '/public/plugins/x/module.js';

/** A webpack-style AMD module returning its exports object. */
const webpackLike = `
define(["@grafana/data", "module", "react"], (data, mod, react) => {
  return { plugin: { kind: data.kind, react: react.name, publicPath: mod.uri.slice(0, mod.uri.lastIndexOf("/") + 1) } };
});`;

const modules: HostModules = {
  '@grafana/data': () => ({ kind: 'grafana-data' }),
  react: () => ({ name: 'react' }),
};

describe('captureDefinition', () => {
  test('reads the deps and factory of define(deps, factory) without running the factory', () => {
    const definition = captureDefinition('define(["a", "b"], function () { throw new Error("not yet"); });', URL_);
    expect(definition.deps).toEqual(['a', 'b']);
    expect(typeof definition.factory).toBe('function');
    expect(definition.id).toBeUndefined();
  });

  test('accepts a named define(id, deps, factory)', () => {
    const definition = captureDefinition('define("named", ["a"], function (a) { return a; });', URL_);
    expect(definition).toMatchObject({ id: 'named', deps: ['a'] });
  });

  test('gives the CommonJS-style define(function (require, exports, module)) the loader deps by arity', () => {
    expect(captureDefinition('define(function (require, exports) {});', URL_).deps).toEqual(['require', 'exports']);
    expect(captureDefinition('define(function () {});', URL_).deps).toEqual([]);
  });

  test('lets UMD wrappers see define.amd', () => {
    const definition = captureDefinition(
      'if (typeof define === "function" && define.amd) { define([], function () { return { umd: true }; }); }',
      URL_
    );
    expect(definition.deps).toEqual([]);
  });

  test('does not leak define into the global scope', () => {
    captureDefinition('define([], function () { return {}; });', URL_);
    expect((globalThis as { define?: unknown }).define).toBeUndefined();
  });

  test('says so when the file never calls define (not an AMD build)', () => {
    expect(() => captureDefinition('var notAmd = 1;', URL_)).toThrow(
      `${URL_} did not call define(): expected an AMD module`
    );
  });

  test('refuses a file that defines twice', () => {
    expect(() => captureDefinition('define([], () => ({})); define([], () => ({}));', URL_)).toThrow(
      'called define() 2 times'
    );
  });

  test('reports syntax errors and errors thrown while evaluating, naming the file', () => {
    expect(() => captureDefinition('define([', URL_)).toThrow(AmdLoadError);
    expect(() => captureDefinition('define([', URL_)).toThrow(`${URL_} is not valid JavaScript`);
    expect(() => captureDefinition('throw new Error("boom")', URL_)).toThrow(`Evaluating ${URL_} threw: boom`);
  });

  test('refuses dependency lists with non-strings', () => {
    expect(() => captureDefinition('define(["a", 42], function () {});', URL_)).toThrow('not strings: 42');
  });
});

describe('missingDependencies', () => {
  test('lists host deps that are not supplied, in order, ignoring the loader deps', () => {
    expect(missingDependencies(['require', 'react', 'slate', 'module', 'angular', 'exports'], modules)).toEqual([
      'slate',
      'angular',
    ]);
  });

  test('does not mistake inherited object properties for modules', () => {
    expect(missingDependencies(['toString', 'constructor'], modules)).toEqual(['toString', 'constructor']);
  });
});

describe('instantiate', () => {
  test('passes host modules and a module record whose uri gives webpack its public path', async () => {
    const exports = await instantiate(captureDefinition(webpackLike, URL_), URL_, modules);
    expect(exports.plugin).toEqual({ kind: 'grafana-data', react: 'react', publicPath: '/public/plugins/x/' });
  });

  test('names every missing module at once, before running anything', async () => {
    const factory = jest.fn();
    const attempt = instantiate({ deps: ['react', 'slate', 'angular'], factory }, URL_, modules);
    await expect(attempt).rejects.toBeInstanceOf(MissingHostModulesError);
    await expect(attempt).rejects.toThrow(`${URL_} needs modules the host does not supply: slate, angular.`);
    await expect(attempt).rejects.toThrow('The host supplies: @grafana/data, react.');
    expect(factory).not.toHaveBeenCalled();
  });

  test('waits for modules the host loads lazily', async () => {
    const lazy: HostModules = { d3: () => Promise.resolve({ name: 'd3' }) };
    const exports = await instantiate(captureDefinition('define(["d3"], (d3) => ({ d3: d3.name }))', URL_), URL_, lazy);
    expect(exports).toEqual({ d3: 'd3' });
  });

  test('uses `exports` when the factory returns nothing', async () => {
    const source = 'define(["exports", "react"], function (exports, react) { exports.plugin = react.name; })';
    expect(await instantiate(captureDefinition(source, URL_), URL_, modules)).toEqual({ plugin: 'react' });
  });

  test('gives the module a require() for what it listed, and a clear error for what it did not', async () => {
    const listed = 'define(["require", "react"], function (require) { return { r: require("react").name }; })';
    expect(await instantiate(captureDefinition(listed, URL_), URL_, modules)).toEqual({ r: 'react' });
    const unlisted = 'define(["require"], function (require) { return require("react"); })';
    await expect(instantiate(captureDefinition(unlisted, URL_), URL_, modules)).rejects.toThrow(
      'called require("react") for a module it did not list in define()'
    );
  });

  test('takes an object definition as the module itself', async () => {
    expect(await instantiate({ deps: [], factory: { plugin: 1 } }, URL_, modules)).toEqual({ plugin: 1 });
  });

  test('reports a throwing factory with its message and keeps the cause', async () => {
    const failing = instantiate(
      captureDefinition('define([], () => { throw new TypeError("bad"); })', URL_),
      URL_,
      modules
    );
    await expect(failing).rejects.toThrow(`The factory of ${URL_} threw: bad`);
    await expect(failing).rejects.toMatchObject({ cause: expect.any(TypeError) });
  });

  test('refuses a module that defines a primitive', async () => {
    await expect(instantiate({ deps: [], factory: () => 42 }, URL_, modules)).rejects.toThrow(
      'defined number instead of a module'
    );
  });
});

test('loadAmdModule fetches, evaluates and instantiates', async () => {
  const fetchText = jest.fn(async () => webpackLike);
  const exports = await loadAmdModule(URL_, modules, fetchText);
  expect(fetchText).toHaveBeenCalledWith(URL_);
  expect(exports).toHaveProperty('plugin.kind', 'grafana-data');
});

describe('the modules the host supplies', () => {
  /** The plain names the scaffold's webpack config treats as external (regexes and functions aside). */
  const declared = (externals as unknown[]).flatMap((entry) =>
    typeof entry === 'string'
      ? [entry]
      : typeof entry === 'object' && entry !== null && !(entry instanceof RegExp)
        ? Object.values(entry)
        : []
  ) as string[];

  test('cover every external the scaffold declares, or say why not', () => {
    const supplied: readonly string[] = SUPPLIED_MODULES;
    const unaccounted = declared.filter(
      (name) => name !== 'module' && !supplied.includes(name) && !(name in NOT_SUPPLIED)
    );
    expect(declared).toEqual(
      expect.arrayContaining(['react', 'react/jsx-runtime', 'rxjs', 'lodash', '@emotion/css', 'module'])
    );
    expect(unaccounted).toEqual([]);
  });

  test('include the @grafana packages the scaffold matches by pattern', () => {
    expect(SUPPLIED_MODULES).toEqual(expect.arrayContaining(['@grafana/data', '@grafana/ui', '@grafana/runtime']));
  });

  test('never claim to supply what they list as not supplied', () => {
    expect(SUPPLIED_MODULES.filter((name) => name in NOT_SUPPLIED)).toEqual([]);
  });
});

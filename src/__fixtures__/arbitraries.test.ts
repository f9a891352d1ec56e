import fc from 'fast-check';
import { messyOptions, messySeries, PATHOLOGICAL_MATCHERS } from './arbitraries';

/** Every name a generated data change carries: frame names, field names, legends, label keys and values. */
function namesIn(series: unknown): string[] {
  if (!Array.isArray(series)) {
    return [];
  }
  return series.flatMap((frame) => {
    const fields = frame && Array.isArray(frame.fields) ? frame.fields : [];
    return [
      frame?.name,
      ...fields.flatMap((f: { name?: string; config?: { displayNameFromDS?: string }; labels?: object }) => [
        f.name,
        f.config?.displayNameFromDS,
        ...Object.entries(f.labels ?? {}).flat(),
      ]),
    ].filter((n): n is string => typeof n === 'string');
  });
}

/** The label keys of every field of a generated data change. */
function labelKeysIn(series: unknown): string[] {
  if (!Array.isArray(series)) {
    return [];
  }
  return series.flatMap((frame: { fields?: unknown }) =>
    frame && Array.isArray(frame.fields)
      ? frame.fields.flatMap((f: { labels?: object }) => Object.keys(f?.labels ?? {}))
      : []
  );
}

describe('the property tests\u2019 generators', () => {
  it('draw everything from fast-check, so a seed replays a failure exactly', () => {
    const run = () => fc.sample(fc.tuple(messySeries, messyOptions), { seed: 20261129, numRuns: 60 });
    expect(run()).toEqual(run());
  });

  it('include __proto__ keys, names of hundreds of characters and pathological matchers', () => {
    const samples = fc.sample(fc.tuple(messySeries, messyOptions), { seed: 7, numRuns: 400 });
    const labelKeys = samples.flatMap(([series]) => labelKeysIn(series));
    expect(labelKeys).toContain('__proto__');
    expect(Math.max(...samples.flatMap(([series]) => namesIn(series).map((n) => n.length)))).toBeGreaterThanOrEqual(
      200
    );
    const matchers = samples.flatMap(([, options]) => {
      const roles = options && typeof options === 'object' ? (options as { roles?: unknown }).roles : undefined;
      return roles && typeof roles === 'object' ? Object.values(roles) : [];
    });
    for (const pathological of ['/(a+)+$/', '/(\\w+)\\1/']) {
      expect(PATHOLOGICAL_MATCHERS).toContain(pathological);
      expect(matchers).toContain(pathological);
    }
  });
});

import fs from 'fs';
import path from 'path';

import { codeSpan, codeSpans, readDoc, tableRows } from './docs';
import { RECORDED, RECORDED_LABELS, RecordedKey, SIGNALS } from './signals';

// docs/signals.md is the public description of the contract; contract/signals.ts is the same list as code.
// Each test compares them both ways: a series in one and not the other fails, as does any detail that differs.
const signalsMd = readDoc('signals.md');
const REPO = path.resolve(__dirname, '..');

interface DocumentedSeries {
  type: string;
  labels: string[];
  required: string;
}

function documentedInputs(): Map<string, DocumentedSeries> {
  const rows = new Map<string, DocumentedSeries>();
  for (const [series, type, labels, , required] of tableRows(signalsMd, 'series')) {
    const name = codeSpan(series);
    if (name === undefined) {
      throw new Error(`docs/signals.md: the series cell "${series}" is not one \`name\``);
    }
    rows.set(name, { type, labels: codeSpans(labels), required });
  }
  return rows;
}

const sorted = (names: Iterable<string>) => [...names].sort();

describe('docs/signals.md against contract/signals.ts', () => {
  const documented = documentedInputs();
  const coded = new Map<string, (typeof SIGNALS)[keyof typeof SIGNALS]>(Object.values(SIGNALS).map((s) => [s.name, s]));

  it('names the same input series', () => {
    expect(sorted(documented.keys())).toEqual(sorted(coded.keys()));
  });

  it.each(Object.values(SIGNALS).map((s) => [s.name, s] as const))(
    '%s has the documented type, labels and required flag',
    (name, spec) => {
      const doc = documented.get(name);
      expect(doc).toBeDefined();
      expect({ type: doc!.type, labels: sorted(doc!.labels), required: doc!.required }).toEqual({
        type: spec.type,
        labels: sorted(spec.labels),
        required: spec.optional ? 'no' : 'yes',
      });
    }
  );

  it('documents the recorded series other parts read, and only those', () => {
    const rows = tableRows(signalsMd, 'recorded series');
    expect(sorted(rows.map(([series]) => codeSpan(series) ?? series))).toEqual(sorted(Object.values(RECORDED)));
    const labelsByName = new Map(
      (Object.keys(RECORDED) as RecordedKey[]).map((key) => [RECORDED[key], sorted(RECORDED_LABELS[key])])
    );
    expect(
      Object.fromEntries(rows.map(([series, labels]) => [codeSpan(series) ?? series, sorted(codeSpans(labels))]))
    ).toEqual(Object.fromEntries(labelsByName));
  });

  it('documents recorded series the checked-in rule file records', () => {
    // Read as text: this project runs under jsdom, where the yaml package resolves to its ES-module browser build.
    const rules = fs.readFileSync(path.join(REPO, 'alerts', 'cascade-watch.rules.yml'), 'utf8');
    const recorded = new Set([...rules.matchAll(/^\s*- record: (\S+)$/gm)].map((m) => m[1]));
    expect(recorded.size).toBeGreaterThan(Object.keys(RECORDED).length);
    const missing = tableRows(signalsMd, 'recorded series')
      .map(([series]) => codeSpan(series) ?? series)
      .filter((name) => !recorded.has(name));
    expect(missing).toEqual([]);
  });

  it('lists the presets config/presets/ ships, and only those', () => {
    const rows = tableRows(signalsMd, 'preset');
    const shipped = fs.readdirSync(path.join(REPO, 'config', 'presets')).map((f) => f.replace(/\.yaml$/, ''));
    expect(sorted(rows.map(([preset]) => codeSpan(preset) ?? preset))).toEqual(sorted(shipped));
  });
});

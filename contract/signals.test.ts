import fs from 'fs';
import path from 'path';
import { SIGNALS } from './signals';

// The contract file must say what ../shared/SIGNALS.md says: that document is the public interface.
const signalsMd = path.resolve(__dirname, '../../shared/SIGNALS.md');

function documentedSeries(): Map<string, { type: string; labels: string[] }> {
  const rows = new Map<string, { type: string; labels: string[] }>();
  for (const line of fs.readFileSync(signalsMd, 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // | signal | `series` | type | `label`, `label` | meaning |
    const series = /^`([a-z_]+)`$/.exec(cells[2] ?? '');
    if (!series) {
      continue;
    }
    // Drop the parenthesised notes: `role` (`primary` or `replica`) lists values, not labels.
    const labels = [...(cells[4] ?? '').replace(/\([^)]*\)/g, '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
    rows.set(series[1], { type: cells[3], labels });
  }
  return rows;
}

describe('signal contract', () => {
  const documented = documentedSeries();

  it('reads the documented table', () => {
    expect(documented.size).toBeGreaterThanOrEqual(10);
  });

  it.each(Object.entries(SIGNALS))('%s matches SIGNALS.md', (_key, spec) => {
    const doc = documented.get(spec.name);
    expect(doc).toBeDefined();
    expect(doc!.type.startsWith(spec.type)).toBe(true);
    expect([...spec.labels].sort()).toEqual([...doc!.labels].sort());
  });

  it('covers every documented series', () => {
    const names = new Set<string>(Object.values(SIGNALS).map((s) => s.name));
    expect([...documented.keys()].filter((n) => !names.has(n))).toEqual([]);
  });
});

/**
 * The backtest's alert states against Prometheus' own: hand-checked cases, then the same condition patterns
 * through promtool's rule manager (`ALERTS{alertstate="firing"}` asked at every evaluation), whose answers must
 * be exactly the firing spans firingSpans computes.
 */
import fs from 'fs';
import path from 'path';

import { promtool } from '../testing/promtool';
import { encode } from '../testing/series';
import { promDuration, testFileYaml, workDir } from '../testing/testfile';
import { toYaml } from '../render/yaml';
import { firingSpans } from './alertState';

const MINUTE = 60;

/** Evaluation times 0, 60, ... and a pattern of 0/1 per evaluation. */
function spansOf(pattern: string, forSeconds: number, keepSeconds: number) {
  const bits = [...pattern].map((c) => c === '1');
  const times = bits.map((_, i) => i * MINUTE);
  return firingSpans(times, (i) => bits[i], forSeconds, keepSeconds);
}

describe('firingSpans', () => {
  it('fires once the condition held for `for`, counting from the first evaluation that returned it', () => {
    // Returned at 1..6 min; for 3m: firing from 4 min (1 + 3), resolved at 7 min.
    expect(spansOf('01111110000', 3 * MINUTE, 0)).toEqual([{ start: 4 * MINUTE, end: 7 * MINUTE }]);
  });

  it('fires at the first evaluation with for: 0, and a pending alert that is not returned starts over', () => {
    expect(spansOf('0100', 0, 0)).toEqual([{ start: MINUTE, end: 2 * MINUTE }]);
    // Two minutes, a gap, two minutes: never three in a row.
    expect(spansOf('1101101100', 3 * MINUTE, 0)).toEqual([]);
  });

  it('keeps firing for keep_firing_for after the condition clears, a return in between resetting the clock', () => {
    // Firing from 2 min; not returned from 4 min: keeps firing at 4, 5, 6, resolved at 7 (4 + 3).
    expect(spansOf('11110000000', 2 * MINUTE, 3 * MINUTE)).toEqual([{ start: 2 * MINUTE, end: 7 * MINUTE }]);
    // Returned again at 6 min: the clock restarts at 7, resolved at 10.
    expect(spansOf('11110010000000', 2 * MINUTE, 3 * MINUTE)).toEqual([{ start: 2 * MINUTE, end: 10 * MINUTE }]);
  });

  it('leaves a span open when the alert still fires at the last evaluation', () => {
    expect(spansOf('0011', 0, 0)).toEqual([{ start: 2 * MINUTE, end: null }]);
  });
});

describe('firingSpans against promtool (Prometheus 2.42 rule manager)', () => {
  const patterns = [
    '0111111000111111111000011011101111110000000000',
    '1101101111100101111111111100000001111100000110',
    '0000111110111011110000000000111111111101010100',
  ];
  const rules: Array<[string, number, number]> = [
    ['Plain', 3 * MINUTE, 0],
    ['Instant', 0, 0],
    ['Kept', 2 * MINUTE, 4 * MINUTE],
    ['KeptInstant', 0, 3 * MINUTE],
  ];

  it('gives exactly the firing alerts promtool gives at every evaluation', async () => {
    const dir = workDir('backtest-alert-state');
    fs.writeFileSync(
      path.join(dir, 'rules.yml'),
      toYaml({
        groups: [
          {
            name: 'states',
            interval: '1m',
            rules: rules.map(([name, f, k]) => ({
              alert: name,
              expr: 'cond > 0',
              for: promDuration(f),
              ...(k ? { keep_firing_for: promDuration(k) } : {}),
            })),
          },
        ],
      })
    );
    const length = patterns[0].length;
    const checks = [];
    for (let i = 0; i < length; i++) {
      const expSamples = [];
      for (const [name, f, k] of rules) {
        for (const [p, pattern] of patterns.entries()) {
          const spans = spansOf(pattern, f, k);
          if (spans.some((s) => s.start <= i * MINUTE && (s.end === null || s.end > i * MINUTE))) {
            expSamples.push({
              labels: `ALERTS{alertname="${name}", alertstate="firing", pattern="${p}"}`,
              value: 1,
            });
          }
        }
      }
      checks.push({ expr: 'ALERTS{alertstate="firing"}', evalTime: promDuration(i * MINUTE), expSamples });
    }
    // Sanity: the patterns do exercise firing, pending that never fires, and keep_firing_for.
    expect(checks.filter((c) => c.expSamples.length > 0).length).toBeGreaterThan(length / 2);
    fs.writeFileSync(
      path.join(dir, 'test.yml'),
      testFileYaml(
        ['rules.yml'],
        '1m',
        [
          {
            name: 'alert states',
            interval: '1m',
            inputSeries: patterns.map((pattern, p) => ({
              series: `cond{pattern="${p}"}`,
              values: encode([...pattern].map(Number)),
            })),
            promql: checks,
          },
        ],
        ['states']
      )
    );
    const result = await promtool(['test', 'rules', 'test.yml'], { cwd: dir });
    expect(result.output).not.toMatch(/FAILED|error/i);
    expect(result.status).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});

/**
 * The seasonal run's feeders computed in TypeScript (feeders.ts) against promtool's own evaluation of the same
 * rules, on counters with a reset, a scrape gap, a series that starts late and one that stops, and on gauges with
 * a gap longer than the lookback and one that stops.
 */
import fs from 'fs';
import path from 'path';

import { SIGNALS } from '../../contract/signals';
import { extrapolatedRate } from '../../lib/prometheusRate';
import { loadConfig } from '../../config/load';
import { DEFAULT_CONFIG } from '../../config/schema';
import { generateWorld, simulateWorld, WORLD_HISTORY_SECONDS } from '../../simulator/worlds/generate';
import { prometheusRuleGroups } from '../render/prometheus';
import { toYaml } from '../render/yaml';
import { isRecording } from '../rules/model';
import { buildPack } from '../rules/pack';
import { promtool } from '../testing/promtool';
import { counter, encode, hold, trend, withGap, withReset, type Sample } from '../testing/series';
import { printedSamples, promDuration, seriesLiteral, testFileYaml, workDir } from '../testing/testfile';
import { computeFeeders, decodeSeriesValues } from './feeders';
import { dependencies, replay, SLOW_GROUP, type ReplayOptions } from './replay';

const MINUTES = 90;
const STEP = 300;
const TIMEOUT = 60_000;

/** The pack's own feeders of the seasonal group, in the order the replay evaluates them. */
function feederRules() {
  const groups = buildPack(DEFAULT_CONFIG);
  const slow = groups.find((g) => g.name === SLOW_GROUP)!;
  return dependencies(groups, slow).filter(isRecording);
}

function counters(): Array<{ labels: Record<string, string>; samples: Sample[] }> {
  const steady = (rate: number) => hold(rate, MINUTES);
  const late: Sample[] = [...hold(null, 12), ...counter(hold(3, MINUTES - 12), 60, 40)];
  return [
    // A process restart at minute 23: the counter starts again from 0.
    {
      labels: { service: 'shop', route: 'checkout', code: '200' },
      samples: withReset(counter(steady(10), 60, 500), 23),
    },
    // A scrape gap from minute 30 to 34.
    { labels: { service: 'shop', route: 'checkout', code: '503' }, samples: withGap(counter(steady(0.7)), 30, 5) },
    // Starts at minute 12, stops at minute 61.
    {
      labels: { service: 'shop', route: 'search', code: '200' },
      samples: [...late.slice(0, 61), ...hold(null, MINUTES - 61)],
    },
  ];
}

describe('feeders computed in TypeScript', () => {
  it(
    "give promtool's own values of the pack's rate rules at every 5-minute step",
    async () => {
      const rules = feederRules();
      expect(rules.map((r) => r.record)).toContain('cascade:http_requests_by_route:rate5m');
      expect(rules.map((r) => r.record)).toContain('cascade:db_write_backlog:sum');
      const metric = DEFAULT_CONFIG.signals.traffic.metric;
      const backlog = DEFAULT_CONFIG.signals.writeBacklog.metric;
      const writes = DEFAULT_CONFIG.signals.writesApplied.metric;
      const loaded = [
        ...counters().map((c) => ({ name: metric, labels: c.labels, samples: c.samples })),
        // Gauges: a scrape gap longer than the 5-minute lookback (minutes 40-47), and a series that stops at 70.
        { name: backlog, labels: { cluster: 'main' }, samples: withGap(trend(100, 20, 37, MINUTES), 40, 8) },
        { name: backlog, labels: { cluster: 'logs' }, samples: [...hold(12.5, 70), ...hold(null, MINUTES - 70)] },
        { name: writes, labels: { cluster: 'main' }, samples: counter(hold(40, MINUTES)) },
      ];
      const inputs = loaded.map((c) => ({ series: seriesLiteral(c.name, c.labels), values: encode(c.samples) }));
      const dir = workDir('feeders');
      fs.writeFileSync(
        path.join(dir, 'rules.yml'),
        toYaml({ groups: prometheusRuleGroups(DEFAULT_CONFIG, [{ name: 'feeders', interval: '1m', rules }]) })
      );
      const last = (MINUTES - 1) * 60 - (((MINUTES - 1) * 60) % STEP);
      const queries = [];
      for (let t = 0; t <= last; t += STEP) {
        queries.push({
          expr: `label_replace({__name__=~"cascade:.+"}, "t", "${t}", "", "")`,
          evalTime: promDuration(t),
          expSamples: [],
        });
      }
      fs.writeFileSync(
        path.join(dir, 'test.yml'),
        testFileYaml(['rules.yml'], '5m', [{ name: 'feeders', interval: '60s', inputSeries: inputs, promql: queries }])
      );
      const result = await promtool(['test', 'rules', 'test.yml'], { cwd: dir });
      const fromPromtool = printedSamples(result.output)
        .map(
          (s) => `${s.labels.t} ${seriesLiteral(s.labels.__name__, { ...s.labels, t: '', __name__: '' })} ${s.value}`
        )
        .sort();

      const computed = computeFeeders(
        rules.map((r) => ({ record: r.record, expr: r.expr, labels: r.labels })),
        inputs.map((s, i) => ({ name: loaded[i].name, labels: loaded[i].labels, values: decodeSeriesValues(s.values) })),
        60,
        STEP,
        last
      );
      expect(computed).not.toBeNull();
      const fromTypeScript = computed!
        .flatMap((s) =>
          s.values.flatMap((v, k) =>
            typeof v === 'number'
              ? [`${k * STEP} ${seriesLiteral(s.name, { ...s.labels, t: '', __name__: '' })} ${v}`]
              : []
          )
        )
        .sort();
      expect(fromPromtool.length).toBeGreaterThan(50);
      expect(fromTypeScript).toEqual(fromPromtool);
      fs.rmSync(dir, { recursive: true, force: true });
    },
    TIMEOUT
  );

  it('counts a counter reset and extrapolates to the range boundaries as Prometheus 2.42 does', () => {
    // 300 at 0s, reset to 5 at 120s: 300 + 245 - 300 = 245 over 240 s of samples in a 300 s range.
    const times = [0, 60, 120, 180, 240];
    const values = [300, 360, 5, 65, 125];
    // The last sample is 60 s before the range's end (within 1.1 intervals): extrapolated by 60 s.
    expect(
      extrapolatedRate(
        times.map((t) => t * 1000),
        values,
        300_000,
        300_000,
        true
      )
    ).toBeCloseTo(((125 - 300 + 360) * 300) / 240 / 300, 12);
    expect(extrapolatedRate([0], [1], 300_000, 300_000, true)).toBeUndefined();
  });

  it('reads back the notation as promtool expands it, and leaves unknown expressions to promtool', () => {
    expect(decodeSeriesValues('1+0.1x3 _x2 stale 7+0x1')).toEqual([
      1,
      1.1,
      1.2000000000000002,
      1.3000000000000003,
      null,
      null,
      'stale',
      7,
      7,
    ]);
    expect(
      computeFeeders([{ record: 'x:y', expr: 'max by (service) (rate(http_requests_total[5m]))' }], [], 60, STEP, 600)
    ).toBeNull();
  });
});

describe("the seasonal run by layers (the replay's default)", () => {
  it(
    'reads back the series and gives the alerts of the full promtool run, on a generated world with a bad deploy',
    async () => {
      const world = generateWorld(4);
      const full = simulateWorld(world);
      // Eight days of history (the first earlier week) keep the full run short; the latency histogram is not read.
      const skip = Math.round((WORLD_HISTORY_SECONDS - 8 * 86_400) / full.stepSeconds);
      const run = {
        from: full.from + skip * full.stepSeconds,
        stepSeconds: full.stepSeconds,
        times: Array.from(full.times).slice(skip),
        series: full.series
          .filter((s) => s.metric !== SIGNALS.latency.name)
          .map((s) => ({ ...s, values: Array.from(s.values).slice(skip) })),
      };
      const config = loadConfig();
      const byMethod = async (seasonalMethod: 'layers' | 'rules') => {
        const seasonalCache: NonNullable<ReplayOptions['seasonalCache']> = new Map();
        const result = await replay({
          name: `feeders-${seasonalMethod}`,
          run,
          window: world.window,
          config,
          seasonalCache,
          seasonalMethod,
        });
        const { samples } = await [...seasonalCache.values()][0];
        const values = new Map(samples.map((s) => [seriesLiteral(s.labels.__name__, s.labels), s.value]));
        return { alerts: result.alerts, values };
      };
      const layers = await byMethod('layers');
      const rules = await byMethod('rules');
      expect(layers.values.size).toBeGreaterThan(1000);
      expect([...layers.values.keys()].sort()).toEqual([...rules.values.keys()].sort());
      // promtool sums series in no fixed order: the full run differs from itself in the last bits.
      for (const [key, value] of layers.values) {
        const other = rules.values.get(key)!;
        expect({ key, close: Math.abs(value - other) <= 1e-12 * Math.max(1, Math.abs(other)) }).toEqual({
          key,
          close: true,
        });
      }
      expect(layers.alerts).toEqual(rules.alerts);
    },
    10 * TIMEOUT
  );
});

/**
 * `cascade-rules backtest` as a user runs it, against a real Prometheus on 127.0.0.1 holding the simulator's
 * history (the same data the promtool replays read, alerts/replay/scenarios.ts):
 *
 * - the first report: every alert's first firing equals the replay's (alerts/README.md, kept equal to the replays
 *   by alerts/replay/replay.test.ts) within one evaluation interval, and docs/alerts.md's requirements hold;
 * - an ordinary day (normal-week's release day) fires nothing, as the replay's noise figures say of its week;
 * - busy-peak: the replay's one warning, at its time; a wider band (`--set`) removes it, the report says so;
 * - the report folder: index.html with the timeline, backtest.json; written whole.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';

import { INCIDENT_REQUIREMENTS } from '../replay/expectations';
import type { ReplayAlert } from '../replay/replay';
import { readmeSection } from '../replay/report';
import { REPLAYS, type ScenarioResult } from '../replay/scenarios';
import { runBacktest } from './cli';
import type { ReportInput } from './report';
import type { BacktestResult } from './run';
import { scenarioRun, startSimulatedPrometheus, type SimulatedPrometheus } from './simulatedPrometheus';

const TIMEOUT = 180_000;
const INTERVAL = 60;

async function backtest(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runBacktest(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

function readReport(dir: string): ReportInput {
  return JSON.parse(fs.readFileSync(path.join(dir, 'backtest.json'), 'utf8'));
}

/** The backtest's firings in the replay's terms (first onset in the window, onsets, firing at the start). */
function asReplayAlerts(result: BacktestResult): ReplayAlert[] {
  return result.alerts.flatMap((a) =>
    a.instances.map((i) => {
      const onsets = i.spans.filter((s) => s.start >= result.window.from).map((s) => s.start);
      return {
        alertname: a.alertname,
        severity: a.severity,
        stage: a.stage,
        labels: i.labels,
        firstFiring: onsets.length ? Math.min(...onsets) : NaN,
        lastOnset: onsets.length ? Math.max(...onsets) : NaN,
        onsets: onsets.length,
        firingAtStart: i.spans.some((s) => s.start < result.window.from),
        firingAtEnd: i.spans.some((s) => s.end === null),
      };
    })
  );
}

/** The replay's first-firing times for a report, from alerts/README.md's generated section (prettier pads its cells). */
function replayFirstFirings(title: string, day: string): Map<string, number> {
  const section = readmeSection() ?? '';
  const start = section.indexOf(title);
  const end = section.indexOf('#### ', start + 1);
  const rows = section.slice(start, end === -1 ? undefined : end).matchAll(/^\|\s*`(\w+)`\s*\|\s*\w+\s*\|\s*(\d\d:\d\d)\s*\|/gm);
  return new Map([...rows].map((m) => [m[1], Date.parse(`${day}T${m[2]}:00Z`) / 1000]));
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-backtest-test-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the first report (cloudsmith-2020-02-04)', () => {
  let prom: SimulatedPrometheus;
  let report: ReportInput;
  let run: { status: number; stdout: string; stderr: string };
  const out = () => path.join(dir, 'cloudsmith');

  beforeAll(async () => {
    prom = await startSimulatedPrometheus('cloudsmith-2020-02-04');
    run = await backtest(
      '--prometheus',
      prom.url,
      '--from',
      String(prom.window.from),
      '--to',
      String(prom.window.to),
      '--incident',
      '2020-02-04T21:02..2020-02-04T22:02',
      '--out',
      out()
    );
    report = readReport(out());
  }, TIMEOUT);
  afterAll(() => prom?.stop());

  it('exits 0, prints the table and writes the report folder whole', () => {
    expect(run.stderr).not.toContain('cascade-rules backtest:');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^CascadeInProgress\s+critical\s+1\s/m);
    expect(fs.readdirSync(out()).sort()).toEqual(['backtest.json', 'index.html']);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.partial-'))).toEqual([]);
  });

  it("gives the replay's first-firing time for every alert, within one evaluation interval", () => {
    const replay = replayFirstFirings('First report', '2020-02-04');
    expect(replay.size).toBeGreaterThanOrEqual(12);
    const backtest = new Map<string, number>();
    for (const a of asReplayAlerts(report.result).filter((x) => !Number.isNaN(x.firstFiring))) {
      backtest.set(a.alertname, Math.min(backtest.get(a.alertname) ?? Infinity, a.firstFiring));
    }
    // The slow burn reads 1-day and 3-day error ratios: the replay evaluates the fast groups from 3 hours before
    // the window, the backtest from the 3 days those windows need, so its ratios are the production ones.
    const compared = [...replay.keys()].filter((name) => name !== 'CascadeErrorBudgetBurnSlow');
    const differences = compared
      .map((name) => ({ name, replay: replay.get(name)!, backtest: backtest.get(name) ?? NaN }))
      .filter((d) => !(Math.abs(d.backtest - d.replay) <= INTERVAL));
    expect(differences).toEqual([]);
    // And nothing fired that the replay did not see fire.
    expect([...backtest.keys()].filter((name) => !replay.has(name))).toEqual([]);
  });

  let asScenario: ScenarioResult | undefined;
  it.each(INCIDENT_REQUIREMENTS['cloudsmith-2020-02-04'].map((r) => [r.text, r] as const))(
    '%s',
    (_text, requirement) => {
      const spec = REPLAYS.find((r) => r.scenario === 'cloudsmith-2020-02-04')!;
      asScenario ??= {
        spec,
        name: spec.scenario,
        anchor: prom.anchor,
        window: report.result.window,
        alerts: asReplayAlerts(report.result),
        // The simulated window: when the last instance went.
        run: scenarioRun(spec.scenario),
      } as unknown as ScenarioResult;
      const { ok, evidence } = requirement.check(asScenario);
      expect({ ok, evidence }).toEqual({ ok: true, evidence });
    }
  );

  it('names the first alert in the incident window and its lead', () => {
    expect(run.stdout).toContain('Incident 2020-02-04 21:02 .. 2020-02-04 22:02:');
    expect(run.stdout).toMatch(/2020-02-04 21:08 {2}CascadeTrafficSurge \(warning, service=registry\): 54m before/);
  });

  it('draws one timeline row per alert in a self-contained page', () => {
    const html = fs.readFileSync(path.join(out(), 'index.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script|src=|href="http|@import|url\(/);
    for (const a of report.result.alerts) {
      expect(html).toContain(`>${a.alertname}`);
    }
    // One span per firing.
    const spans = report.result.alerts.reduce((n, a) => n + a.instances.reduce((k, i) => k + i.spans.length, 0), 0);
    expect((html.match(/<rect [^>]*fill="#(d62728|e8a33d)"/g) ?? []).length).toBe(spans);
  });
});

describe('ordinary days', () => {
  it(
    "normal-week, its release day: nothing fires, as the replay's noise figures say of the whole week",
    async () => {
      const prom = await startSimulatedPrometheus('normal-week', {
        window: { from: Date.parse('2024-03-06T00:00:00Z') / 1000, to: Date.parse('2024-03-07T00:00:00Z') / 1000 },
      });
      try {
        const out = path.join(dir, 'normal');
        const run = await backtest(
          '--prometheus',
          prom.url,
          '--from',
          '2024-03-06',
          '--to',
          '2024-03-07',
          '--out',
          out
        );
        expect(run.stderr).not.toContain('cascade-rules backtest:');
        expect(run.stdout).toContain('No alert fired in the window.');
        expect(readReport(out).result.alerts.flatMap((a) => a.instances)).toEqual([]);
        // The replay's figures for the week: no warning, no critical.
        expect(readmeSection()).toMatch(/\(`normal-week`\)\s*\|\s*7 d\s*\|\s*0 \(1\)\s*\|\s*0\s*\|\s*none\s*\|/);
      } finally {
        await prom.stop();
      }
    },
    TIMEOUT
  );

  it(
    "busy-peak: the replay's one warning at its time; a wider band (--set) removes it",
    async () => {
      const prom = await startSimulatedPrometheus('busy-peak');
      try {
        const out = path.join(dir, 'busy');
        const run = await backtest(
          '--prometheus',
          prom.url,
          '--from',
          String(prom.window.from),
          '--to',
          String(prom.window.to),
          '--set',
          'traffic.baseline.minBandRatio=0.7',
          '--out',
          out
        );
        expect(run.stderr).not.toContain('cascade-rules backtest:');
        const { result, changed } = readReport(out);
        const fired = asReplayAlerts(result).filter((a) => a.onsets > 0 || a.firingAtStart);
        expect(fired.map((a) => [a.alertname, a.onsets])).toEqual([['CascadeTrafficAnomalyHigh', 1]]);
        // The replay: CascadeTrafficAnomalyHigh 12:32 2024-03-06.
        expect(readmeSection()).toMatch(/`CascadeTrafficAnomalyHigh` 12:32 2024-03-06/);
        expect(Math.abs(fired[0].firstFiring - Date.parse('2024-03-06T12:32:00Z') / 1000)).toBeLessThanOrEqual(
          INTERVAL
        );
        const wider = changed!.result.alerts.flatMap((a) => a.instances);
        expect(wider.length).toBeLessThan(1);
        expect(run.stdout).toContain('With traffic.baseline.minBandRatio=0.7: 0 firing(s) added, 1 removed');
        expect(run.stdout).toMatch(/- 2024-03-06 12:3\d {2}CascadeTrafficAnomalyHigh service=registry/);
        const html = fs.readFileSync(path.join(out, 'index.html'), 'utf8');
        expect(html).toContain('with traffic.baseline.minBandRatio=0.7');
      } finally {
        await prom.stop();
      }
    },
    TIMEOUT
  );
});

/**
 * End to end, with real processes on 127.0.0.1: the simulator, Prometheus evaluating the rule pack, Alertmanager
 * with the pack's routes delivering to a webhook receiver, and the host page reading that Prometheus in headless
 * Chromium.
 *
 * Time is compressed 20x, so that the first report's two hours unfold in minutes: the simulator plays at
 * `--speed 20` (its counters keep the model's per-second rates) and Prometheus evaluates a variant of the pack
 * rendered with `timeScale: 20`, every window, `for`, interval and seasonal offset 20x shorter, over three weeks
 * of history laid on that compressed axis: exactly the stack `npm run demo -- --speed 20` starts
 * (`demoStackOptions`). The promtool incident replays (alerts/replay/) remain the proof of the real windows.
 *
 * Both reports are started the way a user starts them: by pressing the scenario's button in the host page, which
 * sends the page's own request (POST /api/sim/scenarios/NAME/start through the host page's server, no lead). The
 * README's sequence is asserted in model minutes: a traffic-stage warning within 10 of the surge, the backlog
 * warning at least 20 before the primary saturates, CascadeInProgress before the team's own alerts (22:02, an
 * hour after the surge), the deploy alert on the download route only; and nothing fires on the idle demo.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import type { Page } from 'playwright-core';

import { launchChromium, type Chromium } from '../sandbox/browser';
import { ensurePluginBuilt } from '../sandbox/plugin';
import { TestIds } from '../src/testIds';
import { assertPortFree } from './processes';
import type { ReceivedAlert } from './receiver';
import { demoStackOptions, ROOT, startStack, type Ports, type Stack } from './stack';

const SPEED = 20;
/** This test's ports (19490-19499), clear of the demo's defaults so both can run at once. */
const PORTS: Ports = { host: 19490, prometheus: 19491, alertmanager: 19492, simulator: 19493, receiver: 19494 };
/** Wall seconds the idle demo is watched before anything is started (20 model minutes). */
const IDLE_SECONDS = 60;
/** Wall milliseconds of one model minute. */
const MODEL_MINUTE_MS = 60_000 / SPEED;
const SCREENSHOTS = path.join(ROOT, 'artifacts', 'e2e');

jest.setTimeout(15 * 60_000);

let stateDir: string;
let stack: Stack | undefined;
let chromium: Chromium | undefined;
/** The host page with the live case, open from the scenario's start: a frame every FRAME_MS into SCREENSHOTS. */
let page: Page | undefined;
const pageErrors: string[] = [];
let frames: NodeJS.Timeout | undefined;
const FRAME_MS = 30_000;

interface SimState {
  milestones: Partial<Record<'surgeStart' | 'primarySaturated' | 'zeroHealthy', string>>;
  playing: { scenario: string; startedAt: string; firstEventAt: string } | null;
}

async function simState(): Promise<SimState> {
  return (await (await fetch(`${stack!.urls.simulator}/api/state`)).json()) as SimState;
}

/** Polls until `found` returns something, or fails with what had arrived so far. */
async function waitFor<T>(what: string, found: () => T | undefined | Promise<T | undefined>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await found();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      const arrived = stack!.receiver.alerts.map((a) => `${a.status} ${a.labels.alertname} ${a.startsAt}`);
      throw new Error(`Timed out waiting for ${what}. Arrived so far:\n${arrived.join('\n') || '(nothing)'}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const firing = (since: number) =>
  stack!.receiver.alerts.filter((a) => a.status === 'firing' && Date.parse(a.startsAt) >= since);
const firstOf = (alerts: ReceivedAlert[], match: (a: ReceivedAlert) => boolean) =>
  alerts.filter(match).sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt))[0];

async function screenshot(name: string) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page!.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
}

/** The live Cascade panel over the last 10 minutes (200 model minutes at 20x), frames saved as the incident unfolds. */
async function openLivePanel() {
  page = await chromium!.context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${stack!.urls.host}?case=live&theme=dark&width=1100&height=620&range=10m`);
  let n = 0;
  frames = setInterval(() => {
    screenshot(`replay-${String(++n).padStart(2, '0')}`).catch(() => undefined);
  }, FRAME_MS);
}

/** Press a scenario's button in the host page, as a user does, and wait until the simulator plays it. */
async function pressStart(name: string): Promise<number> {
  const button = page!.getByTestId(`start-${name}`);
  await button.waitFor({ timeout: 30_000 });
  const pressedAt = Date.now();
  await button.click();
  await waitFor(
    'the simulator to play ' + name,
    async () => ((await simState()).playing?.scenario === name ? true : undefined),
    30_000
  );
  return pressedAt;
}

/** Alerts Prometheus holds as firing now (before Alertmanager's grouping delays their delivery). */
async function firingInPrometheus(): Promise<string[]> {
  const res = await fetch(`${stack!.urls.prometheus}/api/v1/alerts`);
  const body = (await res.json()) as { data: { alerts: Array<{ state: string; labels: Record<string, string> }> } };
  return body.data.alerts.filter((a) => a.state === 'firing').map((a) => a.labels.alertname);
}

/** Model minutes from `from` to `to` (wall milliseconds). */
const modelMinutes = (from: number, to: number) => Math.round(((to - from) / MODEL_MINUTE_MS) * 10) / 10;

beforeAll(async () => {
  await ensurePluginBuilt();
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-e2e-'));
  // The stack `npm run demo -- --speed 20` starts (pack compressed 20x, three weeks of history on the compressed
  // axis), on this test's ports and in its own folder.
  stack = await startStack(
    demoStackOptions(SPEED, { stateDir: path.join(stateDir, 'stack'), ports: PORTS, progress: () => undefined })
  );
  chromium = await launchChromium();
}, 5 * 60_000);

afterAll(async () => {
  clearInterval(frames);
  await chromium?.close();
  await stack?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

describe('the local stack, 20x faster than real time', () => {
  let surgeStart = 0;

  it('nothing fires on the idle demo before anything is started', async () => {
    await openLivePanel();
    const seen = new Set<string>();
    const until = Date.now() + IDLE_SECONDS * 1000;
    while (Date.now() < until) {
      for (const name of await firingInPrometheus()) {
        seen.add(name);
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
    const delivered = stack!.receiver.alerts.filter((a) => a.status === 'firing').map((a) => a.labels.alertname);
    expect({ firingInPrometheus: [...seen], delivered }).toEqual({ firingInPrometheus: [], delivered: [] });
    expect((await simState()).playing).toBeNull();
  });

  it("first report, from its button: the README's sequence, in model minutes", async () => {
    const pressedAt = await pressStart('cloudsmith-2020-02-04');
    surgeStart = Date.parse(
      await waitFor('the surge to begin', async () => (await simState()).milestones.surgeStart, 5 * 60_000)
    );

    // Nothing pages between the press and the surge: the start itself is quiet (counters carry on).
    const before = stack!.receiver.alerts.filter(
      (a) => a.status === 'firing' && Date.parse(a.startsAt) >= pressedAt && Date.parse(a.startsAt) < surgeStart
    );
    expect(before.map((a) => a.labels.alertname)).toEqual([]);

    const saturated = await waitFor(
      'CascadeDatabaseSaturated',
      () => firing(surgeStart).find((a) => a.labels.alertname === 'CascadeDatabaseSaturated'),
      8 * 60_000
    );
    const primarySaturated = Date.parse((await simState()).milestones.primarySaturated ?? '');
    expect(Number.isFinite(primarySaturated)).toBe(true);

    const alerts = firing(surgeStart);
    // Every alert of the pack carries its cascade stage as a label.
    const warning = (stage: string) => (a: ReceivedAlert) =>
      a.labels.stage === stage && a.labels.severity === 'warning';
    const traffic = firstOf(alerts, warning('traffic'));
    const backlog = firstOf(alerts, warning('backlog'));
    const inProgress = firstOf(alerts, (a) => a.labels.alertname === 'CascadeInProgress');
    const firstCritical = firstOf(alerts, (a) => a.labels.severity === 'critical');
    const at = (a: ReceivedAlert | undefined) => (a ? Date.parse(a.startsAt) : NaN);
    const summary = {
      traffic: traffic?.labels.alertname,
      backlog: backlog?.labels.alertname,
      inProgress: inProgress?.labels.alertname,
    };
    expect(summary).toEqual({
      traffic: expect.stringMatching(/^CascadeTraffic/),
      backlog: expect.stringMatching(/^Cascade(WriteBacklogGrowing|DatabaseSaturationImminent)$/),
      inProgress: 'CascadeInProgress',
    });
    const minutes = {
      traffic: modelMinutes(surgeStart, at(traffic)),
      backlog: modelMinutes(surgeStart, at(backlog)),
      inProgress: modelMinutes(surgeStart, at(inProgress)),
      primarySaturated: modelMinutes(surgeStart, primarySaturated),
      saturated: modelMinutes(surgeStart, Date.parse(saturated.startsAt)),
    };
    console.log(
      `first report, model minutes after the surge: ${Object.entries(minutes)
        .map(([k, v]) => `${k} +${v}`)
        .join(
          ', '
        )}; alerts: ${alerts.map((a) => `${a.labels.alertname} +${modelMinutes(surgeStart, Date.parse(a.startsAt))}`).join(', ')}`
    );
    // The README's sequence: a traffic-stage warning within 10 model minutes of the surge; the backlog warning
    // at least 20 before the primary saturates; CascadeInProgress before the team's own alerts at 22:02, an hour
    // after the 21:02 surge; the pages after the warnings.
    expect(minutes.traffic).toBeLessThanOrEqual(10);
    expect(minutes.primarySaturated - minutes.backlog).toBeGreaterThanOrEqual(20);
    expect(minutes.inProgress).toBeLessThan(60);
    expect(at(traffic)).toBeLessThanOrEqual(at(backlog));
    expect(at(firstCritical)).toBeGreaterThanOrEqual(at(backlog));
    expect(Date.parse(saturated.startsAt)).toBeGreaterThanOrEqual(primarySaturated);
    // Delivered by the pack's Alertmanager routes: criticals to the pager, warnings to tickets.
    expect(inProgress!.receiver).toBe('cascade-pager');
    expect(traffic!.receiver).toBe('cascade-tickets');
  });

  it("the Cascade panel's header, live from that Prometheus, says what the alerts say", async () => {
    // The alerts say: the primary is saturated with work queued behind it (backlog stage), the cascade is on.
    const header = page!.getByTestId(TestIds.header);
    let last = '';
    try {
      await waitFor(
        'the header to show the backlog stage',
        async () => {
          last = (await header.count()) > 0 ? await header.innerText() : '(no header)';
          return /Cascade: .*backlog/.test(last) ? last : undefined;
        },
        90_000
      );
    } catch (e) {
      await screenshot('header-failure');
      throw new Error(`${(e as Error).message}\nThe header said: ${last}`);
    }
    await screenshot('first-report-saturated');
    clearInterval(frames);
    expect(['Degraded performance', 'Partial outage', 'Major outage']).toContain(
      await page!.getByTestId(TestIds.status).innerText()
    );
    expect(await page!.getByTestId(TestIds.reasons).innerText()).toMatch(
      /write backlog above its limit|db-primary at \d+%/
    );
    expect(pageErrors).toEqual([]);
  });

  it('second report, from its button: CascadeDeployTrafficAnomaly arrives for the broken download route only', async () => {
    const startedAt = await pressStart('crates-io-2023-07-20');
    const anomaly = await waitFor(
      'CascadeDeployTrafficAnomaly',
      () => firing(startedAt).find((a) => a.labels.alertname === 'CascadeDeployTrafficAnomaly'),
      6 * 60_000
    );
    // Pressed while the first report still plays, the replay begins with thirty model minutes of its own ordinary
    // traffic (so that the deploy's "before" is this service's), then the bad deploy (12:17).
    const { playing } = await simState();
    const deployedAt = Date.parse(playing!.firstEventAt);
    // The page says so beside the button: when the first event comes, and the scale to this hour's traffic.
    expect(modelMinutes(Date.parse(playing!.startedAt), deployedAt)).toBeCloseTo(30, 0);
    expect(await page!.getByTestId('sandbox-playing').innerText()).toMatch(
      /^crates-io-2023-07-20: first event at \d\d:\d\d:\d\d, its traffic scaled \d+\.\d\dx to this hour's usual level$/
    );
    console.log(
      `second report: CascadeDeployTrafficAnomaly on ${anomaly.labels.route} +${modelMinutes(deployedAt, Date.parse(anomaly.startsAt))} model minutes after the deploy`
    );
    expect(anomaly.labels.route).toBe('download');
    // Give the other routes the alert's evaluation time again: none of them fires.
    await new Promise((r) => setTimeout(r, 20_000));
    const routes = new Set(
      firing(startedAt)
        .filter((a) => a.labels.alertname === 'CascadeDeployTrafficAnomaly')
        .map((a) => a.labels.route)
    );
    expect([...routes]).toEqual(['download']);
  });
});

describe('after the stack stops', () => {
  it('leaves no process listening on its ports', async () => {
    await chromium?.close();
    chromium = undefined;
    await stack?.stop();
    stack = undefined;
    for (const [what, port] of Object.entries(PORTS)) {
      await expect(assertPortFree(port, what)).resolves.toBeUndefined();
    }
  });
});

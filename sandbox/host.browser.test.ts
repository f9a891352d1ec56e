/**
 * The host page itself, checked with fixture plugins (sandbox/fixtures/) so the result does not
 * depend on the Cascade panel: what a loaded plugin receives, and how failures are reported.
 */
import { Page } from 'playwright-core';

import { BACKLOG_LIMIT, REF } from './cases/catalog';
import {
  canvasInk,
  Chromium,
  eventually,
  hostErrorTexts,
  isDrawn,
  launchChromium,
  openHost,
  PageProblems,
  watchProblems,
} from './browser';
import { HostTestIds } from './host/testIds';
import { Sandbox, startSandbox } from './serve';

const PORT = Number(process.env.SANDBOX_HOST_TEST_PORT ?? 19483);
const PROBE = 'sandbox-probe-panel';

interface FieldReport {
  name: string;
  type: string;
  displayName: string;
  hasDisplay: boolean;
  unit?: string;
  thresholdSteps: Array<number | null> | null;
  labels: Record<string, string> | null;
}

interface ProbeReport {
  moduleUri: string;
  id: number;
  title: string;
  width: number;
  height: number;
  timeZone: string;
  transparent: boolean;
  renderCounter: number;
  themeMode: string;
  runtimeThemeMode: string;
  runtimeTimezone: string;
  options: Record<string, unknown>;
  fieldConfigDefaults: Record<string, unknown>;
  state: string;
  timeRange: [number, number];
  dataTimeRange: [number, number];
  frames: Array<{ refId: string; length: number; fields: FieldReport[] }>;
  annotations: Array<{ length: number; fields: string[] }>;
  eventBus: boolean;
  contextScope: string;
  sameBusInContext: boolean;
  replaced: string;
}

jest.setTimeout(30_000);

let sandbox: Sandbox;
let chromium: Chromium;
let page: Page;
let problems: PageProblems;

beforeAll(async () => {
  sandbox = await startSandbox({ port: PORT, fixtures: true, bundleLabel: 'host-test' });
  chromium = await launchChromium();
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await sandbox?.close();
});

beforeEach(async () => {
  page = await chromium.context.newPage();
  problems = watchProblems(page);
});

afterEach(async () => {
  await page.close();
});

async function probeReport(): Promise<ProbeReport> {
  return JSON.parse((await page.getByTestId('probe-report').textContent()) ?? 'null') as ProbeReport;
}

function field(report: ProbeReport, refId: string, type = 'number'): FieldReport {
  const frame = report.frames.find((f) => f.refId === refId);
  const found = frame?.fields.find((f) => f.type === type);
  if (!found) {
    throw new Error(`No ${type} field in frame ${refId}: ${JSON.stringify(frame)}`);
  }
  return found;
}

describe('a plugin loaded by the host', () => {
  test('gets the props Grafana would pass, from its AMD module served where Grafana serves plugins', async () => {
    await openHost(page, sandbox.url, {
      plugin: PROBE,
      caseName: 'ordinary-day',
      theme: 'light',
      width: 720,
      height: 380,
    });
    const report = await probeReport();

    expect(report.moduleUri).toBe(`/public/plugins/${PROBE}/module.js`);
    expect(report).toMatchObject({
      width: 720,
      height: 380,
      timeZone: 'utc',
      transparent: false,
      id: 1,
      state: 'Done',
    });
    expect(report.title).toBe('api: an ordinary day');
    expect(report.themeMode).toBe('light');
    // @grafana/runtime's config, built from the boot data at import time, agrees with the page.
    expect(report.runtimeThemeMode).toBe('light');
    expect(report.runtimeTimezone).toBe('utc');
    expect(report.eventBus).toBe(true);
    expect(report.contextScope).toBe('global');
    expect(report.sameBusInContext).toBe(true);
    expect(report.replaced).toBe('$service');
    expect(report.timeRange).toEqual(report.dataTimeRange);
    // @grafana/ui's Icon fetches its SVG from where Grafana serves icons; it arrives inlined.
    await eventually(async () =>
      expect(await page.getByTestId('probe-icon').locator('svg path').count()).toBeGreaterThan(0)
    );
    expect(report.timeRange[1] - report.timeRange[0]).toBe(24 * 3600 * 1000);
    expect(problems).toEqual({ pageErrors: [], consoleErrors: [] });
    expect(await hostErrorTexts(page)).toEqual([]);
  });

  test('gets its option defaults, nested by path (nested option groups too), under the case’s own values', async () => {
    await openHost(page, sandbox.url, { plugin: PROBE });
    const { options } = await probeReport();
    expect(options).toEqual({
      label: 'probe',
      fill: { alpha: 0.5, color: 'rgb(255, 0, 0)' },
      compact: false,
      lanes: { traffic: true, minHeight: 60 },
      database: { backlogLimit: BACKLOG_LIMIT },
    });
  });

  test('gets frames after applyFieldOverrides: display processors, the dashboard units and thresholds', async () => {
    await openHost(page, sandbox.url, { plugin: PROBE, caseName: 'backlog-limit' });
    const report = await probeReport();

    const numberFields = report.frames.flatMap((f) => f.fields.filter((x) => x.type === 'number'));
    expect(numberFields.length).toBeGreaterThan(10);
    expect(numberFields.every((f) => f.hasDisplay)).toBe(true);
    // The plugin's own default unit, then the dashboard's overrides by query.
    expect(report.fieldConfigDefaults.unit).toBe('short');
    expect(field(report, REF.rate).unit).toBe('reqps');
    expect(field(report, REF.lag).unit).toBe('s');
    expect(field(report, REF.backlog).thresholdSteps).toEqual([null, BACKLOG_LIMIT]); // -Infinity serialises as null
    // Standard thresholds default where the dashboard sets none.
    expect(field(report, REF.healthy).thresholdSteps).toEqual([null, 80]);
  });

  test('gets Prometheus-shaped frames: __name__ field names, labels and legend display names', async () => {
    await openHost(page, sandbox.url, { plugin: PROBE, caseName: 'zero-healthy' });
    const report = await probeReport();

    const backlog = field(report, REF.backlog);
    expect(backlog.name).toBe('db_write_backlog');
    expect(backlog.labels).toMatchObject({ __name__: 'db_write_backlog', cluster: 'main' });
    const lagNames = report.frames.filter((f) => f.refId === REF.lag).map((f) => f.fields[1].displayName);
    expect(lagNames).toEqual(['replica-1', 'replica-2', 'replica-3']);
    expect(report.frames.filter((f) => f.refId === REF.lag).every((f) => f.fields[0].name === 'Time')).toBe(true);
  });

  test('gets deploys as an annotations frame', async () => {
    await openHost(page, sandbox.url, { plugin: PROBE, caseName: 'deploy-retry-storm' });
    const { annotations } = await probeReport();
    expect(annotations).toHaveLength(1);
    expect(annotations[0].length).toBe(1);
    expect(annotations[0].fields).toEqual(expect.arrayContaining(['time', 'title', 'text', 'tags']));
  });

  test('can change its options and the time range, as in a dashboard', async () => {
    await openHost(page, sandbox.url, { plugin: PROBE });
    const before = await probeReport();
    await page.getByTestId('probe-change-options').click();
    await eventually(async () => expect((await probeReport()).options.label).toBe('changed'));
    await page.getByTestId('probe-zoom').click();
    await eventually(async () =>
      expect((await probeReport()).timeRange).toEqual([before.timeRange[0], before.timeRange[0] + 3_600_000])
    );
    expect((await probeReport()).renderCounter).toBe(before.renderCounter + 2);
  });

  test('draws on a canvas the ink check sees, and the check sees a blank one as blank', async () => {
    await openHost(page, sandbox.url, { plugin: PROBE, theme: 'dark' });
    const [drawn] = await canvasInk(page, '[data-testid="probe-panel"]');
    expect(drawn).toMatchObject({ width: 100, height: 40 });
    expect(drawn.inked).toBe(100 * 40);
    expect(isDrawn(drawn)).toBe(true);

    await page.evaluate(() =>
      document
        .querySelector<HTMLCanvasElement>('[data-testid="probe-panel"] canvas')
        ?.getContext('2d')
        ?.clearRect(0, 0, 100, 40)
    );
    const [cleared] = await canvasInk(page, '[data-testid="probe-panel"]');
    expect(cleared.inked).toBe(0);
    expect(isDrawn(cleared)).toBe(false);
  });

  test('renders the panel body at exactly the requested size', async () => {
    await openHost(page, sandbox.url, { plugin: PROBE, width: 400, height: 220 });
    const box = await page.getByTestId(HostTestIds.panelBody).boundingBox();
    expect(box).toMatchObject({ width: 400, height: 220 });
  });
});

describe('failures are reported on the page, not swallowed', () => {
  test('a module asking for dependencies the host does not supply names them', async () => {
    await openHost(page, sandbox.url, { plugin: 'needs-slate-panel' });
    const errors = await hostErrorTexts(page);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('needs modules the host does not supply: slate, angular');
    expect(await page.evaluate(() => document.body.dataset.hostState)).toBe('failed');
  });

  test('a panel that throws shows its error in place and the page stays up', async () => {
    await openHost(page, sandbox.url, { plugin: 'throwing-panel' });
    const errors = await hostErrorTexts(page);
    expect(errors.join('\n')).toContain('The panel threw while rendering: probe failure: frames not understood');
    expect(await page.getByTestId(HostTestIds.panelChrome).textContent()).toContain('The panel failed: probe failure');
    expect(await page.getByTestId(HostTestIds.controlBar).isVisible()).toBe(true);
  });

  test('an unknown case is named with the known ones', async () => {
    await openHost(page, sandbox.url, { plugin: PROBE, caseName: 'no-such-case' });
    const errors = await hostErrorTexts(page);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('Unknown case "no-such-case". Known cases: ordinary-day, traffic-surge');
  });

  test('a plugin that is not there is a clear 404', async () => {
    await openHost(page, sandbox.url, { plugin: 'not-installed-panel' });
    const errors = await hostErrorTexts(page);
    expect(errors[0]).toContain('/public/plugins/not-installed-panel/plugin.json answered 404');
  });

  test('rejected URL parameters are listed while the page renders with the defaults', async () => {
    await page.goto(`${sandbox.url}?plugin=${PROBE}&width=abc&theme=blue`);
    await page.waitForFunction(() => document.body.dataset.ready === '1');
    const errors = await hostErrorTexts(page);
    expect(errors).toEqual([
      expect.stringContaining('theme="blue" is not one of dark, light'),
      expect.stringContaining('width="abc" must be a whole number of pixels'),
    ]);
    const report = await probeReport();
    expect(report).toMatchObject({ width: 1000, themeMode: 'dark' });
  });
});

/**
 * Each preset end to end against a real Prometheus (demo/presets.ts says how the data gets there): the simulator
 * speaks the preset's dialect, the whole set is rendered for the preset, and
 *   (a) every query of every rendered dashboard (panels, variables, annotations) returns data;
 *   (b) the host page's live Cascade panel, whose queries are the dashboard's own Cascade panel targets, draws
 *       all three lanes and says what it says on the contract's names at the height of the first report;
 *   (c) the first report's alerts fire in the same order, at the same minutes, as with the contract's names.
 * CASCADE_UPDATE_DOCS=1 also writes kube-state-metrics' panel to docs/presets/kube-state-metrics.png for the README.
 */
import fs from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';
import type { Page } from 'playwright-core';

import { cascadeTargets, CASCADE_PANEL_TYPE } from '../dashboards/cascadePanel';
import {
  canvasInk,
  eventually,
  hostErrorTexts,
  isDrawn,
  launchChromium,
  PANEL_BODY,
  visibleTexts,
  type Chromium,
} from '../sandbox/browser';
import { SCREENSHOTS } from '../sandbox/browserFixture';
import { ensurePluginBuilt } from '../sandbox/plugin';
import { startSandbox, type Sandbox } from '../sandbox/serve';
import { DIALECT_NAMES, OTEL_ROUTES } from '../simulator/dialects';
import { LANES, TestIds } from '../src/testIds';
import {
  CONTRACT,
  DISPLAY,
  configFor,
  dashboardQueries,
  dashboardsFor,
  evaluate,
  firstReportRun,
  rangeQuery,
  startPresetPrometheus,
  substitute,
  variableValues,
  type PresetPrometheus,
  type Variant,
  type VariantResult,
} from './presets';
import { ROOT } from './stack';

jest.setTimeout(10 * 60_000);

const SCOPE = { service: 'registry', cluster: 'main' };
const DOCS = path.join(ROOT, 'docs', 'presets');
/** The preset whose panel the README shows (every preset draws the same picture: test (b)). */
const README_PRESET = 'kube-state-metrics';

let workDir: string;
let chromium: Chromium;
let sandbox: Sandbox;
/** The host page's Prometheus: a proxy to the Prometheus of the variant being looked at. */
let upstream = '';
let proxy: http.Server;
/** The display moved onto the wall clock: it ends a minute ago. */
let shift = 0;
const results = new Map<Variant, Promise<VariantResult>>();
const timings: Record<string, number> = {};

function result(variant: Variant): Promise<VariantResult> {
  return results.get(variant)!;
}

beforeAll(async () => {
  const started = Date.now();
  await ensurePluginBuilt();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-presets-'));
  const base = firstReportRun(configFor(CONTRACT));
  for (const v of [CONTRACT, ...DIALECT_NAMES] as Variant[]) {
    // promtool runs two at a time (alerts/testing/promtool.ts): the five replays queue there.
    results.set(v, evaluate(v, base));
  }
  const display = (await result(CONTRACT)).display;
  shift = Math.floor(Date.now() / 60_000) * 60 - 60 - display.to;
  proxy = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (!url.startsWith('/api/v1/')) {
      // The page's sidebar asks the simulator for its scenarios and the receiver for alerts: none here.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(url.startsWith('/api/scenarios') ? '{"scenarios":[]}' : '[]');
      return;
    }
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => {
      fetch(`${upstream}${url}`, {
        method: req.method,
        headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
        body: req.method === 'POST' ? Buffer.concat(body) : undefined,
      })
        .then(async (r) => {
          res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'application/json' });
          res.end(Buffer.from(await r.arrayBuffer()));
        })
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
  sandbox = await startSandbox({
    port: 0,
    bundleLabel: 'presets',
    live: { prometheus: proxyUrl, simulator: proxyUrl, receiver: proxyUrl },
  });
  chromium = await launchChromium();
  for (const r of await Promise.all([...results.values()])) {
    timings[`${r.variant}.promtool`] = Math.round(r.promtoolSeconds * 10) / 10;
    timings[`${r.variant}.alerts`] = r.alerts.filter((a) => !Number.isNaN(a.firstFiring)).length;
  }
  timings.replays = (Date.now() - started) / 1000;
}, 8 * 60_000);

afterAll(async () => {
  await Promise.all([...prometheusOf.values()].map(async (p) => (await p.catch(() => undefined))?.stop()));
  await chromium?.close();
  await sandbox?.close();
  await new Promise((resolve) => proxy?.close(resolve));
  if (workDir) {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  console.log(`presets end to end: ${JSON.stringify(timings)}`);
});

interface PanelView {
  status: string[];
  reasons: string[];
  stage: string[];
  lanes: Record<string, boolean>;
}

const prometheusOf = new Map<Variant, Promise<PresetPrometheus>>();
function prometheusFor(r: VariantResult): Promise<PresetPrometheus> {
  if (!prometheusOf.has(r.variant)) {
    prometheusOf.set(r.variant, startPresetPrometheus(r, path.join(workDir, r.variant), shift));
  }
  return prometheusOf.get(r.variant)!;
}

/** The host page's live Cascade panel over the display, read from the variant's Prometheus. */
async function panelView(r: VariantResult): Promise<PanelView> {
  const prom = await prometheusFor(r);
  upstream = prom.url;
  const page: Page = await chromium.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    const params = new URLSearchParams({
      case: 'live',
      theme: 'dark',
      width: '1100',
      height: '620',
      range: DISPLAY.range,
      service: SCOPE.service,
      cluster: SCOPE.cluster,
    });
    await page.goto(new URL(`?${params}`, sandbox.url).toString());
    let view: PanelView | undefined;
    const shot = path.join(SCREENSHOTS, 'presets', `${r.variant}.png`);
    fs.mkdirSync(path.dirname(shot), { recursive: true });
    await eventually(
      async () => {
        const lanes: Record<string, boolean> = {};
        for (const lane of LANES) {
          const ink = await canvasInk(page, `${PANEL_BODY} [data-testid="${TestIds.lane(lane)}"]`);
          lanes[lane] = ink.some(isDrawn);
        }
        view = {
          status: await visibleTexts(page, TestIds.status),
          reasons: await visibleTexts(page, TestIds.reasons),
          stage: await visibleTexts(page, TestIds.stage),
          lanes,
        };
        expect(view.lanes).toEqual({ traffic: true, database: true, instances: true });
      },
      30_000,
      500
    ).catch(async (e: Error) => {
      const failure = shot.replace(/\.png$/, '-failure.png');
      await page.screenshot({ path: failure });
      throw new Error(`${e.message}\nThe panel said: ${JSON.stringify(view)} (page: ${failure})`);
    });
    await page.locator(PANEL_BODY).screenshot({ path: shot });
    expect(await hostErrorTexts(page)).toEqual([]);
    if (process.env.CASCADE_UPDATE_DOCS === '1' && r.variant === README_PRESET) {
      fs.mkdirSync(DOCS, { recursive: true });
      fs.copyFileSync(shot, path.join(DOCS, `${r.variant}.png`));
    }
    expect(errors).toEqual([]);
    return view!;
  } finally {
    await page.close();
  }
}

const contractView = (() => {
  let view: Promise<PanelView> | undefined;
  return async () => (view ??= result(CONTRACT).then(panelView));
})();

/** An alert as the contract would name it: OpenTelemetry's route templates back to the contract's routes. */
function contractLabels(labels: Record<string, string>): Record<string, string> {
  const route = Object.entries(OTEL_ROUTES).find(([, o]) => o.route === labels.route)?.[0];
  return route ? { ...labels, route } : labels;
}

describe.each(DIALECT_NAMES.map((d) => [d]))('preset %s, end to end', (preset) => {
  it("(c) the first report's alerts fire in the same order, at the same minutes, as with the contract's names", async () => {
    const [own, contract] = await Promise.all([result(preset), result(CONTRACT)]);
    const timeline = (r: VariantResult) =>
      r.alerts
        .filter((a) => !Number.isNaN(a.firstFiring))
        .map(
          (a) =>
            `${new Date(a.firstFiring * 1000).toISOString().slice(11, 16)} ${a.alertname} ${JSON.stringify(contractLabels(a.labels))}`
        );
    expect(timeline(contract).length).toBeGreaterThanOrEqual(10);
    expect(timeline(own)).toEqual(timeline(contract));
  });

  it('(a) every query of every rendered dashboard returns data: panels, variables, annotations', async () => {
    const r = await result(preset);
    const started = Date.now();
    const prom = await prometheusFor(r);
    timings[`${preset}.prometheus`] = (Date.now() - started) / 1000;
    timings[`${preset}.series`] = prom.series;
    timings[`${preset}.samples`] = prom.samples;
    // The rendered rule file loads as a user loads it.
    expect(prom.ruleGroups).toBeGreaterThan(0);
    const range = { from: r.display.from + shift, to: r.display.to + shift };
    const rangeSeconds = range.to - range.from;
    const empty: string[] = [];
    let checked = 0;
    for (const [file, text] of dashboardsFor(r.config)) {
      const { queries, variables } = dashboardQueries(file, text);
      for (const v of variables) {
        const { values, error } = await variableValues(prom.url, substitute(v.expr, SCOPE, rangeSeconds), range);
        checked++;
        if (error !== undefined || values.length === 0) {
          empty.push(`${file} ${v.where}: ${v.expr} -> ${error ?? 'no values'}`);
        }
      }
      for (const q of queries) {
        const expr = substitute(q.expr, SCOPE, rangeSeconds);
        const { series, error } = await rangeQuery(prom.url, expr, range);
        checked++;
        if (error !== undefined || series === 0) {
          empty.push(`${file} ${q.where}: ${expr} -> ${error ?? 'no data'}`);
        }
      }
    }
    timings[`${preset}.queries`] = checked;
    expect(checked).toBeGreaterThan(20);
    expect(empty).toEqual([]);
  });

  it("(b) the host page's Cascade panel, on the dashboard's own targets, draws all three lanes and the contract's header", async () => {
    const r = await result(preset);
    // The host page's live case queries cascadeTargets(scope): the rendered dashboard's Cascade panel, scoped.
    const targets = [...dashboardsFor(r.config).values()]
      .flatMap(
        (text) => JSON.parse(text).panels as Array<{ type: string; targets: Array<{ refId: string; expr: string }> }>
      )
      .filter((p) => p.type === CASCADE_PANEL_TYPE)
      .map((p) => p.targets.map((t) => `${t.refId}: ${substitute(t.expr, SCOPE, 0)}`));
    expect(targets.length).toBeGreaterThan(0);
    for (const t of targets) {
      expect(t).toEqual(cascadeTargets(SCOPE).map((x) => `${x.refId}: ${x.expr}`));
    }
    const own = await panelView(r);
    const contract = await contractView();
    // At 23:00 the first report has no healthy instance left: a major outage, every stage reached.
    expect(contract.status).toEqual(['Major outage']);
    expect(own).toEqual(contract);
  });
});

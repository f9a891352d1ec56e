/**
 * What a Grafana user expects of a panel, through the built plugin (dist/module.js) in the host page, on the
 * `grafana-new-panel` case: frames as Grafana 12's Prometheus data source returns them, Grafana's default
 * field config, and the dashboard's annotations (a deploy, an alert state change, a note). The dashboard's
 * shared crosshair and tooltip through the event bus, data links in the tooltip, legend clicks, annotations
 * that are not deploys; and the header's reasons read whole at 1100 px (`zero-healthy`, the case with the
 * most reasons). The host plays the rest of the dashboard (window.sandboxDashboard: another panel's hover,
 * the panel editor's field config). Screenshots: artifacts/screenshots/grafana-*.png.
 */
import path from 'node:path';
import { Page } from 'playwright-core';

import { TestIds } from '../src/testIds';
import { eventually, openHost, PageProblems, watchProblems } from './browser';
import { SCREENSHOTS, browserSandboxForFile } from './browserFixture';
import type { CursorSyncMode } from './host/params';
import { HostTestIds } from './host/testIds';

const CASE = 'grafana-new-panel';
const MINUTE = 60_000;
/** The time as the tooltip writes it (the host's time zone is UTC). */
const shown = (t: number) => new Date(t).toISOString().replace('T', ' ').slice(0, 19);

jest.setTimeout(60_000);

const browser = browserSandboxForFile('grafana-test');

async function open(sync: CursorSyncMode, caseName = CASE, width = 1000, height = 600) {
  const page = await browser.chromium.context.newPage();
  const problems = watchProblems(page);
  await openHost(page, browser.sandbox.url, { caseName, sync, width, height });
  // The case's end (its "now"), and an hour before it, inside its two hours.
  const { to: now } = await page.evaluate(() => window.sandboxDashboard!.timeRange());
  return { page, problems, now, t: now - 60 * MINUTE };
}

function noProblems(problems: PageProblems) {
  expect({ pageErrors: problems.pageErrors, consoleErrors: problems.consoleErrors }).toEqual({
    pageErrors: [],
    consoleErrors: [],
  });
}

/** Is each lane's crosshair showing (uPlot hides it with the u-off class)? */
function crosshairs(page: Page): Promise<boolean[]> {
  return page.$$eval('.u-cursor-x', (els) => els.map((e) => !e.classList.contains('u-off')));
}

async function shot(page: Page, name: string) {
  await page.getByTestId(HostTestIds.panelChrome).screenshot({ path: path.join(SCREENSHOTS, `grafana-${name}.png`) });
}

describe('the dashboard\u2019s shared crosshair and tooltip', () => {
  test('shared tooltip: another panel\u2019s hover moves every lane\u2019s crosshair and shows the tooltip', async () => {
    const { page, problems, t: T } = await open('tooltip');
    try {
      await page.evaluate((t) => window.sandboxDashboard!.hoverOtherPanel(t), T);
      await eventually(async () => expect(await crosshairs(page)).toEqual([true, true, true]));
      await expect(page.getByTestId(TestIds.tooltip).innerText()).resolves.toContain(shown(T));
      await shot(page, 'shared-tooltip');
      await page.evaluate(() => window.sandboxDashboard!.hoverOtherPanel(null));
      await eventually(async () => expect(await crosshairs(page)).toEqual([false, false, false]));
      expect(await page.getByTestId(TestIds.tooltip).count()).toBe(0);
      noProblems(problems);
    } finally {
      await page.close();
    }
  });

  test('shared crosshair: the crosshair follows, the tooltip stays on the hovered panel; the pointer here is sent', async () => {
    const { page, problems, now, t: T } = await open('crosshair');
    try {
      await page.evaluate((t) => window.sandboxDashboard!.hoverOtherPanel(t), T);
      await eventually(async () => expect(await crosshairs(page)).toEqual([true, true, true]));
      expect(await page.getByTestId(TestIds.tooltip).count()).toBe(0);
      // The pointer over this panel's traffic lane: the dashboard hears where.
      const over = page.getByTestId(TestIds.lane('traffic')).locator('.u-over');
      const box = (await over.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width / 2 + 5, box.y + box.height / 2);
      await eventually(async () => {
        const sent = await page.evaluate(() => window.sandboxDashboard!.sentHovers());
        const times = sent.filter((t): t is number => t !== null);
        expect(times.length).toBeGreaterThan(0);
        expect(times[times.length - 1]).toBeGreaterThan(now - 120 * MINUTE);
        expect(times[times.length - 1]).toBeLessThanOrEqual(now);
      });
      await page.mouse.move(1, 1);
      await eventually(async () => {
        const sent = await page.evaluate(() => window.sandboxDashboard!.sentHovers());
        expect(sent[sent.length - 1]).toBeNull();
      });
      noProblems(problems);
    } finally {
      await page.close();
    }
  });

  test('off (Grafana\u2019s default): the panel neither follows nor sends', async () => {
    const { page, problems, t: T } = await open('off');
    try {
      await page.evaluate((t) => window.sandboxDashboard!.hoverOtherPanel(t), T);
      const over = page.getByTestId(TestIds.lane('traffic')).locator('.u-over');
      const box = (await over.boundingBox())!;
      await page.mouse.move(box.x + 100, box.y + 20);
      await page.mouse.move(box.x + 120, box.y + 20);
      // Its own tooltip still works.
      await eventually(async () => expect(await page.getByTestId(TestIds.tooltip).count()).toBe(1));
      expect(await page.evaluate(() => window.sandboxDashboard!.sentHovers())).toEqual([]);
      noProblems(problems);
    } finally {
      await page.close();
    }
  });
});

describe('what every Grafana visualisation offers', () => {
  test('data links from the field config, in the tooltip pinned by a click', async () => {
    const { page, problems } = await open('off');
    try {
      await page.evaluate(() =>
        window.sandboxDashboard!.setFieldConfig({
          defaults: { links: [{ title: 'Open in Explore', url: 'https://grafana.example/explore?v=${__value.raw}' }] },
          overrides: [],
        })
      );
      const over = page.getByTestId(TestIds.lane('database')).locator('.u-over');
      const box = (await over.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.6, box.y + 20);
      await page.mouse.move(box.x + box.width * 0.6 + 3, box.y + 20);
      await eventually(async () =>
        expect(await page.getByTestId(TestIds.tooltip).innerText()).toContain('Click to pin')
      );
      await page.mouse.click(box.x + box.width * 0.6 + 3, box.y + 20);
      const link = page.getByTestId(TestIds.dataLink).first();
      await eventually(async () => expect(await link.innerText()).toBe('Open in Explore'));
      // Interpolated at the hovered sample, as Grafana's link supplier does.
      expect(await link.getAttribute('href')).toMatch(/^https:\/\/grafana\.example\/explore\?v=\d+(\.\d+)?$/);
      // Pinned: moving away keeps it, so the link can be reached.
      await page.mouse.move(box.x + 10, box.y + 10);
      expect(await page.getByTestId(TestIds.dataLink).count()).toBeGreaterThan(0);
      await shot(page, 'data-links');
      noProblems(problems);
    } finally {
      await page.close();
    }
  });

  test('legend: a click isolates a series in its lane, ctrl-click toggles it', async () => {
    const { page, problems } = await open('off');
    try {
      const legend = page.getByTestId(TestIds.lane('traffic')).getByTestId(TestIds.legendItem);
      const pressed = () => legend.evaluateAll((els) => els.map((e) => e.getAttribute('aria-pressed')));
      const count = await legend.count();
      expect(count).toBeGreaterThan(1);
      await legend.first().click();
      expect(await pressed()).toEqual(['true', ...new Array(count - 1).fill('false')]);
      await legend.first().click();
      expect(await pressed()).toEqual(new Array(count).fill('true'));
      await legend.nth(1).click({ modifiers: ['Control'] });
      expect((await pressed())[1]).toBe('false');
      noProblems(problems);
    } finally {
      await page.close();
    }
  });

  test('annotations that are not deploys: drawn, listed in the tooltip, the status unchanged', async () => {
    const { page, problems, now } = await open('tooltip');
    try {
      // The case's dashboard has a note 10 min and an alert state change 20 min before its end.
      await page.evaluate((t) => window.sandboxDashboard!.hoverOtherPanel(t), now - 10 * MINUTE);
      await eventually(async () =>
        expect(await page.getByTestId(TestIds.annotation).allInnerTexts()).toEqual(['Investigating slow uploads'])
      );
      await shot(page, 'annotations');
      await page.evaluate((t) => window.sandboxDashboard!.hoverOtherPanel(t), now - 20 * MINUTE);
      await eventually(async () => {
        const texts = await page.getByTestId(TestIds.annotation).allInnerTexts();
        expect(texts).toHaveLength(1);
        expect(texts[0]).toMatch(/Alerting.*CascadeReplicaLag/);
      });
      // They are not deploys, and change nothing: an ordinary day.
      expect(await page.getByTestId(TestIds.status).innerText()).toBe('Operational');
      noProblems(problems);
    } finally {
      await page.close();
    }
  });
});

describe('text that collided', () => {
  test('at 1100 px the header\u2019s reasons are read whole, on their own line, not cut with "…"', async () => {
    const { page, problems } = await open('off', 'zero-healthy', 1100, 600);
    try {
      const reasons = page.getByTestId(TestIds.reasons);
      const text = await reasons.innerText();
      expect(text.split('·').length).toBeGreaterThan(1);
      // No reason line is wider than its box (an ellipsis would hide the overflow).
      const cut = await page
        .getByTestId(TestIds.reasons)
        .evaluate(
          (el) =>
            [el, ...Array.from(el.children)].filter(
              (c) => (c as HTMLElement).scrollWidth > (c as HTMLElement).clientWidth + 1
            ).length
        );
      expect(cut).toBe(0);
      await shot(page, 'reasons-1100');
      noProblems(problems);
    } finally {
      await page.close();
    }
  });
});

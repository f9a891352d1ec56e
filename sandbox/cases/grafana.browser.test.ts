/**
 * The built plugin (dist/module.js) in the host page on the Grafana-shaped cases (sandbox/cases/grafana.ts):
 * frames as Grafana 12's Prometheus data source returns them, a new panel's field config (Grafana's default
 * thresholds), the dashboard's annotations. What a person would read in the header and the callouts.
 * Screenshots go to artifacts/screenshots/<case>.png.
 */
import path from 'node:path';
import { Page } from 'playwright-core';

import { LANES, TestIds } from '../../src/testIds';
import { hostErrorTexts, openHost, PageProblems, PANEL_BODY, visibleTexts, watchProblems } from '../browser';
import { HostTestIds } from '../host/testIds';
import { SCREENSHOTS, browserSandboxForFile } from '../browserFixture';
import { GrafanaCaseName } from './grafana';

/** Opens the header's notes (a button that says "N notes") and reads them. */
async function notes(page: Page): Promise<string[]> {
  const button = page
    .locator(PANEL_BODY)
    .getByTestId(TestIds.header)
    .getByRole('button', { name: /notes?$/ });
  if ((await button.count()) === 0) {
    return [];
  }
  await button.click();
  return page.locator(PANEL_BODY).getByTestId(TestIds.notices).locator('li').allInnerTexts();
}

jest.setTimeout(60_000);

const browser = browserSandboxForFile('grafana-cases-test');

async function show(caseName: GrafanaCaseName, check: (page: Page) => Promise<void>) {
  const page = await browser.chromium.context.newPage();
  const problems: PageProblems = watchProblems(page);
  try {
    await openHost(page, browser.sandbox.url, { caseName, theme: 'dark', width: 1100, height: 600 });
    await page.getByTestId(HostTestIds.panelChrome).screenshot({ path: path.join(SCREENSHOTS, `${caseName}.png`) });
    expect(problems).toEqual({ pageErrors: [], consoleErrors: [] });
    expect(await hostErrorTexts(page)).toEqual([]);
    for (const lane of LANES) {
      expect(await visibleTexts(page, TestIds.lane(lane))).not.toHaveLength(0);
    }
    await check(page);
  } finally {
    await page.close();
  }
}

describe('the panel on Grafana-shaped cases', () => {
  test('a new panel on an ordinary day: default thresholds are no limit, annotations change nothing', async () => {
    await show('grafana-new-panel', async (page) => {
      expect(await visibleTexts(page, TestIds.status)).toEqual(['Operational']);
      expect(await visibleTexts(page, TestIds.reasons)).toEqual([]);
    });
  });

  test('a +64% step under rate(...[5m]) reads +64% ten minutes after the deploy', async () => {
    await show('grafana-deploy-step', async (page) => {
      expect(await visibleTexts(page, TestIds.status)).toEqual(['Degraded performance']);
      expect(await visibleTexts(page, TestIds.deployImpact)).toEqual([
        expect.stringMatching(/^\+64% req\/s since deploy 10 min ago/),
      ]);
    });
  });

  test('ETAs follow the curve: lag critical within a minute, no drain time on a flat backlog', async () => {
    await show('grafana-forecasts', async (page) => {
      const eta = await visibleTexts(page, TestIds.eta);
      expect(eta).toContainEqual(expect.stringMatching(/^lag critical in ~\d+ s$/));
      expect(eta.filter((t) => /drains/.test(t))).toEqual([]);
    });
  });

  test('a /regex/ matcher that could stall the panel is refused with a note, and the panel renders', async () => {
    await show('grafana-hostile-matcher', async (page) => {
      expect(await visibleTexts(page, TestIds.status)).toEqual(['Operational']);
      expect(await notes(page)).toContainEqual(expect.stringContaining('/(a+)+$/ repeats a group that itself repeats'));
    });
  });
});

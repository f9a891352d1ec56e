/**
 * The Cascade panel, built (dist/module.js) and loaded by the host page as Grafana would load it,
 * in each case x {dark, light} x {normal, small}: no page or console errors, and what a person
 * would see — the header's status words, the lanes, a canvas with a chart on it. Screenshots go to
 * artifacts/screenshots/<case>-<theme>-<size>.png (git-ignored; CI keeps them as artefacts).
 * The plugin is rebuilt first when dist/ is missing or older than src/.
 */
import path from 'node:path';
import { Page } from 'playwright-core';

import { LANES, LaneName, TestIds } from '../src/testIds';
import {
  canvasInk,
  CanvasInk,
  hostErrorTexts,
  isDrawn,
  openHost,
  PageProblems,
  PANEL_BODY,
  visibleTexts,
  watchProblems,
} from './browser';
import { PANEL_CASES, SyntheticCaseName } from './cases/catalog';
import { HostTestIds } from './host/testIds';
import { SCREENSHOTS, browserSandboxForFile } from './browserFixture';

const PORT = Number(process.env.SANDBOX_PANEL_TEST_PORT ?? 19481);

const SIZES = {
  normal: { width: 1000, height: 600 },
  small: { width: 400, height: 220 },
} as const;
type SizeName = keyof typeof SIZES;
const THEMES = ['dark', 'light'] as const;

/** The panel's contract with these tests: what each case must show (see sandbox/README.md). */
interface Expected {
  readonly status?: string;
  readonly stageIncludes?: string;
  readonly etaIncludes?: string;
  readonly deployImpactIncludes?: string;
  /** A visible message instead of lanes, naming what is missing. */
  readonly messageIncludes?: string;
}

const EXPECTED: Record<Exclude<SyntheticCaseName, 'bench-100k'>, Expected> = {
  'ordinary-day': { status: 'Operational' },
  'traffic-surge': { status: 'Degraded performance', stageIncludes: 'traffic' },
  'backlog-limit': { status: 'Degraded performance', etaIncludes: 'backlog limit in ~' },
  'zero-healthy': { status: 'Major outage' },
  'deploy-retry-storm': { status: 'Degraded performance', deployImpactIncludes: 'since deploy' },
  'nothing-usable': { messageIncludes: 'traffic' },
};

/** What a person sees on the panel, gathered in one go so a failure shows all of it. */
interface Seen {
  readonly header: boolean;
  readonly status: string[];
  readonly stage: string[];
  readonly eta: string[];
  readonly deployImpact: string[];
  readonly visibleMessage: string[];
  readonly lanes: Record<LaneName, boolean>;
  readonly canvases: CanvasInk[];
}

async function isVisible(page: Page, testId: string): Promise<boolean> {
  const locator = page.locator(PANEL_BODY).getByTestId(testId);
  for (let i = 0; i < (await locator.count()); i++) {
    if (await locator.nth(i).isVisible()) {
      return true;
    }
  }
  return false;
}

async function whatAPersonSees(page: Page): Promise<Seen> {
  const lanes = {} as Record<LaneName, boolean>;
  for (const lane of LANES) {
    lanes[lane] = await isVisible(page, TestIds.lane(lane));
  }
  return {
    header: await isVisible(page, TestIds.header),
    status: await visibleTexts(page, TestIds.status),
    stage: await visibleTexts(page, TestIds.stage),
    eta: await visibleTexts(page, TestIds.eta),
    deployImpact: await visibleTexts(page, TestIds.deployImpact),
    visibleMessage: await visibleTexts(page, TestIds.message),
    lanes,
    canvases: await canvasInk(page, PANEL_BODY),
  };
}

jest.setTimeout(60_000);

const browser = browserSandboxForFile('panel-test', PORT);

describe.each(PANEL_CASES.map((name) => [name, EXPECTED[name as keyof typeof EXPECTED]] as const))(
  '%s',
  (caseName, expected) => {
    const combos = THEMES.flatMap((theme) => (Object.keys(SIZES) as SizeName[]).map((size) => [theme, size] as const));

    test.each(combos)('%s theme, %s size', async (theme, size) => {
      const page = await browser.chromium.context.newPage();
      const problems: PageProblems = watchProblems(page);
      try {
        await openHost(page, browser.sandbox.url, { caseName, theme, ...SIZES[size] });
        await page
          .getByTestId(HostTestIds.panelChrome)
          .screenshot({ path: path.join(SCREENSHOTS, `${caseName}-${theme}-${size}.png`) });

        expect(problems).toEqual({ pageErrors: [], consoleErrors: [] });
        expect(await hostErrorTexts(page)).toEqual([]);

        const seen = await whatAPersonSees(page);
        if (expected.messageIncludes) {
          expect(seen).toMatchObject({ visibleMessage: [expect.stringContaining(expected.messageIncludes)] });
          return;
        }
        // One comparison, so a failure prints everything the panel showed.
        const want: Record<string, unknown> = { header: true, status: [expected.status] };
        if (expected.stageIncludes) {
          want.stage = expect.arrayContaining([expect.stringMatching(new RegExp(expected.stageIncludes, 'i'))]);
        }
        if (size === 'normal') {
          want.lanes = { traffic: true, database: true, instances: true };
          // Details that need room; at the small size the lanes may collapse to sparklines.
          if (expected.etaIncludes) {
            want.eta = expect.arrayContaining([expect.stringContaining(expected.etaIncludes)]);
          }
          if (expected.deployImpactIncludes) {
            want.deployImpact = expect.arrayContaining([expect.stringContaining(expected.deployImpactIncludes)]);
          }
        }
        expect(seen).toMatchObject(want);
        expect(seen.canvases.filter(isDrawn)).not.toHaveLength(0);
      } finally {
        await page.close();
      }
    });
  }
);

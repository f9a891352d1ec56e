/**
 * Headless Chromium for the browser tests and the benchmark: Debian's chromium through playwright-core
 * (no browser download), quiet flags, a fresh profile per launch, and helpers to open the host page,
 * collect what went wrong on it and tell a drawn canvas from a blank one.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';

import { formatHostParams, HostParams, DEFAULT_PARAMS } from './host/params';
import { HostTestIds } from './host/testIds';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const QUIET_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface Chromium {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** One browser with a fresh --user-data-dir (a persistent context is how playwright takes one), removed on close. */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Chromium> {
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'cascade-sandbox-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...QUIET_FLAGS, ...extraArgs],
      viewport: { width: 1700, height: 1100 },
      deviceScaleFactor: 1,
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw new Error(
      `Could not start Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH to override): ${(error as Error).message}`,
      {
        cause: error,
      }
    );
  }
  return {
    context,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Errors a page raised: uncaught exceptions and console.error messages. */
export interface PageProblems {
  readonly pageErrors: string[];
  readonly consoleErrors: string[];
}

export function watchProblems(page: Page): PageProblems {
  const problems: PageProblems = { pageErrors: [], consoleErrors: [] };
  page.on('pageerror', (error) => problems.pageErrors.push(error.stack ?? error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.consoleErrors.push(message.text());
    }
  });
  return problems;
}

export function hostUrl(baseUrl: string, params: Partial<HostParams>): string {
  return new URL(formatHostParams({ ...DEFAULT_PARAMS, ...params }), baseUrl).toString();
}

/** Opens the host page and waits for its ready signal (set once the panel has mounted and stopped changing). */
export async function openHost(
  page: Page,
  baseUrl: string,
  params: Partial<HostParams>,
  timeoutMs = 30_000
): Promise<void> {
  await page.goto(hostUrl(baseUrl, params));
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: timeoutMs });
}

/** The text of the page's error box, or [] when the page has none. */
export async function hostErrorTexts(page: Page): Promise<string[]> {
  return page.getByTestId(HostTestIds.errorBox).locator('li').allInnerTexts();
}

export interface CanvasInk {
  readonly width: number;
  readonly height: number;
  /** Pixels drawn in a colour clearly different from the panel background. */
  readonly inked: number;
  readonly share: number;
}

/**
 * For every 2D canvas under `selector`: how many pixels carry something visibly different from the
 * background the canvas sits on (the first opaque background of the element or its ancestors).
 * Transparent pixels count as background.
 */
export async function canvasInk(page: Page, selector: string): Promise<CanvasInk[]> {
  return page.evaluate(
    ({ selector }) => {
      const root = document.querySelector(selector);
      if (!root) {
        throw new Error(`No element matches ${selector}.`);
      }
      let background = 'rgb(255, 255, 255)';
      for (let el: Element | null = root; el; el = el.parentElement) {
        const colour = getComputedStyle(el).backgroundColor;
        if (colour && colour !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(colour)) {
          background = colour;
          break;
        }
      }
      const probe = document.createElement('canvas').getContext('2d');
      if (!probe) {
        throw new Error('No 2D canvas support.');
      }
      probe.fillStyle = background;
      probe.fillRect(0, 0, 1, 1);
      const [br, bg, bb] = probe.getImageData(0, 0, 1, 1).data;
      return Array.from(root.querySelectorAll('canvas')).flatMap((canvas) => {
        const ctx = canvas.width > 0 && canvas.height > 0 ? canvas.getContext('2d') : null;
        if (!ctx) {
          return [];
        }
        const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
        let inked = 0;
        for (let i = 0; i < data.length; i += 4) {
          const alpha = data[i + 3];
          if (alpha < 32) {
            continue;
          }
          const distance = Math.abs(data[i] - br) + Math.abs(data[i + 1] - bg) + Math.abs(data[i + 2] - bb);
          if (distance > 48) {
            inked++;
          }
        }
        const total = canvas.width * canvas.height;
        return [{ width: canvas.width, height: canvas.height, inked, share: inked / total }];
      });
    },
    { selector }
  );
}

/** A canvas counts as drawn when at least this share of it, and this many pixels, carry ink. */
export const INK_MIN_SHARE = 0.005;
export const INK_MIN_PIXELS = 200;

export function isDrawn(ink: CanvasInk): boolean {
  return ink.share >= INK_MIN_SHARE && ink.inked >= INK_MIN_PIXELS;
}

/** Retries `assertion` until it stops throwing or `timeoutMs` passes (then rethrows its last error). */
export async function eventually(assertion: () => Promise<void>, timeoutMs = 5_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}

/** The panel's part of the host page (not the host's controls around it). */
export const PANEL_BODY = `[data-testid="${HostTestIds.panelBody}"]`;

/** The trimmed text of every visible element of the panel with this test id, in page order. */
export async function visibleTexts(page: Page, testId: string): Promise<string[]> {
  const locator = page.locator(PANEL_BODY).getByTestId(testId);
  const texts: string[] = [];
  for (let i = 0; i < (await locator.count()); i++) {
    if (await locator.nth(i).isVisible()) {
      texts.push((await locator.nth(i).innerText()).trim());
    }
  }
  return texts;
}

/**
 * What every browser test file needs: the built plugin (rebuilt when stale), the host page serving it, a
 * headless Chromium, and the screenshots folder; started once before the file's tests, stopped after them.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

import { Chromium, launchChromium } from './browser';
import { REPO_ROOT } from './build';
import { ensurePluginBuilt } from './plugin';
import { Sandbox, startSandbox } from './serve';

export const SCREENSHOTS = path.join(REPO_ROOT, 'artifacts', 'screenshots');

export interface BrowserSandbox {
  readonly sandbox: Sandbox;
  readonly chromium: Chromium;
}

/** Registers the file's beforeAll/afterAll; the returned object is filled in once beforeAll has run. */
export function browserSandboxForFile(bundleLabel: string, port = 0): BrowserSandbox {
  const fixture = {} as { sandbox: Sandbox; chromium: Chromium };
  beforeAll(async () => {
    await ensurePluginBuilt();
    await mkdir(SCREENSHOTS, { recursive: true });
    fixture.sandbox = await startSandbox({ port, bundleLabel });
    fixture.chromium = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await fixture.chromium?.close();
    await fixture.sandbox?.close();
  });
  return fixture;
}

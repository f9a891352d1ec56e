/**
 * The README's pictures of a backtest report: `cascade-rules backtest` run against a Prometheus holding the
 * simulator's history, its index.html opened in Chromium (playwright-core, Debian's chromium) and saved as PNG in
 * docs/backtest/.
 *
 *   npx tsx alerts/backtest/screenshot.ts
 */
import fs from 'fs';
import os from 'os';
import path from 'path';

import { launchChromium } from '../../sandbox/browser';
import { runBacktest } from './cli';
import { startSimulatedPrometheus } from './simulatedPrometheus';

const ROOT = path.resolve(__dirname, '../..');
const OUT = path.join(ROOT, 'docs', 'backtest');

const PICTURES = [
  {
    file: 'cloudsmith-2020-02-04.png',
    scenario: 'cloudsmith-2020-02-04',
    args: ['--incident', '2020-02-04T21:02..2020-02-04T22:02'],
  },
  {
    file: 'busy-peak-set.png',
    scenario: 'busy-peak',
    args: ['--set', 'traffic.baseline.minBandRatio=0.7', '--incident', '2024-03-06T12:00..2024-03-06T14:00'],
  },
];

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const browser = await launchChromium();
  try {
    for (const p of PICTURES) {
      const prom = await startSimulatedPrometheus(p.scenario);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-backtest-shot-'));
      try {
        const report = path.join(dir, 'report');
        const argv = [
          '--prometheus',
          prom.url,
          '--from',
          new Date(prom.window.from * 1000).toISOString().slice(0, 16),
          '--to',
          new Date(prom.window.to * 1000).toISOString().slice(0, 16),
          ...p.args,
          '--out',
          report,
        ];
        const status = await runBacktest(argv, {
          stdout: (t) => process.stdout.write(t),
          stderr: (t) => process.stderr.write(t),
        });
        if (status !== 0) {
          throw new Error(`backtest of ${p.scenario} exited ${status}`);
        }
        // The command line in the page names the stand-in's port: show the one a reader would type.
        const html = fs
          .readFileSync(path.join(report, 'index.html'), 'utf8')
          .replace(prom.url, 'http://127.0.0.1:9090')
          .replace(report, 'report/');
        fs.writeFileSync(path.join(report, 'index.html'), html);
        const page = await browser.context.newPage();
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.goto(`file://${path.join(report, 'index.html')}`);
        await page.screenshot({ path: path.join(OUT, p.file), fullPage: false });
        await page.close();
        console.log(`wrote docs/backtest/${p.file}`);
      } finally {
        await prom.stop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});

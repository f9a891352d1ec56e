/**
 * Render benchmark (a benchmark, not a test: it measures and reports, it never fails on a time).
 * In headless Chromium, through the host page's `mode=bench`: the whole Cascade panel against bare
 * uPlot drawing the same 7 series x 100k points in 3 plots of the same total size, each timed from
 * handing over the data to the first frame after its last canvas drawing call. Runs alternate
 * between the two after warm-up; prints medians, quartiles and the ratio (target: at most 1.5x),
 * and writes artifacts/bench/render.json.
 *
 *   npx tsx sandbox/bench.ts [--runs 15] [--warmup 3] [--width 1000] [--height 600] [--port 19482]
 */
import { Command, InvalidArgumentError } from 'commander';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { compare, Summary, summarize } from './benchStats';
import { hostErrorTexts, launchChromium, openHost } from './browser';
import { REPO_ROOT } from './build';
import type { BenchInfo, BenchRun } from './host/bench/benchPage';
import { ensurePluginBuilt } from './plugin';
import { parsePort, startSandbox } from './serve';

export const TARGET_RATIO = 1.5;

interface BenchOptions {
  runs: number;
  warmup: number;
  width: number;
  height: number;
  port: number;
}

function positiveInt(raw: string): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1)) {
    throw new InvalidArgumentError(`expected a whole number >= 1, got "${raw}".`);
  }
  return n;
}

const fmt = (ms: number) => ms.toFixed(1).padStart(8);
const row = (label: string, s: Summary) =>
  `${label.padEnd(10)}${fmt(s.median)}${fmt(s.q1)}${fmt(s.q3)}${fmt(s.min)}${fmt(s.max)}`;

async function main(argv: string[]): Promise<void> {
  const opts = new Command()
    .name('bench')
    .description('Render time of the Cascade panel against bare uPlot with the same data, in headless Chromium.')
    .option('--runs <n>', 'measured runs of each', positiveInt, 15)
    .option('--warmup <n>', 'unmeasured runs of each first', positiveInt, 3)
    .option('--width <px>', 'panel width', positiveInt, 1000)
    .option('--height <px>', 'panel height', positiveInt, 600)
    .option(
      '--port <port>',
      'sandbox port (env SANDBOX_BENCH_PORT)',
      parsePort,
      Number(process.env.SANDBOX_BENCH_PORT ?? 19482)
    )
    .parse(argv)
    .opts<BenchOptions>();

  await ensurePluginBuilt();
  const sandbox = await startSandbox({ port: opts.port, bundleLabel: 'bench' });
  const chromium = await launchChromium();
  try {
    const page = await chromium.context.newPage();
    await openHost(
      page,
      sandbox.url,
      { caseName: 'bench-100k', mode: 'bench', width: opts.width, height: opts.height },
      120_000
    );
    const errors = await hostErrorTexts(page);
    if (errors.length > 0) {
      throw new Error(`The benchmark page reported errors:\n${errors.join('\n')}`);
    }
    const info = await page.evaluate(() => window.cascadeBench?.info as BenchInfo);
    const run = (kind: 'panel' | 'uplot') =>
      page.evaluate(
        (k) => (k === 'panel' ? window.cascadeBench!.runPanel() : window.cascadeBench!.runUplot()),
        kind
      ) as Promise<BenchRun>;

    process.stdout.write(
      `Render benchmark: ${info.lanes} lanes, ${info.series} series x ${info.pointsPerSeries.toLocaleString('en')} points, ` +
        `${info.width}x${info.height} px; ${opts.warmup} warm-up + ${opts.runs} measured runs each, alternating.\n`
    );
    for (let i = 0; i < opts.warmup; i++) {
      await run('panel');
      await run('uplot');
    }
    const panel: BenchRun[] = [];
    const uplot: BenchRun[] = [];
    for (let i = 0; i < opts.runs; i++) {
      // Alternate which goes first, so neither always runs on a warmer or colder page.
      if (i % 2 === 0) {
        panel.push(await run('panel'));
        uplot.push(await run('uplot'));
      } else {
        uplot.push(await run('uplot'));
        panel.push(await run('panel'));
      }
    }

    const panelMs = summarize(panel.map((r) => r.ms));
    const uplotMs = summarize(uplot.map((r) => r.ms));
    const { ratioOfMedians, pairedRatios } = compare(
      panel.map((r) => r.ms),
      uplot.map((r) => r.ms)
    );
    // Secondary: up to the last drawing call, which is not rounded up to the next frame.
    const panelDrawn = summarize(panel.map((r) => r.drawnMs));
    const uplotDrawn = summarize(uplot.map((r) => r.drawnMs));
    const drawnRatio = panelDrawn.median / uplotDrawn.median;
    const panelMutated = summarize(panel.map((r) => r.mutatedMs));
    const uplotMutated = summarize(uplot.map((r) => r.mutatedMs));
    const drewSomething = panel.every((r) => r.drawCalls > 0 && r.canvases > 0);

    const lines = [
      `${''.padEnd(10)}${'median'.padStart(8)}${'q1'.padStart(8)}${'q3'.padStart(8)}${'min'.padStart(8)}${'max'.padStart(8)}   (ms)`,
      row('panel', panelMs),
      row('uPlot', uplotMs),
      '  until the last drawing call:',
      row('panel', panelDrawn),
      row('uPlot', uplotDrawn),
      '  until the last DOM change:',
      row('panel', panelMutated),
      row('uPlot', uplotMutated),
      '',
      `panel / bare uPlot: ${ratioOfMedians.toFixed(2)}x (ratio of medians; paired runs: median ${pairedRatios.median.toFixed(2)}x, ` +
        `middle half ${pairedRatios.q1.toFixed(2)}-${pairedRatios.q3.toFixed(2)}x)`,
      `until the last drawing call: ${drawnRatio.toFixed(2)}x`,
      drewSomething
        ? `target: at most ${TARGET_RATIO}x -> ${ratioOfMedians <= TARGET_RATIO ? 'within target' : 'OVER TARGET'}`
        : `target: not assessed: the panel drew nothing on a canvas (the scaffold's placeholder?), so there is nothing to compare with uPlot.`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);

    const out = path.join(REPO_ROOT, 'artifacts', 'bench', 'render.json');
    await mkdir(path.dirname(out), { recursive: true });
    const userAgent = await page.evaluate(() => navigator.userAgent);
    await writeFile(
      out,
      `${JSON.stringify(
        {
          when: new Date().toISOString(),
          userAgent,
          info,
          options: opts,
          targetRatio: TARGET_RATIO,
          ratioOfMedians,
          pairedRatios,
          drawnRatio,
          panel: { summary: panelMs, drawn: panelDrawn, mutated: panelMutated, runs: panel },
          uplot: { summary: uplotMs, drawn: uplotDrawn, mutated: uplotMutated, runs: uplot },
          panelDrew: drewSomething,
        },
        null,
        2
      )}\n`
    );
    process.stdout.write(`wrote ${path.relative(process.cwd(), out)}\n`);
  } finally {
    await chromium.close();
    await sandbox.close();
  }
}

main(process.argv).catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

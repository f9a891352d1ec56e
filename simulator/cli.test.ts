import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadScenario } from './scenario/load';
import { simulate } from './run';
import { promtoolSeriesYaml } from './output/promtool';

const ROOT = path.join(__dirname, '..');
const cli = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(ROOT, 'bin', 'cascade-sim.js'), ...args], { encoding: 'utf8', cwd: ROOT });

describe('cascade-sim', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-cli-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('explains itself and every subcommand with --help', () => {
    const top = cli('--help');
    expect(top.status).toBe(0);
    for (const cmd of ['serve', 'history', 'promtool-series', 'list', 'timeline']) {
      expect(top.stdout).toContain(cmd);
    }
    const serve = cli('serve', '--help');
    expect(serve.status).toBe(0);
    expect(serve.stdout).toMatch(/--port <n>[\s\S]*9464/);
    expect(serve.stdout).toMatch(/--host <address>[\s\S]*127\.0\.0\.1/);
  });

  it.each([
    [['history', '--scenario', 'normal-week'], /required option '--out <file>' not specified/],
    [
      ['history', '--scenario', 'normal-week', '--out', 'x', '--step', 'often'],
      /--step <duration>.*expected a duration/,
    ],
    [['serve', '--scenario', 'normal-week', '--port', '99999'], /expected a port number/],
    [['serve', '--scenario', 'normal-week', '--speed', '-1'], /expected a positive number/],
    [['promtool-series', '--scenario', 'nope'], /unknown scenario "nope"/],
    [['promtool-series', '--scenario', 'crates-io-2023-07-20', '--from', '9pm'], /--from: expected a time such as/],
    [
      ['promtool-series', '--scenario', 'crates-io-2023-07-20', '--from', '13:00', '--to', '12:00'],
      /--to: expected a time after --from/,
    ],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('%j exits 2 with a message', (args, message) => {
    const r = cli(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it.each([['history'], ['promtool-series']])(
    '%s --out in a missing folder exits 1 with the path, no stack trace',
    (cmd) => {
      const target = path.join(os.tmpdir(), `cascade-sim-missing-${process.pid}`, 'out.txt');
      const r = cli(cmd, '--scenario', 'crates-io-2023-07-20', '--out', target);
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe(`cascade-sim: cannot open ${target}: ENOENT`);
    }
  );

  it('promtool-series writes the same text as the library', () => {
    const out = path.join(dir, 'series.yaml');
    const r = cli(
      'promtool-series',
      '--scenario',
      'crates-io-2023-07-20',
      '--from',
      '12:00',
      '--to',
      '12:40',
      '--out',
      out
    );
    expect(r.status).toBe(0);
    const s = loadScenario('crates-io-2023-07-20');
    const run = simulate(s, { from: s.anchor + 12 * 3600, to: s.anchor + 12 * 3600 + 40 * 60, stepSeconds: 60 });
    expect(fs.readFileSync(out, 'utf8')).toBe(promtoolSeriesYaml(run));
  });

  it('history writes OpenMetrics for the given range and says what it wrote', () => {
    const out = path.join(dir, 'h.om');
    const r = cli(
      'history',
      '--scenario',
      'normal-week',
      '--from',
      'anchor',
      '--to',
      'anchor+2h',
      '--step',
      '5m',
      '--out',
      out
    );
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/h\.om: \d+ series, \d+ samples, 2024-03-04T00:00:00Z to 2024-03-04T02:00:00Z/);
    const text = fs.readFileSync(out, 'utf8');
    expect(text.endsWith('# EOF\n')).toBe(true);
    expect(text).toMatch(/ 1709517600\n/);
  });
});

describe('cascade-sim serve', () => {
  it('prints the address it really listens on, not the name it was given', async () => {
    const child = spawn(
      process.execPath,
      [
        path.join(ROOT, 'bin', 'cascade-sim.js'),
        'serve',
        '--scenario',
        'normal-week',
        '--host',
        'localhost',
        '--port',
        '0',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }
    );
    try {
      let out = '';
      child.stdout.setEncoding('utf8');
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: string) => {
          out += chunk;
          if (out.includes('\n')) {
            resolve();
          }
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code} before printing its address`)));
      });
      expect(out).toMatch(/^cascade-sim serving scenario normal-week at http:\/\/(127\.0\.0\.1|\[::1\]):\d+\/metrics/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});

/**
 * `cascade-rules backtest` when something is wrong: every mistake a clear message and exit status, and nothing
 * written as if the report were complete. The launcher (`bin/cascade-rules.js backtest`) too.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import http from 'http';
import net from 'net';
import os from 'os';
import path from 'path';

import { EXIT_FAILED, EXIT_USAGE, parseSet, parseTime, runBacktest, writeReportDir } from './cli';
import { startSimulatedPrometheus, type SimulatedPrometheus } from './simulatedPrometheus';

const ROOT = path.resolve(__dirname, '../..');

async function backtest(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const status = await runBacktest(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-backtest-cli-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('arguments', () => {
  it('parses times: now, a duration back, ISO, Unix seconds', () => {
    const now = 1_700_000_000;
    expect(parseTime('now', now, now)).toBe(now);
    expect(parseTime('28d', now, now)).toBe(now - 28 * 86_400);
    expect(parseTime('2024-03-06', 0, now)).toBe(Date.parse('2024-03-06T00:00:00Z') / 1000);
    expect(parseTime('2024-03-06T21:02', 0, now)).toBe(Date.parse('2024-03-06T21:02:00Z') / 1000);
    expect(parseTime('2024-03-06T21:02+01:00', 0, now)).toBe(Date.parse('2024-03-06T20:02:00Z') / 1000);
    expect(parseTime('1709683200', 0, now)).toBe(1_709_683_200);
    expect(() => parseTime('yesterday', 0, now)).toThrow(/not a time/);
  });

  it('reads --set values as YAML scalars under a dotted path', () => {
    expect(parseSet('traffic.baseline.minBandRatio=0.5')).toEqual({ traffic: { baseline: { minBandRatio: 0.5 } } });
    expect(parseSet('signals.trafficSources.enabled=false')).toEqual({
      signals: { trafficSources: { enabled: false } },
    });
    expect(parseSet('backlog.limit=null')).toEqual({ backlog: { limit: null } });
    expect(() => parseSet('=3')).toThrow(/expected key=value/);
  });

  it.each([
    [['--from', '28d'], /--prometheus URL is required/],
    [['--prometheus', 'ftp://x'], /expected an http\(s\) URL/],
    [['--prometheus', 'http://127.0.0.1:1', '--from', '200d'], /range is too large: 200 days.*at most 92 days/],
    [['--prometheus', 'http://127.0.0.1:1', '--from', '2024-03-07', '--to', '2024-03-06'], /window is empty/],
    [['--prometheus', 'http://127.0.0.1:1', '--incident', '2024-03-06'], /expected FROM\.\.TO/],
    [
      ['--prometheus', 'http://127.0.0.1:1', '--set', 'traffic.baseline.widht=2'],
      /traffic\.baseline: unknown field "widht"/,
    ],
    [['--prometheus', 'http://127.0.0.1:1', '--set', 'slo.target=2'], /slo\.target: expected a fraction below 1/],
    [['--prometheus', 'http://127.0.0.1:1', '--step', 'fast'], /not a Prometheus duration/],
  ])('refuses %j with exit 2', async (argv, message) => {
    const result = await backtest(...argv, '--out', path.join(dir, 'report'));
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(EXIT_USAGE);
    expect(fs.existsSync(path.join(dir, 'report'))).toBe(false);
  });
});

describe('a Prometheus that cannot answer', () => {
  it('says so when nothing listens at the URL', async () => {
    const port = await closedPort();
    const result = await backtest('--prometheus', `http://127.0.0.1:${port}`, '--out', path.join(dir, 'report'));
    expect(result.stderr).toMatch(new RegExp(`cannot reach Prometheus at http://127.0.0.1:${port}: ECONNREFUSED`));
    expect(result.status).toBe(EXIT_FAILED);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('gives up on a server that does not answer within --timeout, and on one that is not Prometheus', async () => {
    const hanging: http.ServerResponse[] = [];
    const server = http.createServer((req, res) => {
      if (req.url?.startsWith('/hang')) {
        hanging.push(res);
      } else {
        res.end('<html>a login page</html>');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    try {
      const slow = await backtest('--prometheus', `${url}/hang`, '--timeout', '1s');
      expect(slow.stderr).toMatch(/did not answer within 1 s .*try a shorter window/);
      expect(slow.status).toBe(EXIT_FAILED);
      const other = await backtest('--prometheus', url);
      expect(other.stderr).toMatch(/answered 200 with something that is not Prometheus' API .*a login page/);
      expect(other.status).toBe(EXIT_FAILED);
    } finally {
      hanging.forEach((r) => r.destroy());
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }, 30_000);
});

describe('against a Prometheus holding the first report', () => {
  let prom: SimulatedPrometheus;
  beforeAll(async () => {
    prom = await startSimulatedPrometheus('cloudsmith-2020-02-04');
  }, 120_000);
  afterAll(() => prom?.stop());

  const window = () => ['--from', String(prom.window.from), '--to', String(prom.window.to)];

  it('a window without data', async () => {
    const result = await backtest('--prometheus', prom.url, '--from', '2010-01-01', '--to', '2010-01-02');
    expect(result.stderr).toMatch(/no input series of the pack between 2009-12-\d\dT.* and 2010-01-02T00:00:00Z/);
    expect(result.status).toBe(EXIT_FAILED);
  });

  it('names the input signals it cannot find', async () => {
    const config = path.join(dir, 'mine.yaml');
    fs.writeFileSync(config, 'signals:\n  writeBacklog:\n    metric: sidekiq_queue_size\n');
    const result = await backtest('--prometheus', prom.url, '--config', config, ...window());
    expect(result.stderr).toMatch(/input signals with no series in the window: writeBacklog \(sidekiq_queue_size\)\./);
    expect(result.stderr).toContain('--set signals.<name>.enabled=false');
    expect(result.status).toBe(EXIT_FAILED);
    // A service that is not there: the signals read per service are missing, the database ones are not.
    const other = await backtest('--prometheus', prom.url, '--service', 'nope', ...window());
    expect(other.stderr).toMatch(/traffic \(http_requests_total\{service=~"nope"\}\)/);
    expect(other.stderr).not.toMatch(/writeBacklog/);
  });

  it('refuses a selector broader than --max-series, and leaves an earlier report as it was', async () => {
    const out = path.join(dir, 'report');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'index.html'), 'the last good report');
    const result = await backtest('--prometheus', prom.url, '--max-series', '5', '--out', out, ...window());
    expect(result.stderr).toMatch(
      /http_requests_total \(signal traffic\) matches \d+ series .* more than --max-series 5/
    );
    expect(result.status).toBe(EXIT_FAILED);
    expect(fs.readdirSync(dir)).toEqual(['report']);
    expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).toBe('the last good report');
  });

  it('runs from the launcher: bin/cascade-rules.js backtest', () => {
    const result = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'bin/cascade-rules.js'),
        'backtest',
        '--prometheus',
        prom.url,
        ...window(),
        '--service',
        'registry',
      ],
      { encoding: 'utf8', timeout: 120_000 }
    );
    expect(result.stderr).not.toContain('cascade-rules backtest:');
    expect(result.stdout).toMatch(/^CascadeNoHealthyInstances\s+critical\s+1\s/m);
    expect(result.status).toBe(0);
  }, 120_000);
});

describe('writeReportDir', () => {
  it('replaces a report whole, and leaves no partial folder when writing fails', () => {
    const out = path.join(dir, 'report');
    writeReportDir(out, { 'index.html': 'one' });
    writeReportDir(out, { 'index.html': 'two', 'backtest.json': '{}' });
    expect(fs.readdirSync(out).sort()).toEqual(['backtest.json', 'index.html']);
    expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).toBe('two');
    expect(() => writeReportDir(out, { 'no/such/dir.html': 'x' })).toThrow();
    expect(fs.readdirSync(dir)).toEqual(['report']);
    expect(fs.readFileSync(path.join(out, 'index.html'), 'utf8')).toBe('two');
    expect(fs.statSync(out).mode & 0o777).toBe(0o755);
  });

  it('refuses, before it fetches anything, a file or a folder holding anything but a report', async () => {
    const file = path.join(dir, 'report.html');
    fs.writeFileSync(file, 'mine');
    const own = path.join(dir, 'work');
    fs.mkdirSync(own);
    fs.writeFileSync(path.join(own, 'notes.txt'), 'mine too');
    for (const [out, why] of [
      [file, 'is a file; expected a folder for index.html and backtest.json (created if missing)'],
      [
        own,
        'holds other files (notes.txt); expected a new folder or one an earlier backtest wrote (the report replaces the folder whole)',
      ],
    ]) {
      // Nothing answers on port 9: it would fail later, at the fetch, if the folder were not checked first.
      const result = await backtest('--prometheus', 'http://127.0.0.1:9', '--out', out);
      expect([result.status, result.stderr]).toEqual([EXIT_USAGE, `cascade-rules backtest: --out ${out}: ${why}\n`]);
      expect(() => writeReportDir(out, { 'index.html': 'x' })).toThrow(why);
    }
    expect(fs.readFileSync(file, 'utf8')).toBe('mine');
    expect(fs.readdirSync(own)).toEqual(['notes.txt']);
  });
});

/**
 * The bounded abuse test (demo/abuse.ts): every server the demo starts in Node takes thousands of malformed
 * requests, hundreds of connections at once, cut-off and oversized bodies, slow clients and hostile webhooks, and
 * still answers correctly afterwards, with what it keeps within its limits. It runs in a process of its own, as
 * the demo does, so an unhandled rejection is counted as the demo would meet it. Counts are fixed and each
 * exchange has a deadline; nothing here is timed.
 */
import { spawnSync } from 'child_process';
import path from 'path';

import { AbuseReport, DEFAULT_COUNTS, formatReport } from './abuse';
import { DEFAULT_LIMITS } from './receiver';

let report: AbuseReport;

beforeAll(() => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, 'abuse.ts'), '--json'], {
    encoding: 'utf8',
    timeout: 170_000,
    maxBuffer: 16 << 20,
  });
  if (run.status !== 0) {
    throw new Error(`demo/abuse.ts exited with ${run.status ?? run.signal}:\n${run.stderr.slice(-4000)}`);
  }
  report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as AbuseReport;
  // The figures, for whoever reads the test output.
  process.stdout.write(`${formatReport(report)}\n`);
}, 180_000);

describe('the demo\u2019s servers under a bounded attack', () => {
  it('took thousands of requests and nothing escaped as an uncaught error', () => {
    expect(report.figures.requests).toBeGreaterThan(3 * DEFAULT_COUNTS.malformed);
    expect(report.figures.uncaught).toEqual([]);
  });

  it('answered every request it was sent, never with a reset, a timeout or a 500', () => {
    for (const [name, s] of Object.entries(report.figures.servers)) {
      const unanswered = Object.entries(s.outcomes).filter(([o]) =>
        ['reset', 'timeout', 'closed', 'garbled', 'HTTP 500'].includes(o)
      );
      expect([name, unanswered]).toEqual([name, []]);
    }
  });

  it('answered 413 to every oversized body, and waited for the bodies that were cut off', () => {
    for (const name of ['sandbox', 'receiver']) {
      expect([name, report.figures.servers[name].outcomes['HTTP 413']]).toEqual([name, DEFAULT_COUNTS.oversized]);
      // Both read a body before answering, so every cut-off client hung up before any answer came.
      expect([name, report.figures.servers[name].outcomes.cut]).toEqual([name, DEFAULT_COUNTS.cutOff]);
    }
  });

  it('answered a well-formed request while slow clients held connections open', () => {
    expect(report.figures.duringSlowClients).toEqual(['HTTP 200', 'HTTP 200', 'HTTP 200']);
  });

  it('kept memory bounded: the receiver within its limits, the heap well under a generous bound', () => {
    // 20 webhooks of 1 MB went in: the receiver keeps no more than its 8 MiB of them...
    const big = report.figures.afterBigWebhooks;
    expect(big.storedSize).toBeLessThanOrEqual(DEFAULT_LIMITS.maxStored);
    expect(big.alerts).toBeLessThanOrEqual(8);
    // ...then 1500 small alerts: it keeps the newest 1000.
    expect(report.kept.alerts).toBe(DEFAULT_LIMITS.maxAlerts);
    expect(report.kept.storedSize).toBeLessThanOrEqual(DEFAULT_LIMITS.maxStored);
    expect(report.figures.heapGrowthMb).toBeLessThan(256);
  });

  it('every server still answers correctly afterwards', () => {
    expect(Object.entries(report.after).filter(([, v]) => v !== 'ok')).toEqual([]);
  });
});

/**
 * `npm run demo` as a user, a supervisor or a script meets it: Ctrl-C in a terminal (SIGINT to the whole process
 * group) or a signal sent to the npm process alone stops everything, during the backfill as once ready; a
 * Prometheus or Alertmanager that dies is reported in words and everything else stops. One day of history
 * (`--days 1`) keeps each start short; nothing here depends on the history's length.
 */
import fs from 'fs';
import { leftBehind, spawnDemo, type RunningDemo } from './spawnDemo';

jest.setTimeout(180_000);

const started: RunningDemo[] = [];

afterAll(async () => {
  for (const demo of started) {
    if (demo.npm.exitCode === null) {
      demo.npm.kill('SIGKILL');
    }
    for (const { pid } of demo.tree()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    fs.rmSync(demo.stateDir, { recursive: true, force: true });
  }
});

async function demo(): Promise<RunningDemo> {
  const d = await spawnDemo(['--days', '1']);
  started.push(d);
  return d;
}

function pidOf(d: RunningDemo, name: RegExp): number {
  const p = d.tree().find((t) => name.test(t.command));
  if (!p) {
    throw new Error(`no process matching ${name} under the demo: ${JSON.stringify(d.tree())}`);
  }
  return p.pid;
}

describe('npm run demo', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('stops everything on %s sent to the npm process once ready', async (sig) => {
    const d = await demo();
    await d.waitFor(/Ready in \d+ s/);
    const tree = d.tree().map((t) => t.pid);
    expect(tree.length).toBeGreaterThanOrEqual(4); // the demo's node, the simulator, Prometheus, Alertmanager
    d.npm.kill(sig);
    await d.exited;
    expect(d.output()).toContain(`${sig}: stopping`);
    expect(await leftBehind(tree, d.ports)).toEqual([]);
  });

  it('stops everything on Ctrl-C in a terminal: SIGINT to the whole process group, npm and the demo at once', async () => {
    const d = await demo();
    await d.waitFor(/Ready in \d+ s/);
    const tree = d.tree().map((t) => t.pid);
    process.kill(-d.npm.pid!, 'SIGINT');
    await d.exited;
    expect(d.output()).toContain('SIGINT: stopping');
    expect(await leftBehind(tree, d.ports)).toEqual([]);
  });

  it('stops everything on SIGTERM sent to the npm process during the backfill', async () => {
    const d = await demo();
    await d.waitFor(/History: /);
    const tree = d.tree().map((t) => t.pid);
    d.npm.kill('SIGTERM');
    await d.exited;
    expect(d.output()).toContain('SIGTERM: stopping');
    expect(d.output()).not.toContain('Ready in');
    expect(await leftBehind([...tree, ...d.tree().map((t) => t.pid)], d.ports)).toEqual([]);
  });

  it.each([
    ['prometheus', /^prometheus /],
    ['alertmanager', /^prometheus-alertmanager |^alertmanager /],
  ])('says so when %s dies while it runs, and stops everything else', async (name, command) => {
    const d = await demo();
    await d.waitFor(/Ready in \d+ s/);
    const tree = d.tree().map((t) => t.pid);
    const victim = pidOf(d, command);
    process.kill(victim, 'SIGKILL');
    expect(await d.exited).toBe(1);
    expect(d.output()).toContain(`${name} (pid ${victim}) was killed (SIGKILL) while the demo was running`);
    expect(d.output()).toContain('Stopped.');
    expect(await leftBehind(tree, d.ports)).toEqual([]);
  });
});

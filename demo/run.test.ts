/**
 * `npm run demo` as a user, a supervisor or a script meets it: Ctrl-C in a terminal (SIGINT to the whole process
 * group) or a signal sent to the npm process alone stops everything, during the backfill as once ready; a
 * Prometheus or Alertmanager that dies is reported in words and everything else stops. One day of history
 * (`--days 1`) keeps each start short; nothing here depends on the history's length.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import { leftBehind, spawnDemo, type RunningDemo } from './spawnDemo';
import { ROOT } from './stack';

jest.setTimeout(180_000);

const started: RunningDemo[] = [];

afterAll(async () => {
  for (const demo of started) {
    // The tree first: once npm is gone its descendants are no longer found under it.
    const tree = demo.tree();
    if (demo.npm.exitCode === null) {
      demo.npm.kill('SIGKILL');
    }
    for (const { pid } of tree) {
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

  it('the start command it prints, other ports and all, starts the replay in the running demo', async () => {
    const d = await demo();
    await d.waitFor(/Ready in \d+ s/);
    const printed = /button beside the panel, or:\n\s*(npm run demo -- start .+)\n/.exec(d.output())?.[1];
    expect(printed).toMatch(/--simulator-port \d+$/); // the test's simulator is not on the default port
    const run = spawnSync('bash', ['-c', printed!], { cwd: ROOT, encoding: 'utf8' });
    expect([run.status, run.stderr]).toEqual([0, expect.anything()]);
    expect(run.stdout).toContain('Started cloudsmith-2020-02-04.');
    const state = await (await fetch(`http://127.0.0.1:${d.ports[3]}/api/state`)).json();
    expect(state.playing?.scenario).toBe('cloudsmith-2020-02-04');
    const tree = d.tree().map((t) => t.pid);
    d.npm.kill('SIGTERM');
    await d.exited;
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

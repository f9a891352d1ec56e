/**
 * The demo's child processes (simulator, Prometheus, Alertmanager, the host page): started with their
 * output in log files, waited for until they answer, and all stopped together on Ctrl-C, on an error,
 * or when the parent exits. Nothing is left running.
 */
import { ChildProcess, spawn, spawnSync } from 'child_process';
import fs from 'fs';
import net from 'net';
import path from 'path';
import { tail } from '../lib/processes';

export { tail };

export interface Started {
  readonly name: string;
  readonly child: ChildProcess;
  readonly log: string;
}

export class ProcessError extends Error {}

/** Whether a command is on the PATH. */
export function hasCommand(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** The first of the candidate names that is installed (Debian calls Alertmanager prometheus-alertmanager). */
export function findCommand(...candidates: string[]): string | null {
  return candidates.find(hasCommand) ?? null;
}

/** Resolves when nothing listens on host:port, rejects with a message naming the port otherwise. */
export function assertPortFree(port: number, what: string, host = '127.0.0.1'): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', () =>
      reject(
        new ProcessError(`Port ${port} on ${host} (for ${what}) is in use: stop what uses it or pick another port.`)
      )
    );
    server.listen(port, host, () => server.close(() => resolve()));
  });
}

export class ProcessGroup {
  private readonly started: Started[] = [];
  private stopping: Promise<void> | null = null;
  private fail: (why: string) => void = () => undefined;
  /** Resolves with a sentence when a watched process exits before stopAll (see watch). */
  readonly failed: Promise<string> = new Promise((resolve) => (this.fail = resolve));

  constructor(private readonly logDir: string) {
    fs.mkdirSync(logDir, { recursive: true });
    // Whatever ends the parent, children go with it.
    process.once('exit', () => this.killNow());
  }

  start(
    name: string,
    command: string,
    args: string[],
    options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}
  ): Started {
    const log = path.join(this.logDir, `${name}.log`);
    const out = fs.openSync(log, 'w');
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', out, out],
      // Own process group: Ctrl-C in the terminal reaches the parent only, which stops children in order.
      detached: true,
    });
    fs.closeSync(out);
    const started = { name, child, log };
    this.started.push(started);
    return started;
  }

  /** Polls `url` until it answers 2xx; fails early, with the log's tail, if the process exits. */
  async waitUntilReady(p: Started, url: string, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (p.child.exitCode !== null || p.child.signalCode !== null) {
        throw new ProcessError(
          `${p.name} exited (${p.child.exitCode ?? p.child.signalCode}) before it was ready:\n${tail(p.log)}`
        );
      }
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
        if (res.ok) {
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new ProcessError(`${p.name} did not answer ${url} within ${timeoutMs / 1000} s:\n${tail(p.log)}`);
  }

  /**
   * From now on, a running child that exits (killed, crashed) before stopAll resolves `failed` with a sentence
   * naming it, how it ended and the end of its log.
   */
  watch(): void {
    for (const p of this.started) {
      if (p.child.exitCode !== null || p.child.signalCode !== null) {
        continue;
      }
      p.child.once('exit', (code, sig) => {
        if (this.stopping === null) {
          const how = sig ? `was killed (${sig})` : `exited (code ${code})`;
          this.fail(
            `${p.name} (pid ${p.child.pid}) ${how} while the demo was running. The end of its log (${p.log}):\n${tail(p.log, 5)}`
          );
        }
      });
    }
  }

  /** SIGTERM to every child (newest first), SIGKILL to those still there after `graceMs`. */
  stopAll(graceMs = 5000): Promise<void> {
    this.stopping ??= (async () => {
      const alive = [...this.started].reverse().filter((p) => p.child.exitCode === null && p.child.signalCode === null);
      for (const p of alive) {
        signal(p.child, 'SIGTERM');
      }
      const exited = alive.map(
        (p) =>
          new Promise<void>((resolve) =>
            p.child.exitCode !== null ? resolve() : p.child.once('exit', () => resolve())
          )
      );
      const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
      if ((await Promise.race([Promise.all(exited), timer])) === 'timeout') {
        for (const p of alive) {
          signal(p.child, 'SIGKILL');
        }
        await Promise.all(exited);
      }
    })();
    return this.stopping;
  }

  private killNow() {
    for (const p of this.started) {
      signal(p.child, 'SIGKILL');
    }
  }
}

/** Every process below `pid` (children first, then theirs), from `ps`; zombies left out. */
export function descendants(pid: number): number[] {
  const ps = spawnSync('ps', ['-e', '-o', 'pid=,ppid=,stat='], { encoding: 'utf8' });
  const children = new Map<number, number[]>();
  for (const line of ps.stdout.split('\n')) {
    const [p, parent, stat] = line.trim().split(/\s+/);
    if (p && !stat?.startsWith('Z')) {
      children.set(Number(parent), [...(children.get(Number(parent)) ?? []), Number(p)]);
    }
  }
  const out: number[] = [];
  for (let queue = [pid]; queue.length > 0;) {
    const next = children.get(queue.shift()!) ?? [];
    out.push(...next);
    queue.push(...next);
  }
  return out;
}

/** SIGTERM to every process this one started, however it started them (a build run through npm included). */
export function terminateDescendants(): void {
  for (const pid of descendants(process.pid).reverse()) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // gone meanwhile
    }
  }
}

/** Signals the child's whole process group (a launcher's own children included). */
function signal(child: ChildProcess, sig: NodeJS.Signals) {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  try {
    process.kill(-child.pid, sig);
  } catch {
    try {
      child.kill(sig);
    } catch {
      // already gone
    }
  }
}

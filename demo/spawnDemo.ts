/**
 * For tests: `npm run demo` as a user starts it (through npm, on free loopback ports, in a temporary folder),
 * with its output collected and its process tree inspectable, so a test can signal or kill what a user or a
 * supervisor would and check that nothing is left behind.
 */
import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import { freePorts } from '../lib/processes';
import { descendants } from './processes';
import { ROOT } from './stack';

export interface RunningDemo {
  readonly npm: ChildProcess;
  readonly stateDir: string;
  readonly ports: number[];
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the output matches, rejects if the demo exits first. */
  waitFor(pattern: RegExp): Promise<void>;
  /** Resolves with the exit code (or signal) of the npm process. */
  readonly exited: Promise<number | string>;
  /** The processes under npm now, with their command lines. */
  tree(): Array<{ pid: number; command: string }>;
}

/** Ports nothing listens on now (the kernel's choice), for the demo's five servers. */
export { freePorts };

export async function spawnDemo(args: string[]): Promise<RunningDemo> {
  const [host, prometheus, alertmanager, simulator, receiver] = await freePorts(5);
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cascade-demo-'));
  const npm = spawn(
    'npm',
    [
      'run',
      'demo',
      '--',
      ...args,
      '--port',
      String(host),
      '--prometheus-port',
      String(prometheus),
      '--alertmanager-port',
      String(alertmanager),
      '--simulator-port',
      String(simulator),
      '--receiver-port',
      String(receiver),
      '--state-dir',
      stateDir,
    ],
    // Its own process group, as a terminal's foreground job: a test can send Ctrl-C's SIGINT to the whole group.
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true }
  );
  let text = '';
  const listeners: Array<() => void> = [];
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    listeners.forEach((l) => l());
  };
  npm.stdout!.on('data', onData);
  npm.stderr!.on('data', onData);
  const exited = new Promise<number | string>((resolve) =>
    npm.once('exit', (code, signal) => {
      resolve(code ?? signal ?? 'unknown');
      listeners.forEach((l) => l());
    })
  );
  return {
    npm,
    stateDir,
    ports: [host, prometheus, alertmanager, simulator, receiver],
    output: () => text,
    exited,
    waitFor: (pattern) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(text)) {
            resolve();
          } else if (npm.exitCode !== null || npm.signalCode !== null) {
            reject(new Error(`the demo exited before printing ${pattern}:\n${text}`));
          }
        };
        listeners.push(check);
        check();
      }),
    tree: () =>
      descendants(npm.pid!).map((pid) => ({
        pid,
        command: commandLine(pid),
      })),
  };
}

function commandLine(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** Whether a process still runs (a zombie awaiting its reaper does not). */
export function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** Whether something accepts connections on 127.0.0.1:port. */
export function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Polls until none of the processes runs and none of the ports listens (or `attempts` run out). */
export async function leftBehind(pids: number[], ports: number[], attempts = 50): Promise<string[]> {
  let left: string[] = [];
  for (let i = 0; i < attempts; i++) {
    const open = await Promise.all(ports.map(async (p) => ((await listening(p)) ? `port ${p}` : null)));
    left = [...pids.filter(running).map((p) => `pid ${p}`), ...open.filter((x): x is string => x !== null)];
    if (left.length === 0) {
      break;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return left;
}

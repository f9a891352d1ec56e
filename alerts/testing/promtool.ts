/**
 * Running promtool (Debian's prometheus package) from tests and the benchmark: asynchronously,
 * at most two at a time per process (the machines have two cores), with a clear message when it
 * is missing.
 */
import { spawn } from 'child_process';

export const PROMTOOL = process.env.PROMTOOL ?? 'promtool';
export const AMTOOL = process.env.AMTOOL ?? 'amtool';

export interface ToolResult {
  /** Exit status (null when killed by a signal). */
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for failure messages. */
  output: string;
  seconds: number;
}

const MAX_PARALLEL = Number(process.env.CASCADE_PROMTOOL_PARALLEL ?? 2);
let running = 0;
const waiting: Array<() => void> = [];

async function slot<T>(task: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL) {
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running++;
  try {
    return await task();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export function runTool(command: string, args: string[], options: { cwd?: string } = {}): Promise<ToolResult> {
  return slot(
    () =>
      new Promise<ToolResult>((resolve, reject) => {
        const started = process.hrtime.bigint();
        const child = spawn(command, args, { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on('data', (b: Buffer) => out.push(b));
        child.stderr.on('data', (b: Buffer) => err.push(b));
        child.on('error', (e: NodeJS.ErrnoException) =>
          reject(
            e.code === 'ENOENT'
              ? new Error(`${command} not found: install Debian's prometheus / prometheus-alertmanager packages`)
              : e
          )
        );
        child.on('close', (status) => {
          const stdout = Buffer.concat(out).toString('utf8');
          const stderr = Buffer.concat(err).toString('utf8');
          resolve({
            status,
            stdout,
            stderr,
            output: `${stdout}${stderr}`,
            seconds: Number(process.hrtime.bigint() - started) / 1e9,
          });
        });
      })
  );
}

export const promtool = (args: string[], options: { cwd?: string } = {}) => runTool(PROMTOOL, args, options);
export const amtool = (args: string[], options: { cwd?: string } = {}) => runTool(AMTOOL, args, options);

/**
 * Small process helpers shared by the demo, the backtest and the tests that start servers: free loopback
 * ports, and the end of a log to quote when a process fails.
 */
import fs from 'fs';
import net from 'net';

/** `n` distinct free TCP ports on 127.0.0.1, chosen by the kernel (all held open at once, so never the same). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<net.Server>((resolve, reject) => {
          const s = net.createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        })
    )
  );
  const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** One free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return (await freePorts(1))[0];
}

/** The last lines of a log, to say why a process failed without sending the reader to a file. */
export function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

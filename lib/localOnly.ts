/**
 * Who may call the project's local servers (simulator, host page proxy, alert receiver). They listen on
 * 127.0.0.1 and trust the machine, so what a web page in the user's browser can make them do is the risk:
 * a cross-site request carries that page's Origin (CSRF), and a DNS-rebinding page reaches 127.0.0.1 under a
 * name of its own, which arrives in the Host header. One rule for all three servers, so they cannot drift.
 */
import net, { type AddressInfo } from 'node:net';

/** 127.0.0.0/8, ::1 (bracketed or not) and localhost: names only this machine answers to. */
export function isLoopback(hostname: string): boolean {
  const h = bare(hostname).toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

/** An IPv6 address without its URL brackets. */
export function bare(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1');
}

/** The host name of a Host header (`host[:port]`), or null when it is not one. */
export function hostOf(hostPort: string): string | null {
  try {
    const u = new URL(`http://${hostPort}`);
    return hostPort !== '' && u.pathname === '/' && !u.username && !u.password && !u.search && !u.hash
      ? u.hostname
      : null;
  } catch {
    return null;
  }
}

/**
 * Null when the Host header names this machine as a browser on it would (a loopback name, or the address the
 * server was told to listen on; listening on every address, any IP address), else why not. A DNS name other
 * than localhost is what rebinding needs, so it is refused however the server listens.
 */
export function foreignHost(hostHeader: string | undefined, listenHost = '127.0.0.1'): string | null {
  const header = hostHeader ?? '';
  const hostname = hostOf(header);
  const listen = bare(listenHost);
  const allowed =
    hostname !== null &&
    (isLoopback(hostname) ||
      bare(hostname) === listen ||
      ((listen === '0.0.0.0' || listen === '::') && net.isIP(bare(hostname)) !== 0));
  return allowed
    ? null
    : `Host ${JSON.stringify(header.slice(0, 200))} is not this machine: call it as http://127.0.0.1:PORT or http://localhost:PORT`;
}

/**
 * Null when a browser's Origin (absent for curl and server-side callers) is a page on this machine or the
 * server's own origin, else why not. "null" (a sandboxed frame, a file) is refused.
 */
export function foreignOrigin(origin: string | undefined, hostHeader: string | undefined): string | null {
  if (origin === undefined) {
    return null;
  }
  let page: URL | null = null;
  try {
    page = new URL(origin);
  } catch {
    // "null" or garbage: refused below.
  }
  const allowed =
    page !== null &&
    (page.protocol === 'http:' || page.protocol === 'https:') &&
    (isLoopback(page.hostname) || page.host === hostHeader);
  return allowed ? null : `a page at ${origin.slice(0, 200)} may not call this server: only pages on this machine`;
}

/** Where a listening server really is, as a URL (an IPv6 address in brackets). */
export function listenUrl(address: AddressInfo): string {
  const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/** A URL to reach a server at: a loopback one when it listens on every interface. */
export function reachUrl(address: AddressInfo): string {
  if (address.address === '0.0.0.0') {
    return `http://127.0.0.1:${address.port}`;
  }
  if (address.address === '::') {
    return `http://[::1]:${address.port}`;
  }
  return listenUrl(address);
}

/**
 * The sandbox server: the host page, its bundle and the built plugin, on 127.0.0.1 only.
 *
 *   /                              the host page (URL parameters: case, theme, width, height, mode)
 *   /host/*                        the host bundle (artifacts/sandbox-host/, bundled at start)
 *   /public/plugins/<id>/*         dist/, where Grafana serves a plugin (module.js finds its public path from it)
 *   /public/build/img/icons/*      @grafana/ui's icon SVGs, where Grafana serves them (its Icon component fetches them)
 *
 * CLI: `npx tsx sandbox/serve.ts [--port 3001] [--build-plugin]` (port also from SANDBOX_PORT).
 */
import { Command, InvalidArgumentError } from 'commander';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import path from 'node:path';

import { buildHostBundle, hostBuildDir, REPO_ROOT } from './build';
import { forward, isLivePath, LiveTargets } from './live';
import { CASE_NAMES } from './cases/catalog';
import { builtPluginId, distModulePath, ensurePluginBuilt } from './plugin';

export const DEFAULT_PORT = 3001;
export const FIXTURES_DIR = path.join(__dirname, 'fixtures');
/** @grafana/ui ships the SVGs its Icon component loads at run time; Grafana serves them from public/build/img/icons/. */
export const GRAFANA_ICONS_DIR = path.join(
  path.dirname(require.resolve('@grafana/ui/package.json')),
  'dist',
  'public',
  'img',
  'icons'
);
export const GRAFANA_ICONS_PATH = '/public/build/img/icons/';
const HOST = '127.0.0.1';

export interface SandboxOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  readonly root?: string;
  /** Names the folder under artifacts/sandbox-host/ the host bundle is written to (default `serve`). */
  readonly bundleLabel?: string;
  /** Also serve the fixture plugins of sandbox/fixtures/ (for the host's own tests), each at /public/plugins/<dir>/. */
  readonly fixtures?: boolean;
  /** Live mode: the page reads this Prometheus and can start the simulator's scenarios (see live.ts). */
  readonly live?: LiveTargets;
}

export interface Sandbox {
  readonly url: string;
  readonly port: number;
  readonly pluginId: string;
  close(): Promise<void>;
}

export class DistMissingError extends Error {
  constructor(file: string) {
    super(`${file} is missing: run \`npm run build\` first (the sandbox loads the built plugin, as Grafana does).`);
    this.name = 'DistMissingError';
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.md': 'text/markdown; charset=utf-8',
};

/** The page; `data-plugin-base` tells the host where the plugin is served. */
export function hostPageHtml(pluginBase: string, stylesheets: readonly string[], live = false): string {
  const links = stylesheets.map((href) => `    <link rel="stylesheet" href="/host/${href}">`).join('\n');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Cascade Watch sandbox</title>
    <link rel="icon" href="data:,">
${links}
    <script src="/host/boot.js"></script>
    <script type="module" src="/host/main.js"></script>
  </head>
  <body data-plugin-base="${pluginBase}"${live ? ' data-live="1"' : ''}>
    <div id="root"></div>
  </body>
</html>
`;
}

/**
 * Maps a request path under `prefix` to a file inside `dir`, or undefined when it would leave `dir`
 * (`..`, encoded slashes) or is not a file.
 */
export function resolveStatic(urlPath: string, prefix: string, dir: string): string | undefined {
  if (!urlPath.startsWith(prefix)) {
    return undefined;
  }
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath.slice(prefix.length));
  } catch {
    return undefined;
  }
  if (relative.includes('\0')) {
    return undefined;
  }
  const file = path.resolve(dir, relative);
  if (path.relative(dir, file).startsWith('..') || path.isAbsolute(path.relative(dir, file))) {
    return undefined;
  }
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const root = options.root ?? REPO_ROOT;
  if (!existsSync(distModulePath(root))) {
    throw new DistMissingError(path.relative(process.cwd(), distModulePath(root)) || 'dist/module.js');
  }
  const pluginId = builtPluginId(root);
  const site: Site = {
    pluginPrefix: `/public/plugins/${pluginId}/`,
    distDir: path.join(root, 'dist'),
    fixtures: !!options.fixtures,
    live: options.live,
  };

  // Listen first, so a taken port is reported at once rather than after bundling.
  const server = createServer((req, res) => serveRequest(site, req, res));
  const requestedPort = options.port ?? DEFAULT_PORT;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${requestedPort} on ${HOST} is in use: pick another with --port or SANDBOX_PORT.`)
          : error
      )
    );
    server.listen(requestedPort, HOST, resolve);
  });
  try {
    const bundle = await buildHostBundle(hostBuildDir(options.bundleLabel ?? 'serve'));
    site.ready = {
      bundleDir: bundle.outDir,
      page: hostPageHtml(site.pluginPrefix, bundle.stylesheets, Boolean(options.live)),
    };
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  return { url: `http://${HOST}:${port}/`, port, pluginId, close: () => closeServer(server) };
}

interface Site {
  readonly pluginPrefix: string;
  readonly distDir: string;
  readonly fixtures: boolean;
  readonly live?: LiveTargets;
  /** Set once the host bundle is built; until then requests get 503. */
  ready?: { readonly bundleDir: string; readonly page: string };
}

/**
 * The path of a request target. `new URL('//x', base)` reads "//x" as a host, and a target like "//?a" throws;
 * a request must never take the server down, so those get a 400 instead.
 */
export function requestPath(target: string | undefined): string | null {
  const raw = target ?? '/';
  if (!raw.startsWith('/') || raw.startsWith('//')) {
    return null;
  }
  try {
    return new URL(raw, 'http://sandbox').pathname;
  } catch {
    return null;
  }
}

function serveRequest(site: Site, req: IncomingMessage, res: ServerResponse): void {
  const livePath = site.live ? requestPath(req.url) : null;
  if (site.live && livePath !== null && isLivePath(livePath)) {
    const search = new URL(req.url ?? '/', 'http://sandbox').search;
    // forward() answers its own errors; this only keeps a bug in it from taking the whole server down.
    forward(site.live, req, res, livePath, search).catch(() => res.destroy());
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(res, 405, TEXT, `${req.method} is not supported: the sandbox only serves files.\n`);
  }
  if (!site.ready) {
    return send(res, 503, TEXT, 'The sandbox is still bundling the host page; retry in a moment.\n');
  }
  const urlPath = requestPath(req.url);
  if (urlPath === null) {
    return send(res, 400, TEXT, `Not a path: ${JSON.stringify(req.url)}\n`);
  }
  if (urlPath === '/' || urlPath === '/index.html') {
    return send(res, 200, CONTENT_TYPES['.html'], site.ready.page);
  }
  const file =
    resolveStatic(urlPath, '/host/', site.ready.bundleDir) ??
    resolveStatic(urlPath, site.pluginPrefix, site.distDir) ??
    resolveStatic(urlPath, GRAFANA_ICONS_PATH, GRAFANA_ICONS_DIR) ??
    (site.fixtures ? resolveStatic(urlPath, '/public/plugins/', FIXTURES_DIR) : undefined);
  if (!file) {
    return send(res, 404, TEXT, `Not found: ${urlPath}\n`);
  }
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    // The plugin is rebuilt while the server runs; always serve the current file.
    'Cache-Control': 'no-store',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', (error) => res.destroy(error))
    .pipe(res);
}

const TEXT = 'text/plain; charset=utf-8';

function send(res: ServerResponse, status: number, type: string, body: string) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

export function parsePort(raw: string): number {
  const port = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new InvalidArgumentError(`expected a port number from 0 to 65535, got "${raw}".`);
  }
  return port;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('sandbox')
    .description('Serve the Cascade Watch host page with the built panel plugin on 127.0.0.1.')
    .option('-p, --port <port>', 'port to listen on (env SANDBOX_PORT)', parsePort)
    .option('--build-plugin', 'run `npm run build` first when dist/ is missing or older than the sources')
    .parse(argv);
  const opts = program.opts<{ port?: number; buildPlugin?: boolean }>();
  const port = opts.port ?? (process.env.SANDBOX_PORT ? parsePort(process.env.SANDBOX_PORT) : DEFAULT_PORT);

  if (opts.buildPlugin) {
    await ensurePluginBuilt();
  }
  const sandbox = await startSandbox({ port });
  process.stdout.write(
    [
      `Cascade Watch sandbox: ${sandbox.url}`,
      ...CASE_NAMES.map((name) => `  ${sandbox.url}?case=${name}`),
      'Press Ctrl+C to stop.',
      '',
    ].join('\n')
  );
  const stop = () => void sandbox.close().finally(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main(process.argv).catch((error: unknown) => {
    process.stderr.write(`sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

/**
 * S4, S5, S8: the plain HTTP side. `/healthz`, `/metrics` (only with METRICS_TOKEN; otherwise on the
 * metrics listener alone, see createMetricsHandler), and the built PWA from STATIC_DIR with a
 * single-page-app fallback, so that one process serves the invitation link and the signaling. Every
 * answer carries the security headers (security-headers.ts); static files go out precompressed when
 * the browser accepts it (encoding.ts); source maps only with SERVE_SOURCE_MAPS.
 * Socket.IO intercepts its own path before this handler sees a request.
 *
 * Only node:http, node:fs and node:path: the needs are small and a framework would be most of the code.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createReadStream, promises as fs, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { acceptedEncodings, PRECOMPRESSED, type Encoding } from './encoding.js';
import { errorName, type Logger } from './log.js';
import { securityHeaders } from './security-headers.js';

export interface HttpDeps {
  readonly staticDir: string;
  /** The Prometheus exposition and its content type (prom-client's). */
  readonly metrics: { render(): Promise<string>; readonly contentType: string };
  /** False while a dependency (Redis, when scaled out) is unreachable: a load balancer then looks elsewhere. */
  readonly healthy: () => boolean;
  readonly log: Logger;
  /** S8: `/metrics` on this listener only for `Authorization: Bearer <token>`; null: not here at all. */
  readonly metricsToken: string | null;
  /** S8: Strict-Transport-Security, when the operator says the deployment is HTTPS. */
  readonly hsts: boolean;
  /** S8: `.map` files are 404 unless the operator wants them public. */
  readonly serveSourceMaps: boolean;
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/** Vite puts content-hashed files under /assets/: they never change, so they are cached for a year. */
const ASSETS_PREFIX = '/assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';
/**
 * Everything else (index.html, sw.js, registerSW.js, the manifest, icons) is revalidated on every
 * load: a stale service worker or index.html would pin users to an old version (X5).
 */
const REVALIDATE = 'no-cache';

export function createHttpHandler(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    for (const [name, value] of Object.entries(securityHeaders(req.headers.host, { hsts: deps.hsts }))) res.setHeader(name, value);
    handle(req, res, deps).catch((error: unknown) => {
      deps.log.error('http-failed', { on: 'http', error: errorName(error) });
      if (!res.headersSent) sendText(res, req, 500, 'Internal Server Error');
      else res.destroy();
    });
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: HttpDeps): Promise<void> {
  const method = req.method ?? 'GET';
  const rawPath = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/';

  if (method !== 'GET' && method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendText(res, req, 405, 'Method Not Allowed');
  }
  if (rawPath === '/healthz') {
    const healthy = deps.healthy();
    const body = JSON.stringify({ status: healthy ? 'ok' : 'unavailable' });
    return send(res, req, healthy ? 200 : 503, 'application/json; charset=utf-8', 'no-store', body);
  }
  if (rawPath === '/metrics') {
    // Not the app's route either: without a token it is simply not here (S8).
    if (deps.metricsToken === null) return sendText(res, req, 404, 'Not Found');
    if (!bearerMatches(req.headers.authorization, deps.metricsToken)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return sendText(res, req, 401, 'Unauthorized');
    }
    return send(res, req, 200, deps.metrics.contentType, 'no-store', await deps.metrics.render());
  }

  const urlPath = decodeUrlPath(rawPath);
  if (urlPath === null) return sendText(res, req, 400, 'Bad Request');
  if (!deps.serveSourceMaps && urlPath.toLowerCase().endsWith('.map')) return sendText(res, req, 404, 'Not Found');

  const file = await findFile(deps.staticDir, urlPath === '/' ? '/index.html' : urlPath);
  if (file !== null) return serveFile(req, res, await withVariant(req, file), urlPath.startsWith(ASSETS_PREFIX) ? IMMUTABLE : REVALIDATE);

  // SPA fallback: a navigation to a client-side route (a deep link such as /join) gets index.html;
  // a missing asset gets a real 404 so that a broken build is noticed instead of served as HTML.
  if (!urlPath.startsWith(ASSETS_PREFIX) && isNavigation(req, urlPath)) {
    const index = await findFile(deps.staticDir, '/index.html');
    if (index !== null) return serveFile(req, res, await withVariant(req, index), REVALIDATE);
  }
  return sendText(res, req, 404, 'Not Found');
}

/**
 * The decoded path, or null for anything that could step outside STATIC_DIR or confuse the file system:
 * bad percent-encoding, NUL, backslashes, and `.` or `..` segments (raw or encoded).
 */
export function decodeUrlPath(rawPath: string): string | null {
  if (!rawPath.startsWith('/')) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').slice(1);
  if (segments.some((segment) => segment === '.' || segment === '..')) return null;
  return decoded;
}

function isNavigation(req: IncomingMessage, urlPath: string): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('text/html') || path.posix.extname(urlPath) === '';
}

interface FoundFile {
  readonly path: string;
  readonly stats: Stats;
}

/** What goes out: the file itself, or its precompressed variant (whose type is still the file's). */
interface Variant extends FoundFile {
  readonly typeOf: string;
  readonly encoding: Encoding | null;
  /** Whether other encodings of this file exist, so that caches must key on Accept-Encoding. */
  readonly varies: boolean;
}

/** The best precompressed variant the request accepts, found next to the file and as fresh as it. */
async function withVariant(req: IncomingMessage, file: FoundFile): Promise<Variant> {
  const accepted = acceptedEncodings(req.headers['accept-encoding']?.toString());
  let chosen: Variant | null = null;
  let varies = false;
  for (const { encoding, suffix } of PRECOMPRESSED) {
    const stats = await fs.stat(file.path + suffix).catch(() => null);
    // A variant older than its file is left over from another build: never serve it.
    if (stats === null || !stats.isFile() || stats.mtimeMs < file.stats.mtimeMs) continue;
    varies = true;
    if (chosen === null && accepted.has(encoding)) chosen = { path: file.path + suffix, stats, typeOf: file.path, encoding, varies };
  }
  return chosen === null ? { ...file, typeOf: file.path, encoding: null, varies } : { ...chosen, varies };
}

/** A regular file inside the static root (after resolving symbolic links), or null. */
async function findFile(staticDir: string, urlPath: string): Promise<FoundFile | null> {
  if (urlPath.endsWith('/')) return null;
  try {
    const root = await fs.realpath(staticDir);
    const candidate = await fs.realpath(path.join(root, ...urlPath.split('/')));
    if (!candidate.startsWith(root + path.sep)) return null;
    const stats = await fs.stat(candidate);
    return stats.isFile() ? { path: candidate, stats } : null;
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG' || code === 'ELOOP' || code === 'EACCES';
}

function serveFile(req: IncomingMessage, res: ServerResponse, file: Variant, cacheControl: string): void {
  const tag = file.encoding === null ? '' : `-${file.encoding}`;
  const etag = `W/"${file.stats.size.toString(16)}-${Math.floor(file.stats.mtimeMs).toString(16)}${tag}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', file.stats.mtime.toUTCString());
  if (file.varies) res.setHeader('Vary', 'Accept-Encoding');
  if (file.encoding !== null) res.setHeader('Content-Encoding', file.encoding);
  const type = MIME_TYPES[path.extname(file.typeOf).toLowerCase()] ?? 'application/octet-stream';
  if (req.headers['if-none-match'] === etag) {
    writeHead(res, 304, type, cacheControl);
    res.end();
    return;
  }
  res.setHeader('Content-Length', file.stats.size);
  writeHead(res, 200, type, cacheControl);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file.path);
  stream.on('error', () => res.destroy());
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}

function sendText(res: ServerResponse, req: IncomingMessage, status: number, text: string): void {
  send(res, req, status, 'text/plain; charset=utf-8', 'no-store', text);
}

function send(res: ServerResponse, req: IncomingMessage, status: number, type: string, cacheControl: string, body: string): void {
  res.setHeader('Content-Length', Buffer.byteLength(body));
  writeHead(res, status, type, cacheControl);
  res.end(req.method === 'HEAD' ? undefined : body);
}

function writeHead(res: ServerResponse, status: number, type: string, cacheControl: string): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': cacheControl });
}

/** `Authorization: Bearer <token>`, compared in constant time (over digests, so lengths leak nothing). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = /^Bearer (\S+)$/i.exec(header ?? '')?.[1] ?? '';
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * S8: the metrics listener (METRICS_PORT, on METRICS_HOST, 127.0.0.1 by default): `/metrics` and
 * nothing else, for a Prometheus on the same host or private network.
 */
export function createMetricsHandler(deps: Pick<HttpDeps, 'metrics' | 'log'>): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const rawPath = (req.url ?? '/').split(/[?#]/, 1)[0];
    if (rawPath !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) return sendText(res, req, 404, 'Not Found');
    deps.metrics.render().then(
      (text) => send(res, req, 200, deps.metrics.contentType, 'no-store', text),
      (error: unknown) => {
        deps.log.error('http-failed', { on: 'http', error: errorName(error) });
        sendText(res, req, 500, 'Internal Server Error');
      },
    );
  };
}

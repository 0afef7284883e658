/**
 * S4, S5: the plain HTTP side. `/healthz`, `/metrics`, and the built PWA from STATIC_DIR with a
 * single-page-app fallback, so that one process serves the invitation link and the signaling.
 * Socket.IO intercepts its own path before this handler sees a request.
 *
 * Only node:http, node:fs and node:path: the needs are small and a framework would be most of the code.
 */
import { createReadStream, promises as fs, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { errorName, type Logger } from './log.js';

export interface HttpDeps {
  readonly staticDir: string;
  /** The Prometheus exposition and its content type (prom-client's). */
  readonly metrics: { render(): Promise<string>; readonly contentType: string };
  /** False while a dependency (Redis, when scaled out) is unreachable: a load balancer then looks elsewhere. */
  readonly healthy: () => boolean;
  readonly log: Logger;
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

const COMMON_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  // The invitation secret lives in the fragment, which is never sent; this also keeps the path private.
  'Referrer-Policy': 'no-referrer',
} as const;

export function createHttpHandler(deps: HttpDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
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
    return send(res, req, 200, deps.metrics.contentType, 'no-store', await deps.metrics.render());
  }

  const urlPath = decodeUrlPath(rawPath);
  if (urlPath === null) return sendText(res, req, 400, 'Bad Request');

  const file = await findFile(deps.staticDir, urlPath === '/' ? '/index.html' : urlPath);
  if (file !== null) return serveFile(req, res, file, urlPath.startsWith(ASSETS_PREFIX) ? IMMUTABLE : REVALIDATE);

  // SPA fallback: a navigation to a client-side route (a deep link such as /join) gets index.html;
  // a missing asset gets a real 404 so that a broken build is noticed instead of served as HTML.
  if (!urlPath.startsWith(ASSETS_PREFIX) && isNavigation(req, urlPath)) {
    const index = await findFile(deps.staticDir, '/index.html');
    if (index !== null) return serveFile(req, res, index, REVALIDATE);
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

function serveFile(req: IncomingMessage, res: ServerResponse, file: FoundFile, cacheControl: string): void {
  const etag = `W/"${file.stats.size.toString(16)}-${Math.floor(file.stats.mtimeMs).toString(16)}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Last-Modified', file.stats.mtime.toUTCString());
  const type = MIME_TYPES[path.extname(file.path).toLowerCase()] ?? 'application/octet-stream';
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
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': type, 'Cache-Control': cacheControl });
}

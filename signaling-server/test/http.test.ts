import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeUrlPath } from '../src/http.js';
import { METRICS_TOKEN, ROOM_A, SECRET_OUTSIDE, connectClient, join, rawGet, startServer, type Running } from './helpers.js';

let server: Running;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server.close();
});

const INDEX = '<!doctype html><title>Ihyid</title><div id="root"></div>';

describe('static PWA', () => {
  it('[S5] serves index.html for / without caching it', async () => {
    const res = await rawGet(server.port, '/');
    expect(res.status).toBe(200);
    expect(res.body).toBe(INDEX);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('[S5] falls back to index.html for a deep link such as /join (SPA)', async () => {
    for (const deepLink of ['/join', '/join/abc', '/contacts?tab=all']) {
      const res = await rawGet(server.port, deepLink);
      expect(res.status, deepLink).toBe(200);
      expect(res.body).toBe(INDEX);
    }
    // A browser navigation to a dotted path still gets the app.
    const nav = await rawGet(server.port, '/lists/round.2', { accept: 'text/html,application/xhtml+xml' });
    expect(nav.body).toBe(INDEX);
  });

  it('[S5] serves hashed assets with their MIME type and a long cache', async () => {
    const js = await rawGet(server.port, '/assets/index-3f2a1b.js');
    expect(js.status).toBe(200);
    expect(js.body).toBe('console.log("app");');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const css = await rawGet(server.port, '/assets/index-3f2a1b.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('[S5] revalidates the service worker and the manifest on every load', async () => {
    const sw = await rawGet(server.port, '/sw.js');
    expect(sw.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(sw.headers['cache-control']).toBe('no-cache');
    const manifest = await rawGet(server.port, '/manifest.webmanifest');
    expect(manifest.headers['content-type']).toBe('application/manifest+json; charset=utf-8');
    expect(manifest.headers['cache-control']).toBe('no-cache');
  });

  it('[S5] answers 404, not index.html, for a missing asset or file', async () => {
    for (const missing of ['/assets/x.js', '/assets/', '/assets/deep/link', '/missing.js']) {
      const res = await rawGet(server.port, missing);
      expect(res.status, missing).toBe(404);
      expect(res.body).not.toContain('<!doctype html>');
    }
  });

  it('[S2] refuses directory traversal', async () => {
    const attempts = [
      '/../package.json',
      '/assets/../../package.json',
      '/%2e%2e/package.json',
      '/assets/..%2f..%2fpackage.json',
      '/..%5cpackage.json',
      '/%2e%2e%2fpackage.json',
      '/index.html%00.js',
      '/%E0%A4%A',
    ];
    for (const attempt of attempts) {
      const res = await rawGet(server.port, attempt);
      expect(res.status, attempt).toBe(400);
      expect(res.body).not.toContain(SECRET_OUTSIDE);
    }
  });

  it('[S5] answers a matching If-None-Match with 304 and HEAD without a body', async () => {
    const first = await rawGet(server.port, '/assets/index-3f2a1b.js');
    const etag = String(first.headers.etag);
    const again = await rawGet(server.port, '/assets/index-3f2a1b.js', { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body).toBe('');
    const head = await rawGet(server.port, '/', {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String(INDEX.length));
  });

  it('[S5] refuses other methods with 405', async () => {
    const res = await rawGet(server.port, '/index.html', {}, 'POST');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
  });
});

describe('operations', () => {
  it('[S4] /healthz answers {status: ok} as JSON', async () => {
    const res = await fetch(`${server.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('[S4] /metrics reports counts in the Prometheus text format, never room ids', async () => {
    const socket = await connectClient(server.url);
    await join(socket, ROOM_A);
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    const text = await res.text();
    socket.close();
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(text).toMatch(/^ihyid_signaling_connections 1$/m);
    expect(text).toMatch(/^ihyid_signaling_rooms 1$/m);
    expect(text).toMatch(/^ihyid_signaling_joins_total 1$/m);
    expect(text).not.toContain(ROOM_A);
  });

  it('[S5] without a built app the server still signals and reports health', async () => {
    const bare = await startServer();
    await rm(bare.staticDir, { recursive: true, force: true });
    try {
      expect((await rawGet(bare.port, '/')).status).toBe(404);
      expect((await rawGet(bare.port, '/join')).status).toBe(404);
      expect((await rawGet(bare.port, '/healthz')).status).toBe(200);
    } finally {
      await bare.close();
    }
  });
});

describe('decodeUrlPath', () => {
  const check = (raw: string, expected: string | null): void => expect(decodeUrlPath(raw), raw).toBe(expected);

  it('[S2] keeps ordinary paths and rejects anything that could leave the root', () => {
    check('/', '/');
    check('/assets/index-3f2a1b.js', '/assets/index-3f2a1b.js');
    check('/caf%C3%A9', '/café');
    check('/a/./b', null);
    check('/a/../b', null);
    check('/%2E%2E/b', null);
    check('/a%5c..%5cb', null);
    check('/a%00b', null);
    check('relative', null);
    check('/%zz', null);
  });
});

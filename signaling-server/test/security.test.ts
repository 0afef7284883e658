// S8: the hardened HTTP side, checked with real HTTP requests against a real server on loopback.
import { utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY } from '../src/security-headers.js';
import { METRICS_TOKEN, connectClient, rawGet, sleep, startServer, type Client, type Running } from './helpers.js';

const running: Running[] = [];
const clients: Client[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of running.splice(0)) await s.close();
});
async function serve(env: Record<string, string> = {}): Promise<Running> {
  const server = await startServer(env);
  running.push(server);
  return server;
}

/** A raw GET that keeps the body as bytes (compressed answers are not text). */
function getBytes(port: number, urlPath: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: urlPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('[S8] security headers', () => {
  it('[S8] sends a strict CSP, frame-ancestors none, a Permissions-Policy and no HSTS on every answer', async () => {
    const server = await serve();
    for (const urlPath of ['/', '/join', '/assets/index-3f2a1b.js', '/sw.js', '/healthz', '/missing.js']) {
      const res = await rawGet(server.port, urlPath);
      const csp = res.headers['content-security-policy'];
      expect(csp, urlPath).toBe(
        CONTENT_SECURITY_POLICY.replace("connect-src 'self'", `connect-src 'self' ws://127.0.0.1:${server.port} wss://127.0.0.1:${server.port}`),
      );
      expect(res.headers['x-frame-options'], urlPath).toBe('DENY');
      expect(res.headers['permissions-policy'], urlPath).toBe(PERMISSIONS_POLICY);
      expect(res.headers['x-content-type-options'], urlPath).toBe('nosniff');
      expect(res.headers['referrer-policy'], urlPath).toBe('no-referrer');
      expect(res.headers['strict-transport-security'], urlPath).toBeUndefined();
      expect(res.headers['access-control-allow-origin'], urlPath).toBeUndefined();
    }
    const csp = String((await rawGet(server.port, '/')).headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
    expect(PERMISSIONS_POLICY).toContain('camera=(self), microphone=(self), geolocation=(self)');
  });

  it('[S8] never echoes a Host that could inject into the policy', async () => {
    const server = await serve();
    const res = await rawGet(server.port, '/', { host: "evil.example; script-src 'unsafe-inline'" });
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });

  it('[S8] sends HSTS when TLS_BEHIND_PROXY says the deployment is HTTPS', async () => {
    const server = await serve({ TLS_BEHIND_PROXY: 'true' });
    expect((await rawGet(server.port, '/')).headers['strict-transport-security']).toBe('max-age=31536000');
  });
});

describe('[S8] CORS closed by default', () => {
  const polling = (origin: string) => ({ transports: ['polling'], extraHeaders: { origin } });

  it('[S8] refuses a page from another origin, answers no CORS headers, and admits the server\'s own page', async () => {
    const server = await serve();
    await expect(connectClient(server.url, polling('https://evil.example'))).rejects.toThrow();
    const handshake = await rawGet(server.port, '/socket.io/?EIO=4&transport=polling', { origin: 'https://evil.example' });
    expect(handshake.status).toBe(403);
    expect(handshake.headers['access-control-allow-origin']).toBeUndefined();
    const own = await connectClient(server.url, polling(`http://127.0.0.1:${server.port}`));
    clients.push(own);
    expect(own.connected).toBe(true);
  });

  it('[S8] with ALLOWED_ORIGINS, answers CORS for those origins only', async () => {
    const server = await serve({ ALLOWED_ORIGINS: 'https://ihyid.agency.example' });
    const allowed = await rawGet(server.port, '/socket.io/?EIO=4&transport=polling', { origin: 'https://ihyid.agency.example' });
    expect(allowed.status).toBe(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://ihyid.agency.example');
    const other = await rawGet(server.port, '/socket.io/?EIO=4&transport=polling', { origin: 'https://evil.example' });
    expect(other.status).toBe(403);
  });
});

describe('[S8] /metrics not on the public listener', () => {
  it('[S8] is not served publicly by default', async () => {
    const server = await serve({ METRICS_TOKEN: '' });
    const res = await rawGet(server.port, '/metrics');
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('ihyid_signaling');
  });

  it('[S8] with METRICS_TOKEN, answers only the bearer of that token', async () => {
    const server = await serve();
    expect((await rawGet(server.port, '/metrics')).status).toBe(401);
    expect((await rawGet(server.port, '/metrics', { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    const ok = await rawGet(server.port, '/metrics', { authorization: `Bearer ${METRICS_TOKEN}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatch(/^ihyid_signaling_connections \d+$/m);
  });

  it('[S8] with METRICS_PORT, serves it on its own listener and not on the public one', async () => {
    const server = await serve({ METRICS_TOKEN: '', METRICS_PORT: '0', METRICS_HOST: '127.0.0.1' });
    expect(server.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const res = await fetch(server.metricsUrl!);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^ihyid_signaling_connections \d+$/m);
    expect((await rawGet(server.port, '/metrics')).status).toBe(404);
    expect((await fetch(server.metricsUrl!.replace('/metrics', '/'))).status).toBe(404);
  });
});

describe('[S8] a per-address connection cap', () => {
  it('[S8] refuses one connection over MAX_CONNECTIONS_PER_IP, whatever X-Forwarded-For the client writes', async () => {
    const server = await serve({ MAX_CONNECTIONS_PER_IP: '2' });
    const spoof = (n: number) => ({ extraHeaders: { 'x-forwarded-for': `198.51.100.${n}` } });
    clients.push(await connectClient(server.url, spoof(1)), await connectClient(server.url, spoof(2)));
    await expect(connectClient(server.url, spoof(3))).rejects.toThrow();
    clients.shift()!.close();
    await sleep(100);
    clients.push(await connectClient(server.url));
  });

  it('[S8] behind TRUST_PROXY, counts the address the proxy appended', async () => {
    const server = await serve({ MAX_CONNECTIONS_PER_IP: '1', TRUST_PROXY: 'true' });
    const from = (address: string) => ({ extraHeaders: { 'x-forwarded-for': `10.9.9.9, ${address}` } });
    clients.push(await connectClient(server.url, from('192.0.2.1')));
    await expect(connectClient(server.url, from('192.0.2.1'))).rejects.toThrow();
    clients.push(await connectClient(server.url, from('192.0.2.2')));
  });
});

describe('[S8] static files', () => {
  it('[S8] keeps source maps private unless SERVE_SOURCE_MAPS is set', async () => {
    const hidden = await serve();
    await writeFile(path.join(hidden.staticDir, 'assets', 'index-3f2a1b.js.map'), '{"version":3}');
    expect((await rawGet(hidden.port, '/assets/index-3f2a1b.js.map')).status).toBe(404);
    const shown = await serve({ SERVE_SOURCE_MAPS: 'true' });
    await writeFile(path.join(shown.staticDir, 'assets', 'index-3f2a1b.js.map'), '{"version":3}');
    expect((await rawGet(shown.port, '/assets/index-3f2a1b.js.map')).body).toBe('{"version":3}');
  });

  it('[S8] serves the precompressed brotli or gzip variant the browser accepts, with Vary and its own ETag', async () => {
    const server = await serve();
    const file = path.join(server.staticDir, 'assets', 'big-1a2b3c.js');
    const text = `export const words = ${JSON.stringify('ihyid '.repeat(2000))};\n`;
    await writeFile(file, text);
    await writeFile(`${file}.br`, brotliCompressSync(text));
    await writeFile(`${file}.gz`, gzipSync(text));
    const url = '/assets/big-1a2b3c.js';

    const br = await getBytes(server.port, url, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(text.length / 10);
    expect(brotliDecompressSync(br.body).toString()).toBe(text);

    const gz = await getBytes(server.port, url, { 'accept-encoding': 'br;q=0, gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(text);
    expect(gz.headers.etag).not.toBe(br.headers.etag);

    const plain = await getBytes(server.port, url);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(plain.body.toString()).toBe(text);
    expect(new Set([plain.headers.etag, gz.headers.etag, br.headers.etag]).size).toBe(3);
    const refused = await getBytes(server.port, url, { 'accept-encoding': 'identity, *;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();

    // A variant older than its file (left from another build) is never sent.
    const past = new Date(Date.now() - 60_000);
    await utimes(`${file}.br`, past, past);
    expect((await getBytes(server.port, url, { 'accept-encoding': 'br' })).headers['content-encoding']).toBeUndefined();
  });

  it('[S8] sends index.html compressed for a deep link too', async () => {
    const server = await serve();
    const index = path.join(server.staticDir, 'index.html');
    await writeFile(`${index}.br`, brotliCompressSync('<!doctype html><title>Ihyid</title><div id="root"></div>'));
    const res = await getBytes(server.port, '/join', { 'accept-encoding': 'br' });
    expect(res.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(res.body).toString()).toContain('<title>Ihyid</title>');
  });
});

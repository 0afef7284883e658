// Test harness: a real server in-process on 127.0.0.1:0 and real socket.io-client connections.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createSignalingServer, type ServerDeps } from '../src/main.js';

/** Test servers serve /metrics on their public port only for this bearer token (S8). */
export const METRICS_TOKEN = 'test-metrics-token-0123456789';

/** The Prometheus text of a server started with METRICS_TOKEN. */
export async function fetchMetrics(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return res.text();
}

export const ROOM_A = 'a'.repeat(64);
export const ROOM_B = 'b'.repeat(64);
export const ROOM_C = 'c'.repeat(64);

/** What the temp directory outside STATIC_DIR holds; a traversal that reached it would return this. */
export const SECRET_OUTSIDE = 'SECRET-OUTSIDE-STATIC-DIR';

export interface StaticFixture {
  readonly root: string;
  readonly staticDir: string;
  remove(): Promise<void>;
}

/** A tiny built PWA: tests may write temp files, the server never does. */
export async function makeStaticDir(): Promise<StaticFixture> {
  const root = await mkdtemp(path.join(tmpdir(), 'ihyid-signaling-'));
  const staticDir = path.join(root, 'dist');
  await mkdir(path.join(staticDir, 'assets'), { recursive: true });
  await writeFile(path.join(root, 'package.json'), JSON.stringify({ secret: SECRET_OUTSIDE }));
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Ihyid</title><div id="root"></div>');
  await writeFile(path.join(staticDir, 'sw.js'), 'self.addEventListener("install", () => {});');
  await writeFile(path.join(staticDir, 'manifest.webmanifest'), '{"name":"Ihyid"}');
  await writeFile(path.join(staticDir, 'assets', 'index-3f2a1b.js'), 'console.log("app");');
  await writeFile(path.join(staticDir, 'assets', 'index-3f2a1b.css'), 'body{margin:0}');
  return { root, staticDir, remove: () => rm(root, { recursive: true, force: true }) };
}

export interface Running {
  readonly url: string;
  readonly port: number;
  /** The metrics listener's /metrics, when METRICS_PORT was set. */
  readonly metricsUrl?: string;
  readonly staticDir: string;
  close(): Promise<void>;
}

export async function startServer(env: Record<string, string> = {}, deps: ServerDeps = {}): Promise<Running> {
  const fixture = await makeStaticDir();
  const loaded = loadConfig({ PORT: '0', HOST: '127.0.0.1', STATIC_DIR: fixture.staticDir, METRICS_TOKEN, ...env });
  if (!loaded.ok) throw new Error(loaded.error.join('; '));
  const server = createSignalingServer(loaded.value, deps);
  const { port, url, metricsUrl } = await server.listen();
  return {
    url,
    port,
    ...(metricsUrl === undefined ? {} : { metricsUrl }),
    staticDir: fixture.staticDir,
    close: async () => {
      await server.close();
      await fixture.remove();
    },
  };
}

export type Client = Socket;

export function connectClient(url: string, options: Parameters<typeof connect>[1] = {}): Promise<Client> {
  const socket = connect(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...options });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** The next payload of `event`, or a rejection after `ms`. */
export function nextEvent<T = unknown>(socket: Client, event: string, ms = 2000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, on);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const on = (payload: T): void => {
      clearTimeout(timer);
      resolve(payload);
    };
    socket.once(event, on);
  });
}

/** Every payload of `event` received from now on. */
export function collect<T = unknown>(socket: Client, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}

/** Resolves once a round trip through the server has completed, so earlier emits have been handled. */
export async function flush(socket: Client): Promise<void> {
  await socket.timeout(2000).emitWithAck('join', { roomId: 'not-a-room-id' });
}

export interface JoinedReply {
  ok: true;
  self: string;
  peers: string[];
  iceServers: unknown[];
}

export async function join(socket: Client, roomId: string): Promise<JoinedReply> {
  const reply = (await socket.timeout(2000).emitWithAck('join', { roomId, version: 1 })) as JoinedReply | { ok: false; code: string };
  if (!reply.ok) throw new Error(`join refused: ${reply.code}`);
  return reply;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A raw HTTP GET that sends the path exactly as written (fetch and URL would normalise `..`). */
export function rawGet(
  port: number,
  rawPath: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: rawPath, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A fresh in-process server for each test of the calling file, and its clients closed after each. */
export function serverPerTest(env: Record<string, string> = {}): { readonly url: () => string; client(): Promise<Client> } {
  let server: Running | undefined;
  let clients: Client[] = [];
  beforeEach(async () => {
    server = await startServer(env);
  });
  afterEach(async () => {
    for (const socket of clients.splice(0)) socket.close();
    await server?.close();
  });
  return {
    url: () => server!.url,
    async client() {
      const socket = await connectClient(server!.url);
      clients.push(socket);
      return socket;
    },
  };
}

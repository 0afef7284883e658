/**
 * The one place that wires the server together: configuration, logger, room state, relay, HTTP.
 * Every other module receives what it needs as arguments.
 *
 *   main(env)                   what bin.js runs: reads the environment, connects to Redis when REDIS_URL is
 *                               set, listens, shuts down on SIGTERM/SIGINT
 *   createSignalingServer(cfg)  the same server without process concerns, for tests and embedding
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { SIGNALING_PATH, type PeerId } from '@ihyid/shared';
import { Server } from 'socket.io';
import { loadConfig, type Config, type Env } from './config.js';
import { createHttpHandler, createMetricsHandler } from './http.js';
import { createIceServerSource } from './ice.js';
import { createLogger, errorName, silentLogger, type Logger } from './log.js';
import { Metrics } from './metrics.js';
import { AddressBudget, clientAddress } from './per-ip.js';
import type { RedisLink } from './redis.js';
import { attachRelay } from './relay.js';
import type { SignalingIo, SignalingSocket } from './socket.js';
import { RoomRegistry } from './rooms.js';
import { createLocalSeats } from './seats.js';
import { createMemoryClosedRooms } from './closed-rooms.js';
import { attachWitness } from './witness/index.js';

export { loadConfig, type Config } from './config.js';
export { createLogger, type Logger } from './log.js';

export interface ServerDeps {
  readonly log?: Logger;
  /** Milliseconds since the epoch; rate limits and TURN expiry read it. */
  readonly now?: () => number;
  readonly newPeerId?: () => PeerId;
  /** Scale-out (redis.ts): rooms shared with other processes. Without it, rooms live in this process. */
  readonly redis?: RedisLink;
  /** Add prom-client's process figures (RSS, CPU, event-loop lag) to /metrics; main() does. */
  readonly processMetrics?: boolean;
}

export interface SignalingServer {
  readonly http: HttpServer;
  readonly io: SignalingIo;
  /**
   * Listens on config.host:config.port (port 0 picks a free port), and on the metrics listener when
   * METRICS_PORT is set, and resolves with the real addresses.
   */
  listen(): Promise<{ port: number; url: string; metricsUrl?: string }>;
  /**
   * Disconnects every client, releases their seats and tells their peers, stops listening and ends open
   * HTTP connections. A Redis link passed in deps is left open for its owner to close.
   */
  close(): Promise<void>;
}

/** How long open HTTP requests may finish after a close before their connections are cut. */
const CLOSE_GRACE_MS = 3000;

export function createSignalingServer(config: Config, deps: ServerDeps = {}): SignalingServer {
  const log = deps.log ?? silentLogger;
  const now = deps.now ?? Date.now;
  const newPeerId = deps.newPeerId ?? (() => randomBytes(16).toString('hex') as PeerId);

  const seats = deps.redis?.seats ?? createLocalSeats(config.maxPeersPerRoom);
  const rooms = new RoomRegistry<SignalingSocket>();
  const closedRoomsOptions = { ttlMs: config.closedRoomDays * 86_400_000, max: config.maxClosedRooms };
  const closedRooms = deps.redis?.closedRooms(closedRoomsOptions) ?? createMemoryClosedRooms(closedRoomsOptions, now);
  // The Socket.IO server is created below; the gauges only read it when /metrics is requested.
  let io: SignalingIo | undefined;
  const metrics = new Metrics(
    () => ({ connections: io?.engine.clientsCount ?? 0, rooms: rooms.roomCount, members: rooms.memberCount }),
    { processMetrics: deps.processMetrics === true },
  );
  const http = createServer(
    createHttpHandler({
      staticDir: config.staticDir,
      log,
      metrics,
      healthy: () => deps.redis?.ready() ?? true,
      metricsToken: config.metricsToken,
      hsts: config.tlsBehindProxy,
      serveSourceMaps: config.serveSourceMaps,
    }),
  );
  // S8: /metrics on a listener of its own, when configured; the public one serves it only with a token.
  const metricsHttp = config.metricsPort === null ? null : createServer(createMetricsHandler({ metrics, log }));
  // S8: connections per client address, all namespaces together; counted per engine connection.
  const addresses = new AddressBudget(config.maxConnectionsPerIp, now);
  const addressOf = (req: IncomingMessage): string => clientAddress(req.headers, req.socket.remoteAddress, config.trustProxy);

  const server: SignalingIo = new Server(http, {
    path: SIGNALING_PATH,
    serveClient: false,
    // Room for one maximal signal plus framing; a bigger frame closes the connection in engine.io itself.
    maxHttpBufferSize: Math.max(64 * 1024, config.maxMessageBytes * 4),
    // S8: no CORS answer unless ALLOWED_ORIGINS names origins; a page this server served needs none.
    cors: { origin: config.allowedOrigins === null ? false : [...config.allowedOrigins], methods: ['GET', 'POST'] },
    allowRequest: (req, callback) => {
      if (!originAllowed(req, config.allowedOrigins)) return callback('origin not allowed', false);
      if (!addresses.allows(addressOf(req))) {
        metrics.refusedConnection();
        return callback('too many connections from this address', false);
      }
      callback(null, true);
    },
    ...(deps.redis === undefined ? {} : { adapter: deps.redis.adapter }),
    // connectionStateRecovery stays off: it would buffer packets for absent peers, which S1 forbids.
  });
  io = server;
  // Socket.IO's memory advice: the upgrade request (headers, buffers) is kept per connection for
  // socket.request, which nothing here reads once the origin has been checked. For a WebSocket
  // connection engine.io 6 still holds it through the response stand-in it builds for its middlewares
  // (WebSocketResponse), whose one job after the upgrade is to forward the TCP socket's 'close' to
  // middlewares this server does not install; dropping that forwarder frees the request too. Measured
  // with 5,000 connections: 12.2 KB of heap each with request = null alone, 10.3 KB with both.
  server.engine.on('connection', (raw: { request: IncomingMessage | null; close(): void; once(event: 'close', run: () => void): void }) => {
    const address = raw.request === null ? 'unknown' : addressOf(raw.request);
    const tcp = raw.request?.socket;
    raw.request = null;
    if (tcp !== undefined) dropResponseCloseForwarder(tcp);
    // allowRequest refused most connections over the cap; this catches handshakes that raced it.
    if (!addresses.open(address)) {
      metrics.refusedConnection();
      raw.close();
      return;
    }
    raw.once('close', () => addresses.close(address));
  });

  // Releases and peer-left notices outlive their handlers; close() waits for them.
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>): void => {
    const tracked: Promise<void> = work
      .catch((error: unknown) => log.error('cleanup-failed', { error: errorName(error) }))
      .finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  attachRelay(server, {
    rooms,
    seats,
    closedRooms,
    newPeerId,
    maxMessageBytes: config.maxMessageBytes,
    maxMessagesPerSecond: config.maxMessagesPerSecond,
    maxRoomsPerConnection: config.maxRoomsPerConnection,
    maxOffencesPerMinute: config.maxOffencesPerMinute,
    maxClosesPerMinute: config.maxClosesPerMinute,
    iceServers: createIceServerSource(config.iceServers, config.turn, now),
    log,
    metrics,
    now,
    track,
  });
  deps.redis?.renewLeases(() => rooms.seats());
  attachWitness(server, config, { log, metrics, now }); // W2, W5: /witness namespace; stops with the HTTP server

  let closing: Promise<void> | undefined;
  return {
    http,
    io: server,
    listen: async () => {
      const port = await listenOn(http, config.port, config.host);
      const metricsPort = metricsHttp === null ? null : await listenOn(metricsHttp, config.metricsPort ?? 0, config.metricsHost);
      return {
        port,
        url: `http://${formatHost(config.host)}:${port}`,
        ...(metricsPort === null ? {} : { metricsUrl: `http://${formatHost(config.metricsHost)}:${metricsPort}/metrics` }),
      };
    },
    close: () => {
      closing ??= (async () => {
        if (metricsHttp?.listening === true) await new Promise((resolve) => metricsHttp.close(resolve));
        await closeAll(http, server, inFlight);
      })();
      return closing;
    },
  };
}

function listenOn(target: HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    target.once('error', reject);
    target.listen(port, host, () => {
      target.off('error', reject);
      resolve((target.address() as AddressInfo).port);
    });
  });
}

async function closeAll(http: HttpServer, io: SignalingIo, inFlight: Set<Promise<void>>): Promise<void> {
  // This process's clients first (`local`: with Redis, a plain disconnectSockets reaches every process),
  // so that their seats are released and their peers told while the adapter still runs.
  io.local.disconnectSockets(true);
  while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  if (!http.listening) {
    await io.close();
    return;
  }
  const cutOff = setTimeout(() => http.closeAllConnections(), CLOSE_GRACE_MS);
  cutOff.unref();
  // io.close() disconnects every socket, then closes the HTTP server, which waits for open requests.
  const closed = io.close();
  http.closeIdleConnections();
  await closed;
  clearTimeout(cutOff);
}

/**
 * Removes engine.io's `socket.once("close", () => this.emit("close"))` (WebSocketResponse, engine.io
 * 6.4 and later) from an upgraded TCP socket. Matched by its exact source, so that an engine.io which
 * changes it merely keeps the request alive again instead of losing some other listener.
 */
function dropResponseCloseForwarder(tcp: Duplex): void {
  for (const listener of tcp.rawListeners('close')) {
    const inner = (listener as { listener?: unknown }).listener ?? listener;
    if (typeof inner === 'function' && String(inner) === RESPONSE_CLOSE_FORWARDER) {
      tcp.removeListener('close', inner as (...args: unknown[]) => void);
    }
  }
}
const RESPONSE_CLOSE_FORWARDER = '() => this.emit("close")';

/**
 * S3, S8: a browser page from another origin is refused unless ALLOWED_ORIGINS names it. A request
 * without Origin (same-origin GET polling, or a non-browser client that could send any header anyway)
 * passes, and so does a page served by this very server (its Origin names the Host it connects to).
 */
function originAllowed(req: IncomingMessage, allowed: readonly string[] | null): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowed?.includes(origin) === true) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function formatHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

export interface MainOptions {
  /** Install SIGTERM/SIGINT handlers that close the server and exit (default true, as bin.js needs). */
  readonly handleSignals?: boolean;
  readonly write?: (line: string) => void;
}

export async function main(env: Env, options: MainOptions = {}): Promise<{ close(): Promise<void>; port: number }> {
  const loaded = loadConfig(env);
  if (!loaded.ok) throw new Error(`invalid configuration: ${loaded.error.join('; ')}`);
  const config = loaded.value;
  const log = createLogger(config.logLevel, options.write);

  if (!existsSync(config.staticDir)) {
    // Signaling alone still works; only the PWA is missing.
    log.warn('static-dir-missing', { code: 'static-dir-missing' });
  }
  // Loaded only when scaled out: ioredis and the adapter cost memory a single process does not need.
  const redis =
    config.redis === null
      ? undefined
      : await (await import('./redis.js')).connectRedis(config.redis, config.maxPeersPerRoom, log);
  const server = createSignalingServer(config, { log, processMetrics: true, ...(redis === undefined ? {} : { redis }) });
  let port: number;
  let url: string;
  let metricsUrl: string | undefined;
  try {
    ({ port, url, metricsUrl } = await server.listen());
  } catch (error) {
    await redis?.close();
    throw error;
  }
  log.info('listening', { url, port, rooms_in: redis === undefined ? 'process' : 'redis' });
  if (metricsUrl !== undefined) log.info('metrics-listening', { url: metricsUrl });

  let removeHandlers = (): void => {};
  const close = async (): Promise<void> => {
    removeHandlers();
    await server.close();
    await redis?.close();
    log.info('closed');
  };
  if (options.handleSignals !== false) removeHandlers = onShutdownSignal(log, close);
  return { close, port };
}

function onShutdownSignal(log: Logger, close: () => Promise<void>): () => void {
  let received = false;
  const handler = (signal: 'SIGTERM' | 'SIGINT'): void => {
    if (received) {
      // A second signal means the operator will not wait for the graceful close.
      process.exit(1);
    }
    received = true;
    log.info('shutting-down', { signal });
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    // The second-signal escape hatch stays installed while the close is running.
    if (received) return;
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}

/**
 * Exposure witness on the signaling server (W2, W5): one call wires it to a Socket.IO server.
 *
 *   attachWitness(io, config, deps)  adds the `/witness` namespace, the proximity store (in memory, or
 *                                    in Redis GEO sets when REDIS_URL is set), its timer and metrics;
 *                                    everything stops when the HTTP server closes.
 *
 * Tick results are pushed as `witness-peer {peer}` to both sessions of each pair, through each
 * session's own Socket.IO room; the in-memory matcher runs every WITNESS_TICK_MS (default 1 s, so a
 * pair hears of each other within about a second of a report, at a cost measured by
 * `npm run bench:proximity`).
 */
import { randomUUID } from 'node:crypto';
import { WITNESS_NAMESPACE, WitnessEvent, type IceServer } from '@ihyid/shared';
import type { Server, Socket } from 'socket.io';
import type { TurnConfig } from '../config.js';
import { createIceServerSource } from '../ice.js';
import { errorName, silentLogger, type Logger } from '../log.js';
import { AddressBudget, clientAddress } from '../per-ip.js';
import { attachWitnessNamespace, sessionRoom } from './attach.js';
import type { WitnessConfig } from './config.js';
import { WitnessMetrics, type RenderedMetrics } from './metrics.js';
import { createMemoryProximity } from './proximity-memory.js';
import type { Proximity } from './proximity.js';
import type { RedisProximityOptions } from './proximity-redis.js';

export { loadWitnessConfig, WITNESS_ENV_DEFAULTS, type WitnessConfig } from './config.js';
export { createMemoryProximity } from './proximity-memory.js';

/** What the witness needs from the server's configuration (config.ts). */
export interface WitnessHostConfig {
  readonly witness: WitnessConfig;
  readonly maxMessagesPerSecond: number;
  readonly maxOffencesPerMinute: number;
  readonly maxMessageBytes: number;
  readonly iceServers: readonly IceServer[];
  readonly turn: TurnConfig | null;
  readonly redis: { readonly url: string } | null;
  /** Read the client address from X-Forwarded-For (per-ip.ts); main config's TRUST_PROXY. */
  readonly trustProxy?: boolean;
}

export interface WitnessDepsIn {
  readonly log?: Logger;
  /** The server's /metrics source; the witness figures are appended to it. */
  readonly metrics?: RenderedMetrics;
  readonly now?: () => number;
  /** W7: a fresh session id per connection; crypto.randomUUID unless a test needs known ids. */
  readonly newSessionId?: () => string;
}

export interface WitnessHandle {
  /** Positions held for this process's sessions. */
  readonly positionsHeld: number;
  /** Runs one matching pass at once (in-memory store only); for tests. */
  tick(): void;
  close(): Promise<void>;
}

export function attachWitness(io: Server, config: WitnessHostConfig, deps: WitnessDepsIn = {}): WitnessHandle {
  const log = deps.log ?? silentLogger;
  const now = deps.now ?? Date.now;
  const { witness } = config;
  const sessions = new Map<string, Socket>();
  // The gauges read the store only when /metrics is scraped, after it exists.
  const metrics = new WitnessMetrics(() => ({ positions: proximity.held, sessions: sessions.size }));
  if (deps.metrics !== undefined) metrics.appendTo(deps.metrics);

  const onPair = (a: string, b: string): void => {
    const namespace = io.of(WITNESS_NAMESPACE);
    namespace.to(sessionRoom(a)).emit(WitnessEvent.Peer, { peer: b });
    namespace.to(sessionRoom(b)).emit(WitnessEvent.Peer, { peer: a });
    metrics.peerPushed();
    metrics.peerPushed();
  };

  let proximity: Proximity;
  let tick = (): void => {};
  if (config.redis === null) {
    const memory = createMemoryProximity({
      radiusM: witness.radiusM,
      staleMs: witness.staleMs,
      matchWindowMs: witness.positionIntervalMs,
      now,
      onPair,
    });
    proximity = memory;
    tick = () => {
      try {
        memory.tick();
      } catch (error) {
        log.error('witness-tick-failed', { error: errorName(error) });
      }
    };
  } else {
    const redis = lazyRedisProximity({
      url: config.redis.url,
      radiusM: witness.radiusM,
      staleMs: witness.staleMs,
      matchWindowMs: witness.positionIntervalMs,
      now,
      log,
      onPair,
    });
    proximity = redis;
    tick = () => redis.prune();
  }
  const addresses = new AddressBudget(witness.maxConnectionsPerIp, now, {
    perInterval: witness.maxConnectionsPerIp,
    intervalMs: witness.positionIntervalMs,
  });
  const timer = setInterval(() => {
    tick();
    addresses.sweep();
  }, witness.tickMs);
  // A timer must never keep a closing process alive.
  timer.unref();
  const trustProxy = config.trustProxy === true;

  attachWitnessNamespace(io, {
    config: witness,
    proximity,
    iceServers: createIceServerSource(config.iceServers, config.turn, now),
    maxMessagesPerSecond: config.maxMessagesPerSecond,
    maxOffencesPerMinute: config.maxOffencesPerMinute,
    maxSignalBytes: config.maxMessageBytes,
    metrics,
    log,
    now,
    sessions,
    newSessionId: deps.newSessionId ?? randomUUID,
    addresses,
    addressOf: (socket) => clientAddress(socket.handshake.headers, socket.handshake.address, trustProxy),
  });

  let closing: Promise<void> | undefined;
  const handle: WitnessHandle = {
    get positionsHeld() {
      return proximity.held;
    },
    tick: () => tick(),
    close: () => {
      closing ??= (async () => {
        clearInterval(timer);
        await proximity.close();
      })();
      return closing;
    },
  };
  // io.close() closes the HTTP server; the witness stops with it, so the one wiring line needs no close call.
  io.httpServer?.once('close', () => void handle.close());
  return handle;
}

/**
 * ioredis is loaded only when scaled out, as main.ts does for the room adapter. Reports that arrive
 * while it loads are dropped: the device sends its position again within positionIntervalMs.
 */
function lazyRedisProximity(options: RedisProximityOptions): Proximity & { prune(): void } {
  let store: (Proximity & { prune(): void }) | undefined;
  let closed = false;
  const loading = import('./proximity-redis.js').then(
    (module) => {
      if (!closed) store = module.createRedisProximity(options);
    },
    (error: unknown) => options.log.error('witness-redis-failed', { error: errorName(error) }),
  );
  return {
    get held() {
      return store?.held ?? 0;
    },
    report: (session, latitude, longitude) => store?.report(session, latitude, longitude),
    forget: (session) => store?.forget(session),
    matched: (a, b) => store?.matched(a, b) ?? false,
    prune: () => store?.prune(),
    async close() {
      closed = true;
      await loading;
      await store?.close();
    },
  };
}

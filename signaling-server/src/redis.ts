/**
 * Scale-out: several server processes behind one load balancer share rooms through one Redis.
 *
 * - Delivery: @socket.io/redis-adapter carries `io.to(room).emit(...)` to the other processes over
 *   Redis pub/sub, so a signal, peer-joined or peer-left reaches a peer wherever it is connected.
 * - Seats: the room-size check must see every process. Each room is a sorted set
 *   `ihyid:seats:{roomId}` of peer ids scored by the end of their lease. A Lua script (which Redis runs
 *   atomically) drops expired leases, refuses when the room is full, and adds the newcomer, so two
 *   processes admitting joiners at the same moment cannot both see a free seat. A per-room lock around
 *   `fetchSockets()` would need a lock with expiry plus a round trip to every process per join; the
 *   script is one round trip to Redis.
 * - Leases: each process renews the leases of its own seats every third of REDIS_SEAT_LEASE_SECONDS.
 *   Seats of a process that dies without releasing them expire after one lease, and every key has the
 *   same expiry, so Redis never keeps a room longer than that. Its peers are not told `peer-left`; they
 *   see their WebRTC connection end.
 *
 * Time comes from Redis (`TIME`, Redis ≥ 5), never from the processes, whose clocks may disagree.
 * Redis runs with persistence off (`--save '' --appendonly no`): nothing is written to disk (S2). It
 * sees room ids, peer ids and, in transit, the relayed set-up messages, so it belongs on the same
 * private network as the server processes.
 */
import { createAdapter } from '@socket.io/redis-adapter';
import type { PeerId, RoomId } from '@ihyid/shared';
import { Redis, type ChainableCommander } from 'ioredis';
import type { ClosedRooms, ClosedRoomsOptions } from './closed-rooms.js';
import { createRedisClosedRooms } from './closed-rooms-redis.js';
import type { RedisConfig } from './config.js';
import { errorName, type Logger } from './log.js';
import type { Departure } from './rooms.js';
import type { Claim, Seats } from './seats.js';

const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** KEYS[1] room; ARGV peer, max seats, lease ms → seated peers before, 0 (full) or -1 (id taken). */
const CLAIM = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return -1 end
local seated = redis.call('ZRANGE', KEYS[1], 0, -1)
if #seated >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return seated`;

/**
 * KEYS[1] room; ARGV peer, max seats, lease ms → 1 renewed, 0 lost. A seat that expired while Redis was
 * unreachable is taken back only if the room still has space.
 */
const RENEW = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) and redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/** KEYS[1] room → peers whose lease runs. */
const PEERS = `${NOW}
return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')`;

/** KEYS[1] room; ARGV peer → 1 when its lease runs. */
const SEATED = `${NOW}
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) > now then return 1 end
return 0`;

/** The scripts as ioredis defines them (defineCommand sends EVALSHA and falls back to EVAL). */
interface SeatCommands {
  ihyidClaim(key: string, peer: string, max: number, leaseMs: number): Promise<number | string[]>;
  ihyidPeers(key: string): Promise<string[]>;
  ihyidSeated(key: string, peer: string): Promise<number>;
}
interface SeatPipeline {
  ihyidRenew(key: string, peer: string, max: number, leaseMs: number): ChainableCommander;
}

const seatKey = (roomId: RoomId): string => `ihyid:seats:{${roomId}}`;
/** Renewals are sent in pipelines of this many seats, so 10,000 seats never make one huge write. */
const RENEW_BATCH = 1000;

export interface RedisLink {
  readonly seats: Seats;
  /** I9: closed rooms shared by every process (closed-rooms-redis.ts), on the command connection. */
  closedRooms(options: ClosedRoomsOptions): ClosedRooms;
  readonly adapter: ReturnType<typeof createAdapter>;
  /** False while any of the three connections is down: /healthz then answers 503. */
  ready(): boolean;
  /** Starts renewing the leases of this process's seats. */
  renewLeases(localSeats: () => Iterable<Departure>): void;
  /** After the server has released its seats: stops renewing and closes the connections. */
  close(): Promise<void>;
}

export async function connectRedis(config: RedisConfig, maxPeersPerRoom: number, log: Logger): Promise<RedisLink> {
  const leaseMs = config.leaseSeconds * 1000;
  // Commands fail at once while Redis is away, so a join is refused instead of waiting in a queue (S1).
  const failFast = { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 5000 };
  const command = new Redis(config.url, { ...failFast, commandTimeout: 5000 });
  const pub = new Redis(config.url, failFast);
  // The subscriber keeps the default queue: ioredis re-subscribes through it after a reconnection.
  const sub = new Redis(config.url, { lazyConnect: true, connectTimeout: 5000 });
  const clients = [command, pub, sub];

  let lastErrorLog = Number.NEGATIVE_INFINITY;
  for (const client of clients) {
    client.on('error', (error: unknown) => {
      // ioredis reports every reconnection attempt; one line per ten seconds tells the operator enough.
      if (Date.now() - lastErrorLog < 10_000) return;
      lastErrorLog = Date.now();
      log.warn('redis-error', { error: (error as { code?: string } | null)?.code ?? errorName(error) });
    });
  }
  try {
    await Promise.all(clients.map((client) => client.connect()));
  } catch (error) {
    for (const client of clients) client.disconnect();
    // The URL may carry a password: only the error code is reported.
    const code = (error as { code?: string } | null)?.code ?? errorName(error);
    throw new Error(`cannot connect to the Redis server in REDIS_URL (${code})`);
  }

  // The adapter ignores what publish returns; a rejected publish (Redis away) must not become an
  // unhandled rejection, which would end the process. The message is lost, as S1 wants: nothing is queued.
  const publish = pub.publish.bind(pub) as (channel: string, message: string | Buffer) => Promise<number>;
  (pub as unknown as { publish: typeof publish }).publish = (channel, message) =>
    publish(channel, message).catch((error: unknown) => {
      log.warn('redis-publish-failed', { error: errorName(error) });
      return 0;
    });

  command.defineCommand('ihyidClaim', { numberOfKeys: 1, lua: CLAIM });
  command.defineCommand('ihyidRenew', { numberOfKeys: 1, lua: RENEW });
  command.defineCommand('ihyidPeers', { numberOfKeys: 1, lua: PEERS });
  command.defineCommand('ihyidSeated', { numberOfKeys: 1, lua: SEATED });
  const scripts = command as unknown as SeatCommands;

  const seats: Seats = {
    shared: true,
    async claim(roomId, peer): Promise<Claim> {
      const result = await scripts.ihyidClaim(seatKey(roomId), peer, maxPeersPerRoom, leaseMs);
      if (result === 0) return { ok: false, reason: 'room-full' };
      if (result === -1 || !Array.isArray(result)) return { ok: false, reason: 'id-taken' };
      return { ok: true, peers: result as PeerId[] };
    },
    async release(roomId, peer) {
      await command.zrem(seatKey(roomId), peer);
    },
    async peers(roomId) {
      return (await scripts.ihyidPeers(seatKey(roomId))) as PeerId[];
    },
    async isSeated(roomId, peer) {
      return (await scripts.ihyidSeated(seatKey(roomId), peer)) === 1;
    },
    close: () => Promise.resolve(),
  };

  let timer: NodeJS.Timeout | undefined;
  const renew = async (localSeats: readonly Departure[]): Promise<void> => {
    let batch = command.pipeline();
    let size = 0;
    let lost = 0;
    const flush = async (): Promise<void> => {
      const results = (await batch.exec()) ?? [];
      for (const [error, renewed] of results) if (error !== null || renewed === 0) lost++;
      batch = command.pipeline();
      size = 0;
    };
    for (const { roomId, peer } of localSeats) {
      (batch as unknown as SeatPipeline).ihyidRenew(seatKey(roomId), peer, maxPeersPerRoom, leaseMs);
      if (++size >= RENEW_BATCH) await flush();
    }
    if (size > 0) await flush();
    if (lost > 0) log.warn('seat-renewal-failed', { count: lost });
  };

  return {
    seats,
    closedRooms: (options) => createRedisClosedRooms(command, options),
    adapter: createAdapter(pub, sub, { key: 'ihyid-signaling' }),
    ready: () => clients.every((client) => client.status === 'ready'),
    renewLeases(localSeats) {
      timer = setInterval(() => {
        // A snapshot: seats taken or released while the pipelines run are handled by claim and release.
        renew([...localSeats()]).catch((error: unknown) => log.warn('seat-renewal-failed', { error: errorName(error) }));
      }, leaseMs / 3);
      timer.unref();
    },
    async close() {
      clearInterval(timer);
      await Promise.all(
        clients.map(async (client) => {
          // QUIT waits for replies in flight; a Redis that is away would make it wait for ever.
          const quit = client.quit().catch(() => 'failed');
          const late = new Promise((resolve) => setTimeout(resolve, 1000).unref());
          await Promise.race([quit, late]);
          client.disconnect();
        }),
      );
    },
  };
}

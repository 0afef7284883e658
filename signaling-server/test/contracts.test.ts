import { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import { connectRedis, type RedisLink } from '../src/redis.js';
import { createLocalSeats } from '../src/seats.js';
import { silentLogger } from '../src/log.js';
import { createMemoryProximity } from '../src/witness/proximity-memory.js';
import { createRedisProximity } from '../src/witness/proximity-redis.js';
import { createMemoryClosedRooms } from '../src/closed-rooms.js';
import { runClosedRoomsContract, runProximityContract, runSeatsContract, type ProximityUnderTest } from './contracts.js';
import { startRedis, stop, type RedisProcess } from './process.js';

// The server's two seams with two implementations each, held to one contract: memory and Redis
// (redis-server started here, persistence off, as the README runs it).
let redis: RedisProcess;
const links: RedisLink[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  redis = await startRedis();
}, 60_000);

afterAll(async () => {
  for (const close of closers) await close();
  for (const link of links) await link.close();
  await stop(redis);
});

/** A clean Redis for each case: the contract's cases reuse room and session ids. */
async function flushed(): Promise<void> {
  const client = new Redis(redis.url);
  await client.flushall();
  client.disconnect();
}

runSeatsContract('local', async (max) => createLocalSeats(max));
runSeatsContract('Redis', async (max) => {
  await flushed();
  const link = await connectRedis({ url: redis.url, leaseSeconds: 30 }, max, silentLogger);
  links.push(link);
  return link.seats;
});

runClosedRoomsContract('memory', async (options) => createMemoryClosedRooms(options, Date.now));
runClosedRoomsContract('Redis', async (options) => {
  await flushed();
  const link = await connectRedis({ url: redis.url, leaseSeconds: 30 }, 2, silentLogger);
  links.push(link);
  return link.closedRooms(options);
});

const RADIUS_M = 15;

runProximityContract('memory', async () => {
  const pairs: [string, string][] = [];
  const proximity = createMemoryProximity({ radiusM: RADIUS_M, staleMs: 30_000, matchWindowMs: 10_000, now: () => 0, onPair: (a, b) => void pairs.push([a, b]) });
  return { proximity, pairs, settle: async () => proximity.tick() } satisfies ProximityUnderTest;
});

runProximityContract('Redis', async () => {
  await flushed();
  const pairs: [string, string][] = [];
  const proximity = createRedisProximity({ url: redis.url, radiusM: RADIUS_M, staleMs: 30_000, matchWindowMs: 10_000, now: () => 0, log: silentLogger, onPair: (a, b) => void pairs.push([a, b]) });
  closers.push(() => proximity.close());
  await proximity.ready();
  // Replies come back in order on the one connection: once this answer is in, every report's is too.
  return { proximity, pairs, settle: async () => void (await proximity.matched('x', 'y')) } satisfies ProximityUnderTest;
});

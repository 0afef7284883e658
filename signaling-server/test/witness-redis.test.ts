// W2 scaled out: redis-server (persistence off) and two `node signaling-server/bin.js` processes; devices
// connected to different processes meet through Redis GEO sets, and nothing outlives them there.
import { declarationStampPrefix, EARTH_RADIUS_M, solvePow, witnessTokenExpiry } from '@ihyid/shared';
import { Redis } from 'ioredis';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fetchMetrics, makeStaticDir, nextEvent, sleep, type StaticFixture } from './helpers.js';
import { buildServer, startBin, startRedis, stop, type RedisProcess, type Spawned } from './process.js';

type Bin = Spawned & { url: string; port: number };
const BEIRUT = { latitude: 33.8938, longitude: 35.5018 };
const metresPerDegree = (Math.PI / 180) * EARTH_RADIUS_M;
const east = (m: number) => ({ ...BEIRUT, longitude: BEIRUT.longitude + m / (metresPerDegree * Math.cos((BEIRUT.latitude * Math.PI) / 180)) });

let fixture: StaticFixture;
let redis: RedisProcess;
let inspect: Redis;
let one: Bin;
let two: Bin;
let clients: Socket[] = [];

beforeAll(async () => {
  buildServer();
  fixture = await makeStaticDir();
  redis = await startRedis();
  inspect = new Redis(redis.url);
  const env = {
    STATIC_DIR: fixture.staticDir,
    REDIS_URL: redis.url,
    LOG_LEVEL: 'info',
    WITNESS_STALE_MS: '2000',
    WITNESS_POSITION_INTERVAL_MS: '500',
    WITNESS_TICK_MS: '100',
    WITNESS_POW_BITS: '8',
  };
  [one, two] = await Promise.all([startBin(env), startBin(env)]);
}, 120_000);

afterEach(async () => {
  for (const socket of clients) socket.close();
  clients = [];
  await sleep(200);
});

afterAll(async () => {
  inspect?.disconnect();
  for (const node of [one, two]) await stop(node);
  await stop(redis);
  await fixture?.remove();
});

/** W7: a connection that declares and never starts a session. */
async function declaring(node: Bin): Promise<Socket> {
  const socket = connect(`${node.url}/witness`, { transports: ['websocket'], reconnection: false, forceNew: true });
  clients.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

async function device(node: Bin): Promise<{ socket: Socket; session: string }> {
  const socket = connect(`${node.url}/witness`, { transports: ['websocket'], reconnection: false, forceNew: true });
  clients.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const reply = (await socket.timeout(2000).emitWithAck('witness-start', { v: 2 })) as { ok: boolean; sessionId: string; positionIntervalMs: number };
  expect(reply).toMatchObject({ ok: true, positionIntervalMs: 500 });
  return { socket, session: reply.sessionId };
}

/** Reports every 200 ms, as the app reports every interval, until `until` settles. */
async function reporting<T>(socket: Socket, position: { latitude: number; longitude: number }, until: Promise<T>): Promise<T> {
  const timer = setInterval(() => socket.emit('witness-position', position), 200);
  socket.emit('witness-position', position);
  try {
    return await until;
  } finally {
    clearInterval(timer);
  }
}

async function geoMembers(): Promise<number> {
  const keys = await inspect.keys('ihyid:witness:geo:*');
  let total = 0;
  for (const key of keys) total += await inspect.zcard(key);
  return total;
}

async function metric(node: Bin, name: string): Promise<number> {
  const text = await fetchMetrics(node.url);
  return Number(text.split('\n').find((l) => l.startsWith(`${name} `))?.split(' ')[1]);
}

describe('witness proximity scaled out through Redis', () => {
  it('[W2] devices on two processes 5 m apart meet, one 200 m away does not, and WebRTC set-up crosses over', async () => {
    const a = await device(one);
    const b = await device(two);
    const c = await device(two);
    const seenC: unknown[] = [];
    c.socket.on('witness-peer', (m) => seenC.push(m));
    c.socket.emit('witness-position', east(200));
    const toA = nextEvent(a.socket, 'witness-peer', 5000);
    const toB = nextEvent(b.socket, 'witness-peer', 5000);
    await reporting(a.socket, BEIRUT, reporting(b.socket, east(5), Promise.all([toA, toB])));
    expect(await toA).toEqual({ peer: b.session });
    expect(await toB).toEqual({ peer: a.session });
    expect(seenC).toEqual([]);

    // W7: the pair is known on both processes, so set-up crosses over both ways; C, never matched, gets none.
    const signal = nextEvent(b.socket, 'witness-signal', 5000);
    a.socket.emit('witness-signal', { to: b.session, data: { type: 'offer', sdp: 'v=0' } });
    expect(await signal).toEqual({ from: a.session, data: { type: 'offer', sdp: 'v=0' } });
    const answer = nextEvent(a.socket, 'witness-signal', 5000);
    b.socket.emit('witness-signal', { to: a.session, data: { type: 'answer', sdp: 'v=0' } });
    expect(await answer).toEqual({ from: b.session, data: { type: 'answer', sdp: 'v=0' } });
    const refused = nextEvent(c.socket, 'witness-error', 5000);
    c.socket.emit('witness-signal', { to: a.session, data: { type: 'offer', sdp: 'v=0' } });
    expect(await refused).toEqual({ code: 'not-matched', event: 'witness-signal' });
  });

  it('[W5] a declaration made through one process reaches witness clients on the other, without a sender id', async () => {
    const a = { socket: await declaring(one) };
    const b = await device(two);
    const alerts = [{ token: 'c3'.repeat(32), expiresAt: witnessTokenExpiry(new Date()).getTime() }];
    const { challenge, bits } = (await a.socket.timeout(2000).emitWithAck('witness-challenge', {})) as { challenge: string; bits: number };
    const nonce = solvePow(declarationStampPrefix(challenge, alerts as never), bits, { start: 0, count: 1 << 20 });
    const received = nextEvent(b.socket, 'witness-alerts', 5000);
    expect(await a.socket.timeout(2000).emitWithAck('witness-declare', { alerts, nonce })).toEqual({ ok: true });
    expect(await received).toEqual({ alerts });
  });

  it('[W2] keeps one position per session in Redis, with an expiry, and none once the devices are gone', async () => {
    const a = await device(one);
    const b = await device(two);
    await reporting(a.socket, BEIRUT, reporting(b.socket, east(3), nextEvent(a.socket, 'witness-peer', 5000)));
    expect(await geoMembers()).toBe(2);
    for (const key of await inspect.keys('ihyid:witness:geo:*')) expect(await inspect.pttl(key)).toBeGreaterThan(0);
    expect((await metric(one, 'ihyid_witness_positions_held')) + (await metric(two, 'ihyid_witness_positions_held'))).toBe(2);
    a.socket.close();
    b.socket.close();
    await expect.poll(geoMembers, { timeout: 3000 }).toBe(0);
    await expect.poll(async () => (await metric(one, 'ihyid_witness_positions_held')) + (await metric(two, 'ihyid_witness_positions_held'))).toBe(0);
  });

  it('[W2] a position silent for WITNESS_STALE_MS is gone from Redis without any sweeper, and matches no one', async () => {
    const a = await device(one);
    a.socket.emit('witness-position', BEIRUT);
    await expect.poll(geoMembers, { timeout: 3000 }).toBe(1);
    await expect.poll(geoMembers, { timeout: 4000 }).toBe(0);
    const b = await device(two);
    const seen: unknown[] = [];
    b.socket.on('witness-peer', (m) => seen.push(m));
    b.socket.emit('witness-position', east(2));
    await sleep(500);
    expect(seen).toEqual([]);
  });
});

// Scale-out for real: redis-server (persistence off) and several `node signaling-server/bin.js`
// processes on loopback, with socket.io clients connected through different processes.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect, connectClient, fetchMetrics, join, makeStaticDir, nextEvent, sleep, type Client, type StaticFixture } from './helpers.js';
import { buildServer, startBin, startRedis, stop, type RedisProcess, type Spawned } from './process.js';

type Bin = Spawned & { url: string; port: number };

const LEASE_SECONDS = 3;
let fixture: StaticFixture;
let redis: RedisProcess;
let one: Bin;
let two: Bin;
const extra: Bin[] = [];
let clients: Client[] = [];

const usedRooms: string[] = [];
const newRoom = (): string => {
  const room = randomBytes(32).toString('hex');
  usedRooms.push(room);
  return room;
};

async function startNode(): Promise<Bin> {
  return startBin({
    STATIC_DIR: fixture.staticDir,
    REDIS_URL: redis.url,
    REDIS_SEAT_LEASE_SECONDS: String(LEASE_SECONDS),
    LOG_LEVEL: 'info',
  });
}

async function client(node: Bin): Promise<Client> {
  const socket = await connectClient(node.url);
  clients.push(socket);
  return socket;
}

async function metric(node: Bin, name: string): Promise<number> {
  const text = await fetchMetrics(node.url);
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}

beforeAll(async () => {
  buildServer();
  fixture = await makeStaticDir();
  redis = await startRedis();
  [one, two] = await Promise.all([startNode(), startNode()]);
}, 120_000);

afterEach(() => {
  for (const socket of clients) socket.close();
  clients = [];
});

afterAll(async () => {
  for (const node of [one, two, ...extra]) await stop(node);
  await stop(redis);
  await fixture?.remove();
});

describe('scale-out through Redis', () => {
  it('[S1] two peers on different processes meet in one room and relay set-up both ways', async () => {
    const room = newRoom();
    const [alice, bob] = [await client(one), await client(two)];
    const a = await join(alice, room);
    const joined = nextEvent(alice, 'peer-joined');
    const b = await join(bob, room);
    expect(b.peers).toEqual([a.self]);
    expect(await joined).toEqual({ roomId: room, peer: b.self });

    const offer = nextEvent(bob, 'signal');
    alice.emit('signal', { roomId: room, to: b.self, from: 'forged', data: { type: 'offer', sdp: 'v=0' } });
    expect(await offer).toEqual({ roomId: room, from: a.self, data: { type: 'offer', sdp: 'v=0' } });
    const answer = nextEvent(alice, 'signal');
    bob.emit('signal', { roomId: room, to: a.self, data: { type: 'answer', sdp: 'v=0' } });
    expect(await answer).toEqual({ roomId: room, from: b.self, data: { type: 'answer', sdp: 'v=0' } });
  });

  it('[S3] refuses a third joiner with room-full on either process', async () => {
    const room = newRoom();
    await join(await client(one), room);
    await join(await client(two), room);
    for (const node of [one, two]) {
      const late = await client(node);
      expect(await late.timeout(2000).emitWithAck('join', { roomId: room, version: 1 })).toEqual({ ok: false, code: 'room-full' });
    }
  });

  it('[I9] a room closed through one process refuses joins on the other, and its member there is told', async () => {
    const proof = createHmac('sha256', randomBytes(32)).update('ihyid-room-close-v1').digest();
    const room = createHash('sha256').update(proof).digest('hex');
    usedRooms.push(room);
    const waiting = await client(two);
    await join(waiting, room);
    const told = nextEvent(waiting, 'room-closed');
    const inviter = await client(one);
    expect(await inviter.timeout(2000).emitWithAck('close-room', { roomId: room, proof: proof.toString('hex'), reason: 'used' })).toEqual({ ok: true });
    expect(await told).toEqual({ roomId: room, reason: 'used' });
    const stranger = await client(two);
    expect(await stranger.timeout(2000).emitWithAck('join', { roomId: room, version: 1 })).toEqual({ ok: false, code: 'room-closed', reason: 'used' });
  });

  it('[S3] admits exactly two of six simultaneous joiners spread over both processes', async () => {
    const sockets = await Promise.all([one, two, one, two, one, two].map((node) => client(node)));
    for (let round = 0; round < 5; round++) {
      const room = newRoom();
      const replies = (await Promise.all(
        sockets.map((s) => s.timeout(3000).emitWithAck('join', { roomId: room, version: 1 })),
      )) as { ok: boolean; code?: string }[];
      expect(replies.filter((r) => r.ok)).toHaveLength(2);
      expect(replies.filter((r) => !r.ok).map((r) => r.code)).toEqual(Array(4).fill('room-full'));
    }
  });

  it('[S1] peer-left crosses processes on leave and on disconnect, and frees the seat', async () => {
    const room = newRoom();
    const [alice, bob] = [await client(one), await client(two)];
    await join(alice, room);
    const b = await join(bob, room);
    const left = nextEvent(alice, 'peer-left');
    bob.emit('leave', { roomId: room });
    expect(await left).toEqual({ roomId: room, peer: b.self });

    // A signal to the peer that left is dropped, not queued for its return.
    const atBob = collect(bob, 'signal');
    const error = nextEvent(alice, 'error-message');
    alice.emit('signal', { roomId: room, to: b.self, data: { type: 'offer', sdp: 'x' } });
    expect(await error).toEqual({ code: 'peer-not-found', event: 'signal' });

    const carol = await client(two);
    const c = await join(carol, room);
    const gone = nextEvent(alice, 'peer-left');
    carol.close();
    expect(await gone).toEqual({ roomId: room, peer: c.self });
    const dave = await client(two);
    expect((await join(dave, room)).peers).toHaveLength(1);
    await sleep(100);
    expect(atBob).toEqual([]);
  });

  it('[S4] SIGTERM on one process releases its seats and tells the peers on the others', async () => {
    const three = await startNode();
    extra.push(three);
    const room = newRoom();
    const alice = await client(one);
    await join(alice, room);
    const bob = await client(three);
    const b = await join(bob, room);
    const left = nextEvent(alice, 'peer-left', 5000);
    three.child.kill('SIGTERM');
    expect(await three.exited).toBe(0);
    expect(await left).toEqual({ roomId: room, peer: b.self });
    expect((await join(await client(two), room)).peers).toHaveLength(1);
  });

  it('[S3] the seats of a process that dies without a word free themselves after the lease', async () => {
    const four = await startNode();
    extra.push(four);
    const room = newRoom();
    await join(await client(one), room);
    await join(await client(four), room);
    // Leases are renewed while the process lives: after more than one lease the room is still full.
    await sleep(LEASE_SECONDS * 1000 + 500);
    const early = await client(two);
    expect(await early.timeout(2000).emitWithAck('join', { roomId: room, version: 1 })).toEqual({ ok: false, code: 'room-full' });
    four.child.kill('SIGKILL');
    await four.exited;
    await sleep(LEASE_SECONDS * 1000 + 500);
    expect((await join(early, room)).peers).toHaveLength(1);
  }, 20_000);

  it('[S4] metrics show no rooms on either process once every client has left', async () => {
    const room = newRoom();
    const [alice, bob] = [await client(one), await client(two)];
    await join(alice, room);
    await join(bob, room);
    expect(await metric(one, 'ihyid_signaling_rooms')).toBeGreaterThanOrEqual(1);
    expect(await (await fetch(`${two.url}/healthz`)).json()).toEqual({ status: 'ok' });
    for (const socket of clients) socket.close();
    clients = [];
    await sleep(300);
    for (const node of [one, two]) {
      expect(await metric(node, 'ihyid_signaling_rooms')).toBe(0);
      expect(await metric(node, 'ihyid_signaling_room_members')).toBe(0);
      expect(await metric(node, 'ihyid_signaling_connections')).toBe(0);
    }
  });

  // Last: it stops Redis.
  it('[S4] with Redis gone, /healthz answers 503 and joins are refused, and the processes stay up', async () => {
    const alice = await client(one);
    await stop(redis);
    await sleep(300);
    const health = await fetch(`${one.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'unavailable' });
    expect(await alice.timeout(7000).emitWithAck('join', { roomId: newRoom(), version: 1 })).toEqual({ ok: false, code: 'internal' });
    expect(one.child.exitCode).toBeNull();
    expect(two.child.exitCode).toBeNull();
    const output = [...one.lines, ...two.lines].join('\n') + one.stderr.join('') + two.stderr.join('');
    expect(output).not.toContain('fatal');
    // S2: no room id reached the logs, on any path of the scale-out code.
    for (const room of usedRooms) expect(output).not.toContain(room);
  }, 15_000);
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ROOM_A,
  ROOM_B,
  collect,
  connectClient,
  flush,
  join,
  nextEvent,
  sleep,
  startServer,
  type Client,
  type Running,
} from './helpers.js';

let server: Running;
let clients: Client[] = [];

async function client(): Promise<Client> {
  const socket = await connectClient(server.url);
  clients.push(socket);
  return socket;
}

beforeEach(async () => {
  server = await startServer();
});

afterEach(async () => {
  for (const socket of clients) socket.close();
  clients = [];
  await server.close();
});

describe('join', () => {
  it('[S1] gives the newcomer its id and the peers already there; the others get peer-joined', async () => {
    const alice = await client();
    const bob = await client();
    const first = await join(alice, ROOM_A);
    expect(first.peers).toEqual([]);
    expect(first.self).toMatch(/^[0-9a-f]{32}$/);
    // S6: no public STUN by default.
    expect(first.iceServers).toEqual([]);

    const joined = nextEvent(alice, 'peer-joined');
    const second = await join(bob, ROOM_A);
    expect(second.peers).toEqual([first.self]);
    expect(second.self).not.toBe(first.self);
    expect(await joined).toEqual({ roomId: ROOM_A, peer: second.self });
  });

  it('[S3] refuses a third joiner with room-full', async () => {
    const [a, b, c] = [await client(), await client(), await client()];
    await join(a, ROOM_A);
    await join(b, ROOM_A);
    const reply = await c.timeout(2000).emitWithAck('join', { roomId: ROOM_A });
    expect(reply).toEqual({ ok: false, code: 'room-full' });
  });

  it('[S3] lets exactly two of three simultaneous joiners in', async () => {
    const sockets = [await client(), await client(), await client()];
    const replies = await Promise.all(sockets.map((s) => s.timeout(2000).emitWithAck('join', { roomId: ROOM_A })));
    expect(replies.filter((r: { ok: boolean }) => r.ok)).toHaveLength(2);
    expect(replies.filter((r: { ok: boolean }) => !r.ok)).toEqual([{ ok: false, code: 'room-full' }]);
  });

  it('[S1] a repeated join keeps the same id and announces nothing', async () => {
    const [a, b] = [await client(), await client()];
    await join(a, ROOM_A);
    const bJoin = await join(b, ROOM_A);
    const announcements = collect(a, 'peer-joined');
    const again = await join(b, ROOM_A);
    expect(again.self).toBe(bJoin.self);
    expect(again.peers).toEqual(bJoin.peers);
    await flush(b);
    expect(announcements).toEqual([]);
  });

  it('[S1] answers a malformed join through the acknowledgement, and one without it through error-message', async () => {
    const a = await client();
    const check = async (payload: unknown, code: string): Promise<void> => {
      expect(await a.timeout(2000).emitWithAck('join', payload)).toEqual({ ok: false, code });
    };
    await check('hello', 'malformed-message');
    await check({ roomId: ROOM_A.toUpperCase() }, 'malformed-message');
    await check({ roomId: ROOM_A.slice(1) }, 'malformed-message');
    await check({ roomId: ROOM_A, version: 2 }, 'incompatible-version');

    const error = nextEvent(a, 'error-message');
    a.emit('join', { roomId: ROOM_A });
    expect(await error).toEqual({ code: 'malformed-message', event: 'join' });
    // Still healthy afterwards.
    expect((await join(a, ROOM_A)).peers).toEqual([]);
  });
});

describe('signal', () => {
  it('[S1] relays only to the addressed peer in the same room, with `from` set by the server', async () => {
    const [alice, bob, carol] = [await client(), await client(), await client()];
    const a = await join(alice, ROOM_A);
    const b = await join(bob, ROOM_A);
    const c = await join(carol, ROOM_B);
    const atAlice = collect(alice, 'signal');
    const atCarol = collect(carol, 'signal');

    const received = nextEvent(bob, 'signal');
    const data = { type: 'offer', sdp: 'v=0\r\n' };
    alice.emit('signal', { roomId: ROOM_A, to: b.self, from: c.self, data });
    // The forged `from` is dropped; only the three fields the server writes arrive.
    expect(await received).toEqual({ roomId: ROOM_A, from: a.self, data });

    const back = nextEvent(alice, 'signal');
    bob.emit('signal', { roomId: ROOM_A, to: a.self, data: { type: 'answer', sdp: 'v=0' } });
    expect(await back).toEqual({ roomId: ROOM_A, from: b.self, data: { type: 'answer', sdp: 'v=0' } });
    await flush(carol);
    expect(atCarol).toEqual([]);
    expect(atAlice).toHaveLength(1);
  });

  it('[S1] drops a signal to a peer in another room with error-message peer-not-found', async () => {
    const [alice, bob, carol] = [await client(), await client(), await client()];
    await join(alice, ROOM_A);
    await join(bob, ROOM_A);
    const c = await join(carol, ROOM_B);
    const atCarol = collect(carol, 'signal');

    const error = nextEvent(alice, 'error-message');
    alice.emit('signal', { roomId: ROOM_A, to: c.self, data: { type: 'offer', sdp: 'x' } });
    expect(await error).toEqual({ code: 'peer-not-found', event: 'signal' });
    await flush(carol);
    expect(atCarol).toEqual([]);
  });

  it('[S1] drops a signal naming a room the sender has not joined with not-in-room', async () => {
    const [alice, carol] = [await client(), await client()];
    await join(alice, ROOM_A);
    const c = await join(carol, ROOM_B);
    const atCarol = collect(carol, 'signal');
    const error = nextEvent(alice, 'error-message');
    alice.emit('signal', { roomId: ROOM_B, to: c.self, data: { type: 'offer', sdp: 'x' } });
    expect(await error).toEqual({ code: 'not-in-room', event: 'signal' });
    await flush(carol);
    expect(atCarol).toEqual([]);
  });

  it('[S3] answers malformed and oversized signals with error-message and keeps serving', async () => {
    const [alice, bob] = [await client(), await client()];
    const a = await join(alice, ROOM_A);
    const b = await join(bob, ROOM_A);
    const atBob = collect(bob, 'signal');
    const errors = collect<{ code: string; event: string }>(alice, 'error-message');

    const cases: [unknown[], string][] = [
      [['hello'], 'malformed-message'],
      [[42], 'malformed-message'],
      [[null], 'malformed-message'],
      [[[ROOM_A, b.self]], 'malformed-message'],
      [[], 'malformed-message'],
      [[{ roomId: ROOM_A, to: b.self, data: {} }, 'extra'], 'malformed-message'],
      [[{ roomId: 'room-1', to: b.self, data: {} }], 'malformed-message'],
      [[{ roomId: ROOM_A.toUpperCase(), to: b.self, data: {} }], 'malformed-message'],
      [[{ roomId: ROOM_A, to: 'bob', data: {} }], 'malformed-message'],
      [[{ roomId: ROOM_A, data: {} }], 'malformed-message'],
      [[{ roomId: ROOM_A, to: b.self, data: 'v=0' }], 'malformed-message'],
      [[{ roomId: ROOM_A, to: b.self, data: [1, 2] }], 'malformed-message'],
      [[{ roomId: ROOM_A, to: b.self }], 'malformed-message'],
      [[{ roomId: ROOM_A, to: b.self, data: { sdp: 'x'.repeat(20 * 1024) } }], 'oversized-message'],
      [[{ roomId: ROOM_A, to: a.self, data: {} }], 'peer-not-found'],
    ];
    for (const [args] of cases) alice.emit('signal', ...args);
    await flush(alice);
    expect(errors).toEqual(cases.map(([, code]) => ({ code, event: 'signal' })));
    expect(atBob).toEqual([]);

    // A frame beyond engine.io's buffer limit costs the sender its connection, never the server.
    const mallory = await client();
    const gone = nextEvent(mallory, 'disconnect');
    mallory.emit('signal', { roomId: ROOM_A, to: b.self, data: { sdp: 'x'.repeat(1024 * 1024) } });
    await gone;

    const ok = nextEvent(bob, 'signal');
    alice.emit('signal', { roomId: ROOM_A, to: b.self, data: { sdp: 'x'.repeat(15 * 1024) } });
    expect(await ok).toMatchObject({ from: a.self });
  });

  it('[S3] drops an unknown event with unexpected-message', async () => {
    const alice = await client();
    const error = nextEvent(alice, 'error-message');
    alice.emit('peer-joined', { roomId: ROOM_A, peer: 'x' });
    expect(await error).toEqual({ code: 'unexpected-message', event: 'unknown' });
  });
});

describe('leave and disconnect', () => {
  it('[S1] leave sends peer-left to the others and later signals to the leaver are not queued', async () => {
    const [alice, bob] = [await client(), await client()];
    const a = await join(alice, ROOM_A);
    const b = await join(bob, ROOM_A);
    const left = nextEvent(alice, 'peer-left');
    bob.emit('leave', { roomId: ROOM_A });
    expect(await left).toEqual({ roomId: ROOM_A, peer: b.self });

    const atBob = collect(bob, 'signal');
    const error = nextEvent(alice, 'error-message');
    alice.emit('signal', { roomId: ROOM_A, to: b.self, data: { type: 'offer', sdp: 'x' } });
    expect(await error).toEqual({ code: 'peer-not-found', event: 'signal' });

    // Coming back makes a new member with a new id; nothing sent meanwhile is delivered.
    const again = await join(bob, ROOM_A);
    expect(again.peers).toEqual([a.self]);
    expect(again.self).not.toBe(b.self);
    await flush(bob);
    expect(atBob).toEqual([]);
  });

  it('[S1] a disconnect sends peer-left in every room the connection had joined', async () => {
    const [alice, bob, carol] = [await client(), await client(), await client()];
    await join(alice, ROOM_A);
    await join(carol, ROOM_B);
    const bA = await join(bob, ROOM_A);
    const bB = await join(bob, ROOM_B);
    const leftA = nextEvent(alice, 'peer-left');
    const leftB = nextEvent(carol, 'peer-left');
    bob.close();
    expect(await leftA).toEqual({ roomId: ROOM_A, peer: bA.self });
    expect(await leftB).toEqual({ roomId: ROOM_B, peer: bB.self });
    // The room has space again.
    const dave = await client();
    expect((await join(dave, ROOM_A)).peers).toHaveLength(1);
  });

  it('[S1] leave of a room never joined, or malformed, does not disturb anyone', async () => {
    const [alice, bob] = [await client(), await client()];
    await join(alice, ROOM_A);
    await join(bob, ROOM_A);
    const atAlice = collect(alice, 'peer-left');
    const errors = collect(bob, 'error-message');
    bob.emit('leave', { roomId: ROOM_B });
    bob.emit('leave', 'everything');
    await flush(bob);
    expect(atAlice).toEqual([]);
    expect(errors).toEqual([{ code: 'malformed-message', event: 'leave' }]);
  });
});

describe('limits', () => {
  it('[S3] refuses more rooms per connection than MAX_ROOMS_PER_CONNECTION', async () => {
    await server.close();
    server = await startServer({ MAX_ROOMS_PER_CONNECTION: '2' });
    const alice = await client();
    await join(alice, ROOM_A);
    await join(alice, ROOM_B);
    expect(await alice.timeout(2000).emitWithAck('join', { roomId: 'c'.repeat(64) })).toEqual({
      ok: false,
      code: 'too-many-rooms',
    });
  });

  it('[S3] rate-limits a flooding connection with one notice, and lets it recover', async () => {
    await server.close();
    server = await startServer({ MAX_MESSAGES_PER_SECOND: '5' });
    const [alice, bob] = [await client(), await client()];
    await join(alice, ROOM_A);
    const b = await join(bob, ROOM_A);
    const atBob = collect(bob, 'signal');
    const errors = collect<{ code: string }>(alice, 'error-message');
    for (let i = 0; i < 50; i++) alice.emit('signal', { roomId: ROOM_A, to: b.self, data: { i } });
    // A join over the rate is answered through its acknowledgement.
    const joinReply = alice.timeout(2000).emitWithAck('join', { roomId: ROOM_B });
    await sleep(300);
    expect(atBob.length).toBeGreaterThan(0);
    expect(atBob.length).toBeLessThan(15);
    expect(errors).toEqual([{ code: 'rate-limited', event: 'signal' }]);
    expect(await joinReply).toEqual({ ok: false, code: 'rate-limited' });
    expect(alice.connected).toBe(true);

    await sleep(1000);
    const ok = nextEvent(bob, 'signal');
    alice.emit('signal', { roomId: ROOM_A, to: b.self, data: { after: true } });
    expect(await ok).toMatchObject({ data: { after: true } });
  });

  it('[S3] refuses browsers from origins outside ALLOWED_ORIGINS', async () => {
    await server.close();
    server = await startServer({ ALLOWED_ORIGINS: 'https://ihyid.example.org' });
    const options = (origin: string) => ({ transports: ['polling'], extraHeaders: { origin } });
    await expect(connectClient(server.url, options('https://evil.example'))).rejects.toThrow();
    const allowed = await connectClient(server.url, options('https://ihyid.example.org'));
    clients.push(allowed);
    expect((await join(allowed, ROOM_A)).peers).toEqual([]);
  });
});

describe('ICE servers', () => {
  it('[S6] hands out ICE_SERVERS and time-limited TURN credentials', async () => {
    await server.close();
    const now = Date.UTC(2026, 10, 21, 12, 0, 0);
    server = await startServer(
      {
        ICE_SERVERS: '[{"urls":"stun:stun.agency.example:3478"}]',
        TURN_URLS: 'turn:turn.agency.example:3478?transport=udp,turns:turn.agency.example:5349',
        TURN_SECRET: 'coturn-static-auth-secret',
        TURN_TTL_SECONDS: '600',
      },
      { now: () => now },
    );
    const alice = await client();
    const { iceServers } = await join(alice, ROOM_A);
    const expiry = now / 1000 + 600;
    const { createHmac } = await import('node:crypto');
    expect(iceServers).toEqual([
      { urls: 'stun:stun.agency.example:3478' },
      {
        urls: ['turn:turn.agency.example:3478?transport=udp', 'turns:turn.agency.example:5349'],
        username: `${expiry}:ihyid`,
        credential: createHmac('sha1', 'coturn-static-auth-secret').update(`${expiry}:ihyid`).digest('base64'),
      },
    ]);
  });
});

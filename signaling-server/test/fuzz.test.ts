// S3: the server never crashes on any input. Thousands of seeded random payloads of every event kind,
// random event names and raw Engine.IO/Socket.IO frames go to a real `node signaling-server/bin.js`
// process; afterwards it must still be alive, healthy, silent on stderr, free of handler failures,
// and relay a valid message.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectClient, fetchMetrics, join, makeStaticDir, nextEvent, type Client, type StaticFixture } from './helpers.js';
import { eventName, int, payloadFor, pick, randomValue, rawFrame, rng, type Known, type Rng } from './fuzz-gen.js';
import { buildServer, startBin, stop, type Spawned } from './process.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261121);
const EVENTS = 3000;
const RAW_FRAMES = 1500;

let fixture: StaticFixture;
let server: Spawned & { url: string; port: number };

beforeAll(async () => {
  buildServer();
  fixture = await makeStaticDir();
  // Generous budgets so that every payload reaches the parsers instead of the rate limit; the limits
  // themselves are tested in relay.test.ts.
  server = await startBin({
    STATIC_DIR: fixture.staticDir,
    MAX_MESSAGES_PER_SECOND: '10000',
    MAX_OFFENCES_PER_MINUTE: '100000',
    LOG_LEVEL: 'info',
  });
}, 120_000);

afterAll(async () => {
  await stop(server);
  await fixture?.remove();
});

/** Emits `count` random events from a few clients that hold real seats, replacing any that get cut off. */
async function fuzzEvents(r: Rng, count: number): Promise<void> {
  const rooms = [randomBytes(32).toString('hex'), randomBytes(32).toString('hex')];
  const peers: string[] = [];
  const clients: Client[] = [];
  const fresh = async (): Promise<Client> => {
    const socket = await connectClient(server.url);
    const reply = await join(socket, pick(r, rooms)).catch(() => undefined);
    if (reply !== undefined) peers.push(reply.self);
    return socket;
  };
  for (let i = 0; i < 4; i++) clients.push(await fresh());
  const known: Known = { rooms, peers };

  for (let sent = 0; sent < count; ) {
    for (let i = 0; i < 100; i++, sent++) {
      const index = int(r, clients.length);
      const socket = clients[index]!;
      if (!socket.connected) {
        clients[index] = await fresh();
        continue;
      }
      const event = eventName(r);
      const args = [payloadFor(r, event, known)];
      if (r() < 0.2) args.push(randomValue(r));
      if (r() < 0.1) args.length = 0;
      try {
        if (r() < 0.4) socket.timeout(50).emit(event, ...args, () => {});
        else socket.emit(event, ...args);
      } catch {
        // socket.io-client refuses reserved names itself; the raw frames below send them anyway.
      }
    }
    // A round trip per hundred, so the server works through them before more are sent.
    await Promise.all(clients.filter((c) => c.connected).map((c) => c.timeout(5000).emitWithAck('join', { roomId: 'flush' }).catch(() => {})));
  }
  for (const socket of clients) socket.close();
}

interface RawSession {
  readonly ws: WebSocket;
  /**
   * Resolves with true once the probe with this ack id is answered; false if the connection closes, or
   * stays silent (after a client-side `41` the namespace no longer answers on an open connection).
   */
  probe(id: number): Promise<boolean>;
}

/** A plain WebSocket that has completed the Engine.IO and Socket.IO handshakes, or null if refused. */
async function rawSession(): Promise<RawSession | null> {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/socket.io/?EIO=4&transport=websocket`);
  ws.on('error', () => {});
  const waiting = new Map<number, (answered: boolean) => void>();
  const ready = new Promise<boolean>((resolve) => {
    ws.on('message', (data) => {
      const text = data.toString();
      if (text.startsWith('0')) ws.send('40');
      else if (text.startsWith('40')) resolve(true);
      else if (text === '2') ws.send('3');
      const ack = /^43(\d+)/.exec(text);
      if (ack !== null) waiting.get(Number(ack[1]))?.(true);
    });
    ws.once('close', () => {
      resolve(false);
      for (const settle of waiting.values()) settle(false);
    });
  });
  if (!(await ready)) return null;
  return {
    ws,
    probe: (id) =>
      new Promise((resolve) => {
        if (ws.readyState !== WebSocket.OPEN) return resolve(false);
        const silent = setTimeout(() => resolve(false), 500);
        waiting.set(id, (answered) => {
          clearTimeout(silent);
          resolve(answered);
        });
        ws.send(`42${id}["join",{"roomId":"probe"}]`);
      }),
  };
}

/**
 * Sends `count` raw frames, each followed by a probe that waits for the server's answer, so every frame
 * is known to have been processed; a frame that makes Socket.IO close the connection costs a new one.
 */
async function fuzzFrames(r: Rng, count: number, known: Known): Promise<{ closedBy: number }> {
  let session: RawSession | null = null;
  let closedBy = 0;
  const started = Date.now();
  for (let sent = 0; sent < count; sent++) {
    while (session === null) session = await rawSession();
    session.ws.send(rawFrame(r, known));
    if (!(await session.probe(1_000_000 + sent))) {
      closedBy++;
      session.ws.terminate();
      session = null;
    }
  }
  session?.ws.close();
  console.log(`fuzz: ${count} raw frames in ${Date.now() - started} ms, ${closedBy} ended their connection`);
  return { closedBy };
}

describe('fuzz', () => {
  it(`[S3] survives ${EVENTS} random events and ${RAW_FRAMES} raw frames, then still relays (seed ${SEED})`, async () => {
    const r = rng(SEED);
    await fuzzEvents(r, EVENTS);
    const frames = await fuzzFrames(r, RAW_FRAMES, { rooms: [randomBytes(32).toString('hex')], peers: [randomBytes(16).toString('hex')] });
    // Some frames are fatal to their own connection (a broken packet), never to the server.
    expect(frames.closedBy).toBeGreaterThan(0);

    expect(server.child.exitCode, server.stderr.join('')).toBeNull();
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);

    const room = randomBytes(32).toString('hex');
    const [alice, bob] = [await connectClient(server.url), await connectClient(server.url)];
    const a = await join(alice, room);
    const b = await join(bob, room);
    const received = nextEvent(bob, 'signal');
    alice.emit('signal', { roomId: room, to: b.self, data: { type: 'offer', sdp: 'v=0' } });
    expect(await received).toEqual({ roomId: room, from: a.self, data: { type: 'offer', sdp: 'v=0' } });
    alice.close();
    bob.close();

    const metrics = await fetchMetrics(server.url);
    const dropped = metrics
      .split('\n')
      .filter((line) => line.startsWith('ihyid_signaling_dropped_total{'))
      .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
    expect(dropped).toBeGreaterThan(EVENTS / 2);
    // I9: hundreds of close-rooms with made-up proofs (random, or the room id itself) closed nothing.
    expect(metrics).toMatch(/^ihyid_signaling_dropped_total\{event="close-room",code="bad-proof"\} [1-9]/m);
    expect(metrics).toMatch(/^ihyid_signaling_rooms_closed_total 0$/m);
    // No handler threw: every hostile input was a parse failure, never an exception.
    const failures = server.lines.filter((line) => /"level":"(error|fatal)"/.test(line));
    expect(failures).toEqual([]);
    expect(server.stderr.join('')).toBe('');
  }, 120_000);
});

// The witness namespace in-process: a real Socket.IO server on 127.0.0.1:0 and real socket.io-client
// connections, with a fake clock for staleness and short intervals from the configuration.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { declarationStampPrefix, EARTH_RADIUS_M, solvePow, witnessTokenExpiry, type WitnessAlert } from '@ihyid/shared';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log.js';
import { attachWitness, loadWitnessConfig, type WitnessHandle, type WitnessHostConfig } from '../src/witness/index.js';
import { nextEvent, sleep } from './helpers.js';

const BEIRUT = { latitude: 33.8938, longitude: 35.5018 };
const metresPerDegree = (Math.PI / 180) * EARTH_RADIUS_M;
const east = (m: number) => ({ latitude: BEIRUT.latitude, longitude: BEIRUT.longitude + m / (metresPerDegree * Math.cos((BEIRUT.latitude * Math.PI) / 180)) });
const session = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

interface Harness {
  url: string;
  witness: WitnessHandle;
  clock: { now: number };
  lines: string[];
  metrics(): Promise<string>;
  client(): Promise<Socket>;
  close(): Promise<void>;
}

const running: Harness[] = [];
afterEach(async () => {
  for (const h of running.splice(0)) await h.close();
});

async function start(env: Record<string, string> = {}): Promise<Harness> {
  const problems: string[] = [];
  const witness = loadWitnessConfig({ WITNESS_TICK_MS: '60000', WITNESS_POW_BITS: '8', ...env }, problems);
  expect(problems).toEqual([]);
  const config: WitnessHostConfig = {
    witness,
    maxMessagesPerSecond: 20,
    maxOffencesPerMinute: 20,
    maxMessageBytes: 16 * 1024,
    iceServers: [],
    turn: null,
    redis: null,
  };
  const http = createServer();
  const io = new Server(http);
  const clock = { now: Date.parse('2026-11-21T10:00:00Z') };
  const lines: string[] = [];
  const host = { render: () => Promise.resolve('# host metrics\n') };
  const handle = attachWitness(io, config, { log: createLogger('debug', (l) => lines.push(l)), metrics: host, now: () => clock.now });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const clients: Socket[] = [];
  const harness: Harness = {
    url,
    witness: handle,
    clock,
    lines,
    metrics: () => host.render(),
    client: () =>
      new Promise((resolve, reject) => {
        const socket = connect(`${url}/witness`, { transports: ['websocket'], reconnection: false, forceNew: true });
        clients.push(socket);
        socket.once('connect', () => resolve(socket));
        socket.once('connect_error', reject);
      }),
    close: async () => {
      for (const c of clients) c.close();
      await io.close();
    },
  };
  running.push(harness);
  return harness;
}

async function started(h: Harness, n: number, position?: { latitude: number; longitude: number }): Promise<Socket> {
  const socket = await h.client();
  const reply = await socket.timeout(2000).emitWithAck('witness-start', { v: 1, sessionId: session(n) });
  expect(reply).toEqual({ ok: true, positionIntervalMs: 10_000, iceServers: [] });
  if (position) socket.emit('witness-position', position);
  return socket;
}

/** Resolves once earlier emits of `socket` have been handled (a round trip through the server). */
const settle = (socket: Socket) => socket.timeout(2000).emitWithAck('witness-challenge', {});

const gauge = async (h: Harness, name: string) => Number((await h.metrics()).split('\n').find((l) => l.startsWith(`${name} `))?.split(' ')[1]);

describe('witness proximity on the signaling server', () => {
  it('[W2] pushes each of two devices 5 m apart the other\'s session id, and nothing to one 200 m away', async () => {
    const h = await start();
    const a = await started(h, 1, BEIRUT);
    const b = await started(h, 2, east(5));
    const c = await started(h, 3, east(200));
    const seenC: unknown[] = [];
    c.on('witness-peer', (m) => seenC.push(m));
    await Promise.all([settle(a), settle(b), settle(c)]);
    const [pa, pb] = [nextEvent(a, 'witness-peer'), nextEvent(b, 'witness-peer')];
    h.witness.tick();
    expect(await pa).toEqual({ peer: session(2) });
    expect(await pb).toEqual({ peer: session(1) });
    await sleep(50);
    expect(seenC).toEqual([]);
  });

  it('[W2] pushes a pair again only when one of them reports again, not on every tick', async () => {
    const h = await start();
    const a = await started(h, 1, BEIRUT);
    const b = await started(h, 2, east(3));
    await Promise.all([settle(a), settle(b)]);
    const seen: unknown[] = [];
    a.on('witness-peer', (m) => seen.push(m));
    h.witness.tick();
    h.witness.tick();
    await sleep(50);
    expect(seen).toHaveLength(1);
    b.emit('witness-position', east(4));
    await settle(b);
    h.witness.tick();
    await sleep(50);
    expect(seen).toHaveLength(2);
  });

  it('[W2] holds one position per live session, drops it on disconnect, and the gauge returns to zero', async () => {
    const h = await start();
    const a = await started(h, 1, BEIRUT);
    const b = await started(h, 2, east(5));
    a.emit('witness-position', east(1));
    await Promise.all([settle(a), settle(b)]);
    expect(await gauge(h, 'ihyid_witness_positions_held')).toBe(2);
    expect(await gauge(h, 'ihyid_witness_sessions')).toBe(2);
    expect(await h.metrics()).toContain('# host metrics');
    a.close();
    b.close();
    await sleep(100);
    expect(await gauge(h, 'ihyid_witness_positions_held')).toBe(0);
    expect(await gauge(h, 'ihyid_witness_sessions')).toBe(0);
  });

  it('[W2] drops a position after WITNESS_STALE_MS of silence and never matches it', async () => {
    const h = await start({ WITNESS_STALE_MS: '30000' });
    const a = await started(h, 1, BEIRUT);
    await settle(a);
    h.clock.now += 30_001;
    const b = await started(h, 2, east(2));
    await settle(b);
    const seen: unknown[] = [];
    b.on('witness-peer', (m) => seen.push(m));
    h.witness.tick();
    await sleep(50);
    expect(seen).toEqual([]);
    expect(h.witness.positionsHeld).toBe(1);
  });

  it('[W2] matches on its own timer every WITNESS_TICK_MS', async () => {
    const h = await start({ WITNESS_TICK_MS: '50' });
    const a = await started(h, 1, BEIRUT);
    const peer = nextEvent(a, 'witness-peer');
    await started(h, 2, east(5));
    expect(await peer).toEqual({ peer: session(2) });
  });

  it('[W2] refuses positions before witness-start and impossible coordinates', async () => {
    const h = await start();
    const socket = await h.client();
    const early = nextEvent(socket, 'witness-error');
    socket.emit('witness-position', BEIRUT);
    expect(await early).toEqual({ code: 'unexpected-message', event: 'witness-position' });
    await socket.timeout(2000).emitWithAck('witness-start', { v: 1, sessionId: session(1) });
    const bad = nextEvent(socket, 'witness-error');
    socket.emit('witness-position', { latitude: 95, longitude: 0 });
    expect(await bad).toEqual({ code: 'malformed-message', event: 'witness-position' });
    expect(h.witness.positionsHeld).toBe(0);
  });

  it('[W1] refuses a session id already bound to another live connection', async () => {
    const h = await start();
    await started(h, 1);
    const other = await h.client();
    expect(await other.timeout(2000).emitWithAck('witness-start', { v: 1, sessionId: session(1) })).toEqual({ ok: false, code: 'session-taken' });
    expect(await other.timeout(2000).emitWithAck('witness-start', { v: 2, sessionId: session(9) })).toEqual({ ok: false, code: 'incompatible-version' });
  });

  it('[S1] relays WebRTC set-up to a matched session with `from` set by the server, and queues nothing', async () => {
    const h = await start();
    const a = await started(h, 1);
    const b = await started(h, 2);
    const got = nextEvent(b, 'witness-signal');
    a.emit('witness-signal', { to: session(2), data: { type: 'offer', sdp: 'v=0' } });
    expect(await got).toEqual({ from: session(1), data: { type: 'offer', sdp: 'v=0' } });
    const forged = nextEvent(a, 'witness-error');
    a.emit('witness-signal', { to: session(2), from: session(7), data: {} });
    expect(await forged).toEqual({ code: 'malformed-message', event: 'witness-signal' });
    const big = nextEvent(a, 'witness-error');
    a.emit('witness-signal', { to: session(2), data: { sdp: 'x'.repeat(17_000) } });
    expect(await big).toEqual({ code: 'oversized-message', event: 'witness-signal' });
    // To a session that is not there: dropped; a later arrival receives nothing.
    a.emit('witness-signal', { to: session(3), data: { type: 'offer' } });
    await settle(a);
    const late = await started(h, 3);
    const seen: unknown[] = [];
    late.on('witness-signal', (m) => seen.push(m));
    await sleep(50);
    expect(seen).toEqual([]);
  });
});

describe('witness declarations on the signaling server', () => {
  const expiresAt = witnessTokenExpiry(new Date('2026-11-21T09:00:00Z')).getTime();
  const alerts: WitnessAlert[] = [
    { token: 'a1'.repeat(32) as WitnessAlert['token'], expiresAt },
    { token: 'b2'.repeat(32) as WitnessAlert['token'], expiresAt },
  ];
  const stamp = async (socket: Socket, list: WitnessAlert[] = alerts) => {
    const reply = (await socket.timeout(2000).emitWithAck('witness-challenge', {})) as { ok: true; challenge: string; bits: number };
    expect(reply.bits).toBe(8);
    return solvePow(declarationStampPrefix(reply.challenge, list), reply.bits, { start: 0, count: 1 << 20 })!;
  };

  it('[W5] relays a stamped declaration to every other witness client without any sender id, and logs only a count', async () => {
    const h = await start();
    const a = await started(h, 1, BEIRUT);
    const b = await started(h, 2);
    const quiet = await h.client(); // connected to the namespace, witness mode off: still alerted
    const own: unknown[] = [];
    a.on('witness-alerts', (m) => own.push(m));
    const [toB, toQuiet] = [nextEvent(b, 'witness-alerts'), nextEvent(quiet, 'witness-alerts')];
    const nonce = await stamp(a);
    expect(await a.timeout(2000).emitWithAck('witness-declare', { alerts, nonce })).toEqual({ ok: true });
    expect(await toB).toEqual({ alerts });
    expect(await toQuiet).toEqual({ alerts });
    await sleep(50);
    expect(own).toEqual([]);
    const text = h.lines.join('\n');
    expect(text).toContain('"count":2');
    expect(text).not.toMatch(/a1a1|b2b2|33\.89|35\.50|00000000-0000-4000/);
  });

  it('[W5] refuses a declaration whose stamp does not verify, or whose challenge was already used', async () => {
    const h = await start();
    const a = await started(h, 1);
    const b = await started(h, 2);
    const seen: unknown[] = [];
    b.on('witness-alerts', (m) => seen.push(m));
    const nonce = await stamp(a);
    const other = [alerts[0]!];
    expect(await a.timeout(2000).emitWithAck('witness-declare', { alerts: other, nonce })).toEqual({ ok: false, code: 'invalid-stamp' });
    expect(await a.timeout(2000).emitWithAck('witness-declare', { alerts, nonce })).toEqual({ ok: false, code: 'no-challenge' });
    await sleep(50);
    expect(seen).toEqual([]);
  });

  it('[W5] refuses expired or implausible expiries, so no alert lives longer than a token could', async () => {
    const h = await start();
    const a = await started(h, 1);
    const stale = [{ token: alerts[0]!.token, expiresAt: Date.parse('2026-11-01T03:00:00Z') }];
    expect(await a.timeout(2000).emitWithAck('witness-declare', { alerts: stale, nonce: await stamp(a, stale) })).toEqual({
      ok: false,
      code: 'invalid-alert',
    });
    const far = [{ token: alerts[0]!.token, expiresAt: Date.parse('2027-01-01T03:00:00Z') }];
    expect(await a.timeout(2000).emitWithAck('witness-declare', { alerts: far, nonce: await stamp(a, far) })).toEqual({
      ok: false,
      code: 'invalid-alert',
    });
  });

  it('[S3] drops a flood with rate-limited and disconnects a client that keeps sending garbage', async () => {
    const h = await start();
    const a = await started(h, 1);
    const errors: { code: string }[] = [];
    a.on('witness-error', (m: { code: string }) => errors.push(m));
    for (let i = 0; i < 60; i++) a.emit('witness-position', { latitude: 'x' });
    await sleep(200);
    expect(errors.some((e) => e.code === 'rate-limited')).toBe(true);
    expect(a.connected).toBe(false);
  });
});

describe('witness configuration', () => {
  it('[W2] defaults to a 15 m radius, 1 s ticks, 10 s reports, 30 s staleness and 18-bit stamps', () => {
    const problems: string[] = [];
    expect(loadWitnessConfig({}, problems)).toEqual({ radiusM: 15, tickMs: 1000, positionIntervalMs: 10_000, staleMs: 30_000, declarationBits: 18 });
    expect(problems).toEqual([]);
  });

  it('[W2] names each bad variable, and refuses staleness shorter than the report interval', () => {
    const problems: string[] = [];
    loadWitnessConfig({ WITNESS_RADIUS_M: '0', WITNESS_STALE_MS: '5000' }, problems);
    expect(problems.join('\n')).toMatch(/WITNESS_RADIUS_M/);
    expect(problems.join('\n')).toMatch(/WITNESS_STALE_MS must be longer/);
  });
});

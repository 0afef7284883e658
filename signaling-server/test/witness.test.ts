// W2, W5 on the witness namespace: a real server and real socket.io-client connections (witness-harness.ts).
import { declarationStampPrefix, solvePow, witnessTokenExpiry, type WitnessAlert } from '@ihyid/shared';
import type { Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { loadWitnessConfig } from '../src/witness/index.js';
import { nextEvent, sleep } from './helpers.js';
import { BEIRUT, east, gauge, INTERVAL_MS, settle, start, started } from './witness-harness.js';

describe('witness proximity on the signaling server', () => {
  it('[W2] pushes each of two devices 5 m apart the other\'s session id, and nothing to one 200 m away', async () => {
    const h = await start();
    const a = await started(h, BEIRUT);
    const b = await started(h, east(5));
    const c = await started(h, east(200));
    const seenC: unknown[] = [];
    c.socket.on('witness-peer', (m) => seenC.push(m));
    await Promise.all([settle(a.socket), settle(b.socket), settle(c.socket)]);
    const [pa, pb] = [nextEvent(a.socket, 'witness-peer'), nextEvent(b.socket, 'witness-peer')];
    h.witness.tick();
    expect(await pa).toEqual({ peer: b.id });
    expect(await pb).toEqual({ peer: a.id });
    await sleep(50);
    expect(seenC).toEqual([]);
  });

  it('[W2] pushes a pair again only when one of them reports again, not on every tick', async () => {
    const h = await start();
    const a = await started(h, BEIRUT);
    const b = await started(h, east(3));
    await Promise.all([settle(a.socket), settle(b.socket)]);
    const seen: unknown[] = [];
    a.socket.on('witness-peer', (m) => seen.push(m));
    h.witness.tick();
    h.witness.tick();
    await sleep(50);
    expect(seen).toHaveLength(1);
    h.clock.now += INTERVAL_MS;
    b.socket.emit('witness-position', east(4));
    await settle(b.socket);
    h.witness.tick();
    await sleep(50);
    expect(seen).toHaveLength(2);
  });

  it('[W2] holds one position per live session, drops it on disconnect, and the gauge returns to zero', async () => {
    const h = await start();
    const a = await started(h, BEIRUT);
    const b = await started(h, east(5));
    h.clock.now += INTERVAL_MS;
    a.socket.emit('witness-position', east(1));
    await Promise.all([settle(a.socket), settle(b.socket)]);
    expect(await gauge(h, 'ihyid_witness_positions_held')).toBe(2);
    expect(await gauge(h, 'ihyid_witness_sessions')).toBe(2);
    expect(await h.metrics()).toContain('# host metrics');
    a.socket.close();
    b.socket.close();
    await sleep(100);
    expect(await gauge(h, 'ihyid_witness_positions_held')).toBe(0);
    expect(await gauge(h, 'ihyid_witness_sessions')).toBe(0);
  });

  it('[W2] drops a position after WITNESS_STALE_MS of silence and never matches it', async () => {
    const h = await start({ WITNESS_STALE_MS: '30000' });
    const a = await started(h, BEIRUT);
    await settle(a.socket);
    h.clock.now += 30_001;
    const b = await started(h, east(2));
    await settle(b.socket);
    const seen: unknown[] = [];
    b.socket.on('witness-peer', (m) => seen.push(m));
    h.witness.tick();
    await sleep(50);
    expect(seen).toEqual([]);
    expect(h.witness.positionsHeld).toBe(1);
  });

  it('[W2] matches on its own timer every WITNESS_TICK_MS', async () => {
    const h = await start({ WITNESS_TICK_MS: '50' });
    const a = await started(h, BEIRUT);
    const peer = nextEvent(a.socket, 'witness-peer');
    const b = await started(h, east(5));
    expect(await peer).toEqual({ peer: b.id });
  });

  it('[W2] refuses positions before witness-start and impossible coordinates', async () => {
    const h = await start();
    const socket = await h.client();
    const early = nextEvent(socket, 'witness-error');
    socket.emit('witness-position', BEIRUT);
    expect(await early).toEqual({ code: 'unexpected-message', event: 'witness-position' });
    await socket.timeout(2000).emitWithAck('witness-start', { v: 2 });
    const bad = nextEvent(socket, 'witness-error');
    socket.emit('witness-position', { latitude: 95, longitude: 0 });
    expect(await bad).toEqual({ code: 'malformed-message', event: 'witness-position' });
    expect(h.witness.positionsHeld).toBe(0);
  });

  it('[W1] refuses an older wire version', async () => {
    const h = await start();
    const other = await h.client();
    expect(await other.timeout(2000).emitWithAck('witness-start', { v: 1 })).toEqual({ ok: false, code: 'incompatible-version' });
  });

  it('[S1][W7] relays WebRTC set-up to a matched session with `from` set by the server, and queues nothing', async () => {
    const h = await start();
    const a = await started(h, BEIRUT);
    const b = await started(h, east(4));
    await Promise.all([settle(a.socket), settle(b.socket)]);
    const matched = nextEvent(a.socket, 'witness-peer');
    h.witness.tick();
    expect(await matched).toEqual({ peer: b.id });
    const got = nextEvent(b.socket, 'witness-signal');
    a.socket.emit('witness-signal', { to: b.id, data: { type: 'offer', sdp: 'v=0' } });
    expect(await got).toEqual({ from: a.id, data: { type: 'offer', sdp: 'v=0' } });
    const answer = nextEvent(a.socket, 'witness-signal');
    b.socket.emit('witness-signal', { to: a.id, data: { type: 'answer', sdp: 'v=0' } });
    expect(await answer).toEqual({ from: b.id, data: { type: 'answer', sdp: 'v=0' } });
    const forged = nextEvent(a.socket, 'witness-error');
    a.socket.emit('witness-signal', { to: b.id, from: '00000000-0000-4000-8000-000000000007', data: {} });
    expect(await forged).toEqual({ code: 'malformed-message', event: 'witness-signal' });
    const big = nextEvent(a.socket, 'witness-error');
    a.socket.emit('witness-signal', { to: b.id, data: { sdp: 'x'.repeat(17_000) } });
    expect(await big).toEqual({ code: 'oversized-message', event: 'witness-signal' });
    // To a session that has gone: dropped, and nobody receives it, then or later.
    b.socket.close();
    await sleep(50);
    a.socket.emit('witness-signal', { to: b.id, data: { type: 'offer' } });
    await settle(a.socket);
    const late = await started(h, east(1));
    const seen: unknown[] = [];
    late.socket.on('witness-signal', (m) => seen.push(m));
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
    const a = await h.client(); // W7: the declaring connection has no session
    const b = await started(h, BEIRUT);
    const quiet = await h.client(); // connected to the namespace, witness mode off: still alerted
    const own: unknown[] = [];
    a.on('witness-alerts', (m) => own.push(m));
    const [toB, toQuiet] = [nextEvent(b.socket, 'witness-alerts'), nextEvent(quiet, 'witness-alerts')];
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
    const a = await h.client();
    const b = await started(h);
    const seen: unknown[] = [];
    b.socket.on('witness-alerts', (m) => seen.push(m));
    const nonce = await stamp(a);
    const other = [alerts[0]!];
    expect(await a.timeout(2000).emitWithAck('witness-declare', { alerts: other, nonce })).toEqual({ ok: false, code: 'invalid-stamp' });
    expect(await a.timeout(2000).emitWithAck('witness-declare', { alerts, nonce })).toEqual({ ok: false, code: 'no-challenge' });
    await sleep(50);
    expect(seen).toEqual([]);
  });

  it('[W5] refuses expired or implausible expiries, so no alert lives longer than a token could', async () => {
    const h = await start();
    const a = await h.client();
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
    const { socket: a } = await started(h);
    const errors: { code: string }[] = [];
    a.on('witness-error', (m: { code: string }) => errors.push(m));
    // Waits for the server to close the connection, however long a loaded machine takes (no fixed sleep).
    const closed = new Promise<string>((resolve) => a.on('disconnect', (reason: string) => resolve(reason)));
    for (let i = 0; i < 60; i++) a.emit('witness-position', { latitude: 'x' });
    expect(await closed).toBe('io server disconnect');
    expect(errors.some((e) => e.code === 'rate-limited')).toBe(true);
    expect(a.connected).toBe(false);
  });
});

describe('witness configuration', () => {
  it('[W2][W7] defaults to a 15 m radius, 1 s ticks, 10 s reports, 30 s staleness, 18-bit stamps, 32 connections per address', () => {
    const problems: string[] = [];
    expect(loadWitnessConfig({}, problems)).toEqual({
      radiusM: 15,
      tickMs: 1000,
      positionIntervalMs: 10_000,
      staleMs: 30_000,
      declarationBits: 18,
      maxConnectionsPerIp: 32,
    });
    expect(problems).toEqual([]);
  });

  it('[W2] names each bad variable, and refuses staleness shorter than the report interval', () => {
    const problems: string[] = [];
    loadWitnessConfig({ WITNESS_RADIUS_M: '0', WITNESS_STALE_MS: '5000' }, problems);
    expect(problems.join('\n')).toMatch(/WITNESS_RADIUS_M/);
    expect(problems.join('\n')).toMatch(/WITNESS_STALE_MS must be longer/);
  });
});

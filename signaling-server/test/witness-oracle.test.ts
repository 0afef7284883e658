// W7: the witness server is no proximity oracle. Each test drives raw socket.io-client connections as an
// attacker would and asserts on what the server sent back, or to whom.
import { declarationStampPrefix, solvePow, witnessTokenExpiry } from '@ihyid/shared';
import { describe, expect, it } from 'vitest';
import { collect, nextEvent, sleep } from './helpers.js';
import { BEIRUT, counter, east, INTERVAL_MS, settle, start, started, type Harness } from './witness-harness.js';

/** Three sites far apart, each with one honest device on it. */
const SITES = [BEIRUT, east(5000), east(10_000)];
const ATTACKER = '203.0.113.7';
const DROPPED_TOO_SOON = 'event="witness-position",code="position-too-soon"';

async function victims(h: Harness) {
  const devices = await Promise.all(SITES.map((site) => started(h, site)));
  await Promise.all(devices.map((d) => settle(d.socket)));
  return devices;
}

describe('[W7] one position per interval', () => {
  it('[W7] a client reporting three positions in one interval is matched at most once', async () => {
    const h = await start();
    const honest = await victims(h);
    const attacker = await started(h);
    const learned = collect<{ peer: string }>(attacker.socket, 'witness-peer');
    for (const site of SITES) attacker.socket.emit('witness-position', east(2, site));
    await settle(attacker.socket);
    h.witness.tick();
    await sleep(100);
    expect(learned).toHaveLength(1);
    expect(learned[0]!.peer).toBe(honest[0]!.id);
    expect(await counter(h, 'ihyid_witness_dropped_total', DROPPED_TOO_SOON)).toBe(2);

    // One interval later the next report is taken again, and only one.
    h.clock.now += INTERVAL_MS;
    attacker.socket.emit('witness-position', east(2, SITES[1]));
    attacker.socket.emit('witness-position', east(2, SITES[2]));
    await settle(attacker.socket);
    h.witness.tick();
    await sleep(100);
    expect(learned.map((m) => m.peer)).toEqual([honest[0]!.id, honest[1]!.id]);
    expect(await counter(h, 'ihyid_witness_dropped_total', DROPPED_TOO_SOON)).toBe(3);
  });

  it('[W7] reconnecting buys no extra probes: an address reports at most its connection cap per interval', async () => {
    const h = await start({ WITNESS_MAX_CONNECTIONS_PER_IP: '2' });
    const learned: unknown[] = [];
    const honest = await victims(h);
    for (const site of SITES) {
      // A fresh connection (and session) for each site, closed once it has reported.
      const probe = await started(h, undefined, ATTACKER);
      probe.socket.on('witness-peer', (m) => learned.push(m));
      const refused = collect(probe.socket, 'witness-error');
      probe.socket.emit('witness-position', east(2, site));
      await settle(probe.socket);
      h.witness.tick();
      await sleep(100);
      if (site === SITES[2]) expect(refused).toEqual([{ code: 'position-too-soon', event: 'witness-position' }]);
      probe.socket.close();
      await sleep(50);
    }
    expect(learned).toEqual([{ peer: honest[0]!.id }, { peer: honest[1]!.id }]);
  });
});

describe('[W7] a per-address cap on witness connections', () => {
  it('[W7] refuses a connection over WITNESS_MAX_CONNECTIONS_PER_IP with too-many-connections, and admits one after a close', async () => {
    const h = await start({ WITNESS_MAX_CONNECTIONS_PER_IP: '2' });
    const one = await h.client(ATTACKER);
    await h.client(ATTACKER);
    await expect(h.client(ATTACKER)).rejects.toThrow('too-many-connections');
    // Other addresses are not affected.
    expect((await h.client()).connected).toBe(true);
    one.close();
    await sleep(100);
    const again = await h.client(ATTACKER);
    expect(again.connected).toBe(true);
  });
});

describe('[W7] witness-signal only between sessions matched in the last interval', () => {
  it('[W7] a signal to a session never matched with the sender is not delivered', async () => {
    const h = await start();
    const victim = await started(h, BEIRUT);
    const attacker = await started(h, east(500));
    await Promise.all([settle(victim.socket), settle(attacker.socket)]);
    h.witness.tick();
    const delivered = collect(victim.socket, 'witness-signal');
    const refused = nextEvent(attacker.socket, 'witness-error');
    attacker.socket.emit('witness-signal', { to: victim.id, data: { type: 'offer', sdp: 'v=0' } });
    expect(await refused).toEqual({ code: 'not-matched', event: 'witness-signal' });
    await sleep(100);
    expect(delivered).toEqual([]);
  });

  it('[W7] a match allows set-up for one interval only', async () => {
    const h = await start();
    const a = await started(h, BEIRUT);
    const b = await started(h, east(3));
    await Promise.all([settle(a.socket), settle(b.socket)]);
    h.witness.tick();
    const first = nextEvent(b.socket, 'witness-signal');
    a.socket.emit('witness-signal', { to: b.id, data: { n: 1 } });
    expect(await first).toEqual({ from: a.id, data: { n: 1 } });
    // Both go silent; an interval later the old match opens nothing.
    h.clock.now += INTERVAL_MS + 1;
    h.witness.tick();
    const delivered = collect(b.socket, 'witness-signal');
    const refused = nextEvent(a.socket, 'witness-error');
    a.socket.emit('witness-signal', { to: b.id, data: { n: 2 } });
    expect(await refused).toEqual({ code: 'not-matched', event: 'witness-signal' });
    await sleep(100);
    expect(delivered).toEqual([]);
  });
});

describe('[W7] a fresh session id per connection', () => {
  it('[W7] a session id cannot be taken over: the server names sessions, and signals to a gone one reach no one', async () => {
    const h = await start();
    const victim = await started(h, BEIRUT);
    const friend = await started(h, east(3));
    await Promise.all([settle(victim.socket), settle(friend.socket)]);
    h.witness.tick();
    await sleep(50);
    victim.socket.close();
    await sleep(100);

    const attacker = await h.client();
    // Naming the victim's id is not part of the protocol: refused as malformed.
    expect(await attacker.timeout(2000).emitWithAck('witness-start', { v: 2, sessionId: victim.id })).toEqual({
      ok: false,
      code: 'malformed-message',
    });
    const reply = (await attacker.timeout(2000).emitWithAck('witness-start', { v: 2 })) as { ok: boolean; sessionId: string };
    expect(reply.ok).toBe(true);
    expect(reply.sessionId).not.toBe(victim.id);
    expect(reply.sessionId).not.toBe(friend.id);
    // One session per connection: a second start cannot swap it for another.
    expect(await attacker.timeout(2000).emitWithAck('witness-start', { v: 2 })).toEqual({ ok: false, code: 'unexpected-message' });

    // The friend, still within the match window, signals the victim's id: nobody gets it.
    const stolen = collect(attacker, 'witness-signal');
    friend.socket.emit('witness-signal', { to: victim.id, data: { type: 'offer' } });
    await settle(friend.socket);
    await sleep(100);
    expect(stolen).toEqual([]);
  });
});

describe('[W7] declarations over a connection bound to no session', () => {
  const alerts = [{ token: 'c3'.repeat(32), expiresAt: witnessTokenExpiry(new Date('2026-11-21T09:00:00Z')).getTime() }];

  it('[W7] a connection holding a session cannot ask for a challenge or declare', async () => {
    const h = await start();
    const device = await started(h, BEIRUT);
    expect(await device.socket.timeout(2000).emitWithAck('witness-challenge', {})).toEqual({ ok: false, code: 'unexpected-message' });
    expect(await device.socket.timeout(2000).emitWithAck('witness-declare', { alerts, nonce: 0 })).toEqual({
      ok: false,
      code: 'unexpected-message',
    });
  });

  it('[W7] a declaring connection carries no session: it cannot start one, report or signal, and its declaration is relayed', async () => {
    const h = await start();
    const listener = await started(h, east(3));
    const declaring = await h.client();
    const { challenge, bits } = (await declaring.timeout(2000).emitWithAck('witness-challenge', {})) as { challenge: string; bits: number };
    expect(await declaring.timeout(2000).emitWithAck('witness-start', { v: 2 })).toEqual({ ok: false, code: 'unexpected-message' });
    const noReport = nextEvent(declaring, 'witness-error');
    declaring.emit('witness-position', BEIRUT);
    expect(await noReport).toEqual({ code: 'unexpected-message', event: 'witness-position' });
    const noSignal = nextEvent(declaring, 'witness-error');
    declaring.emit('witness-signal', { to: listener.id, data: {} });
    expect(await noSignal).toEqual({ code: 'unexpected-message', event: 'witness-signal' });
    expect(h.witness.positionsHeld).toBe(1);

    const nonce = solvePow(declarationStampPrefix(challenge, alerts as never), bits, { start: 0, count: 1 << 20 })!;
    const relayed = nextEvent(listener.socket, 'witness-alerts');
    expect(await declaring.timeout(2000).emitWithAck('witness-declare', { alerts, nonce })).toEqual({ ok: true });
    expect(await relayed).toEqual({ alerts });
  });
});

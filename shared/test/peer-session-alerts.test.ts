import { describe, expect, it } from 'vitest';
import { inMemoryChannelPair } from '../src/peer/channel.js';
import { MAX_FRAME_CHARS } from '../src/peer/protocol.js';
import { ALERT_HAVE_BATCH } from '../src/witness/peer-messages.js';
import { alertPrefix, MAX_HELD_ALERTS, type WitnessAlert } from '../src/witness/reconcile.js';
import type { AlertBook } from '../src/witness/session.js';
import type { WitnessToken } from '../src/witness/token.js';
import { bytesToHex } from '../src/core/hex.js';
import { org, settle, until } from './support/check-org.js';
import { seededRandom } from './support/seeded.js';

const EXPIRES = Date.UTC(2026, 10, 30, 3);
const alerts = (seed: string, n: number): WitnessAlert[] => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => ({ token: bytesToHex(random(32)) as WitnessToken, expiresAt: EXPIRES }));
};

/** An in-memory book that records every frame's worth of alerts it was given. */
function book(held: WitnessAlert[]) {
  const store = new Map(held.map((a) => [a.token, a]));
  const batches: WitnessAlert[][] = [];
  const b: AlertBook = {
    list: async () => [...store.values()],
    receive: async (received) => {
      batches.push([...received]);
      for (const a of received) store.set(a.token, a);
    },
  };
  return { book: b, store, batches, received: () => batches.flat() };
}

async function pair(aHeld: WitnessAlert[], bHeld: WitnessAlert[]) {
  const [ca, cb] = inMemoryChannelPair();
  const ba = book(aHeld);
  const bb = book(bHeld);
  const a = org('Org A', ca, [], { alerts: ba.book });
  const b = org('Org B', cb, [], { alerts: bb.book });
  // Record what A's side of the wire carries, to see that only missing alerts travel.
  const sentByA: unknown[] = [];
  const sendA = ca.send.bind(ca);
  ca.send = (frame: string) => {
    sentByA.push(JSON.parse(frame));
    sendA(frame);
  };
  a.session.start();
  b.session.start();
  await until(a.events, 'ready');
  await until(b.events, 'ready');
  return { a, b, ba, bb, ca, cb, sentByA };
}

async function quiet(rounds = 50): Promise<void> {
  for (let i = 0; i < rounds; i++) await settle();
}

describe('[W5] alert reconciliation over the partner session', () => {
  it('[W5] alerts flow both ways after ready; only the missing ones are sent; the session stays open', async () => {
    const common = alerts('common', 3);
    const onlyA = alerts('only-a', 2);
    const onlyB = alerts('only-b', 4);
    const { a, b, ba, bb, sentByA } = await pair([...common, ...onlyA], [...common, ...onlyB]);
    await quiet();
    expect(ba.received().map((x) => x.token).sort()).toEqual(onlyB.map((x) => x.token).sort());
    expect(bb.received().map((x) => x.token).sort()).toEqual(onlyA.map((x) => x.token).sort());
    expect(ba.store.size).toBe(9);
    expect(bb.store.size).toBe(9);
    const have = sentByA.filter((m) => (m as { type: string }).type === 'alert-have') as { prefixes: string[]; last: boolean }[];
    expect(have).toEqual([{ type: 'alert-have', prefixes: [...common, ...onlyA].map((x) => alertPrefix(x.token)).sort(), last: true }]);
    const sent = sentByA.filter((m) => (m as { type: string }).type === 'alerts') as { alerts: WitnessAlert[] }[];
    expect(sent.flatMap((m) => m.alerts)).toEqual(expect.arrayContaining(onlyA));
    expect(sent.flatMap((m) => m.alerts)).toHaveLength(2);
    expect(a.session.isOpen && b.session.isOpen).toBe(true);
    expect(a.events.some((e) => e.type === 'closed')).toBe(false);
  });

  it('[W5] sends nothing when both hold the same alerts, and one empty frame each way when none', async () => {
    const same = alerts('same', 5);
    const { ba, bb, sentByA } = await pair(same, same);
    await quiet();
    expect(ba.batches).toEqual([]);
    expect(bb.batches).toEqual([]);
    expect(sentByA.filter((m) => (m as { type: string }).type === 'alerts')).toEqual([{ type: 'alerts', alerts: [], last: true }]);
  });

  it('[W5] a side without an alert book answers with nothing and still receives no harm', async () => {
    const [ca, cb] = inMemoryChannelPair();
    const bb = book([]);
    const a = org('Org A', ca, []);
    const b = org('Org B', cb, [], { alerts: bb.book });
    a.session.start();
    b.session.start();
    await until(b.events, 'ready');
    await quiet();
    expect(bb.batches).toEqual([]);
    expect(a.session.isOpen && b.session.isOpen).toBe(true);
  });

  it('[W5] a check still runs alongside the reconciliation', async () => {
    const { a, b } = await pair(alerts('x', 1000), alerts('y', 10));
    const requested = a.session.requestCheck('uscadi-v0', []);
    expect(requested.ok).toBe(true);
    expect(await until(b.events, 'consent-requested')).toMatchObject({ theirs: { count: 0, items: 0 } });
  });

  const hostile: [string, () => string, string][] = [
    ['a malformed prefix', () => JSON.stringify({ type: 'alert-have', prefixes: ['XYZ'], last: true }), 'malformed-message'],
    ['an unknown field', () => JSON.stringify({ type: 'alert-have', prefixes: [], last: true, extra: 1 }), 'malformed-message'],
    ['a malformed alert token', () => JSON.stringify({ type: 'alerts', alerts: [{ token: 'nope', expiresAt: EXPIRES }], last: true }), 'malformed-message'],
    ['a non-integer expiry', () => JSON.stringify({ type: 'alerts', alerts: [{ token: 'a'.repeat(64), expiresAt: 1.5 }], last: true }), 'malformed-message'],
    ['too many prefixes in one frame', () => JSON.stringify({ type: 'alert-have', prefixes: Array.from({ length: ALERT_HAVE_BATCH + 1 }, () => '0123456789abcdef'), last: false }), 'malformed-message'],
    ['an oversized frame', () => JSON.stringify({ type: 'alert-have', prefixes: ['0'.repeat(MAX_FRAME_CHARS)], last: true }), 'oversized-message'],
  ];
  for (const [what, frame, code] of hostile) {
    it(`[W5][A8] ${what} ends the session with ${code}`, async () => {
      const { a, b, cb } = await pair([], []);
      await quiet();
      cb.send(frame());
      const closed = await until(a.events, 'closed');
      expect(closed.error?.code).toBe(code);
      expect((await until(b.events, 'closed')).error?.code).toBe(code);
    });
  }

  it('[W5][A8] alerts before the partner heard our alert-have, or a second last alert-have, end the session', async () => {
    // B sends alerts at once, before its own alert-have: out of order.
    const [ca, cb] = inMemoryChannelPair();
    const a = org('Org A', ca, [], { alerts: book([]).book });
    let sent = false;
    const b = org('Org B', cb, [], {
      onEvent: (e) => {
        if (e.type === 'ready' && !sent) {
          sent = true;
          cb.send(JSON.stringify({ type: 'alerts', alerts: [], last: true }));
        }
      },
    });
    a.session.start();
    b.session.start();
    expect((await until(a.events, 'closed')).error?.code).toBe('unexpected-message');

    const second = await pair([], []);
    await quiet();
    second.cb.send(JSON.stringify({ type: 'alert-have', prefixes: [], last: true }));
    expect((await until(second.a.events, 'closed')).error?.code).toBe('unexpected-message');
  });

  it('[W5][A8] an alert frame before ready ends the session with unexpected-message', async () => {
    const [ca, cb] = inMemoryChannelPair();
    const a = org('Org A', ca, [], { alerts: book([]).book });
    a.session.start();
    cb.send(JSON.stringify({ type: 'hello', protocol: 'ihyid-peer', versions: [3], orgName: 'Mallory' }));
    cb.send(JSON.stringify({ type: 'alert-have', prefixes: [], last: true }));
    expect((await until(a.events, 'closed')).error?.code).toBe('unexpected-message');
  });

  it('[W5][A8] more prefixes than any device may hold end the session with too-many-items', async () => {
    // A raw peer, not a session: it sends only what the test writes.
    const [ca, cb] = inMemoryChannelPair();
    const a = org('Org A', ca, [], { alerts: book([]).book });
    a.session.start();
    cb.send(JSON.stringify({ type: 'hello', protocol: 'ihyid-peer', versions: [3], orgName: 'Mallory' }));
    cb.send(JSON.stringify({ type: 'ready' }));
    await until(a.events, 'ready');
    const prefixes = Array.from({ length: ALERT_HAVE_BATCH }, (_, i) => i.toString(16).padStart(16, '0'));
    for (let i = 0; i <= MAX_HELD_ALERTS / ALERT_HAVE_BATCH; i++) cb.send(JSON.stringify({ type: 'alert-have', prefixes, last: false }));
    expect((await until(a.events, 'closed', 5000)).error?.code).toBe('too-many-items');
  });

  it('[W5] a failing alert book ends the session with internal, not blaming the partner', async () => {
    const [ca, cb] = inMemoryChannelPair();
    const a = org('Org A', ca, [], { alerts: { list: async () => Promise.reject(new Error('disk')), receive: async () => undefined } });
    const b = org('Org B', cb, [], { alerts: book([]).book });
    a.session.start();
    b.session.start();
    expect((await until(a.events, 'closed')).error?.code).toBe('internal');
  });
});

import { ed25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { inMemoryChannelPair, type PeerChannel } from '../src/peer/channel.js';
import { bytesToHex, utf8ToBytes } from '../src/core/hex.js';
import type { CheckItem } from '../src/check/overlap-check.js';
import type { SessionEvent } from '../src/peer/session.js';
import { base64ToBytes, bytesToBase64 } from '../src/core/hex.js';
import { items, org, phoneticKey, settle, until } from './support/check-org.js';
import { againstRawPeer, blindedStream, guessedPoints } from './support/raw-peer.js';
import { seededRandom } from './support/seeded.js';
import { inPrimeOrderSubgroup } from './support/noble-curve.js';

const CHECK = '9b2f4d3e-1c2a-4b5c-8d6e-7f8091a2b3c4';

/** Random lists with a known overlap; some contacts carry a second key kind, some share a key inside one list. */
function randomLists(seed: string, n: number, m: number, shared: number) {
  const random = seededRandom(seed);
  const id = () => bytesToHex(random(6)).toUpperCase();
  const common = Array.from({ length: shared }, id);
  const aIds = [...common, ...Array.from({ length: n - shared }, id)];
  const bIds = [...common, ...Array.from({ length: m - shared }, id)];
  const phone = (i: number) => (i % 5 === 0 ? [`{"kind":"phone-v1","number":"+9613${String(i).padStart(6, '0')}","v":1}`] : []);
  const a = items(aIds, `${seed}-a`, phone);
  // B knows a few of A's people only by phone: other phonetic ids, same phone key.
  const b = items(bIds.map((x, i) => (i >= shared && i < shared + 3 ? `${x}-OTHER` : x)), `${seed}-b`, (i) => (i >= shared && i < shared + 3 ? phone(5 * (shared + i)) : phone(i)));
  // …and A holds one person twice (a duplicate inside its own list): both records are reported.
  a.push({ ...a[0]!, contactId: `${a[0]!.contactId}-twin` as CheckItem['contactId'] });
  const keysOf = (list: CheckItem[]) => new Set(list.flatMap((c) => c.keys));
  const expect = (mine: CheckItem[], theirs: CheckItem[]) => {
    const k = keysOf(theirs);
    return mine.filter((c) => c.keys.some((key) => k.has(key))).map((c) => c.contactId).sort();
  };
  return { a, b, expectedA: expect(a, b), expectedB: expect(b, a) };
}

type Hook = (e: SessionEvent) => void;
async function psiPair(a: CheckItem[], b: CheckItem[], wrap: (c: PeerChannel) => PeerChannel = (c) => c, hooks: { a?: Hook; b?: Hook } = {}) {
  const [ca, cb] = inMemoryChannelPair();
  const A = org('Org A', wrap(ca), a, { onEvent: (e) => hooks.a?.(e) });
  const B = org('Org B', cb, b, { onEvent: (e) => hooks.b?.(e) });
  A.session.start();
  B.session.start();
  await until(A.events, 'ready');
  await until(B.events, 'ready');
  return { A, B, ca, cb };
}

async function runCheck(A: ReturnType<typeof org>, B: ReturnType<typeof org>, mine: CheckItem[]) {
  expect(A.session.requestCheck('psi-v2', mine).ok).toBe(true);
  const consent = await until(B.events, 'consent-requested');
  expect(consent).toMatchObject({ protocol: 'psi-v2', theirs: { count: mine.length, items: new Set(mine.flatMap((c) => c.keys)).size } });
  B.session.acceptCheck(consent.checkId);
  return { doneA: await until(A.events, 'check-completed', 50_000), doneB: await until(B.events, 'check-completed', 50_000) };
}

describe('psi-v2 between two sessions (A3, A7)', () => {
  for (const [seed, n, m, shared] of [['r1', 60, 45, 20], ['r2', 30, 70, 0], ['r3', 41, 41, 41]] as const) {
    it(`[A3] both sides learn exactly their own shared contacts (${n} × ${m}, ${shared} shared)`, async () => {
      const lists = randomLists(seed, n, m, shared);
      const { A, B } = await psiPair(lists.a, lists.b);
      const { doneA, doneB } = await runCheck(A, B, lists.a);
      expect([...doneA.known].sort()).toEqual(lists.expectedA);
      expect([...doneB.known].sort()).toEqual(lists.expectedB);
      expect(doneA).toMatchObject({ role: 'asked', protocol: 'psi-v2', sent: lists.a.length });
      expect(doneB).toMatchObject({ role: 'answered', sent: lists.b.length });
      // Each learns the other's set size (distinct keys), nothing else.
      expect(doneA.theirs).toEqual({ count: lists.b.length, items: new Set(lists.b.flatMap((c) => c.keys)).size });
      expect(doneB.theirs).toEqual({ count: lists.a.length, items: new Set(lists.a.flatMap((c) => c.keys)).size });
    });
  }

  it('[A7] waits for the channel to drain, and both sides see progress', async () => {
    const lists = randomLists('bp', 1100, 1100, 10);
    let waits = 0;
    const { A, B } = await psiPair(lists.a, lists.b, (c) => ({
      ...c,
      send: c.send,
      close: c.close,
      onMessage: c.onMessage,
      onClose: c.onClose,
      // Pretend the network is slow: every buffered byte counts 64 times.
      bufferedAmount: () => c.bufferedAmount!() * 64,
      drained: () => (waits++, c.drained!()),
    }));
    const { doneA } = await runCheck(A, B, lists.a);
    expect(doneA.known.length).toBe(lists.expectedA.length);
    expect(waits).toBeGreaterThan(0);
    for (const side of [A, B]) {
      const phases = new Set(side.events.filter((e) => e.type === 'check-progress').map((e) => (e as { phase: string }).phase));
      expect([...phases]).toEqual(expect.arrayContaining(['hashing', 'sending', 'receiving', 'blinding']));
    }
  }, 240_000);

  it('[A7] a cancel mid-transfer stores nothing on either side, and a retry in the same session succeeds', async () => {
    const lists = randomLists('cancel', 200, 200, 50);
    let cancelled = false;
    const hooks: { b?: Hook } = {};
    const { A, B } = await psiPair(lists.a, lists.b, undefined, hooks);
    // B cancels as soon as A's first chunk of points arrives: in the middle of the transfer.
    hooks.b = (e) => {
      if (!cancelled && e.type === 'check-progress' && e.phase === 'receiving') {
        cancelled = true;
        B.session.cancelCheck();
      }
    };
    A.session.requestCheck('psi-v2', lists.a);
    const consent = await until(B.events, 'consent-requested');
    B.session.acceptCheck(consent.checkId);
    expect(await until(A.events, 'check-cancelled')).toMatchObject({ by: 'remote' });
    for (let i = 0; i < 50; i++) await settle();
    expect([...A.events, ...B.events].some((e) => e.type === 'check-completed' || e.type === 'closed')).toBe(false);
    A.events.length = 0;
    B.events.length = 0;
    hooks.b = undefined;
    const { doneA, doneB } = await runCheck(A, B, lists.a);
    expect([...doneA.known].sort()).toEqual(lists.expectedA);
    expect([...doneB.known].sort()).toEqual(lists.expectedB);
  }, 240_000);

  it('[A7][A8] a dropped connection mid-transfer leaves no result; a fresh session restarts cleanly', async () => {
    const lists = randomLists('drop', 200, 200, 50);
    const hooks: { a?: Hook } = {};
    const first = await psiPair(lists.a, lists.b, undefined, hooks);
    // B's end of the channel drops as soon as A receives B's first chunk of points.
    hooks.a = (e) => {
      if (e.type === 'check-progress' && e.phase === 'receiving') first.cb.close();
    };
    first.A.session.requestCheck('psi-v2', lists.a);
    const consent = await until(first.B.events, 'consent-requested');
    first.B.session.acceptCheck(consent.checkId);
    expect(await until(first.A.events, 'closed')).toMatchObject({ by: 'transport', error: { code: 'peer-closed' } });
    await until(first.B.events, 'closed');
    expect([...first.A.events, ...first.B.events].some((e) => e.type === 'check-completed')).toBe(false);
    const second = await psiPair(lists.a, lists.b);
    const { doneA } = await runCheck(second.A, second.B, lists.a);
    expect([...doneA.known].sort()).toEqual(lists.expectedA);
  }, 240_000);
});

describe('psi-v2 against a hostile partner (A3, A8)', () => {
  const base = ed25519.Point.BASE;
  const valid = (k: bigint) => ed25519.utils.toMontgomery(base.multiply(k).toBytes());
  const P_BYTES = Uint8Array.from({ length: 32 }, (_, i) => (i === 0 ? 0xed : i === 31 ? 0x7f : 0xff));
  const withTopBit = (u: Uint8Array) => Uint8Array.from(u, (b, i) => (i === 31 ? b | 0x80 : b));
  const frames = (...points: Uint8Array[]) => {
    const all = new Uint8Array(points.length * 32);
    points.forEach((p, i) => all.set(p, i * 32));
    return bytesToBase64(all);
  };

  /** Mallory asks Org B for a psi-v2 check, B accepts, then Mallory sends `script` as its blinded list. */
  async function malloryAsks(script: string[]) {
    const [raw, mine] = inMemoryChannelPair();
    const victim = org('Org B', mine, items(['H550-H330-B616-M240-19760507'], 'victim'));
    const received: string[] = [];
    raw.onMessage((f) => received.push(f as string));
    victim.session.start();
    raw.send(JSON.stringify({ type: 'hello', protocol: 'ihyid-peer', versions: [3], orgName: 'Mallory' }));
    raw.send(JSON.stringify({ type: 'ready' }));
    await until(victim.events, 'ready');
    raw.send(JSON.stringify({ type: 'check-request', checkId: CHECK, protocol: 'psi-v2', count: 2, items: 2 }));
    victim.session.acceptCheck((await until(victim.events, 'consent-requested')).checkId);
    for (const frame of script) raw.send(frame);
    const closed = await until(victim.events, 'closed');
    expect(victim.events.some((e) => e.type === 'check-completed')).toBe(false);
    expect(received.at(-1)).toContain('"type":"error"');
    // Chunks are re-blinded as they arrive, but none goes back before the whole list is in and checked.
    expect(received.some((f) => f.includes('"type":"psi-round"'))).toBe(false);
    return closed;
  }
  const begin = (items: number, stream = 'psi-blinded') => JSON.stringify({ type: 'transfer-begin', checkId: CHECK, stream, items });
  const chunk = (seq: number, data: string, stream = 'psi-blinded') => JSON.stringify({ type: 'transfer-chunk', checkId: CHECK, stream, seq, data });
  const end = (stream = 'psi-blinded') => JSON.stringify({ type: 'transfer-end', checkId: CHECK, stream });

  const cases: [string, string[], string][] = [
    ['a u with bit 255 set (not canonical)', [begin(2), chunk(0, frames(valid(7n), new Uint8Array(32).fill(0xff))), end()], 'invalid-item'],
    ['a u of p = 2^255 − 19 (not canonical: 0 spelt another way)', [begin(2), chunk(0, frames(valid(7n), P_BYTES)), end()], 'invalid-item'],
    ['a valid u with bit 255 set (another spelling of a point)', [begin(2), chunk(0, frames(valid(7n), withTopBit(valid(9n)))), end()], 'invalid-item'],
    ['u = 0, a point of small order', [begin(2), chunk(0, frames(valid(7n), new Uint8Array(32))), end()], 'invalid-item'],
    ['u = 1, a point of order 4', [begin(2), chunk(0, frames(new Uint8Array(32).fill(1, 0, 1), valid(7n))), end()], 'invalid-item'],
    ['the same point twice', [begin(2), chunk(0, frames(valid(7n), valid(7n))), end()], 'duplicate-item'],
    ['the same point in two chunks, the first already re-blinded', [begin(2), chunk(0, frames(valid(7n))), chunk(1, frames(valid(7n))), end()], 'duplicate-item'],
    ['a refused point in a second chunk', [begin(2), chunk(0, frames(valid(7n))), chunk(1, frames(new Uint8Array(32)))], 'invalid-item'],
    ['more points in a chunk than its stream announced', [begin(2), chunk(0, frames(valid(7n), valid(9n), valid(11n)))], 'size-exceeded'],
    ['fewer points than the stream announced', [begin(2), chunk(0, frames(valid(7n))), end()], 'unexpected-message'],
    ['a stream announcing fewer points than the request', [begin(1)], 'unexpected-message'],
    ['chunks out of order', [begin(2), chunk(1, frames(valid(7n)))], 'unexpected-message'],
    ['a chunk that is not whole points', [begin(2), chunk(0, bytesToBase64(new Uint8Array(33)))], 'malformed-message'],
    ['a chunk before its stream began', [chunk(0, frames(valid(7n)))], 'unexpected-message'],
    ['a finish before any exchange', [JSON.stringify({ type: 'check-finish', checkId: CHECK })], 'unexpected-message'],
    ['a uscadi frame inside psi-v2', [JSON.stringify({ type: 'uscadi-end', checkId: CHECK })], 'unexpected-message'],
  ];
  for (const [what, script, code] of cases) {
    it(`[A8] ${what} ends the session with ${code} and stores nothing`, async () => {
      expect(await malloryAsks(script)).toMatchObject({ by: 'local', error: { code } });
    });
  }

  it('[A8] a returned round longer than what we sent is refused', async () => {
    const { victim, send, sent } = await againstRawPeer([]);
    const requested = victim.session.requestCheck('psi-v2', items(['H550-H330-B616-M240-19760507'], 'v'));
    const checkId = requested.ok ? requested.value : '';
    send({ type: 'check-accept', checkId, count: 1, items: 1 });
    for (let i = 0; i < 200 && !sent().some((m) => m.type === 'transfer-end'); i++) await settle();
    for (const frame of blindedStream(checkId, 1)) send(frame);
    for (let i = 0; i < 400 && !sent().some((m) => m.type === 'psi-round'); i++) await settle();
    send({ type: 'psi-round', checkId, round: 0, data: guessedPoints(5) });
    expect(await until(victim.events, 'closed')).toMatchObject({ error: { code: 'size-exceeded' } });
  });

  it('[A3] what goes on the wire is only points: no key, no phonetic id', async () => {
    const lists = randomLists('wire', 20, 20, 5);
    const seen: string[] = [];
    const { A, B } = await psiPair(lists.a, lists.b, (c) => ({ ...c, send: (f: string) => (seen.push(f), c.send(f)), close: c.close, onMessage: c.onMessage, onClose: c.onClose }));
    await runCheck(A, B, lists.a);
    const wire = seen.join('\n');
    for (const c of [...lists.a, ...lists.b]) {
      expect(wire).not.toContain(c.phoneticIdV0!);
    }
    // Every byte of every chunk is part of a canonical u-coordinate of a point of the prime-order
    // subgroup (ℓ·P is the identity): there is room for nothing else.
    const chunks = seen.map((f) => JSON.parse(f) as { type: string; data?: string }).filter((m) => m.data !== undefined);
    expect(chunks.length).toBeGreaterThan(0);
    for (const { data } of chunks) {
      const bytes = base64ToBytes(data!)!;
      expect(bytes.length % 32).toBe(0);
      for (let i = 0; i < bytes.length; i += 32) expect(inPrimeOrderSubgroup(bytes.subarray(i, i + 32))).toBe(true);
    }
    expect(seen.every((f) => !/"keys"|phonetic|"kind"/.test(f))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import type { PeerChannel } from '../src/peer/channel.js';
import { roundCount, roundSlice } from '../src/check/psi-rounds.js';
import { items, readyPair, settle, until } from './support/check-org.js';
import { againstRawPeer, blindedStream, guessedPoints } from './support/raw-peer.js';

const CHECK = '9b2f4d3e-1c2a-4b5c-8d6e-7f8091a2b3c4';
const HOUMAN = 'H550-H330-B616-M240-19760507';
const ids = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}${String(i).padStart(3, '0')}-H330-B616-M240-19760507`);
type Frame = { type: string; round?: number; [k: string]: unknown };

describe('psi-v2 fair exchange (A10)', () => {
  it('[A10] rounds split both lists into equal shares', () => {
    expect(roundCount(0, 0)).toBe(1);
    expect(roundCount(1024, 3)).toBe(1);
    expect(roundCount(1025, 3)).toBe(2);
    const n = 3;
    const rounds = roundCount(3000, n);
    const slices = Array.from({ length: rounds }, (_, r) => roundSlice(n, rounds, r));
    expect(slices.map(([a, b]) => b - a).reduce((x, y) => x + y, 0)).toBe(n);
    expect(slices[0]![0]).toBe(0);
    expect(slices.at(-1)![1]).toBe(n);
  });

  it('[A10] the re-blinded lists cross in lock-step: each side sends a round only after the partner\'s previous one', async () => {
    // 1,100 and 300 keys: two rounds, so each side's rounds interleave with the other's.
    const a = items(ids(1100, 'A'), 'a');
    const b = items([...ids(200, 'A'), ...ids(100, 'B')], 'b');
    const log: { from: 'A' | 'B'; frame: Frame }[] = [];
    const tap = (from: 'A' | 'B') => (c: PeerChannel): PeerChannel => ({ ...c, send: (f: string) => (log.push({ from, frame: JSON.parse(f) as Frame }), c.send(f)) });
    const { A, B } = await readyPair(a, b, { wrap: { a: tap('A'), b: tap('B') } });
    A.session.requestCheck('psi-v2', a);
    B.session.acceptCheck((await until(B.events, 'consent-requested')).checkId);
    const done = await until(A.events, 'check-completed', 20_000);
    expect(done.known.length).toBe(200);
    const rounds = log.filter((l) => l.frame.type === 'psi-round').map((l) => `${l.from}${l.frame.round}`);
    expect(rounds).toEqual(['A0', 'B0', 'A1', 'B1']);
  }, 120_000);

  it('[A10] a partner that asks, then stops instead of sending its first round, gets no round of ours and leaves no audit entry', async () => {
    const { victim, send, sent } = await againstRawPeer(items([HOUMAN], 'victim'));
    send({ type: 'check-request', checkId: CHECK, protocol: 'psi-v2', count: 1, items: 1 });
    victim.session.acceptCheck((await until(victim.events, 'consent-requested')).checkId);
    for (const frame of blindedStream(CHECK, 1)) send(frame);
    for (let i = 0; i < 200 && !victim.events.some((e) => e.type === 'check-progress' && e.phase === 'blinding' && e.done === e.total); i++) await settle();
    for (let i = 0; i < 20; i++) await settle();
    // The victim (the follower) re-blinded Mallory's point but waits for Mallory's round: nothing leaves.
    expect(sent().filter((m) => m.type === 'psi-round')).toEqual([]);
    victim.session.close();
    expect(victim.events.some((e) => e.type === 'check-exposed')).toBe(false);
  });

  it('[A10] a partner that stops after our first round leaves an audit entry with no partner data, and no result', async () => {
    const { victim, send, sent } = await againstRawPeer([]);
    const requested = victim.session.requestCheck('psi-v2', items([HOUMAN], 'victim'));
    if (!requested.ok) throw new Error('request refused');
    const checkId = requested.value;
    send({ type: 'check-accept', checkId, count: 1, items: 1 });
    for (let i = 0; i < 200 && !sent().some((m) => m.type === 'transfer-end'); i++) await settle();
    for (const frame of blindedStream(checkId, 1)) send(frame);
    // The victim asked, so it leads: its round 0 goes out; Mallory keeps it and vanishes.
    for (let i = 0; i < 400 && !sent().some((m) => m.type === 'psi-round'); i++) await settle();
    expect(sent().filter((m) => m.type === 'psi-round')).toHaveLength(1);
    send({ type: 'cancel', checkId });
    const exposed = await until(victim.events, 'check-exposed');
    expect(exposed).toEqual({ type: 'check-exposed', checkId, protocol: 'psi-v2', upTo: 1 });
    expect(victim.events.some((e) => e.type === 'check-completed')).toBe(false);
  });

  const hostileRounds: [string, (data: string) => object[], string][] = [
    ['a round longer than its share', () => [{ round: 0, data: guessedPoints(2) }], 'size-exceeded'],
    ['a round out of order', (d) => [{ round: 1, data: d }], 'unexpected-message'],
  ];
  for (const [what, rounds, code] of hostileRounds) {
    it(`[A10][A8] ${what} ends the session with ${code}`, async () => {
      const { victim, send } = await againstRawPeer(items([HOUMAN], 'victim'));
      send({ type: 'check-request', checkId: CHECK, protocol: 'psi-v2', count: 1, items: 1 });
      victim.session.acceptCheck((await until(victim.events, 'consent-requested')).checkId);
      for (const frame of blindedStream(CHECK, 1)) send(frame);
      for (let i = 0; i < 200 && !victim.events.some((e) => e.type === 'check-progress' && e.phase === 'sending' && e.done === e.total); i++) await settle();
      for (const r of rounds(guessedPoints(1, 99n))) send({ type: 'psi-round', checkId: CHECK, ...r });
      expect(await until(victim.events, 'closed')).toMatchObject({ by: 'local', error: { code } });
    });
  }
});

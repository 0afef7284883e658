import { describe, expect, it } from 'vitest';
import type { PeerChannel } from '../src/peer/channel.js';
import { roundCount, roundSlice } from '../src/check/psi-rounds.js';
import type { CheckWork } from '../src/check/overlap-check.js';
import { base64ToBytes, bytesToBase64 } from '../src/core/hex.js';
import { inlineWork, items, readyPair, settle, until } from './support/check-org.js';
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

  /**
   * The victim asks (so it leads) for one key; Mallory answers with 1,100 points in three chunks
   * ([0, 500), [500, 1000), [1000, 1100)), so two rounds: round 0 carries the victim's re-blinding of
   * Mallory's points [0, 550), round 1 of [550, 1100). The victim's re-blinding of the third chunk waits
   * until the test releases it. `last` replaces Mallory's last point.
   */
  async function leaderWithHeldChunk(last?: Uint8Array) {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let calls = 0;
    const work: CheckWork = {
      ...inlineWork,
      psi: { ...inlineWork.psi, reblind: async (scalar, points, hooks) => (++calls === 3 && (await held), inlineWork.psi.reblind(scalar, points, hooks)) },
    };
    const { victim, send, sent } = await againstRawPeer([], { work });
    const requested = victim.session.requestCheck('psi-v2', items([HOUMAN], 'victim'));
    if (!requested.ok) throw new Error('request refused');
    const checkId = requested.value;
    send({ type: 'check-accept', checkId, count: 3, items: 1100 });
    for (let i = 0; i < 200 && !sent().some((m) => m.type === 'transfer-end'); i++) await settle();
    const points = base64ToBytes(guessedPoints(1100))!;
    if (last) points.set(last, 1099 * 32);
    send({ type: 'transfer-begin', checkId, stream: 'psi-blinded', items: 1100 });
    [[0, 500], [500, 1000], [1000, 1100]].forEach(([from, to], seq) => send({ type: 'transfer-chunk', checkId, stream: 'psi-blinded', seq, data: bytesToBase64(points.subarray(from! * 32, to! * 32)) }));
    send({ type: 'transfer-end', checkId, stream: 'psi-blinded' });
    for (let i = 0; i < 100 && calls < 3; i++) await settle();
    for (let i = 0; i < 50; i++) await settle();
    return { victim, send, sent, checkId, release, rounds: () => sent().filter((m) => m.type === 'psi-round') };
  }

  it('[A10] a round goes back as soon as the points it carries are re-blinded, before the rest of the partner\'s list is', async () => {
    const { send, checkId, release, rounds } = await leaderWithHeldChunk();
    // Round 0 needs points [0, 550): done, though [1000, 1100) is not; round 1 waits for Mallory's round 0 anyway.
    expect(rounds()).toHaveLength(1);
    expect(base64ToBytes(rounds()[0]!.data as string)!.length).toBe(550 * 32);
    // Mallory's round 0 carries none of the victim's one point (its share falls in round 1).
    send({ type: 'psi-round', checkId, round: 0, data: '' });
    for (let i = 0; i < 50; i++) await settle();
    // Round 1 carries [550, 1100), whose last 100 points are still being re-blinded: it waits for them.
    expect(rounds()).toHaveLength(1);
    release();
    for (let i = 0; i < 200 && rounds().length < 2; i++) await settle();
    expect(rounds().map((r) => r.round)).toEqual([0, 1]);
    expect(base64ToBytes(rounds()[1]!.data as string)!.length).toBe(550 * 32);
  });

  it('[A10][A8] a point of small order in the last chunk, still being re-blinded, is refused at the end of the stream: no round goes back', async () => {
    const { victim, release, rounds } = await leaderWithHeldChunk(new Uint8Array(32));
    // Without the check of the whole list at its end, round 0 (points [0, 550), all re-blinded) would be out.
    expect(rounds()).toEqual([]);
    expect(await until(victim.events, 'closed')).toMatchObject({ by: 'local', error: { code: 'invalid-item' } });
    release();
    for (let i = 0; i < 20; i++) await settle();
    expect(rounds()).toEqual([]);
    expect(victim.events.some((e) => e.type === 'check-exposed' || e.type === 'check-completed')).toBe(false);
  });
});

import { sha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../src/core/hex.js';
import { BOUND_MAX, compareItems, formatBound, parseBound, ReconcileIndex, type SyncItem } from '../src/sync/fingerprint.js';
import { wireRange } from '../src/sync/messages.js';
import { answerRound, openingRound, type Range } from '../src/sync/reconcile.js';

const T0 = 1_767_225_600_000;
const idOf = (n: number, salt = ''): string => bytesToHex(sha256(new TextEncoder().encode(`${salt}${n}`)));
/** n items, about `perMs` per millisecond, as versions made over time would be. */
const items = (from: number, to: number, salt = '', perMs = 3): SyncItem[] =>
  Array.from({ length: to - from }, (_, i) => ({ ts: T0 + Math.floor((from + i) / perMs), id: idOf(from + i, salt) }));

/** Plays rounds between two indexes as two devices would; returns what each must send and the JSON cost. */
function reconcile(a: SyncItem[], b: SyncItem[]) {
  const ia = ReconcileIndex.build(a);
  const ib = ReconcileIndex.build(b);
  const pushA = new Set<string>();
  const pushB = new Set<string>();
  let chars = 0;
  let rounds = 0;
  let round: Range[] = openingRound(ia);
  let turn: 'a' | 'b' = 'b';
  for (;;) {
    chars += JSON.stringify({ type: 'sync-ranges', ranges: round.map(wireRange), last: true }).length;
    if (round.length === 0) break;
    rounds++;
    const answer = answerRound(turn === 'a' ? ia : ib, round);
    const [pusher, wanter] = turn === 'a' ? [pushA, pushB] : [pushB, pushA];
    answer.push.forEach((id) => pusher.add(id));
    answer.want.forEach((id) => wanter.add(id));
    round = answer.reply;
    turn = turn === 'a' ? 'b' : 'a';
    if (rounds > 64) throw new Error('no end');
  }
  return { pushA, pushB, chars, rounds };
}

const ids = (list: SyncItem[]) => new Set(list.map((it) => it.id));

describe('range-based reconciliation (X4)', () => {
  it('[X4] bounds have one spelling on the wire and parse back', () => {
    for (const text of ['0', '1767225600000', '1767225600000.a4', '1767225600000.a4ff', 'inf']) expect(formatBound(parseBound(text)!)).toBe(text);
    for (const bad of ['', '-1', '01', '1.a', '1.A4', 'infinity', '1.', '99999999999999999']) expect(parseBound(bad)).toBeNull();
    expect(parseBound('inf')).toEqual(BOUND_MAX);
  });

  it('[X4] the fingerprint of a range is independent of how the items were added', () => {
    const list = items(0, 500);
    const one = ReconcileIndex.build(list);
    const other = ReconcileIndex.build([...list].reverse().concat(list.slice(0, 10)));
    expect(other.size).toBe(500);
    expect(one.fingerprint(0, 500)).toBe(other.fingerprint(0, 500));
    expect(one.fingerprint(10, 300)).toBe(other.fingerprint(10, 300));
    expect(one.fingerprint(0, 500)).not.toBe(one.fingerprint(0, 499));
    expect(one.fingerprint(0, 0)).toBe(ReconcileIndex.build([]).fingerprint(0, 0));
  });

  it('[X4] the fingerprint matches the PROTOCOL.md vector', () => {
    const index = ReconcileIndex.build([
      { ts: 1, id: 'ff'.repeat(32) },
      { ts: 2, id: '01' + '00'.repeat(31) },
    ]);
    // (2^256 - 1) + 1 = 0 mod 2^256: the sum wraps, and the count (2) still tells it from the empty set.
    expect(index.fingerprint(0, 2)).toBe('HemGrBaNz7ilK2MgSXpJqQ');
    expect(index.fingerprint(0, 0)).toBe('LDTOHfI7g4xavyp_ZDfMow');
  });

  it('[X4] two identical sets of 100,000 settle in one round of one range each way, under 200 characters', () => {
    const list = items(0, 100_000);
    const r = reconcile(list, [...list]);
    expect(r.pushA.size + r.pushB.size).toBe(0);
    expect(r.rounds).toBe(1);
    expect(r.chars).toBeLessThan(200);
  }, 180_000);

  it('[X4] 100 new versions on one side of 100,000 are found exactly, in a few rounds and a few KB', () => {
    const base = items(0, 100_000);
    const edits = items(100_000, 100_100, 'edit');
    const r = reconcile(base.concat(edits), base);
    expect(r.pushA).toEqual(ids(edits));
    expect(r.pushB.size).toBe(0);
    expect(r.rounds).toBeLessThanOrEqual(8);
    expect(r.chars).toBeLessThan(20_000);
  }, 180_000);

  it('[X4] scattered differences both ways (same timestamps, different ids) end with each side knowing exactly what the other lacks', () => {
    const shared = items(0, 5000);
    const onlyA = items(0, 300, 'a', 1).map((it, i) => ({ ...it, ts: shared[i * 16]!.ts }));
    const onlyB = items(0, 170, 'b', 1).map((it, i) => ({ ...it, ts: shared[i * 29]!.ts }));
    const r = reconcile(shared.concat(onlyA), shared.concat(onlyB));
    expect(r.pushA).toEqual(ids(onlyA));
    expect(r.pushB).toEqual(ids(onlyB));
  });

  it('[X4] an empty side learns it lacks everything in one round, without the ids being listed', () => {
    const full = items(0, 50_000);
    const r = reconcile([], full);
    expect(r.pushB.size).toBe(50_000);
    expect(r.rounds).toBe(1);
    expect(r.chars).toBeLessThan(300);
  }, 180_000);
});

describe('ReconcileIndex.extend: an index kept between syncs (X4)', () => {
  it('[X4] extended by items that sort after it, it gives every range the fingerprint a fresh build gives', () => {
    const held = items(0, 5000);
    // Newer stamps than any held, in the order a sorted list holds them.
    const more = items(6000, 6100).sort(compareItems);
    const extended = ReconcileIndex.build(held).extend(more);
    const fresh = ReconcileIndex.build([...held, ...more]);
    expect(extended?.size).toBe(5100);
    for (const [from, to] of [[0, 5100], [0, 1], [4990, 5100], [5000, 5100], [123, 4567], [5099, 5100]] as const) {
      expect(extended!.fingerprint(from, to)).toBe(fresh.fingerprint(from, to));
      expect(extended!.ids(from, to)).toEqual(fresh.ids(from, to));
    }
    expect(openingRound(extended!)).toEqual(openingRound(fresh));
  });

  it('[X4] an item that does not sort after the last held (an older stamp, or one already held) is refused: the caller builds again', () => {
    const held = items(0, 100);
    const index = ReconcileIndex.build(held);
    expect(index.extend([{ ts: T0 - 1, id: idOf(1, 'old') }])).toBeNull();
    expect(index.extend([held.at(-1)!])).toBeNull();
    expect(index.extend([...items(300, 310).sort(compareItems), { ts: T0, id: idOf(7, 'late') }])).toBeNull();
    expect(index.extend([])?.size).toBe(100);
  });
});

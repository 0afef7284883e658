import { BOUND_MAX, BOUND_MIN, type Bound, type ReconcileIndex } from './fingerprint.js';

/**
 * X4: the rounds of range-based reconciliation, symmetric between the two devices. Each round is a
 * list of ranges; each range carries either a fingerprint of the sender's items in it or, when it
 * holds few, the ids themselves. The receiver answers each range:
 *
 * - ids: that range is settled in one step. The receiver sends what the sender lacks (push) and
 *   asks for what it lacks (want); nothing goes into the next round.
 * - fingerprint equal to its own: settled, nothing in the next round.
 * - fingerprint different: the receiver lists its own ids if it holds few there, else splits the
 *   range into buckets of its own items and sends their fingerprints (as Negentropy does, a bucket
 *   is listed only when tiny: listing 20 ids costs more than a fingerprint and one more round).
 *
 * A round with no ranges ends the reconciliation. It always ends: every split strictly shrinks
 * the splitting side's item count in the range, and ids end a range.
 *
 * Unlike Negentropy's client/server roles, both sides act on an id list at once (push and want),
 * which saves a round trip; the first round is one fingerprint over everything, so two devices
 * that already agree exchange one range each way.
 */
export const RECONCILE_BUCKETS = 16;
/** A side holding at most this many items in a range lists them instead of fingerprinting. */
export const RECONCILE_ID_LIST = 32;

export type Range =
  | { readonly lo: Bound; readonly hi: Bound; readonly fp: string }
  | { readonly lo: Bound; readonly hi: Bound; readonly ids: readonly string[] };

export interface RoundAnswer {
  /** The next round (empty: reconciliation over). */
  readonly reply: Range[];
  /** Ids this side holds and the other lacks. */
  readonly push: string[];
  /** Ids the other side holds and this side lacks. */
  readonly want: string[];
}

/** Below this many items a bucket's ids cost less than its fingerprint and the round trip after it. */
const BUCKET_ID_LIST = 2;

function describe(index: ReconcileIndex, lo: Bound, hi: Bound, from: number, to: number, list: number): Range {
  return to - from <= list ? { lo, hi, ids: index.ids(from, to) } : { lo, hi, fp: index.fingerprint(from, to) };
}

export function openingRound(index: ReconcileIndex): Range[] {
  return [describe(index, BOUND_MIN, BOUND_MAX, 0, index.size, RECONCILE_ID_LIST)];
}

/**
 * Splits [lo, hi) into buckets of this side's items. When the range reaches past this side's last
 * item, the stretch after it goes out as its own empty id list: versions made since the last sync
 * have the newest stamps, so the other side can push them at once instead of splitting further.
 */
function split(index: ReconcileIndex, lo: Bound, hi: Bound, from: number, to: number): Range[] {
  const n = to - from;
  if (n <= RECONCILE_ID_LIST) return [{ lo, hi, ids: index.ids(from, to) }];
  const after: Bound = { ts: index.tsAt(to - 1) + 1, prefix: '' };
  const tail = hi.ts > after.ts;
  const top = tail ? after : hi;
  const out: Range[] = [];
  let start = from;
  let lower = lo;
  for (let k = 1; k <= RECONCILE_BUCKETS; k++) {
    const end = k === RECONCILE_BUCKETS ? to : from + Math.floor((k * n) / RECONCILE_BUCKETS);
    const upper = k === RECONCILE_BUCKETS ? top : index.boundBefore(end);
    out.push(describe(index, lower, upper, start, end, BUCKET_ID_LIST));
    start = end;
    lower = upper;
  }
  if (tail) out.push({ lo: after, hi, ids: [] });
  return out;
}

export function answerRound(index: ReconcileIndex, round: readonly Range[]): RoundAnswer {
  const reply: Range[] = [];
  const push: string[] = [];
  const want: string[] = [];
  for (const range of round) {
    const from = index.position(range.lo);
    const to = Math.max(from, index.position(range.hi));
    if ('ids' in range) {
      const mine = index.ids(from, to);
      const theirs = new Set(range.ids);
      const held = new Set(mine);
      for (const id of mine) if (!theirs.has(id)) push.push(id);
      for (const id of theirs) if (!held.has(id)) want.push(id);
    } else if (range.fp !== index.fingerprint(from, to)) {
      reply.push(...split(index, range.lo, range.hi, from, to));
    }
  }
  return { reply, push, want };
}

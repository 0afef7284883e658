import { pendingPair, type Contact, type DuplicatePair } from '@ihyid/shared';
import type { HeldRow } from '../../storage/records';
import type { ImportBatchView } from '../../storage/import-jobs';

/**
 * R8, #12: the import's duplicate pass over one batch, inside the batch's transaction. Each row is
 * compared with the contacts sharing a key (stored before the run, committed by it, or earlier in
 * the batch) and, when the job holds duplicates, with the rows it held so far. A row with a match is
 * then either imported and flagged as a pending pair, or held for review and not written to contacts.
 */

/** Pairs (or held candidates) recorded per row: enough to review, bounded for very common names. */
export const PAIRS_PER_ROW = 5;

type Candidates = HeldRow['candidates'];

/**
 * What this runner knows of the index. `stored`: the hashes read from it, at the start or after
 * another writer changed the table. `mine`: the hashes of the contacts this runner has committed
 * since, with their ids, so that a duplicate within the import costs no IndexedDB lookup (the
 * common case: 58,000 lookups for 100,000 rows). `stamp`: what the contacts table looked like when
 * both were last right, as `contactsStamp` reads it. `held`: each key of the rows this job held,
 * with the contacts those rows matched; `heldCount` the job's `held` when it was last right.
 */
export interface KnownKeys {
  stored: Set<number>;
  mine: Map<number, string | string[]>;
  stamp: string | null;
  held: Map<string, Candidates>;
  heldCount: number | null;
}

export const unknownKeys = (): KnownKeys => ({ stored: new Set(), mine: new Map(), stamp: null, held: new Map(), heldCount: null });

/**
 * Inside the batch's transaction: re-reads the index when anything but this runner wrote a contact
 * since it was read, so a key another writer stored is never taken for a new one (what this runner
 * wrote is then in `stored` too, and `mine` starts afresh); and re-reads the job's held rows when
 * another runner of the same job held some meanwhile (`heldCount`, the job's count as stored now).
 */
export async function ensureKnown(view: ImportBatchView, known: KnownKeys, jobId: string, heldCount: number): Promise<void> {
  const stamp = await view.stamp();
  if (stamp !== known.stamp) {
    known.stored = await view.indexedKeyHashes();
    known.mine = new Map();
    known.stamp = stamp;
  }
  if (heldCount !== known.heldCount) {
    known.held = new Map();
    for (const row of await view.heldRows(jobId)) addHeld(known.held, row.contact.matchKeys ?? [], row.candidates);
    known.heldCount = heldCount;
  }
}

function addHeld(held: Map<string, Candidates>, keys: readonly string[], candidates: Candidates): void {
  for (const k of keys) if (!held.has(k)) held.set(k, candidates);
}

function addOwner(mine: KnownKeys['mine'], hash: number, id: string): void {
  const owners = mine.get(hash);
  if (owners === undefined) mine.set(hash, id);
  else if (typeof owners === 'string') mine.set(hash, [owners, id]);
  else owners.push(id);
}

/** What the pass decided for a batch. `imported` and `hashes` line up; `held` keeps the rows' indexes in the batch. */
export interface Classified {
  imported: Contact[];
  hashes: number[][];
  pairs: DuplicatePair[];
  flagged: number;
  held: { index: number; contact: Contact; candidates: Candidates }[];
}

/**
 * Candidates for each contact from the stored contacts sharing a key (from `known.mine`, and from
 * the contacts' terms for the hashes `known.stored` holds), by the keys' keyed hashes alone: no stored
 * contact is read. Two keys meet on one 53-bit keyed hash about once in 10^16 pairs, and what that would
 * cost is one pair (or held row) for a caseworker to dismiss, the trade `idsWithMatchKeys` makes too.
 * Then from earlier rows of the batch and, with `hold`, from the rows held so far. Nothing in `known`
 * changes here: see `remember`, once the batch is committed.
 */
export async function classify(view: ImportBatchView, known: KnownKeys, contacts: readonly Contact[], hold: boolean, jobId: string, at: Date): Promise<Classified> {
  const lookups = new Set<number>();
  const ownersOf = new Map<number, Set<string>>();
  const own = (hash: number, id: string) => {
    const set = ownersOf.get(hash);
    if (set) set.add(id);
    else ownersOf.set(hash, new Set([id]));
  };
  // Each key of the batch is hashed once: here, and the same list goes to `known.mine` after commit.
  const hashes = contacts.map((c) => (c.matchKeys ?? []).map(view.keyHash));
  const hashOf = new Map<string, number>();
  contacts.forEach((c, i) => (c.matchKeys ?? []).forEach((k, j) => hashOf.set(k, hashes[i]![j]!)));
  for (const h of hashOf.values()) {
    const owners = known.mine.get(h);
    if (owners !== undefined) for (const id of typeof owners === 'string' ? [owners] : owners) own(h, id);
    if (known.stored.has(h)) lookups.add(h);
  }
  // The hashes stored before this run, looked up at once in the terms (term-index.ts).
  const asked = [...lookups];
  (await view.idsWithKeyHashes(asked)).forEach((ids, i) => {
    for (const id of ids) own(asked[i]!, id);
  });
  const idsByKey = new Map<string, string[]>();
  const add = (key: string, id: string) => {
    const list = idsByKey.get(key);
    if (list) list.push(id);
    else idsByKey.set(key, [id]);
  };
  for (const [k, h] of hashOf) for (const id of ownersOf.get(h) ?? []) add(k, id);
  // Rows held in this batch, seen by its later rows (on top of `known.held`, not in it until commit).
  const heldHere = new Map<string, Candidates>();
  const out: Classified = { imported: [], hashes: [], pairs: [], flagged: 0, held: [] };
  contacts.forEach((c, index) => {
    const shared = new Map<string, string[]>();
    const share = (id: string, key: string) => {
      const list = shared.get(id);
      if (!list) shared.set(id, [key]);
      else if (!list.includes(key)) list.push(key);
    };
    for (const k of c.matchKeys ?? []) {
      for (const other of idsByKey.get(k) ?? []) share(other, k);
      // A row like a held row is held with that row's contacts: the key it shares is the reason.
      if (hold) for (const cand of heldHere.get(k) ?? known.held.get(k) ?? []) share(cand.id, k);
    }
    // Most shared keys first, then by id: the same candidates whichever order the lookups came back in (a resumed run).
    const ranked = [...shared].sort((x, y) => y[1].length - x[1].length || (x[0] < y[0] ? -1 : 1)).slice(0, PAIRS_PER_ROW);
    if (hold && ranked.length > 0) {
      const candidates = ranked.map(([id, keys]) => ({ id, keys }));
      out.held.push({ index, contact: c, candidates });
      addHeld(heldHere, c.matchKeys ?? [], candidates);
      return;
    }
    if (ranked.length > 0) out.flagged++;
    for (const [other, keys] of ranked) out.pairs.push(pendingPair({ a: c.id, b: other, keys, foundBy: jobId, at }));
    for (const k of c.matchKeys ?? []) add(k, c.id);
    out.imported.push(c);
    out.hashes.push(hashes[index]!);
  });
  return out;
}

/** Once the batch is committed: its contacts' keys count as stored by this runner, its held rows' keys as held. */
export function remember(known: KnownKeys, done: Classified, stamp: string, heldCount: number): void {
  done.imported.forEach((c, i) => {
    for (const h of done.hashes[i]!) addOwner(known.mine, h, c.id);
  });
  for (const h of done.held) addHeld(known.held, h.contact.matchKeys ?? [], h.candidates);
  known.stamp = stamp;
  known.heldCount = heldCount;
}

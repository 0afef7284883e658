import type { Contact, ContactId } from '@ihyid/shared';
import type { DuplicatePair, IhyidDb } from './db';
import { keyHashes } from './key-hashes';

/**
 * R8: likely duplicates through the match-key index, and the caseworker's decisions about them.
 * Every lookup goes through an index (`*keyHashes`, `phoneticIdV0`, the pair id); nothing scans.
 */

/** The id of an unordered pair: the same whichever contact comes first. */
export function pairId(x: string, y: string): string {
  return x < y ? `${x}|${y}` : `${y}|${x}`;
}

export interface Candidate {
  contact: Contact;
  /** The match keys the two share. */
  keys: string[];
  /** The seed's phonetic id (R6) is the same as well. */
  samePhoneticId: boolean;
}

const newestFirst = (a: Contact, b: Contact): number => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0);

/**
 * Other contacts sharing a match key, most shared keys first. The seed phonetic id (R6) only adds
 * to the explanation: on its own it would flag twins such as Hassan and Hussein (both H250), which
 * the match keys keep apart. When the record already exists (`selfId`), pairs already decided are
 * left out: a decision is never asked again (R8).
 */
export async function findCandidates(
  db: IhyidDb,
  keys: readonly string[],
  phoneticIdV0: string | null,
  selfId?: string,
): Promise<Candidate[]> {
  const hashes = keyHashes(keys);
  const byKeys = hashes.length > 0 ? await db.contacts.where('keyHashes').anyOf(hashes).distinct().toArray() : [];
  const wanted = new Set(keys);
  const found = new Map<string, Contact>();
  // A hash hit is only a candidate: the records must share a real key (key-hashes.ts).
  for (const c of byKeys) if (c.id !== selfId && (c.matchKeys ?? []).some((k) => wanted.has(k))) found.set(c.id, c);
  let contacts = [...found.values()];
  if (selfId !== undefined && contacts.length > 0) {
    const decided = await db.pairs.bulkGet(contacts.map((c) => pairId(selfId, c.id)));
    contacts = contacts.filter((_, i) => decided[i] === undefined || decided[i]!.status === 'pending');
  }
  return contacts
    .map((contact) => ({
      contact,
      keys: (contact.matchKeys ?? []).filter((k) => wanted.has(k)),
      samePhoneticId: phoneticIdV0 !== null && contact.phoneticIdV0 === phoneticIdV0,
    }))
    .sort((x, y) => y.keys.length - x.keys.length || newestFirst(x.contact, y.contact));
}

export interface PairInput {
  a: string;
  b: string;
  keys: readonly string[];
  foundBy: string;
  at: Date;
}

/** A pending pair for review, unless that pair is already known (pending or decided). */
export function pendingPair(p: PairInput): DuplicatePair {
  const [a, b] = p.a < p.b ? [p.a, p.b] : [p.b, p.a];
  return { id: pairId(a, b), a, b, keys: [...p.keys], status: 'pending', foundAt: p.at.toISOString(), foundBy: p.foundBy };
}

/** Stores pending pairs, keeping any decision already made for the same pair. */
export async function addPendingPairs(db: IhyidDb, pairs: readonly DuplicatePair[]): Promise<void> {
  if (pairs.length === 0) return;
  const existing = await db.pairs.bulkGet(pairs.map((p) => p.id));
  const fresh = pairs.filter((_, i) => existing[i] === undefined);
  if (fresh.length > 0) await db.pairs.bulkPut(fresh);
}

export interface Decider {
  by: string;
  at: Date;
}

/** "Different people": remembered for this pair, never flagged again. */
export async function decideDifferent(db: IhyidDb, p: PairInput, who: Decider): Promise<void> {
  const pair = pendingPair(p);
  await db.pairs.put({ ...pair, status: 'different', decidedAt: who.at.toISOString(), decidedBy: who.by });
}

/**
 * "Same person": `keepId` stays, `mergeId` leaves the contact list and is kept whole in `merged`,
 * so both histories survive. The kept record gains the other's keys, so later spellings of either
 * still find it; pending pairs of the merged record move to the kept one. One transaction.
 */
export async function mergeContacts(db: IhyidDb, keepId: string, mergeId: string, who: Decider): Promise<boolean> {
  return db.transaction('rw', [db.contacts, db.merged, db.pairs], async () => {
    const [keep, gone] = await db.contacts.bulkGet([keepId, mergeId] as ContactId[]);
    if (!keep || !gone) return false;
    const at = who.at.toISOString();
    const keys = [...new Set([...(keep.matchKeys ?? []), ...(gone.matchKeys ?? [])])];
    await db.contacts.put({ ...keep, matchKeys: keys, updatedAt: at });
    await db.merged.put({ id: gone.id, intoId: keep.id, mergedAt: at, mergedBy: who.by, record: gone });
    await db.contacts.delete(gone.id);
    const id = pairId(keepId, mergeId);
    const before = await db.pairs.get(id);
    const [a, b] = keepId < mergeId ? [keepId, mergeId] : [mergeId, keepId];
    await db.pairs.put({
      id,
      a,
      b,
      keys: before?.keys ?? [],
      status: 'same',
      foundAt: before?.foundAt ?? at,
      foundBy: before?.foundBy ?? 'save',
      decidedAt: at,
      decidedBy: who.by,
      keptId: keepId,
    });
    const open = [...(await db.pairs.where('a').equals(mergeId).toArray()), ...(await db.pairs.where('b').equals(mergeId).toArray())];
    for (const p of open) {
      if (p.status !== 'pending') continue;
      await db.pairs.delete(p.id);
      const other = p.a === mergeId ? p.b : p.a;
      if (other === keepId) continue;
      const moved = pendingPair({ a: keepId, b: other, keys: p.keys, foundBy: p.foundBy, at: new Date(p.foundAt) });
      if (!(await db.pairs.get(moved.id))) await db.pairs.put(moved);
    }
    return true;
  });
}

/** Pending pairs for the review screen, oldest first, through the status index. */
export async function pendingPairs(db: IhyidDb, limit: number): Promise<DuplicatePair[]> {
  return db.pairs.where('status').equals('pending').limit(limit).toArray();
}

export async function countPending(db: IhyidDb): Promise<number> {
  return db.pairs.where('status').equals('pending').count();
}

import { pairId, pendingPair, type Contact, type ContactStore, type Decider, type DuplicatePair, type PairInput } from '@ihyid/shared';

/**
 * R8: likely duplicates through the store's match-key index, and the caseworker's decisions about
 * them. Every lookup goes through an index (the store's `withMatchKeys`, the pair id); nothing scans.
 */

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
  store: ContactStore,
  keys: readonly string[],
  phoneticIdV0: string | null,
  selfId?: string,
): Promise<Candidate[]> {
  const wanted = new Set(keys);
  let contacts = (await store.withMatchKeys(keys)).filter((c) => c.id !== selfId);
  if (selfId !== undefined && contacts.length > 0) {
    const decided = await store.pairs(contacts.map((c) => pairId(selfId, c.id)));
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

/** "Different people": remembered for this pair, never flagged again. */
export async function decideDifferent(store: ContactStore, p: PairInput, who: Decider): Promise<void> {
  const pair = pendingPair(p);
  await store.putPair({ ...pair, status: 'different', decidedAt: who.at.toISOString(), decidedBy: who.by });
}

/**
 * X4, R8: contacts that arrived from another device of the organisation are checked against this
 * device's contacts as a save would check them, so the same person registered on two phones is
 * flagged on every device with the same "why" (the shared match keys). Returns the pairs flagged.
 */
export async function flagReceived(store: ContactStore, ids: readonly string[], at: Date): Promise<number> {
  const pairs: DuplicatePair[] = [];
  for (const contact of await store.getMany(ids)) {
    if (!contact) continue;
    for (const c of await findCandidates(store, contact.matchKeys ?? [], contact.phoneticIdV0, contact.id)) {
      pairs.push(pendingPair({ a: contact.id, b: c.contact.id, keys: c.keys, foundBy: 'sync', at }));
    }
  }
  await store.addPendingPairs(pairs);
  return pairs.length;
}

import { BLOCK_CAP, contactBlockingTerms, DEFAULT_SCORE_PARAMETERS, pairId, pendingPair, scorePair, type Contact, type ContactStore, type Decider, type DuplicatePair, type MergedContact, type PairInput, type PairScore } from '@ihyid/shared';
import { timed } from './sync-timing';

/**
 * R8: likely duplicates through the store's match-key index (and, scored, its blocking-term index),
 * and the caseworker's decisions about them. Every lookup goes through an index (the store's `withMatchKeys`, the pair id); nothing scans.
 */

export interface Candidate {
  contact: Contact;
  /** The match keys the two share. */
  keys: string[];
  /** The seed's phonetic id (R6) is the same as well. */
  samePhoneticId: boolean;
  /** Found by a blocking term only (no shared key, #15): the local scorer's verdict, likely or possible. */
  score?: PairScore;
}

/**
 * R8, #15 item 2: the broader search beside the match keys: the record's blocking terms
 * (`contactBlockingTerms`, from the domain worker) and the local scorer over the contacts they find
 * (in the domain worker, R9), which alone decides whether such a contact is shown.
 */
export interface BlockingLookup {
  terms: readonly string[];
  /** The scorer's verdict on the record against each contact, in order. */
  score(contacts: readonly Contact[]): Promise<readonly PairScore[]>;
}

const newestFirst = (a: Contact, b: Contact): number => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0);

/**
 * Other contacts sharing a match key, most shared keys first; then, with `blocking`, those sharing
 * only a blocking term whom the scorer finds likely or possible, likeliest first. The seed phonetic id (R6) only adds
 * to the explanation: on its own it would flag twins such as Hassan and Hussein (both H250), which
 * the match keys keep apart. When the record already exists (`selfId`), pairs already decided are
 * left out: a decision is never asked again (R8).
 */
export async function findCandidates(
  store: ContactStore,
  keys: readonly string[],
  phoneticIdV0: string | null,
  selfId?: string,
  blocking?: BlockingLookup,
): Promise<Candidate[]> {
  const wanted = new Set(keys);
  const samePhoneticId = (c: Contact) => phoneticIdV0 !== null && c.phoneticIdV0 === phoneticIdV0;
  const sharingKeys = (await store.withMatchKeys(keys)).filter((c) => c.id !== selfId);
  const contacts = await undecided(store, sharingKeys, selfId);
  const byKeys = contacts
    .map((contact) => ({ contact, keys: (contact.matchKeys ?? []).filter((k) => wanted.has(k)), samePhoneticId: samePhoneticId(contact) }))
    .sort((x, y) => y.keys.length - x.keys.length || newestFirst(x.contact, y.contact));
  if (!blocking || blocking.terms.length === 0) return byKeys;
  // A pair sharing a key is shown as before; one found by a blocking term only, if the scorer says likely or possible.
  // Every contact the keys found, decided or not, is settled above: the blocking terms need not fetch or look it up again.
  const known = new Set([selfId, ...sharingKeys.map((c) => c.id)]);
  const blocked = await undecided(store, (await store.withBlockingTerms(blocking.terms, BLOCK_CAP)).filter((c) => !known.has(c.id)), selfId);
  if (blocked.length === 0) return byKeys;
  const scores = await blocking.score(blocked);
  const byScore = blocked
    .map((contact, i) => ({ contact, keys: [], samePhoneticId: samePhoneticId(contact), score: scores[i]! }))
    .filter((c) => c.score.decision !== 'none')
    .sort((x, y) => y.score.probability - x.score.probability || newestFirst(x.contact, y.contact));
  return [...byKeys, ...byScore];
}

/** When the record already exists (`selfId`), the contacts whose pair with it is not decided (R8). */
async function undecided(store: ContactStore, contacts: Contact[], selfId: string | undefined): Promise<Contact[]> {
  if (selfId === undefined || contacts.length === 0) return contacts;
  const decided = await store.pairs(contacts.map((c) => pairId(selfId, c.id)));
  return contacts.filter((_, i) => decided[i] === undefined || decided[i]!.status === 'pending');
}

/** "Different people": remembered for this pair, never flagged again. */
export async function decideDifferent(store: ContactStore, p: PairInput, who: Decider): Promise<void> {
  const pair = pendingPair(p);
  await store.putPair({ ...pair, status: 'different', decidedAt: who.at.toISOString(), decidedBy: who.by });
}

/** Received contacts whose keys are looked up in the index at once, and held contacts read at once. */
const FLAG_BATCH = 500;

/**
 * X4, R8: contacts that arrived from another device of the organisation in one sync (with their match
 * keys, `SyncSession.received`) are checked as a save would check them, so the same person registered
 * on two phones is flagged on every device with the same "why" (the shared match keys). Returns the
 * pairs flagged.
 *
 * Pairs by shared keys read no contact: pairs among the received contacts come from their keys in
 * memory, and pairs with this device's other contacts from the `*keyHashes` index read by its keys
 * (`idsWithMatchKeys`): `flagByKeys`. A sync of at most `SCORED_RECEIVED_MAX` contacts then also reads
 * them and looks for pairs through the blocking terms and the scorer (`flagScored`).
 * The sender may have flagged the first kind already (its pairs replicate), but nothing here relies on
 * it: a sender's check can be missed (a page closed before it ran, a save that raced a sync).
 */
export async function flagReceived(store: ContactStore, received: ReadonlyMap<string, readonly string[]>, at: Date): Promise<number> {
  return (await flagByKeys(store, received, at)) + (await flagScored(store, received, at));
}

/** The keys' pass of `flagReceived` alone: index reads only, no contact read. */
export async function flagByKeys(store: ContactStore, received: ReadonlyMap<string, readonly string[]>, at: Date): Promise<number> {
  if (received.size === 0) return 0;
  // pair id → the pair and the keys its two contacts share.
  const shared = new Map<string, { a: string; b: string; keys: Set<string> }>();
  const meet = (a: string, b: string, key: string) => {
    const id = pairId(a, b);
    const entry = shared.get(id) ?? { a, b, keys: new Set<string>() };
    entry.keys.add(key);
    shared.set(id, entry);
  };
  const holders = new Map<string, string[]>();
  for (const [id, keys] of received) for (const key of new Set(keys)) holders.set(key, [...(holders.get(key) ?? []), id]);
  for (const [key, ids] of holders) for (let x = 0; x < ids.length; x++) for (let y = x + 1; y < ids.length; y++) meet(ids[x]!, ids[y]!, key);
  // This device's other contacts, when the sync brought many: whichever side is smaller is read.
  const others = received.size > FLAG_BATCH ? (await timed('flag-ids', () => store.ids())).filter((id) => !received.has(id)) : null;
  if (others !== null && others.length < received.size) {
    // Few held besides what arrived (a first sync holds none): their keys, read, against the received keys in memory.
    for (let i = 0; i < others.length; i += FLAG_BATCH) {
      for (const other of await timed('flag-others', () => store.getMany(others.slice(i, i + FLAG_BATCH)))) {
        if (!other) continue;
        for (const key of new Set(other.matchKeys ?? [])) for (const id of holders.get(key) ?? []) meet(id, other.id, key);
      }
    }
  } else {
    const ids = [...received.keys()];
    for (let i = 0; i < ids.length; i += FLAG_BATCH) {
      const batch = ids.slice(i, i + FLAG_BATCH);
      const wanted = new Set(batch.flatMap((id) => received.get(id)!));
      if (wanted.size === 0) continue;
      for (const [other, keys] of await timed('flag-index', () => store.idsWithMatchKeys([...wanted]))) {
        if (received.has(other)) continue; // met above, from the keys in memory
        for (const key of keys) for (const id of holders.get(key) ?? []) meet(id, other, key);
      }
    }
  }
  const found = new Map<string, DuplicatePair>();
  for (const { a, b, keys } of shared.values()) {
    const pair = pendingPair({ a, b, keys: [...keys], foundBy: 'sync', at });
    found.set(pair.id, pair);
  }
  // A pair decided before (R8) is never flagged again; addPendingPairs keeps it as it is.
  const known = await timed('flag-known', () => store.pairs([...found.keys()]));
  const fresh = [...found.values()].filter((_, i) => known[i] === undefined);
  await timed('flag-add', () => store.addPendingPairs(fresh));
  return fresh.length;
}

/**
 * A sync that brought at most this many contacts (a caseworker's days offline) also looks for the
 * pairs no match key finds, as a save does (#15 item 2, #16 item 4). A larger one (a first sync of a
 * whole caseload) is flagged by its keys alone, like an import: a blocking-term lookup, a read and a
 * score for each of 100,000 contacts would cost more than the rest of the sync.
 */
export const SCORED_RECEIVED_MAX = 500;

/**
 * R8 after a sync, the blocking-term pass of `flagReceived` (run after the keys' pass, whose pairs are
 * then stored): each received contact against the contacts sharing a blocking term with it (its
 * aliases' too). Only pairs not stored yet are scored, and those the local scorer finds likely or
 * possible are flagged as the warning on save shows them: with no key (the review says no key is
 * shared, and shows the scorer's evidence). A few contacts' lookups run at once, so one's index reads
 * overlap another's work.
 */
export async function flagScored(store: ContactStore, received: ReadonlyMap<string, readonly string[]>, at: Date): Promise<number> {
  if (received.size === 0 || received.size > SCORED_RECEIVED_MAX) return 0;
  return timed('flag-scored', async () => {
    const candidates = new Map<string, [Contact, Contact]>();
    const against = async (contact: Contact) => {
      for (const other of await store.withBlockingTerms(contactBlockingTerms(contact), BLOCK_CAP)) {
        if (other.id !== contact.id) candidates.set(pairId(contact.id, other.id), [contact, other]);
      }
    };
    const ids = [...received.keys()];
    for (let i = 0; i < ids.length; i += FLAG_BATCH) {
      const contacts = (await store.getMany(ids.slice(i, i + FLAG_BATCH))).filter((c): c is Contact => c !== undefined);
      for (let k = 0; k < contacts.length; k += SCORED_AT_ONCE) await Promise.all(contacts.slice(k, k + SCORED_AT_ONCE).map(against));
    }
    const pairIds = [...candidates.keys()];
    const known = await store.pairs(pairIds);
    const fresh = pairIds.flatMap((id, i) => {
      if (known[i] !== undefined) return [];
      const [a, b] = candidates.get(id)!;
      return scorePair(a, b, DEFAULT_SCORE_PARAMETERS).decision === 'none' ? [] : [pendingPair({ a: a.id, b: b.id, keys: [], foundBy: 'sync', at })];
    });
    await store.addPendingPairs(fresh);
    return fresh.length;
  });
}

/** Received contacts whose blocking-term lookups run at once (`flagScored`). */
const SCORED_AT_ONCE = 8;

/** How deep a chain of merges (A into B, B into C) the history follows; far beyond any real chain. */
const HISTORY_DEPTH = 8;

/**
 * R8: every record merged into this contact, also through records merged into those (A merged into
 * B, then B into C: C's history holds both), oldest merge first. One index read per level.
 */
export async function mergeHistory(store: ContactStore, id: string): Promise<MergedContact[]> {
  const found: MergedContact[] = [];
  const seen = new Set([id]);
  let level = [id];
  for (let depth = 0; depth < HISTORY_DEPTH && level.length > 0; depth++) {
    const rows = (await Promise.all(level.map((into) => store.mergedInto(into)))).flat().filter((m) => !seen.has(m.id));
    for (const m of rows) seen.add(m.id);
    found.push(...rows);
    level = rows.map((m) => m.id);
  }
  return found.sort((a, b) => (a.mergedAt < b.mergedAt ? -1 : a.mergedAt > b.mergedAt ? 1 : 0));
}

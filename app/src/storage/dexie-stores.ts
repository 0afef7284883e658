import {
  contactBlockingTerms,
  ContactStoreError,
  err,
  matchesNameQuery,
  ok,
  pairId,
  planMerge,
  queryTerms,
  queryWords,
  type Contact,
  type ContactId,
  type ContactStore,
  type Decider,
  type DuplicatePair,
  type MergeChoices,
  type MergedContact,
  type Result,
} from '@ihyid/shared';
import type { IhyidDb, StoredContact } from './db';
import { keyHashes } from './key-hashes';

const newestFirst = (a: Contact, b: Contact): number => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0);

/** A row stored before v15 may still carry its old index fields (`keyHashes`, `nameTerms`, `blockTerms`, `importTerms`); callers get the domain record only. */
function domain(c: StoredContact | undefined): Contact | undefined {
  if (!c) return undefined;
  const { keyHashes: _hashes, nameTerms: _terms, blockTerms: _blocks, importTerms: _imports, ...contact } = c;
  return contact;
}

/**
 * The Dexie ContactStore (R1, R3, R8): the only code that touches the contacts, pairs and merged
 * tables. Every write is one transaction; every read on the duplicate path goes through an index,
 * never a full scan (R8).
 */
export class DexieContactStore implements ContactStore {
  constructor(private readonly db: IhyidDb) {}

  async add(contacts: readonly Contact[]): Promise<void> {
    await this.db.transaction('rw', this.db.contacts, () => this.db.contacts.bulkAdd(contacts as Contact[]));
  }

  async update(id: string, change: (existing: Contact) => Contact): Promise<Result<Contact, ContactStoreError>> {
    const { db } = this;
    return db.transaction('rw', db.contacts, async () => {
      const existing = domain(await db.contacts.get(id as ContactId));
      if (!existing) return err(ContactStoreError.NotFound);
      const updated = change(existing);
      await db.contacts.put(updated);
      return ok(updated);
    });
  }

  async get(id: string): Promise<Contact | undefined> {
    return domain(await this.db.contacts.get(id as ContactId));
  }

  async getMany(ids: readonly string[]): Promise<(Contact | undefined)[]> {
    return (await this.db.contacts.bulkGet(ids as ContactId[])).map(domain);
  }

  count(): Promise<number> {
    return this.db.contacts.count();
  }

  ids(): Promise<string[]> {
    return this.db.contacts.toCollection().primaryKeys();
  }

  async recent(limit: number): Promise<Contact[]> {
    return (await this.db.contacts.orderBy('updatedAt').reverse().limit(limit).toArray()).map((c) => domain(c)!);
  }

  /**
   * X8: the query word with the fewest candidates among the name terms (its hashed terms,
   * `queryTerms`, term-index.ts) gives the candidates; `matchesNameQuery` keeps those every word matches.
   */
  async search(query: string, limit: number): Promise<Contact[]> {
    const words = queryWords(query);
    if (words.length === 0) return this.recent(limit);
    const idSets = await Promise.all(words.map(async (w) => new Set((await this.db.termIndex.holders('name', keyHashes(queryTerms(w), this.db.termHash))).flat())));
    const fewest = idSets.reduce((a, b) => (b.size < a.size ? b : a));
    const ids = [...fewest].filter((id) => idSets.every((set) => set.has(id)));
    const found = await this.db.contacts.bulkGet(ids as ContactId[]);
    return found.flatMap((c) => (c && matchesNameQuery(c, query) ? [domain(c)!] : [])).sort(newestFirst).slice(0, limit);
  }

  /** Through the match-key terms (term-index.ts); a hash hit counts only if the records share a real key (key-hashes.ts). */
  async withMatchKeys(keys: readonly string[]): Promise<Contact[]> {
    const hashes = keyHashes(keys, this.db.termHash);
    if (hashes.length === 0) return [];
    const wanted = new Set(keys);
    const ids = [...new Set((await this.holdersOf(hashes)).flat())];
    const hits = (await this.db.contacts.bulkGet(ids as ContactId[])).flatMap((c) => (c ? [c] : []));
    return hits.filter((c) => (c.matchKeys ?? []).some((k) => wanted.has(k))).map((c) => domain(c)!);
  }

  /** The ids of the contacts holding each match-key hash, from the terms alone. */
  private holdersOf(hashes: readonly number[]): Promise<string[][]> {
    return this.db.termIndex.holders('key', hashes);
  }

  /**
   * The match-key terms read by their hashes only (no record is read or opened). A hit
   * is not confirmed on the record, unlike `withMatchKeys`: two keys meet on one 53-bit keyed hash
   * about once in 10^15 pairs, and what it would cost is one pending pair for a caseworker to dismiss.
   */
  async idsWithMatchKeys(keys: readonly string[]): Promise<Map<string, string[]>> {
    const byHash = new Map<number, string[]>();
    for (const key of new Set(keys)) {
      const hash = this.db.termHash(key);
      byHash.set(hash, [...(byHash.get(hash) ?? []), key]);
    }
    const found = new Map<string, string[]>();
    if (byHash.size === 0) return found;
    const hashes = [...byHash.keys()];
    (await this.holdersOf(hashes)).forEach((ids, i) => {
      for (const id of ids) found.set(id, [...(found.get(id) ?? []), ...byHash.get(hashes[i]!)!]);
    });
    return found;
  }

  /**
   * Through the blocking terms (a record has about six): a term more than `cap` contacts share is
   * left out, and a hash hit counts only if the records share the real term.
   */
  async withBlockingTerms(terms: readonly string[], cap: number): Promise<Contact[]> {
    const idSets = await this.db.termIndex.holders('block', terms.map(this.db.termHash));
    const ids = [...new Set(idSets.filter((s) => s.length <= cap).flat())];
    if (ids.length === 0) return [];
    const wanted = new Set(terms);
    const hits = (await this.db.contacts.bulkGet(ids as ContactId[])).flatMap((c) => (c ? [domain(c)!] : []));
    return hits.filter((c) => contactBlockingTerms(c).some((t) => wanted.has(t)));
  }

  async page(after: string | null, limit: number, upTo?: string): Promise<Contact[]> {
    const { contacts } = this.db;
    const ids = contacts.where(':id');
    const range = upTo === undefined ? (after === null ? contacts.orderBy(':id') : ids.above(after)) : after === null ? ids.belowOrEqual(upTo) : ids.between(after, upTo, false, true);
    const rows = await range.limit(limit).toArray();
    return rows.map((c) => domain(c)!);
  }

  pairs(ids: readonly string[]): Promise<(DuplicatePair | undefined)[]> {
    return this.db.pairs.bulkGet(ids as string[]);
  }

  async addPendingPairs(pairs: readonly DuplicatePair[]): Promise<void> {
    if (pairs.length === 0) return;
    const { db } = this;
    await db.transaction('rw', db.pairs, async () => {
      const existing = await db.pairs.bulkGet(pairs.map((p) => p.id));
      const fresh = pairs.filter((_, i) => existing[i] === undefined);
      if (fresh.length > 0) await db.pairs.bulkPut(fresh);
    });
  }

  async putPair(pair: DuplicatePair): Promise<void> {
    await this.db.pairs.put(pair);
  }

  async merge(keepId: string, mergeId: string, who: Decider, choices?: MergeChoices): Promise<boolean> {
    const { db } = this;
    return db.transaction('rw', [db.contacts, db.merged, db.pairs], async () => {
      const [keep, gone] = (await db.contacts.bulkGet([keepId, mergeId] as ContactId[])).map(domain);
      if (!keep || !gone) return false;
      const [before, asA, asB] = await Promise.all([
        db.pairs.get(pairId(keepId, mergeId)),
        db.pairs.where('a').equals(mergeId).toArray(),
        db.pairs.where('b').equals(mergeId).toArray(),
      ]);
      const touching = [...asA, ...asB];
      const candidates = touching.map((p) => pairId(keepId, p.a === mergeId ? p.b : p.a));
      const stored = new Set((await db.pairs.bulkGet(candidates)).flatMap((p) => (p ? [p.id] : [])));
      const plan = planMerge(keep, gone, before, touching, (id) => stored.has(id), who, choices);
      await db.contacts.put(plan.kept);
      await db.merged.put(plan.merged);
      await db.contacts.delete(gone.id);
      await db.pairs.bulkDelete(plan.deletePairs);
      await db.pairs.bulkPut(plan.putPairs);
      return true;
    });
  }

  pendingPairs(limit: number): Promise<DuplicatePair[]> {
    return this.db.pairs.where('status').equals('pending').limit(limit).toArray();
  }

  countPending(): Promise<number> {
    return this.db.pairs.where('status').equals('pending').count();
  }

  allPairs(): Promise<DuplicatePair[]> {
    return this.db.pairs.orderBy('foundAt').toArray();
  }

  mergedRecords(ids: readonly string[]): Promise<(MergedContact | undefined)[]> {
    return this.db.merged.bulkGet(ids as string[]);
  }

  async mergedInto(id: string): Promise<MergedContact[]> {
    const rows = await this.db.merged.where('intoId').equals(id).toArray();
    return rows.sort((a, b) => (a.mergedAt < b.mergedAt ? -1 : a.mergedAt > b.mergedAt ? 1 : 0));
  }
}

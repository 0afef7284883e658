import type { Contact, ContactStore, ContactStoreError, Decider, MergeChoices, Result } from '@ihyid/shared';
import type { IhyidDb } from './db';
import { syncTables } from './db';
import type { DexieSyncStore } from './sync-store';

/**
 * X4: the ContactStore of a device that syncs. Every write of the inner store and the record
 * versions it makes go in one transaction (Dexie runs the inner store's transaction inside this
 * one), so a contact is never saved without its version, nor a version without its contact.
 * Reads go straight to the inner store: the contacts table is the versions' materialised view.
 */
export class SyncedContactStore implements ContactStore {
  constructor(
    private readonly db: IhyidDb,
    private readonly inner: ContactStore,
    private readonly sync: DexieSyncStore,
  ) {}

  private tables() {
    return [...syncTables(this.db), this.db.merged, this.db.pairs];
  }

  async add(contacts: readonly Contact[]): Promise<void> {
    await this.db.transaction('rw', this.tables(), async () => {
      await this.inner.add(contacts);
      await this.sync.recordLocal(contacts);
    });
  }

  update(id: string, change: (existing: Contact) => Contact): Promise<Result<Contact, ContactStoreError>> {
    return this.db.transaction('rw', this.tables(), async () => {
      const result = await this.inner.update(id, change);
      if (result.ok) await this.sync.recordLocal([result.value]);
      return result;
    });
  }

  /** R5 across devices (merge.ts `mergeRecords`): a new version of the kept contact and a tombstone saying where the other went. */
  merge(keepId: string, mergeId: string, who: Decider, choices?: MergeChoices): Promise<boolean> {
    return this.db.transaction('rw', this.tables(), async () => {
      if (!(await this.inner.merge(keepId, mergeId, who, choices))) return false;
      const kept = await this.inner.get(keepId);
      await this.sync.recordLocal(kept ? [kept] : [], [{ id: mergeId, mergedInto: keepId }]);
      return true;
    });
  }

  get = (id: string) => this.inner.get(id);
  getMany = (ids: readonly string[]) => this.inner.getMany(ids);
  count = () => this.inner.count();
  ids = () => this.inner.ids();
  recent = (limit: number) => this.inner.recent(limit);
  search = (query: string, limit: number) => this.inner.search(query, limit);
  withMatchKeys = (keys: readonly string[]) => this.inner.withMatchKeys(keys);
  idsWithMatchKeys = (keys: readonly string[]) => this.inner.idsWithMatchKeys(keys);
  withBlockingTerms = (terms: readonly string[], cap: number) => this.inner.withBlockingTerms(terms, cap);
  page = (after: string | null, limit: number, upTo?: string) => this.inner.page(after, limit, upTo);
  pairs = (ids: readonly string[]) => this.inner.pairs(ids);
  addPendingPairs = (pairs: Parameters<ContactStore['addPendingPairs']>[0]) => this.inner.addPendingPairs(pairs);
  putPair = (pair: Parameters<ContactStore['putPair']>[0]) => this.inner.putPair(pair);
  pendingPairs = (limit: number) => this.inner.pendingPairs(limit);
  countPending = () => this.inner.countPending();
  allPairs = () => this.inner.allPairs();
  mergedRecords = (ids: readonly string[]) => this.inner.mergedRecords(ids);
  mergedInto = (id: string) => this.inner.mergedInto(id);
}

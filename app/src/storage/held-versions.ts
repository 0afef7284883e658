import Dexie from 'dexie';
import { compareItems, type SyncItem, type VersionId } from '@ihyid/shared';
import type { IhyidDb, SyncVersionRow } from './db';

/**
 * X4: what a sync reads of the versions this device holds, kept in memory between syncs: every
 * version's (timestamp, id) for reconciliation (§6.2) and which records have one (for `adopt`).
 * Read from IndexedDB these are cursor scans over 100,000 index keys (seconds); a sync when little
 * changed should cost what changed, not what is held.
 *
 * Built by one scan, then kept up to date by this page's own writes, each added once its
 * transaction has committed (an aborted write adds nothing). Versions are a grow-only set, so the
 * number of rows tells whether anything else wrote (another tab, a restore that reloads anyway):
 * every read first counts the rows, and a count unlike what is held here rebuilds from a scan.
 * Whatever this holds is a snapshot: a sync reads its set once and leaves later versions to the next.
 */
export class HeldVersions {
  private list: SyncItem[] | null = null;
  private readonly ids = new Set<string>();
  private sorted = true;
  private records: Set<string> | null = null;
  private scanned = 0;

  constructor(private readonly db: IhyidDb) {}

  /**
   * Called inside the transaction that writes `rows`, before the write: they join what is held when
   * it commits. Outside a transaction nothing can say when they commit, so the next read scans again.
   */
  written(rows: readonly SyncVersionRow[]): void {
    const idb = Dexie.currentTransaction?.idbtrans;
    if (!idb) {
      this.forget();
      return;
    }
    idb.addEventListener('complete', () => this.add(rows), { once: true });
  }

  /** How many times the index was scanned (the first read, and whenever another writer was seen). */
  get scans(): number {
    return this.scanned;
  }

  /** Every held version's (timestamp, id), sorted. */
  async items(): Promise<readonly SyncItem[]> {
    const count = await this.db.syncVersions.count();
    if (this.list === null || this.list.length !== count) {
      this.forget();
      this.scanned++;
      const keys = (await this.db.syncVersions.orderBy('[ts+id]').keys()) as unknown as [number, VersionId][];
      const list = keys.map(([ts, id]) => ({ ts, id }));
      // Writes that committed during the scan and are not in it were dropped by `add` (list was null): the count tells next time.
      this.list = list;
      for (const { id } of list) this.ids.add(id);
      this.sorted = true;
    }
    if (!this.sorted) {
      // Mostly sorted already (new versions carry the newest stamps): the sort is close to one pass.
      this.list.sort(compareItems);
      this.sorted = true;
    }
    return this.list;
  }

  /** The records at least one held version names. */
  async versionedRecords(): Promise<ReadonlySet<string>> {
    await this.items();
    this.records ??= new Set((await this.db.syncVersions.orderBy('record').uniqueKeys()) as string[]);
    return this.records;
  }

  private add(rows: readonly SyncVersionRow[]): void {
    for (const row of rows) {
      this.records?.add(row.record);
      if (this.list === null || this.ids.has(row.id)) continue;
      const item = { ts: row.ts, id: row.id };
      const last = this.list[this.list.length - 1];
      if (last && compareItems(last, item) > 0) this.sorted = false;
      this.list.push(item);
      this.ids.add(row.id);
    }
  }

  private forget(): void {
    this.list = null;
    this.ids.clear();
    this.records = null;
  }
}

import Dexie, { RangeSet } from 'dexie';
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
  private scanning: Promise<void> | null = null;

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
    // Reads that find the count changed share one scan.
    if (this.list === null || this.list.length !== count) await (this.scanning ??= this.scan().finally(() => (this.scanning = null)));
    const list = this.list;
    if (list === null) return this.items(); // forgotten during the scan
    if (!this.sorted) {
      // Mostly sorted already (new versions carry the newest stamps): the sort is close to one pass.
      list.sort(compareItems);
      this.sorted = true;
    }
    return list;
  }

  private async scan(): Promise<void> {
    this.forget();
    this.scanned++;
    // Commits during the scan join `list` (add); the scan's own items follow, each once.
    const list: SyncItem[] = [];
    this.list = list;
    const keys = (await this.db.syncVersions.orderBy('[ts+id]').keys()) as unknown as [number, VersionId][];
    if (this.list !== list) return;
    for (const [ts, id] of keys) {
      if (this.ids.has(id)) continue;
      list.push({ ts, id });
      this.ids.add(id);
    }
    this.sorted = false;
  }

  /** The records at least one held version names. */
  async versionedRecords(): Promise<ReadonlySet<string>> {
    await this.items();
    if (this.records === null) {
      // Commits during the scan join `records` (add) as the scan's keys do.
      const records = new Set<string>();
      this.records = records;
      for (const record of (await this.db.syncVersions.orderBy('record').uniqueKeys()) as string[]) records.add(record);
    }
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

  /** Versions were removed (a revocation's purge, sync-store.ts): the next read scans again. */
  reset(): void {
    this.forget();
  }

  private forget(): void {
    this.list = null;
    this.ids.clear();
    this.records = null;
  }
}

/**
 * X4: which rows of `tables` were written since the last `take`, by primary key, from Dexie's
 * `storagemutated` (this page's commits and, through Dexie's broadcast, the workers' and other tabs').
 * `'all'` when a write cannot be told key by key (a range, a clear) and before anything was taken:
 * the caller then looks at every row. A row written after `take` is in the next one, so what a
 * caller misses now it sees at its next call, never later than that.
 */
export class ChangedRows {
  private changed = new Map<string, Set<string> | 'all'>();

  constructor(db: Dexie, tables: readonly string[]) {
    const prefix = `idb://${db.name}/`;
    for (const table of tables) this.changed.set(table, 'all');
    Dexie.on('storagemutated', (parts) => {
      for (const table of tables) {
        const tree = parts[`${prefix}${table}/`];
        const seen = this.changed.get(table)!;
        if (!tree || seen === 'all') continue;
        for (const { from, to } of RangeSet(tree)) {
          if (typeof from === 'string' && from === to) seen.add(from);
          else {
            this.changed.set(table, 'all');
            break;
          }
        }
      }
    });
  }

  /** The keys of `table` written since the last take (or 'all'); the next take starts empty. */
  take(table: string): ReadonlySet<string> | 'all' {
    const seen = this.changed.get(table)!;
    this.changed.set(table, new Set());
    return seen;
  }

  /** A caller that failed after `take` gives the table back whole. */
  restore(table: string): void {
    this.changed.set(table, 'all');
  }
}

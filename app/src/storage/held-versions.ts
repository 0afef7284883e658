import Dexie, { RangeSet } from 'dexie';
import { compareItems, ReconcileIndex, type SyncItem, type VersionId } from '@ihyid/shared';
import type { IhyidDb, SyncVersionRow } from './db';
import { firstNotBelow } from './index-lookup';

/**
 * X4: what a sync reads of the versions this device holds, kept in memory between syncs: every
 * version's (timestamp, id) for reconciliation (§6.2) and which records have one (for `adopt`).
 * Read from IndexedDB these are cursor scans over 100,000 index keys (seconds); a sync when little
 * changed should cost what changed, not what is held.
 *
 * Built by one scan, then kept up to date by this page's own writes, each added once its
 * transaction has committed (an aborted write adds nothing). Every other writer of the table is
 * another HeldVersions (another tab of the device) or a restore, and each says so on a
 * BroadcastChannel named by the database (`announceVersionsChanged`): what is held here is then
 * forgotten, and the next read scans again. Where a browser has no BroadcastChannel, every read counts
 * the rows instead (versions are a grow-only set: a count unlike what is held means another writer),
 * which costs a walk over the table in Chromium (0.7 s at 100,000 versions): the reason for the channel.
 * Whatever this holds is a snapshot: a sync reads its set once and leaves later versions to the next.
 *
 * A message arrives a while after the write it tells of, so a writer that wants to answer "is this
 * version held?" or "has this record a version?" from memory, instead of one IndexedDB request per
 * version, asks `current()` inside its transaction: every write of the versions puts a new random
 * stamp in `syncMeta` in the same transaction (`written`, `removed`), and what is held here is the
 * table as it stands exactly when the stamp read there is the one this page last wrote or scanned.
 */
export class HeldVersions {
  private list: SyncItem[] | null = null;
  /** Every held version's timestamp, by id. */
  private readonly ids = new Map<string, number>();
  /** The versions table's stamp when `list` was last the whole table (null: unknown). */
  private stamp: string | null = null;
  /** Per write transaction: whether what is held was the table as it stood when it began (`current`). */
  private readonly checks = new WeakMap<IDBTransaction, { done: Promise<boolean>; ok: boolean | null }>();
  private sorted = true;
  private records: Set<string> | null = null;
  private scanned = 0;
  private built = 0;
  private scanning: Promise<void> | null = null;
  /** The reconciliation index of `list`'s first items (§6.2), extended as versions join after them. */
  private indexed: ReconcileIndex | null = null;
  /** The greatest item `indexed` holds: a version that joins below it moves the items the index was built over. */
  private indexedLast: SyncItem | null = null;
  private readonly channel: BroadcastChannel | null;
  private readonly pending = new Set<{ readonly idb: IDBTransaction; readonly joined: Promise<void> }>();

  constructor(private readonly db: IhyidDb) {
    this.channel = versionsChannel(db.name);
    this.channel?.addEventListener('message', () => this.forget());
  }

  /**
   * Called inside the transaction that writes `rows`, before the write: they join what is held when
   * it commits, and the table gets a new stamp (the transaction's scope holds `syncMeta`). Outside a
   * transaction nothing can say when they commit, so the next read scans again.
   */
  written(rows: readonly SyncVersionRow[]): void {
    const idb = Dexie.currentTransaction?.idbtrans;
    if (!idb) {
      this.forget();
      return;
    }
    // Every writer stamps the table, or another page would trust a memory this write made stale.
    if (!idb.objectStoreNames.contains(META_TABLE)) throw new Error(`a write of the versions must hold ${META_TABLE}`);
    const check = this.check(idb);
    const stamp = newStamp();
    void this.db.syncMeta.put({ key: STAMP, stamp });
    // A read must not run between the commit and this listener: in a browser, the writer's code resumes
    // (Dexie resolves on the same event, first) and may read before the rows join. Reads wait for it.
    const joined = new Promise<void>((resolve) => {
      idb.addEventListener(
        'complete',
        () => {
          this.add(rows);
          // What is held stays the whole table only if it was when the transaction began.
          if (check.ok === true) this.stamp = stamp;
          else this.forget();
          this.channel?.postMessage('written');
          resolve();
        },
        { once: true },
      );
      idb.addEventListener('abort', () => resolve(), { once: true });
    });
    const entry = { idb, joined };
    this.pending.add(entry);
    void joined.then(() => this.pending.delete(entry));
  }

  /**
   * Inside a transaction that removes versions (a purge): the table gets a new stamp. The caller
   * `reset`s what is held once it committed.
   */
  removed(): void {
    if (!Dexie.currentTransaction?.idbtrans.objectStoreNames.contains(META_TABLE)) throw new Error(`a removal of versions must hold ${META_TABLE}`);
    void this.db.syncMeta.put({ key: STAMP, stamp: newStamp() });
  }

  /**
   * Inside a write transaction of the versions (its scope holds `syncMeta`): whether what is held here
   * is the table as it stands (no writer but this page since it was read) and its records are known
   * (`versionedRecords` was read), so that `has` and `hasRecord` answer for the table. One read per
   * transaction; false outside one.
   */
  current(): Promise<boolean> {
    const idb = Dexie.currentTransaction?.idbtrans;
    return idb ? this.check(idb).done.then((ok) => ok && this.records !== null) : Promise.resolve(false);
  }

  private check(idb: IDBTransaction): { done: Promise<boolean>; ok: boolean | null } {
    let check = this.checks.get(idb);
    if (!check) {
      const expected = this.list === null ? null : this.stamp;
      const entry: { done: Promise<boolean>; ok: boolean | null } = { done: Promise.resolve(false), ok: null };
      // Read before the transaction's own stamp is put (requests of one transaction run in order).
      entry.done = this.db.syncMeta.get(STAMP).then((row) => {
        entry.ok = expected !== null && row?.stamp === expected && this.stamp === expected;
        return entry.ok;
      });
      check = entry;
      this.checks.set(idb, check);
    }
    return check;
  }

  /** Whether a version is held (see `current`). */
  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Whether this record has a version (see `current`). */
  hasRecord(record: string): boolean {
    return this.records?.has(record) === true;
  }

  /**
   * For a read of these ids: the first and last of them in reconciliation order and how many held
   * versions lie between (inclusive), so a caller can read the range at once when they are most of it;
   * null when one is not held here. Sorts what is held first, as `items` does, when versions that sort
   * before the newest joined since (a sync's received ones usually do).
   */
  span(ids: readonly string[]): { from: SyncItem; to: SyncItem; within: number } | null {
    const list = this.list;
    if (list === null || ids.length === 0) return null;
    if (!this.sorted) {
      list.sort(compareItems);
      this.sorted = true;
    }
    let from: SyncItem | null = null;
    let to: SyncItem | null = null;
    for (const id of ids) {
      const ts = this.ids.get(id);
      if (ts === undefined) return null;
      const item = { ts, id: id as VersionId };
      if (from === null || compareItems(item, from) < 0) from = item;
      if (to === null || compareItems(item, to) > 0) to = item;
    }
    const below = (item: SyncItem) => firstNotBelow(list.length, (i) => compareItems(list[i]!, item) < 0);
    return { from: from!, to: to!, within: below(to!) - below(from!) + 1 };
  }

  /** This page's writes not yet joined (committed, or still writing), other than the current transaction's. */
  private async joinPending(): Promise<void> {
    const current = Dexie.currentTransaction?.idbtrans;
    const waits = [...this.pending].filter((entry) => entry.idb !== current).map((entry) => entry.joined);
    if (waits.length > 0) await Promise.all(waits);
  }

  /** How many times the reconciliation index was built whole (`index`), not extended. */
  get builds(): number {
    return this.built;
  }

  /** How many times the index was scanned (the first read, and whenever another writer was seen). */
  get scans(): number {
    return this.scanned;
  }

  /** Every held version's (timestamp, id), sorted. */
  async items(): Promise<readonly SyncItem[]> {
    await this.joinPending();
    const stale = this.list === null || (this.channel === null && this.list.length !== (await this.db.syncVersions.count()));
    // Reads that find it stale share one scan.
    if (stale) await (this.scanning ??= this.scan().finally(() => (this.scanning = null)));
    const list = this.list;
    if (list === null) return this.items(); // forgotten during the scan
    if (!this.sorted) {
      // Mostly sorted already (new versions carry the newest stamps): the sort is close to one pass.
      list.sort(compareItems);
      this.sorted = true;
    }
    return list;
  }

  /**
   * What `items` returns, as the reconciliation index a sync reads (§6.2). Kept between syncs: versions
   * that joined since, all sorting after what it holds (new versions carry the newest stamps), extend
   * it; anything else builds it again.
   */
  async index(): Promise<ReconcileIndex> {
    const list = await this.items();
    const kept = this.indexed;
    let index = kept?.size === list.length ? kept : null;
    if (!index && kept && kept.size < list.length) index = kept.extend(list.slice(kept.size));
    if (!index) {
      this.built++;
      index = ReconcileIndex.build(list);
    }
    this.indexed = index;
    this.indexedLast = list[list.length - 1] ?? null;
    return this.indexed;
  }

  private async scan(): Promise<void> {
    this.forget();
    this.scanned++;
    // Commits during the scan join `list` (add); the scan's own items follow, each once.
    const list: SyncItem[] = [];
    this.list = list;
    const read = (mode: 'r' | 'rw') =>
      this.db.transaction(mode, [this.db.syncVersions, this.db.syncMeta], async () => {
        const keys = (await this.db.syncVersions.orderBy('[ts+id]').keys()) as unknown as [number, VersionId][];
        let row = await this.db.syncMeta.get(STAMP);
        // A table no write has stamped yet (a new or restored database): stamped now, with the keys read.
        if (!row && mode === 'rw') await this.db.syncMeta.put((row = { key: STAMP, stamp: newStamp() }));
        return { keys, stamp: row?.stamp ?? null };
      });
    let { keys, stamp } = await read('r');
    if (stamp === null) ({ keys, stamp } = await read('rw'));
    if (this.list !== list) return;
    for (const [ts, id] of keys) {
      if (this.ids.has(id)) continue;
      list.push({ ts, id });
      this.ids.set(id, ts);
    }
    this.sorted = false;
    // A write of this page that committed meanwhile forgot `list` (its check found no stamp held): scanned again.
    this.stamp = stamp;
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
      // Sorted again before it is read (one write's versions may share a millisecond, ordered by id).
      if (last && compareItems(last, item) > 0) this.sorted = false;
      // Below what the index holds: the sort moves items it was built over.
      if (this.indexedLast && compareItems(this.indexedLast, item) > 0) this.indexed = null;
      this.list.push(item);
      this.ids.set(row.id, row.ts);
    }
  }

  /** Versions were removed (a revocation's purge, sync-store.ts): the next read scans again, here and in other tabs. */
  reset(): void {
    this.forget();
    this.channel?.postMessage('reset');
  }

  private forget(): void {
    this.indexed = null;
    this.stamp = null;
    this.list = null;
    this.ids.clear();
    this.records = null;
  }
}

/** The table of the versions' stamp, and its row. */
const META_TABLE = 'syncMeta';
const STAMP = 'versions';

const newStamp = (): string => crypto.randomUUID();

/** The channel on which the writers of one database's versions tell each other (null where there is none). */
function versionsChannel(dbName: string): BroadcastChannel | null {
  if (typeof BroadcastChannel !== 'function') return null;
  const channel = new BroadcastChannel(`ihyid-held-versions:${dbName}`);
  // Node (unit tests): an open channel must not keep the process alive.
  (channel as { unref?: () => void }).unref?.();
  return channel;
}

/**
 * The versions of `dbName` were replaced other than through a HeldVersions (a restore): every page
 * holding them reads them again at its next sync.
 */
export function announceVersionsChanged(dbName: string): void {
  const channel = versionsChannel(dbName);
  channel?.postMessage('replaced');
  channel?.close();
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

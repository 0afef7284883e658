import Dexie, { RangeSet } from 'dexie';
import { compareItems, headsByRecord, ReconcileIndex, type SyncItem, type VersionId } from '@ihyid/shared';
import { versionTables, type IhyidDb, type SyncVersionRow, type VersionKeysRow, type VersionPackRow } from './db';
import { firstNotBelow } from './index-lookup';
import { keysOfPack, newStamp, PACK_SIZE, STAMP } from './version-packs';

/** What one transaction did to the versions (`begin`), for when it commits or aborts. */
interface TxState {
  readonly began: PromiseLike<void>;
  /** The stamp this transaction put (null: it wrote no version). */
  stamp: string | null;
  readonly added: SyncVersionRow[];
  removed: boolean;
}

/**
 * X4, #16: the record versions this device holds, stored a pack of up to `PACK_SIZE` to a row
 * (`versionPacks`, version-packs.ts), with each pack's keys (id, timestamp, record, hops) in a row of
 * its own (`versionKeys`). A page reads every keys row once and then answers from memory what indexes
 * answered before: which versions are held and in which pack, each record's versions, the
 * reconciliation order (§6.2), the hops a revocation looks for. A read of versions reads their packs.
 *
 * Every access runs in a transaction whose scope holds the three tables (`begin`, or `read` outside
 * one). Every write of the versions puts a new random stamp in `syncMeta` in the same transaction;
 * `begin` reads the stamp first, and when it is not the one this page last wrote or read, what is
 * held here is read again from the keys rows (another tab, a restore, a migration wrote since), all
 * inside that transaction. So whatever a transaction reads here is the table as it stands in it.
 * A transaction's writes count in its own reads at once; in the reconciliation order only once it
 * committed; an aborted one makes the page read the keys again.
 */
export class HeldVersions {
  /** Whether the maps below hold the table as it stood at `stamp`. */
  private loaded = false;
  /** The stamp of the table when the maps last were the table (null: none read). */
  private stamp: string | null = null;
  /** Every held version's pack, record and hops (its transaction's own writes too). */
  private readonly packOf = new Map<string, number>();
  private readonly byRecord = new Map<string, string[]>();
  private readonly hopsOf = new Map<string, readonly string[]>();
  /** Each pack's number of versions, and the newest pack. */
  private readonly sizes = new Map<number, number>();
  private last = 0;
  /** The committed versions in reconciliation order (sorted before it is read). */
  private list: SyncItem[] = [];
  private sorted = true;
  private scanned = 0;
  private built = 0;
  /** The reconciliation index of `list`'s first items (§6.2), extended as versions join after them. */
  private indexed: ReconcileIndex | null = null;
  /** The greatest item `indexed` holds: a version that joins below it moves the items the index was built over. */
  private indexedLast: SyncItem | null = null;
  private readonly txs = new WeakMap<IDBTransaction, TxState>();

  constructor(private readonly db: IhyidDb) {}

  /**
   * Inside a transaction whose scope holds `versionTables`: makes what is held here the table as it stands
   * in it (one read of the stamp; the keys read again when it is not this page's). Every method below but
   * `read`, `items` and `index` needs it to have resolved in the current transaction; theirs call it.
   */
  begin(): PromiseLike<void> {
    const idb = Dexie.currentTransaction?.idbtrans;
    if (!idb) throw new Error('the versions are read and written inside a transaction');
    // Every writer stamps the table, or another page would trust a memory this write made stale.
    for (const table of versionTables(this.db)) if (!idb.objectStoreNames.contains(table.name)) throw new Error(`a transaction of the versions must hold ${table.name}`);
    let tx = this.txs.get(idb);
    if (!tx) {
      // No stamp: no version was ever written (every writer stamps, restores and the migration too).
      const began = this.db.syncMeta.get(STAMP).then((row) => (this.loaded && (row?.stamp ?? null) === this.stamp ? undefined : this.scan(row?.stamp ?? null)));
      tx = { began, stamp: null, added: [], removed: false };
      this.txs.set(idb, tx);
    }
    return tx.began;
  }

  /** `fn` once `begin` resolved: in the current transaction when it holds the versions, else in a read transaction of its own. */
  read<T>(fn: () => PromiseLike<T> | T): Promise<T> {
    const tables = versionTables(this.db);
    const current = Dexie.currentTransaction?.idbtrans;
    // No transaction nested in one that holds the tables already: Dexie's zone would not come back after it.
    if (current && tables.every((table) => current.objectStoreNames.contains(table.name))) return this.begin().then(fn) as Promise<T>;
    return this.db.transaction('r', tables, () => this.begin().then(fn)) as Promise<T>;
  }

  /** Reads every keys row, inside `begin`'s transaction: what is held here is then the table at `stamp`. */
  private scan(stamp: string | null): PromiseLike<void> {
    this.scanned++;
    return this.db.versionKeys.toArray().then((rows) => {
      this.forget();
      for (const row of rows) {
        row.ids.forEach((id, i) => {
          this.note(id, row.records[i]!, row.hops[i] ?? [], row.pack);
          this.list.push({ ts: row.ts[i]!, id });
        });
        this.sizes.set(row.pack, row.ids.length);
        this.last = Math.max(this.last, row.pack);
      }
      this.sorted = false;
      this.stamp = stamp;
      this.loaded = true;
    });
  }

  private note(id: string, record: string, hops: readonly string[], pack: number): void {
    this.packOf.set(id, pack);
    const of = this.byRecord.get(record);
    if (of) of.push(id);
    else this.byRecord.set(record, [id]);
    if (hops.length > 0) this.hopsOf.set(id, hops);
  }

  /** The current transaction's state, once it changes the versions: a new stamp, and what its commit or abort does here. */
  private changing(): TxState {
    const idb = Dexie.currentTransaction!.idbtrans;
    const tx = this.txs.get(idb)!;
    if (tx.stamp !== null) return tx;
    const row = newStamp();
    const stamp = (tx.stamp = row.stamp);
    void this.db.syncMeta.put(row);
    idb.addEventListener(
      'complete',
      () => {
        if (tx.removed) {
          // Versions went: the next transaction reads the keys again.
          this.loaded = false;
          return;
        }
        for (const row of tx.added) this.join(row);
        this.stamp = stamp;
      },
      { once: true },
    );
    // What this page noted for an aborted write is not in the table: read again.
    idb.addEventListener('abort', () => (this.loaded = false), { once: true });
    return tx;
  }

  /** A committed version joins the reconciliation order. */
  private join(row: SyncVersionRow): void {
    const item = { ts: row.ts, id: row.id };
    const last = this.list[this.list.length - 1];
    // Sorted again before it is read (one write's versions may share a millisecond, ordered by id).
    if (last && compareItems(last, item) > 0) this.sorted = false;
    // Below what the index holds: the sort moves items it was built over.
    if (this.indexedLast && compareItems(this.indexedLast, item) > 0) this.indexed = null;
    this.list.push(item);
  }

  /** Whether a version is held (after `begin`). */
  has(id: string): boolean {
    return this.packOf.has(id);
  }

  /** Whether this record has a version (after `begin`). */
  hasRecord(record: string): boolean {
    return this.byRecord.has(record);
  }

  /** The ids of a record's versions (after `begin`). */
  idsOf(record: string): readonly string[] {
    return this.byRecord.get(record) ?? [];
  }

  /** The records held whose key starts with `prefix` (after `begin`). */
  recordsStartingWith(prefix: string): string[] {
    return [...this.byRecord.keys()].filter((record) => record.startsWith(prefix));
  }

  /** I10, §6.7: the versions handed on by the device whose hop prefix is `key` after `at` (ms) (after `begin`). */
  hoppedAfter(key: string, at: number): string[] {
    const after = `${key}:${String(Math.floor(at) + 1).padStart(15, '0')}`;
    const ids: string[] = [];
    for (const [id, hops] of this.hopsOf) if (hops.some((hop) => hop.startsWith(`${key}:`) && hop >= after)) ids.push(id);
    return ids;
  }

  /** Held versions by id, missing ones skipped, in no particular order: their packs, each read once (after `begin`). */
  rows(ids: readonly string[]): PromiseLike<SyncVersionRow[]> {
    const wanted = new Set(ids);
    // A Dexie promise, also when nothing is read: a native one that resolves at once would leave the caller's transaction zone.
    return this.packsOf(ids).then((packs) => packs.flatMap((pack) => pack.rows.filter((row) => wanted.has(row.id))));
  }

  /** Every held version of these records (after `begin`). */
  rowsOf(records: readonly string[]): PromiseLike<SyncVersionRow[]> {
    return this.rows([...new Set(records.flatMap((record) => this.idsOf(record)))]);
  }

  /** Each record's heads, the versions a new version of it replaces (after `begin`); a record with none is absent. Their packs are read once. */
  headIds(records: readonly string[]): PromiseLike<Map<string, VersionId[]>> {
    return this.rowsOf(records).then((rows) => new Map([...headsByRecord(rows)].map(([record, heads]) => [record, heads.map((head) => head.id)])));
  }

  /**
   * Stores versions not held yet (each once), inside a transaction after `begin`: the newest pack is
   * filled first when this write is smaller than a pack; the rest go to new packs.
   */
  async write(rows: readonly SyncVersionRow[]): Promise<void> {
    await this.begin();
    const seen = new Set<string>();
    const fresh = rows.filter((row) => !this.packOf.has(row.id) && !seen.has(row.id) && seen.add(row.id));
    if (fresh.length === 0) return;
    const tx = this.changing();
    const packs: VersionPackRow[] = [];
    let at = 0;
    const room = PACK_SIZE - (this.sizes.get(this.last) ?? PACK_SIZE);
    if (fresh.length < PACK_SIZE && room > 0) {
      const open = await this.db.versionPacks.get(this.last);
      if (open) {
        at = Math.min(room, fresh.length);
        packs.push({ pack: open.pack, rows: [...open.rows, ...fresh.slice(0, at)] });
      }
    }
    for (; at < fresh.length; at += PACK_SIZE) packs.push({ pack: ++this.last, rows: fresh.slice(at, at + PACK_SIZE) });
    for (const pack of packs) {
      for (const row of pack.rows) if (!this.packOf.has(row.id)) this.note(row.id, row.record, row.viaHops ?? [], pack.pack);
      this.sizes.set(pack.pack, pack.rows.length);
    }
    tx.added.push(...fresh);
    await Promise.all([this.db.versionPacks.bulkPut(packs), this.db.versionKeys.bulkPut(packs.map(keysOfPack))]);
  }

  /** Held versions stored again as given (a shorter path of hops, §6.7), inside a transaction after `begin`. */
  async replace(rows: readonly SyncVersionRow[]): Promise<void> {
    await this.begin();
    const byId = new Map(rows.filter((row) => this.packOf.has(row.id)).map((row) => [row.id as string, row]));
    if (byId.size === 0) return;
    this.changing();
    const packs = await this.packsOf([...byId.keys()]);
    for (const pack of packs) pack.rows = pack.rows.map((row) => byId.get(row.id) ?? row);
    for (const row of byId.values()) {
      if (row.viaHops?.length) this.hopsOf.set(row.id, row.viaHops);
      else this.hopsOf.delete(row.id);
    }
    await Promise.all([this.db.versionPacks.bulkPut(packs), this.db.versionKeys.bulkPut(packs.map(keysOfPack))]);
  }

  /** Removes held versions (a revocation's purge), inside a transaction after `begin`; the next transaction reads the keys again. */
  async remove(ids: readonly string[]): Promise<void> {
    await this.begin();
    const gone = new Set(ids.filter((id) => this.packOf.has(id)));
    if (gone.size === 0) return;
    this.changing().removed = true;
    const packs = await this.packsOf([...gone]);
    for (const pack of packs) pack.rows = pack.rows.filter((row) => !gone.has(row.id));
    // What the rest of this transaction reads; the next one reads the keys again (`changing`).
    for (const id of gone) {
      this.packOf.delete(id);
      this.hopsOf.delete(id);
    }
    for (const [record, of] of this.byRecord) {
      const left = of.filter((id) => !gone.has(id));
      if (left.length === 0) this.byRecord.delete(record);
      else if (left.length < of.length) this.byRecord.set(record, left);
    }
    const kept = packs.filter((pack) => pack.rows.length > 0);
    const emptied = packs.filter((pack) => pack.rows.length === 0).map((pack) => pack.pack);
    for (const pack of packs) this.sizes.set(pack.pack, pack.rows.length);
    await Promise.all([
      this.db.versionPacks.bulkPut(kept),
      this.db.versionKeys.bulkPut(kept.map(keysOfPack)),
      this.db.versionPacks.bulkDelete(emptied),
      this.db.versionKeys.bulkDelete(emptied),
    ]);
  }

  private packsOf(ids: readonly string[]): PromiseLike<VersionPackRow[]> {
    const numbers = [...new Set(ids.flatMap((id) => this.packOf.get(id) ?? []))];
    return this.db.versionPacks.bulkGet(numbers).then((packs) => packs.flatMap((pack) => (pack ? [pack] : [])));
  }

  /** How many times the reconciliation index was built whole (`index`), not extended. */
  get builds(): number {
    return this.built;
  }

  /** How many times the keys were read whole (the first read, and whenever another writer was seen). */
  get scans(): number {
    return this.scanned;
  }

  /** Every committed version's (timestamp, id), sorted: what a sync reconciles. */
  async items(): Promise<readonly SyncItem[]> {
    await this.read(() => undefined);
    if (!this.sorted) {
      // Mostly sorted already (new versions carry the newest stamps): the sort is close to one pass.
      this.list.sort(compareItems);
      this.sorted = true;
    }
    return this.list;
  }

  /** How many committed versions are stamped after `ms` (HLC wall time). */
  async countSince(ms: number): Promise<number> {
    const list = await this.items();
    return list.length - firstNotBelow(list.length, (i) => list[i]!.ts <= ms);
  }

  /** The newest version held (reconciliation order), or undefined. */
  async newest(): Promise<SyncVersionRow | undefined> {
    const list = await this.items();
    const last = list[list.length - 1];
    return last ? (await this.read(() => this.rows([last.id])))[0] : undefined;
  }

  /** Whether each record has a version, as the table stands now (read outside a transaction: a snapshot that later writes may extend). */
  async heldRecords(): Promise<(record: string) => boolean> {
    await this.read(() => undefined);
    return (record) => this.byRecord.has(record);
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

  private forget(): void {
    this.loaded = false;
    this.stamp = null;
    this.packOf.clear();
    this.byRecord.clear();
    this.hopsOf.clear();
    this.sizes.clear();
    this.last = 0;
    this.list = [];
    this.sorted = true;
    this.indexed = null;
    this.indexedLast = null;
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

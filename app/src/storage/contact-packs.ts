import type { DBCore, DBCoreIndex, DBCoreKeyRange, DBCoreMutateRequest, DBCoreMutateResponse, DBCoreTable, DBCoreTransaction, Middleware } from 'dexie';
import { firstNotBelow } from './index-lookup';
import type { ContactKeysRow, ContactPackRow, SyncMetaRow } from './records';

/**
 * #14, #15, #16 (PROTOCOL §4.8): contacts stored a pack of up to `CONTACT_PACK_SIZE` to an IndexedDB
 * row. One row per contact cost an import or a first sync of 100,000 contacts 16 s of IndexedDB's
 * per-row work; a hundred to a row, 4.2 s (bench/idb-cost.mjs). The app keeps reading and writing one
 * `contacts` table: this middleware, the closest to IndexedDB (below the seal, so a pack holds each
 * contact as the seal stored it), keeps that table's rows in `contactPacks`, each pack's ids and times
 * in a `contactKeys` row, and a random stamp in `syncMeta` that every write changes, with the packs
 * each of the last writes touched. A connection reads every keys row once and answers from memory what
 * the `contacts` store's key and `updatedAt` index answered: which contacts exist and in which pack,
 * their order by id or by time, how many.
 *
 * Every transaction over `contacts` also holds the three tables (`transaction`). Its first request
 * reads the stamp: when it is not the one this connection last wrote or read, the keys rows of the
 * packs written since are read again (all of them when the stamp's log does not reach back that far:
 * a restore, a migration, a clear). A transaction's requests run one after another in the order they
 * were made, as IndexedDB runs its own; its writes count in its own reads at once; an aborted write
 * makes the connection read every keys row again. A cursor over the contacts is refused: every reader
 * asks by key, by range of ids or for the newest.
 *
 * Readers that go through every contact in id order (a check's sixteen ranges, a backup, an export, a
 * sync's first versions) must not read every pack for every page: ids are random, and a pack filled in
 * the order contacts came holds ids from all over. So a pack holds the ids of one lane (the id's first
 * hex digit, as the check's ranges split them), and a connection keeps the packs it read last: page
 * after page of one lane reads that lane's packs about once.
 */
export const CONTACT_PACK_SIZE = 100;

/** Lanes: an id's first hex digit, and one for any other id. A pack's number is its lane times `LANE_SPAN` plus its place in the lane, from 1. */
const LANE_SPAN = 2 ** 32;
export const laneOf = (id: string): number => {
  const c = id.charCodeAt(0);
  return c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : 16;
};
const laneOfPack = (pack: number): number => Math.floor(pack / LANE_SPAN);

/** `pack` as its lane's newest in `lastOf` (lane → its highest pack number) if it is. */
function noteLast(lastOf: Map<number, number>, pack: number): void {
  const lane = laneOfPack(pack);
  lastOf.set(lane, Math.max(lastOf.get(lane) ?? 0, pack));
}

/** Packs a connection keeps as read (about a lane's worth at 100,000 contacts). */
const CACHED_PACKS = 128;

/** `syncMeta`'s row of the contacts' stamp. */
export const CONTACTS_STAMP = 'contacts';

/** The physical tables a transaction over `contacts` holds. */
export const CONTACT_PACK_TABLES = ['contactPacks', 'contactKeys', 'syncMeta'] as const;

export const newContactsStamp = (): SyncMetaRow => ({ key: CONTACTS_STAMP, stamp: crypto.randomUUID() });

type Row = Record<string, unknown>;

/** What a connection keeps in memory of a pack: its contacts' ids and times. */
export function contactKeysOf(pack: ContactPackRow): ContactKeysRow {
  return { pack: pack.pack, ids: pack.rows.map((row) => row.id as string), updatedAt: pack.rows.map((row) => (row.updatedAt as string | undefined) ?? '') };
}

/**
 * Contacts rows as packs, each lane's in the order given, numbered after `after` (each lane's last
 * pack number so far; none: from the lane's first): a migration's rows, a seeding fixture's.
 */
export function packContacts(rows: readonly Row[], after: ReadonlyMap<number, number> = new Map()): ContactPackRow[] {
  const byLane = new Map<number, Row[]>();
  for (const row of rows) {
    const lane = laneOf(row.id as string);
    const of = byLane.get(lane);
    if (of) of.push(row);
    else byLane.set(lane, [row]);
  }
  const packs: ContactPackRow[] = [];
  for (const [lane, of] of byLane) {
    let pack = after.get(lane) ?? lane * LANE_SPAN;
    for (let at = 0; at < of.length; at += CONTACT_PACK_SIZE) packs.push({ pack: ++pack, rows: of.slice(at, at + CONTACT_PACK_SIZE) });
  }
  return packs;
}

const ANY: DBCoreKeyRange = { type: 3 } as DBCoreKeyRange;
/** Keys above `key` (DBCoreRangeType.Range with no upper bound). */
const above = (key: number): DBCoreKeyRange => ({ type: 2, lower: key, lowerOpen: true }) as DBCoreKeyRange;

/**
 * Keys rows a full read takes per request: each request's rows are taken in by their own task, so
 * reading 100,000 contacts' ids (an unlock's first count) is many short tasks on the page, not one of
 * 150 ms (bench:dedup's longest task after the unlock, #14).
 */
const SCAN_ROWS = 50;

/** Index of the first of `sorted` not below `key` (`open`: above it). */
const bound = (sorted: readonly string[], key: string, open: boolean): number => firstNotBelow(sorted.length, (i) => sorted[i]! < key || (open && sorted[i] === key));

/** The slice [from, to) of `sorted` a key range covers. */
function span(sorted: readonly string[], range: DBCoreKeyRange): [number, number] {
  if (range.type === 4) return [0, 0];
  if (range.type === 3) return [0, sorted.length];
  if (range.type === 1) return [bound(sorted, range.lower as string, false), bound(sorted, range.lower as string, true)];
  const from = range.lower === undefined ? 0 : bound(sorted, range.lower as string, !!range.lowerOpen);
  const to = range.upper === undefined ? sorted.length : bound(sorted, range.upper as string, !range.upperOpen);
  return [from, Math.max(from, to)];
}

/** The contacts' stamp row: with the packs each of the last writes touched, so that a connection that knew an earlier stamp reads only those. */
interface StampRow extends SyncMetaRow {
  log?: { stamp: string; packs: number[] }[];
}

/** Writes the stamp row remembers. */
const LOG = 64;

interface TxState {
  /** The requests of this transaction, one after another. */
  queue: Promise<unknown>;
  /** The stamp row as this transaction last read or wrote it. */
  meta: StampRow | undefined;
  /** The stamp this transaction put last (null: it wrote no contact). */
  stamp: string | null;
}

/** `a` and `b` (each sorted by `before`) as one sorted list. */
function merged<T>(a: readonly T[], b: readonly T[], before: (x: T, y: T) => boolean): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(before(b[j]!, a[i]!) ? b[j++]! : a[i++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

class PackedContacts {
  private loaded = false;
  private stamp: string | null = null;
  private packOf = new Map<string, number>();
  private updatedOf = new Map<string, string>();
  /** Each pack's contacts, and each lane's newest pack. */
  private members = new Map<number, Set<string>>();
  private lastOf = new Map<number, number>();
  /** The packs this connection read or wrote last, as they stand at `stamp` (oldest first). */
  private readonly cache = new Map<number, ContactPackRow>();
  /**
   * The ids sorted, and by (updatedAt, id): built when a range is first asked, then brought up to date
   * from the ids that came, went or changed time since (a merge, not a sort of all).
   */
  private byId: string[] | null = null;
  private byTime: { times: string[]; ids: string[] } | null = null;
  private readonly idsChanged = new Set<string>();
  private readonly timesChanged = new Set<string>();
  private readonly txs = new WeakMap<object, TxState>();

  constructor(
    private readonly table: DBCoreTable,
    private readonly packs: DBCoreTable,
    private readonly keys: DBCoreTable,
    private readonly meta: DBCoreTable,
  ) {}

  /** `op` after every earlier request of its transaction, once what is held here is the table as it stands in it. */
  run<T>(trans: DBCoreTransaction, op: () => PromiseLike<T> | T): Promise<T> {
    let tx = this.txs.get(trans);
    if (!tx) {
      const state: TxState = { queue: Promise.resolve(), meta: undefined, stamp: null };
      state.queue = this.meta.get({ trans, key: CONTACTS_STAMP }).then((row: StampRow | undefined) => {
        state.meta = row;
        return this.catchUp(trans, row);
      });
      tx = state;
      this.txs.set(trans, tx);
    }
    const result = tx.queue.then(op);
    tx.queue = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Brings what is held here to the stamp `row` gives: nothing to do, the packs written since this connection's stamp, or every keys row. */
  private catchUp(trans: DBCoreTransaction, row: StampRow | undefined): PromiseLike<void> | undefined {
    const stamp = row?.stamp ?? null;
    if (this.loaded && stamp === this.stamp) return undefined;
    const at = this.loaded && this.stamp !== null ? (row?.log ?? []).findIndex((entry) => entry.stamp === this.stamp) : -1;
    if (at < 0) return this.scan(trans, stamp);
    const packs = [...new Set(row!.log!.slice(at + 1).flatMap((entry) => entry.packs))];
    return this.keys.getMany({ trans, keys: packs }).then((rows: (ContactKeysRow | undefined)[]) => {
      packs.forEach((pack, i) => {
        this.cache.delete(pack);
        this.setPack(pack, rows[i]);
      });
      this.stamp = stamp;
    });
  }

  /**
   * Every keys row, SCAN_ROWS a request, into maps of its own that replace the held ones once the last
   * row is in: a read that fails half way leaves what was held, and two transactions that both found
   * the connection empty (an unlock's count and newest, at once) each build whole maps.
   */
  private scan(trans: DBCoreTransaction, stamp: string | null): PromiseLike<void> {
    const [packOf, updatedOf, members, lastOf] = [new Map<string, number>(), new Map<string, string>(), new Map<number, Set<string>>(), new Map<number, number>()];
    const from = (after: number | null): PromiseLike<void> =>
      this.keys.query({ trans, values: true, limit: SCAN_ROWS, query: { index: this.keys.schema.primaryKey, range: after === null ? ANY : above(after) } }).then(({ result }) => {
        // Every id at once (what `setPack` does, without its bookkeeping for a pack already held).
        for (const row of result as ContactKeysRow[]) {
          const { pack, ids, updatedAt } = row;
          for (let i = 0; i < ids.length; i++) {
            packOf.set(ids[i]!, pack);
            updatedOf.set(ids[i]!, updatedAt[i] ?? '');
          }
          members.set(pack, new Set(ids));
          noteLast(lastOf, pack);
        }
        if (result.length === SCAN_ROWS) return from((result[SCAN_ROWS - 1] as ContactKeysRow).pack);
        this.forget({ packOf, updatedOf, members, lastOf });
        this.stamp = stamp;
        this.loaded = true;
        return undefined;
      });
    return from(null);
  }

  /** Holds `held` (nothing: no contact) and drops what was derived from what was held before. */
  private forget(held = { packOf: new Map<string, number>(), updatedOf: new Map<string, string>(), members: new Map<number, Set<string>>(), lastOf: new Map<number, number>() }): void {
    ({ packOf: this.packOf, updatedOf: this.updatedOf, members: this.members, lastOf: this.lastOf } = held);
    this.cache.clear();
    this.byId = null;
    this.byTime = null;
    this.idsChanged.clear();
    this.timesChanged.clear();
  }

  /** A pack's contacts as its keys row gives them (none: the pack is gone). */
  private setPack(pack: number, row: ContactKeysRow | undefined): void {
    for (const id of this.members.get(pack) ?? []) if (this.packOf.get(id) === pack) this.drop(id);
    this.members.delete(pack);
    if (!row) return;
    this.members.set(pack, new Set());
    row.ids.forEach((id, i) => this.place(id, pack, row.updatedAt[i] ?? ''));
    noteLast(this.lastOf, pack);
  }

  private place(id: string, pack: number, updatedAt: string): void {
    const was = this.packOf.get(id);
    if (was !== pack) {
      if (was !== undefined) this.members.get(was)?.delete(id);
      this.members.get(pack)!.add(id);
      this.packOf.set(id, pack);
      if (was === undefined && this.byId) this.idsChanged.add(id);
    }
    if (this.updatedOf.get(id) !== updatedAt) {
      this.updatedOf.set(id, updatedAt);
      if (this.byTime) this.timesChanged.add(id);
    }
  }

  private drop(id: string): void {
    const pack = this.packOf.get(id);
    if (pack === undefined) return;
    this.members.get(pack)?.delete(id);
    this.packOf.delete(id);
    this.updatedOf.delete(id);
    if (this.byId) this.idsChanged.add(id);
    if (this.byTime) this.timesChanged.add(id);
  }

  /** The rows of `ids` (undefined where none), reading each pack they lie in once, and none this connection keeps. */
  rows(trans: DBCoreTransaction, ids: readonly unknown[]): PromiseLike<(Row | undefined)[]> {
    const wanted = [...new Set(ids.flatMap((id) => (typeof id === 'string' && this.packOf.has(id) ? [this.packOf.get(id)!] : [])))];
    const kept = wanted.flatMap((number) => {
      const pack = this.cache.get(number);
      return pack ? [pack] : [];
    });
    const missing = wanted.filter((pack) => !this.cache.has(pack));
    const read = missing.length === 0 ? Promise.resolve([]) : this.packs.getMany({ trans, keys: missing });
    return read.then((packs: (ContactPackRow | undefined)[]) => {
      const byId = new Map<string, Row>();
      // Used now, so kept longest; what a read of more packs than are kept pushes out is still answered from here.
      for (const pack of [...kept, ...packs]) {
        if (!pack) continue;
        this.keep(pack.pack, pack);
        for (const row of pack.rows) byId.set(row.id as string, row);
      }
      // A copy each: a caller may change what it is given (a connection without the seal returns the row itself).
      return ids.map((id) => {
        const row = typeof id === 'string' ? byId.get(id) : undefined;
        return row && { ...row };
      });
    });
  }

  private keep(number: number, pack: ContactPackRow): void {
    this.cache.delete(number);
    this.cache.set(number, pack);
    while (this.cache.size > CACHED_PACKS) this.cache.delete(this.cache.keys().next().value!);
  }

  count(): number {
    return this.packOf.size;
  }

  /**
   * The `limit` newest ids (by `updatedAt`, then id), newest first, without sorting every contact: the
   * contacts list asks for them at every unlock and after every write.
   */
  newest(limit: number): string[] {
    if (this.byTime && this.timesChanged.size === 0) return this.byTime.ids.slice(Math.max(0, this.byTime.ids.length - limit)).reverse();
    const top: [string, string][] = [];
    const before = (x: [string, string], y: [string, string]) => x[1] > y[1] || (x[1] === y[1] && x[0] > y[0]);
    for (const entry of this.updatedOf) {
      if (top.length === limit && !before(entry, top[top.length - 1]!)) continue;
      let at = top.length;
      while (at > 0 && before(entry, top[at - 1]!)) at--;
      top.splice(at, 0, entry);
      if (top.length > limit) top.pop();
    }
    return top.map(([id]) => id);
  }

  /** The ids a query on the primary key or on `updatedAt` covers, in the index's order. */
  idsIn(index: DBCoreIndex, range: DBCoreKeyRange): string[] {
    if (index.isPrimaryKey) {
      const ids = this.sortedIds();
      const [from, to] = span(ids, range);
      return ids.slice(from, to);
    }
    if (index.name !== 'updatedAt') throw new Error(`contacts have no index ${index.name} (contact-packs.ts)`);
    const { times, ids } = this.sortedTimes();
    const [from, to] = span(times, range);
    return ids.slice(from, to);
  }

  private sortedIds(): string[] {
    const changed = this.idsChanged;
    if (!this.byId || changed.size * 4 > this.packOf.size) this.byId = [...this.packOf.keys()].sort();
    else if (changed.size > 0) {
      const kept = this.byId.filter((id) => !changed.has(id));
      this.byId = merged(kept, [...changed].filter((id) => this.packOf.has(id)).sort(), (x, y) => x < y);
    }
    changed.clear();
    return this.byId;
  }

  private sortedTimes(): { times: string[]; ids: string[] } {
    const changed = this.timesChanged;
    const before = (x: [string, string], y: [string, string]) => x[1] < y[1] || (x[1] === y[1] && x[0] < y[0]);
    let order: [string, string][];
    if (!this.byTime || changed.size * 4 > this.packOf.size) order = [...this.updatedOf].sort((x, y) => (before(x, y) ? -1 : before(y, x) ? 1 : 0));
    else if (changed.size > 0) {
      const { ids, times } = this.byTime;
      const kept: [string, string][] = [];
      ids.forEach((id, i) => {
        if (!changed.has(id)) kept.push([id, times[i]!]);
      });
      const added = [...changed].flatMap((id): [string, string][] => (this.updatedOf.has(id) ? [[id, this.updatedOf.get(id)!]] : []));
      order = merged(kept, added.sort((x, y) => (before(x, y) ? -1 : before(y, x) ? 1 : 0)), before);
    } else return this.byTime!;
    changed.clear();
    this.byTime = { ids: order.map(([id]) => id), times: order.map(([, t]) => t) };
    return this.byTime;
  }

  /** A put, add or delete of contacts, as one read of the packs it touches and one write of each. */
  mutate(req: DBCoreMutateRequest): PromiseLike<DBCoreMutateResponse> {
    const { trans } = req;
    if (req.type === 'deleteRange') {
      if (req.range.type === 3) return this.clear(trans);
      return this.remove(trans, this.idsIn(this.table.schema.primaryKey, req.range));
    }
    if (req.type === 'delete') return this.remove(trans, req.keys as string[]);
    const values = req.values as Row[];
    const failures: Error[] = [];
    const changes = new Map<number, Map<string, Row>>();
    const results: (string | undefined)[] = [];
    values.forEach((row, i) => {
      const id = row.id as string;
      let pack = this.packOf.get(id);
      if (pack !== undefined && req.type === 'add') {
        failures[i] = new DOMException('A contact with this id is already stored.', 'ConstraintError');
        results.push(undefined);
        return;
      }
      if (pack === undefined) {
        // A new contact fills its lane's newest pack, then starts the lane's next.
        const lane = laneOf(id);
        const last = this.lastOf.get(lane);
        pack = last === undefined ? lane * LANE_SPAN + 1 : (this.members.get(last)?.size ?? 0) >= CONTACT_PACK_SIZE ? last + 1 : last;
        this.lastOf.set(lane, pack);
        if (!this.members.has(pack)) this.members.set(pack, new Set());
      }
      this.place(id, pack, (row.updatedAt as string | undefined) ?? '');
      let of = changes.get(pack);
      if (!of) changes.set(pack, (of = new Map()));
      of.set(id, row);
      results.push(id);
    });
    return this.rewrite(trans, changes, new Set()).then(() => ({
      numFailures: Object.keys(failures).length,
      failures,
      results,
      lastResult: results[results.length - 1],
    }));
  }

  private remove(trans: DBCoreTransaction, ids: readonly string[]): PromiseLike<DBCoreMutateResponse> {
    const gone = new Set<string>();
    const changes = new Map<number, Map<string, Row>>();
    for (const id of ids) {
      const pack = this.packOf.get(id);
      if (pack === undefined) continue;
      gone.add(id);
      this.drop(id);
      if (!changes.has(pack)) changes.set(pack, new Map());
    }
    return this.rewrite(trans, changes, gone).then(() => ({ numFailures: 0, failures: [], results: [...ids], lastResult: undefined }));
  }

  private clear(trans: DBCoreTransaction): PromiseLike<DBCoreMutateResponse> {
    this.forget();
    // A log that named packs from before the clear would let another connection keep them.
    this.txs.get(trans)!.meta = undefined;
    this.stampIn(trans, []);
    return Promise.all([this.packs.mutate({ trans, type: 'deleteRange', range: ANY }), this.keys.mutate({ trans, type: 'deleteRange', range: ANY })]).then(() => ({
      numFailures: 0,
      failures: [],
      results: [],
      lastResult: undefined,
    }));
  }

  /** Reads the packs `changes` names, sets and removes their rows, writes them (an emptied one is deleted) and their keys, and stamps. */
  private rewrite(trans: DBCoreTransaction, changes: Map<number, Map<string, Row>>, gone: ReadonlySet<string>): PromiseLike<void> {
    if (changes.size === 0) return Promise.resolve();
    const numbers = [...changes.keys()];
    this.stampIn(trans, numbers);
    const missing = numbers.filter((pack) => !this.cache.has(pack));
    const read = missing.length === 0 ? Promise.resolve([]) : this.packs.getMany({ trans, keys: missing });
    return read.then((packs: (ContactPackRow | undefined)[]) => {
      const readNow = new Map(missing.map((pack, i) => [pack, packs[i]]));
      const stored = numbers.map((pack) => this.cache.get(pack) ?? readNow.get(pack));
      const put: ContactPackRow[] = [];
      const emptied: number[] = [];
      numbers.forEach((pack, i) => {
        const set = changes.get(pack)!;
        const rows: Row[] = [];
        for (const row of stored[i]?.rows ?? []) {
          const id = row.id as string;
          if (gone.has(id)) continue;
          const next = set.get(id);
          rows.push(next ?? row);
          if (next) set.delete(id);
        }
        rows.push(...set.values());
        if (rows.length === 0) {
          emptied.push(pack);
          this.members.delete(pack);
          this.cache.delete(pack);
        } else {
          put.push({ pack, rows });
          this.keep(pack, { pack, rows });
        }
      });
      const writes: PromiseLike<unknown>[] = [];
      if (put.length > 0) {
        writes.push(this.packs.mutate({ trans, type: 'put', values: put }));
        writes.push(this.keys.mutate({ trans, type: 'put', values: put.map(contactKeysOf) }));
      }
      if (emptied.length > 0) {
        writes.push(this.packs.mutate({ trans, type: 'delete', keys: emptied }));
        writes.push(this.keys.mutate({ trans, type: 'delete', keys: emptied }));
      }
      return Promise.all(writes).then(() => undefined);
    });
  }

  /**
   * A new stamp for this write, with the packs it touched in the row's log; the connection's own once the
   * transaction commits, a read of every keys row again if it aborts.
   */
  private stampIn(trans: DBCoreTransaction, packs: number[]): void {
    const tx = this.txs.get(trans)!;
    const stamp = crypto.randomUUID();
    const row: StampRow = { key: CONTACTS_STAMP, stamp, log: [...(tx.meta?.log ?? []), { stamp, packs }].slice(-LOG) };
    tx.meta = row;
    void this.meta.mutate({ trans, type: 'put', values: [row] });
    const first = tx.stamp === null;
    tx.stamp = stamp;
    if (!first) return;
    const idb = trans as unknown as IDBTransaction;
    idb.addEventListener('complete', () => (this.stamp = tx.stamp), { once: true });
    idb.addEventListener('abort', () => (this.loaded = false), { once: true });
  }
}

/**
 * The middleware over a connection whose schema has the packs (a database opened before v19 in an
 * upgrade, or another database, passes through). An upgrade's transaction passes through too:
 * the upgrades before v19 read and write the contacts store itself, and v19 moves its rows into packs.
 */
export function contactPacksMiddleware(): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'contact-packs',
    // Below every other middleware, Dexie's own too (cacheExistingValues is at -1): this is the layout.
    level: -2,
    create(down) {
      const has = (name: string) => down.schema.tables.some((table) => table.name === name);
      if (!has('contacts') || !CONTACT_PACK_TABLES.every(has)) return down;
      const table = down.table('contacts');
      const packed = new PackedContacts(table, down.table('contactPacks'), down.table('contactKeys'), down.table('syncMeta'));
      const upgrading = (trans: DBCoreTransaction) => (trans as unknown as IDBTransaction).mode === 'versionchange';
      const contacts: DBCoreTable = {
        ...table,
        get: (req) => (upgrading(req.trans) ? table.get(req) : packed.run(req.trans, () => packed.rows(req.trans, [req.key]).then(([row]) => row))),
        getMany: (req) => (upgrading(req.trans) ? table.getMany(req) : packed.run(req.trans, () => packed.rows(req.trans, req.keys))),
        count: (req) =>
          upgrading(req.trans) ? table.count(req) : packed.run(req.trans, () => (req.query.range.type === 3 ? packed.count() : packed.idsIn(req.query.index, req.query.range).length)),
        query: (req) =>
          upgrading(req.trans)
            ? table.query(req)
            : packed.run(req.trans, () => {
                const prev = req.direction === 'prev' || req.direction === 'prevunique';
                const { index, range } = req.query;
                let ids: string[];
                if (prev && !index.isPrimaryKey && range.type === 3 && req.limit !== undefined && req.limit <= 1000) ids = packed.newest(req.limit);
                else {
                  ids = packed.idsIn(index, range);
                  if (prev) ids.reverse();
                  if (req.limit !== undefined && req.limit < ids.length) ids = ids.slice(0, req.limit);
                }
                return req.values ? packed.rows(req.trans, ids).then((result) => ({ result })) : { result: ids };
              }),
        openCursor: (req) => (upgrading(req.trans) ? table.openCursor(req) : Promise.reject(new Error('contacts are read by key or by range, not by cursor (contact-packs.ts)'))),
        mutate: (req) => (upgrading(req.trans) ? table.mutate(req) : packed.run(req.trans, () => packed.mutate(req))),
      };
      return {
        ...down,
        // A transaction over the contacts holds their packs, keys and stamp.
        transaction: (stores, mode, options) =>
          down.transaction(stores.includes('contacts') ? [...new Set([...stores, ...CONTACT_PACK_TABLES])] : stores, mode, options),
        table: (name) => (name === 'contacts' ? contacts : down.table(name)),
      };
    },
  };
}

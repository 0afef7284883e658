import type { Table } from 'dexie';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, headsByRecord, IHYID_ROWS, makeVersion, stateOf, utf8ToBytes, versionTime, winnerOf, type HlcClock, type RecordKey, type RecordVersion, type VersionId } from '@ihyid/shared';
import { versionTables, type IhyidDb, type SyncVersionRow } from './db';
import { ChangedRows, type HeldVersions } from './held-versions';
import { POLICY_KEYS } from './settings';
import { SyncDataError, type ContactSealer } from './sync-records';

/**
 * X4 (#16 item 2): the organisation's other records replicate as versions too: duplicate decisions
 * and merge history, distribution lists with their assignments, rounds and audit trail, overlap
 * check results and the check audit. Each row is a record `<collection>/<key>` whose versions carry
 * the whole row, sealed under the record key like a contact's.
 *
 * These tables are written in many places, some in workers (a check's results), so their versions
 * are not made by the writers: a device captures its rows before each sync and whenever a write to
 * one of these tables committed (Dexie's storagemutated, which also carries the workers' writes): a
 * row unlike what its record shows gets a version whose parents are the record's heads, a row gone a
 * tombstone. A record shows its newest put head (shared `winnerOf`): these have no caseworker review,
 * and every device that holds the same versions shows the same row. A row changed here and not yet
 * captured is left as it is when versions arrive; its capture names every head as parent, so it wins
 * everywhere.
 */
export interface ReplicatedTable {
  readonly table: 'pairs' | 'merged' | 'lists' | 'listAssignments' | 'listRounds' | 'listAudit' | 'checks' | 'overlaps' | 'checkAudit' | 'settings';
  readonly collection: string;
  readonly key: 'id' | 'roundId' | 'key';
  /** Only these rows of the table replicate (the others are this device's own); a received row outside it is refused. */
  readonly only?: (row: Record<string, unknown>) => boolean;
}

export const REPLICATED_TABLES: readonly ReplicatedTable[] = [
  { table: 'pairs', collection: 'pairs', key: 'id' },
  { table: 'merged', collection: 'merged', key: 'id' },
  { table: 'lists', collection: 'lists', key: 'id' },
  { table: 'listAssignments', collection: 'list-assignments', key: 'id' },
  { table: 'listRounds', collection: 'list-rounds', key: 'roundId' },
  { table: 'listAudit', collection: 'list-audit', key: 'id' },
  { table: 'checks', collection: 'checks', key: 'id' },
  { table: 'overlaps', collection: 'overlaps', key: 'id' },
  { table: 'checkAudit', collection: 'check-audit', key: 'id' },
  // #16 item 2: the organisation's policy settings (the lock time, the check protocols), changed by an
  // admin on any device after pairing too; the rest of `settings` is each device's own.
  { table: 'settings', collection: 'policy', key: 'key', only: (row) => (POLICY_KEYS as readonly unknown[]).includes(row.key) },
];

/** The rows of `t` that replicate. */
export const replicatedRows = (t: ReplicatedTable, rows: readonly Record<string, unknown>[]) => (t.only ? rows.filter(t.only) : rows);

const KEY = /^[0-9A-Za-z_-]{1,64}$/;

/** A row's record: its key when the record grammar allows it (UUIDs), else `h` and SHA-256 of the key (a pair's `a|b`). */
export function tableRecord(t: ReplicatedTable, id: string): RecordKey {
  return `${t.collection}/${KEY.test(id) ? id : `h${bytesToHex(sha256(utf8ToBytes(id))).slice(0, 63)}`}` as RecordKey;
}

export function replicatedTableOf(record: string): ReplicatedTable | undefined {
  return REPLICATED_TABLES.find((t) => record.startsWith(`${t.collection}/`));
}

/** Throws SyncDataError unless `value` is a row of the record's table (its schema, IHYID_ROWS) whose key names this record. */
export function checkRow(record: RecordKey, value: unknown): void {
  const t = replicatedTableOf(record);
  const key = t && typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[t.key] : undefined;
  if (!t || typeof key !== 'string' || tableRecord(t, key) !== record || !IHYID_ROWS[t.table]!(value) || (t.only && !t.only(value as Record<string, unknown>))) {
    throw new SyncDataError(`${record}: data is not a row of this record`);
  }
}

/** JSON with every object's keys sorted: two equal rows read back in any key order compare equal. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

const toVersion = (row: SyncVersionRow): RecordVersion => ({ id: row.id, body: row.body });
const toRow = (version: RecordVersion): SyncVersionRow => ({ id: version.id, ts: versionTime(version), record: version.body.record, body: version.body });

export class TableReplicator {
  /** What each record shows, as stable JSON (absent: deleted, or never seen): the rows as last captured or received. */
  private shown: Map<RecordKey, string> | null = null;
  /** Which of these tables were written since they were last captured (held-versions.ts). */
  private readonly changed: ChangedRows;

  constructor(
    private readonly db: IhyidDb,
    private readonly sealer: ContactSealer,
    private readonly clock: HlcClock,
    private readonly held: HeldVersions,
  ) {
    this.changed = new ChangedRows(db, REPLICATED_TABLES.map((t) => t.table));
  }

  /**
   * `capture` of the tables written since they were last captured here (all of them the first time):
   * a sync when little changed reads only what changed. A write that lands after this is seen by the
   * next call (and, with the automatic sync on, starts one itself).
   */
  async captureChanged(): Promise<number> {
    const dirty = new Set<string>();
    for (const t of REPLICATED_TABLES) {
      const rows = this.changed.take(t.table);
      if (rows === 'all' || rows.size > 0) dirty.add(t.table);
    }
    if (dirty.size === 0) return 0;
    try {
      return await this.capture(dirty);
    } catch (error) {
      for (const table of dirty) this.changed.restore(table);
      throw error;
    }
  }

  tables(only?: ReadonlySet<string>): Table[] {
    return REPLICATED_TABLES.filter((t) => !only || only.has(t.table)).map((t) => this.db.table(t.table));
  }

  /**
   * Versions the rows of these tables (all when `only` is absent) that differ from what their records
   * show, and tombstones the records whose rows are gone; one transaction per table. Returns how many.
   */
  async capture(only?: ReadonlySet<string>): Promise<number> {
    let made = 0;
    await this.prepare();
    for (const t of REPLICATED_TABLES) {
      if (only && !only.has(t.table)) continue;
      made += await this.db.transaction('rw', [...versionTables(this.db), this.db.table(t.table)], async () => {
        await this.held.begin();
        const shown = this.shown!;
        // What changed (a row to put, or null: gone), then every changed record's heads at once.
        const changed = new Map<RecordKey, { row: Record<string, unknown>; json: string } | null>();
        const present = new Set<RecordKey>();
        for (const row of replicatedRows(t, (await this.db.table(t.table).toArray()) as Record<string, unknown>[])) {
          const record = tableRecord(t, String(row[t.key]));
          present.add(record);
          const json = stableJson(row);
          if (shown.get(record) !== json) changed.set(record, { row, json });
        }
        for (const record of shown.keys()) if (record.startsWith(`${t.collection}/`) && !present.has(record)) changed.set(record, null);
        const heads = await this.held.headIds([...changed.keys()]);
        const versions: RecordVersion[] = [];
        for (const [record, put] of changed) {
          const parents = heads.get(record) ?? [];
          versions.push(put ? makeVersion(this.clock, { record, parents, op: 'put', data: this.sealer.sealValue(record, put.row) }) : makeVersion(this.clock, { record, parents, op: 'delete' }));
          if (put) shown.set(record, put.json);
          else shown.delete(record);
        }
        await this.held.write(versions.map(toRow));
        return versions.length;
      });
    }
    return made;
  }

  /**
   * Received versions of these records are stored (inside the caller's transaction, which holds the
   * tables): each row becomes what its record shows, unless it changed here since it was captured.
   */
  async materialise(records: readonly RecordKey[]): Promise<void> {
    // A Dexie promise first, even with nothing to do: an async function that returns at once leaves the caller's transaction zone.
    await this.held.begin();
    const mine = records.filter((r) => replicatedTableOf(r));
    if (mine.length === 0) return;
    // `prepare` ran before the caller's transaction began.
    const shown = this.shown!;
    const all = (await this.held.rowsOf(mine)).map(toVersion);
    const heads = headsByRecord(all);
    for (const record of mine) {
      const t = replicatedTableOf(record)!;
      const list = heads.get(record);
      if (!list) continue;
      const winner = winnerOf(stateOf(record, list));
      const value = winner ? this.sealer.openValue(record, winner.body.data!) : null;
      // The row's key: from the winner, else from any put of the record (a tombstone carries no data).
      const anyPut = winner ?? all.find((v) => v.body.record === record && v.body.op === 'put');
      if (!anyPut) continue;
      const key = String((value ?? (this.sealer.openValue(record, anyPut.body.data!) as Record<string, unknown>))[t.key as never]);
      const table = this.db.table(t.table);
      const current = (await table.get(key)) as unknown;
      const currentJson = current === undefined ? undefined : stableJson(current);
      // Changed here and not yet captured: the capture will supersede every head.
      if (currentJson !== shown.get(record)) continue;
      if (value) {
        await table.put(value);
        shown.set(record, stableJson(value));
      } else {
        await table.delete(key);
        shown.delete(record);
      }
    }
  }

  /**
   * A record none of whose versions is held any more (a revoked device's, removed: sync-store.ts
   * `purgeRevoked`): its row goes, found by the key in `data`, the removed version's sealed value.
   */
  async remove(record: RecordKey, data: string): Promise<void> {
    const t = replicatedTableOf(record);
    if (!t) return;
    const value = this.sealer.openValue(record, data) as Record<string, unknown>;
    await this.db.table(t.table).delete(String(value[t.key as never]));
    this.shown?.delete(record);
  }

  /**
   * Built once from the versions held, outside any transaction: what each record of these collections
   * shows. A caller of `materialise` calls this before its transaction: awaiting an async function that
   * reads (a native promise) inside a Dexie transaction leaves its zone, and what follows runs outside it.
   */
  async prepare(): Promise<void> {
    if (!this.shown) await this.load();
  }

  private async load(): Promise<Map<RecordKey, string>> {
    const shown = new Map<RecordKey, string>();
    for (const t of REPLICATED_TABLES) {
      const versions = (await this.held.read(() => this.held.rowsOf(this.held.recordsStartingWith(`${t.collection}/`)))).map(toVersion);
      for (const [record, list] of headsByRecord(versions)) {
        const winner = winnerOf(stateOf(record, list));
        if (winner) shown.set(record, stableJson(this.sealer.openValue(record, winner.body.data!)));
      }
    }
    return (this.shown ??= shown);
  }
}

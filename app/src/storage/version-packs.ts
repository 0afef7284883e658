import { compareItems } from '@ihyid/shared';
import type { SyncMetaRow, SyncVersionRow, VersionKeysRow, VersionPackRow } from './records';

/**
 * X4, #16: versions to a pack (a row of `versionPacks`). A write of versions fills the newest pack when
 * it has room and the write is smaller than a pack (a caseworker's save), and starts new packs
 * otherwise (a sync's batch, an adoption), so a sync's batches of 1,000 make ten rows.
 */
export const PACK_SIZE = 100;

/** The `versionKeys` row of a pack: what a page keeps in memory of its versions (held-versions.ts). */
export function keysOfPack(pack: VersionPackRow): VersionKeysRow {
  return {
    pack: pack.pack,
    ids: pack.rows.map((row) => row.id),
    ts: pack.rows.map((row) => row.ts),
    records: pack.rows.map((row) => row.record),
    hops: pack.rows.map((row) => row.viaHops ?? []),
  };
}

/** Versions as packs numbered from `first`, in reconciliation order (`[ts+id]`), each version once: an older backup's rows (backup.ts). */
export function packVersions(rows: readonly SyncVersionRow[], first = 1): VersionPackRow[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const sorted = [...byId.values()].sort(compareItems);
  const packs: VersionPackRow[] = [];
  for (let at = 0; at < sorted.length; at += PACK_SIZE) packs.push({ pack: first + packs.length, rows: sorted.slice(at, at + PACK_SIZE) });
  return packs;
}

/** `syncMeta`'s row of the versions' stamp (held-versions.ts). */
export const STAMP = 'versions';

/** A new stamp of the versions: every writer of the packs puts one in `syncMeta` in the same transaction (held-versions.ts), a restore and the migration too. */
export const newStamp = (): SyncMetaRow => ({ key: STAMP, stamp: crypto.randomUUID() });

import type Dexie from 'dexie';
import type { IhyidDb } from '../db';
import { inlineImportFiles } from '../import-jobs';
import { SEALED_TABLES, type SealedTables } from './seal-middleware';

/** Rows re-written per transaction: bounded memory on a database of 100,000 contacts. */
const CHUNK = 2000;

/**
 * X2, issue #14 item 6: the first unlock after the upgrade seals, in place, every row an older
 * version wrote in the clear, in each database (`tables`: the organisation's, identity's, witness's). `db` is opened with keys: each row is read (opened, or taken as it is
 * when it has no seal) and put back through the middlewares, which seal it and re-derive its index
 * hashes under the index key. Idempotent: a row sealed already is only sealed again.
 */
export async function sealInPlace(db: Dexie, tables: SealedTables = SEALED_TABLES): Promise<number> {
  let rewritten = 0;
  for (const name of Object.keys(tables)) {
    const table = db.table(name);
    for (let after: unknown = null; ; ) {
      const done = await db.transaction('rw', table, async () => {
        const rows = await (after === null ? table.orderBy(':id') : table.where(':id').above(after)).limit(CHUNK).toArray();
        if (rows.length > 0) await table.bulkPut(rows);
        return rows;
      });
      rewritten += done.length;
      if (done.length < CHUNK) break;
      const last = done[done.length - 1] as Record<string, unknown>;
      after = last[table.schema.primKey.keyPath as string];
    }
  }
  return rewritten;
}

/** The organisation's database: files kept as Blobs become base64 rows first (a Blob does not survive the seal's JSON), then every table is sealed. */
export async function sealOrgInPlace(db: IhyidDb): Promise<number> {
  await inlineImportFiles(db);
  return sealInPlace(db);
}

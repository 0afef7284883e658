import type { DexieOptions } from 'dexie';
import { RecordKeys } from './at-rest/keyring';
import { readCheckItemsPage, type CheckItemsPage } from './check-results';
import { openDb } from './db';
import { dexieStores, openStores, type Stores } from './stores';

let plainStores: Stores | null = null;

/**
 * X1, X2, R9: one page of check items as a check worker reads it, on a connection of its own. A
 * checker's page never calls a contact read (its stores refuse them, role-guard.ts): the worker
 * reads the records here, unguarded, and only the items cross back (contact id, phonetic id, match
 * keys; no field). While unlocked, the data key comes with each page and is dropped after it.
 */
export async function workerCheckItemsPage(after: string | null, upTo: string | undefined, dataKey: Uint8Array | null, name = 'ihyid', options?: DexieOptions): Promise<CheckItemsPage> {
  if (dataKey === null) return readCheckItemsPage((plainStores ??= openStores(name, options)).contacts, after, upTo);
  const keys = new RecordKeys(dataKey, (n) => crypto.getRandomValues(new Uint8Array(n)));
  dataKey.fill(0);
  const db = openDb(name, options, undefined, { keys: () => keys });
  try {
    return await readCheckItemsPage(dexieStores(db).contacts, after, upTo);
  } finally {
    db.close();
    keys.destroy();
  }
}

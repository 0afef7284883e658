import type { DexieOptions } from 'dexie';
import { RecordKeys } from './at-rest/keyring';
import { CHECK_ITEMS_PAGE, checkItemsPageOf, type CheckItemsPage } from './check-results';
import { openStoredContacts, rawDb } from './raw-rows';

/**
 * X1, X2, R9, #11: one page of check items as a check worker reads it, ids (after, upTo], on a
 * connection of its own. A checker's page never calls a contact read (its stores refuse them,
 * role-guard.ts): the worker reads the records here, unguarded, and only the items cross back
 * (contact id, phonetic id, match keys; no field). The rows are read as stored, then opened all at
 * once on WebCrypto's AES-GCM while unlocked (RecordKeys.openMany: the page's reads go through
 * noble's, inside transactions, several times slower), then checked against the contacts' row
 * schema like every read (row-schemas.ts). The data key comes with each page and goes after it.
 */
export async function workerCheckItemsPage(after: string | null, upTo: string | undefined, dataKey: Uint8Array | null, name = 'ihyid', options?: DexieOptions): Promise<CheckItemsPage> {
  const keys = dataKey && new RecordKeys(dataKey, (n) => crypto.getRandomValues(new Uint8Array(n)));
  dataKey?.fill(0);
  try {
    const db = await rawDb(name, options);
    // The page's own connection creates the tables; a database without them holds no contacts.
    if (!db.tables.some((t) => t.name === 'contacts')) return { items: [], last: null };
    const contacts = db.table('contacts');
    const ids = contacts.where(':id');
    const range = upTo === undefined ? (after === null ? contacts.toCollection() : ids.above(after)) : after === null ? ids.belowOrEqual(upTo) : ids.between(after, upTo, false, true);
    const stored = (await range.limit(CHECK_ITEMS_PAGE).toArray()) as Record<string, unknown>[];
    return await checkItemsPageOf(await openStoredContacts(name, keys, stored), CHECK_ITEMS_PAGE);
  } finally {
    keys?.destroy();
  }
}

import Dexie, { type DexieOptions } from 'dexie';
import { IHYID_ROWS, type Contact } from '@ihyid/shared';
import type { RecordKeys } from './at-rest/keyring';
import { openRows, SEALED_TABLES } from './at-rest/seal-middleware';
import { StoredRowError } from './row-schemas';
import { contactPacksMiddleware } from './contact-packs';

/**
 * X2: bulk reads that open many sealed rows at once on WebCrypto's AES-GCM, outside any transaction
 * (RecordKeys.openMany), where the app's own connection opens each row with the synchronous AES-GCM
 * an IndexedDB transaction needs, several times slower: a check worker's pages of contacts, and the
 * contacts `adopt` gives a first version (sync-store.ts).
 */

/** This context's `rawConnection` to each database, opened once. */
const raw = new Map<string, Promise<Dexie>>();

/**
 * A new connection to a database as stored, past the app's middleware but for the contacts' layout
 * (contact-packs.ts): the `contacts` table's rows as the seal left them. `rawDb` keeps one per name;
 * tests open their own to write past the app.
 */
export function rawConnection(name: string, options?: DexieOptions): Dexie {
  const dexie = new Dexie(name, options);
  dexie.use(contactPacksMiddleware());
  return dexie;
}

export function rawDb(name: string, options?: DexieOptions): Promise<Dexie> {
  let db = raw.get(name);
  if (!db) {
    const dexie = rawConnection(name, options);
    // A newer schema elsewhere (an update, another tab): let it upgrade; the next read opens again.
    dexie.on('versionchange', () => {
      dexie.close();
      raw.delete(name);
    });
    db = dexie.open();
    db.catch(() => raw.delete(name));
    raw.set(name, db);
  }
  return db;
}

/**
 * Contacts rows read as stored, opened (when `keys` are given: a sealed database) and checked against
 * the contacts' row schema like every read (row-schemas.ts). Their index fields are still on them.
 */
export async function openStoredContacts(name: string, keys: RecordKeys | null, stored: readonly Record<string, unknown>[]): Promise<Contact[]> {
  const rows = keys ? await openRows(keys, 'contacts', SEALED_TABLES.contacts!, stored) : stored;
  for (const row of rows) if (!IHYID_ROWS.contacts!(row)) throw new StoredRowError(name, 'contacts');
  return rows as unknown as Contact[];
}

import { HlcClock } from '@ihyid/shared';
import { RecordKeys } from './at-rest/keyring';
import { openDb, type IhyidDb, type SyncVersionRow } from './db';
import { DexieContactStore } from './dexie-stores';
import { DexieSyncStore, type Provenance } from './sync-store';
import { SyncedContactStore } from './synced-contacts';

/**
 * Fresh app databases for tests (fake-indexeddb): `open(name?)` opens one (a given name reopens what
 * a test wrote there at an older schema); `closeAll` closes and deletes them, for `afterEach`.
 */
export function testDbs(prefix: string): { open(name?: string): IhyidDb; closeAll(): Promise<void> } {
  const opened: IhyidDb[] = [];
  return {
    open(name = `${prefix}-${opened.length}-${Math.random()}`) {
      const db = openDb(name);
      opened.push(db);
      return db;
    },
    async closeAll() {
      for (const db of opened.splice(0)) {
        db.close();
        await db.delete();
      }
    },
  };
}

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));

/**
 * One device of an organisation for sync tests: its sealed database (under `dataKey`), its sync store
 * with an HLC named `node`, and its synced contacts. Pushes the database to `opened` for `afterEach`.
 */
export function syncDevice(opened: IhyidDb[], node: string, dataKey: Uint8Array, now = () => Date.parse('2026-12-05T08:00:00Z')) {
  const keys = new RecordKeys(dataKey, random);
  const db = openDb(`sync-${node}-${Math.random()}`, undefined, undefined, { keys: () => keys });
  opened.push(db);
  const sync = new DexieSyncStore(db, () => keys, new HlcClock(node, now));
  const contacts = new SyncedContactStore(db, new DexieContactStore(db), sync);
  return { db, sync, contacts };
}

/** A sync's other side in tests that are not about revocations (§6.7): a device none has revoked. */
export const fromDevice = (peer = 'e5'.repeat(32), now = () => Date.parse('2026-12-05T08:00:00Z')): Provenance => ({ peer, now, revokedAt: async () => new Map() });

/** Every version a database holds, as stored in its packs (held-versions.ts), read around any HeldVersions. */
export const storedVersions = async (db: IhyidDb): Promise<SyncVersionRow[]> => (await db.versionPacks.toArray()).flatMap((pack) => pack.rows);

import type { DexieOptions } from 'dexie';
import type { CheckResultStore, ContactStore, InvitationStore } from '@ihyid/shared';
import type { RecordKeys } from './at-rest/keyring';
import { openDb, type IhyidDb } from './db';
import { DexieContactStore } from './dexie-stores';
import { DexieCheckResultStore, DexieInvitationStore } from './partner-stores';
import { DexieHeldRowStore, type HeldRowStore } from './import-held';
import { DexieImportJobStore, type ImportJobStore } from './import-jobs';
import { DexieProfileStore, type ProfileStore } from './profile';
import { DexieSettingsStore, type SettingsStore } from './settings';
import type { DexieSyncStore } from './sync-store';

/**
 * Every store of the organisation's data. Features receive these (AppDeps.stores, or `openStores`
 * in a worker) and never the Dexie database: storage/ is the only code that names a table.
 */
export interface Stores {
  contacts: ContactStore;
  checks: CheckResultStore;
  invitations: InvitationStore;
  settings: SettingsStore;
  imports: ImportJobStore;
  /** #12: rows imports held for review, and the decisions about them. */
  held: HeldRowStore;
  profile: ProfileStore;
  /** X4: the organisation's record versions; null on a device without a data key (X2), which cannot sync. */
  sync: DexieSyncStore | null;
}

/** The stores of a device without a data key (X2), which cannot sync; synced-stores.ts adds the sync. */
export function dexieStores(db: IhyidDb): Stores {
  const contacts = new DexieContactStore(db);
  return {
    contacts,
    sync: null,
    checks: new DexieCheckResultStore(db),
    invitations: new DexieInvitationStore(db),
    settings: new DexieSettingsStore(db),
    imports: new DexieImportJobStore(db),
    held: new DexieHeldRowStore(db, contacts, false),
    profile: new DexieProfileStore(db),
  };
}

/** A worker's own connection to the same database, behind the same stores; sealed under `keys` once X2 is on. */
export function openStores(name = 'ihyid', options?: DexieOptions, keys?: RecordKeys): Stores {
  return dexieStores(openDb(name, options, undefined, keys ? { keys: () => keys } : undefined));
}

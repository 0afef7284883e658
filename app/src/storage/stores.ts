import type { DexieOptions } from 'dexie';
import { HlcClock, parseHlc, type CheckResultStore, type ContactStore, type InvitationStore } from '@ihyid/shared';
import type { RecordKeys } from './at-rest/keyring';
import { openDb, type IhyidDb } from './db';
import { DexieCheckResultStore, DexieContactStore, DexieInvitationStore } from './dexie-stores';
import { DexieImportJobStore, type ImportJobStore } from './import-jobs';
import { DexieProfileStore, type ProfileStore } from './profile';
import { DexieSettingsStore, type SettingsStore } from './settings';
import { DexieSyncStore } from './sync-store';
import { SyncedContactStore } from './synced-contacts';

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
  profile: ProfileStore;
  /** X4: the organisation's record versions; null on a device without a data key (X2), which cannot sync. */
  sync: DexieSyncStore | null;
}

export function dexieStores(db: IhyidDb, sync: DexieSyncStore | null = null): Stores {
  const contacts = new DexieContactStore(db);
  return {
    contacts: sync ? new SyncedContactStore(db, contacts, sync) : contacts,
    sync,
    checks: new DexieCheckResultStore(db),
    invitations: new DexieInvitationStore(db),
    settings: new DexieSettingsStore(db),
    imports: new DexieImportJobStore(db),
    profile: new DexieProfileStore(db),
  };
}

/** A worker's own connection to the same database, behind the same stores; sealed under `keys` once X2 is on. */
export function openStores(name = 'ihyid', options?: DexieOptions, keys?: RecordKeys): Stores {
  return dexieStores(openDb(name, options, undefined, keys ? { keys: () => keys } : undefined));
}

/** The setting holding this device's HLC node: random, made once, never shown. */
const SYNC_NODE = 'sync-node';

/**
 * X4: the stores of a protected device (X2), whose contact writes make record versions. Its clock
 * starts after the newest stamp it holds, so a restart (or a wrong wall clock) never runs backwards.
 */
export async function syncedStores(db: IhyidDb, keys: RecordKeys, randomBytes: (n: number) => Uint8Array, now: () => number): Promise<Stores> {
  const settings = new DexieSettingsStore(db);
  let node = await settings.get(SYNC_NODE);
  if (typeof node !== 'string' || !/^[0-9a-z]{1,64}$/.test(node)) {
    node = [...randomBytes(10)].map((b) => (b % 36).toString(36)).join('');
    await settings.update(SYNC_NODE, () => node, new Date(now()));
  }
  const newest = await db.syncVersions.orderBy('[ts+id]').last();
  const start = newest ? (parseHlc(newest.body.hlc) ?? undefined) : undefined;
  const clock = new HlcClock(node as string, now, undefined, start);
  return dexieStores(db, new DexieSyncStore(db, () => keys, clock));
}

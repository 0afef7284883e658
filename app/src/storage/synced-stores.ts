import { HlcClock, parseHlc } from '@ihyid/shared';
import type { RecordKeys } from './at-rest/keyring';
import type { IhyidDb } from './db';
import { HeldVersions } from './held-versions';
import { DexieHeldRowStore } from './import-held';
import { DexieSettingsStore } from './settings';
import { dexieStores, type Stores } from './stores';
import { DexieSyncStore } from './sync-store';
import { SyncedContactStore } from './synced-contacts';

// A module of its own: only a protected device syncs, so the sync code loads with the unlock
// (main.tsx imports this dynamically), not with every first visit (#12 item 9).

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
  // The sync store's clock is made with it: the newest version is read through a first HeldVersions (then kept).
  const held = new HeldVersions(db);
  const newest = await held.newest();
  const start = newest ? (parseHlc(newest.body.hlc) ?? undefined) : undefined;
  const clock = new HlcClock(node as string, now, undefined, start);
  const sync = new DexieSyncStore(db, () => keys, clock, held);
  const stores = dexieStores(db);
  const contacts = new SyncedContactStore(db, stores.contacts, sync);
  // #12: held rows decided on a syncing device record versions through the synced contacts.
  return { ...stores, contacts, held: new DexieHeldRowStore(db, contacts, true), sync };
}

import Dexie, { type EntityTable } from 'dexie';
import { Role } from '@ihyid/shared';
import type { DeriveKek, KdfParams, WrappedDataKey } from './keyring';

/** X1: one local user of this device. Names and roles stay on the device: nothing syncs or travels them. */
export interface LocalUser {
  name: string;
  role: Role;
}

/** A user as stored: the data key wrapped under their own passphrase (Argon2id, the vault's parameters). */
export interface UserRow extends LocalUser {
  key: WrappedDataKey;
  /** Epoch ms: the unlock screen lists users oldest first. */
  createdAt: number;
}

/**
 * X1, X2, X3: the data key wrapped once per local user (table `users`: name, role, wrapped key), in
 * a database of its own ('ihyid-keys') readable before unlock: it holds no secret in the clear, only
 * the user names the unlock screen lists (they never leave the device). The device row counts failed
 * attempts for the whole device, whichever user was tried, so a reload or another name does not
 * reset the delay (X2: repeated failures slow down; nothing is ever wiped).
 */
interface DeviceRow {
  id: 'data-key';
  /** Schema v1 only: the single passphrase's wrapped key, moved to the user "admin" by v2. */
  key?: WrappedDataKey;
  failures: number;
  /** Epoch ms before which no attempt is tried. */
  notBefore: number;
  /** Set once `sealInPlace` has sealed what was stored before the passphrase. */
  sealed?: boolean;
}

export type VaultDb = Dexie & { vault: EntityTable<DeviceRow, 'id'>; users: EntityTable<UserRow, 'name'> };

/** The name a single-passphrase vault's user gets when it becomes the first user (X1 migration). */
export const FIRST_ADMIN = 'admin';

export function openVaultDb(name = 'ihyid-keys'): VaultDb {
  const db = new Dexie(name) as VaultDb;
  db.version(1).stores({ vault: 'id' });
  db.version(2)
    .stores({ vault: 'id', users: 'name' })
    .upgrade(async (tx) => {
      const row = (await tx.table('vault').get('data-key')) as DeviceRow | undefined;
      if (!row?.key) return;
      await tx.table('users').add({ name: FIRST_ADMIN, role: Role.Admin, key: row.key, createdAt: 0 } satisfies UserRow);
      const { key: _moved, ...device } = row;
      await tx.table('vault').put(device);
    });
  return db;
}

export interface VaultDeps {
  derive: DeriveKek;
  randomBytes(n: number): Uint8Array;
  now(): number;
  kdf?: KdfParams;
}

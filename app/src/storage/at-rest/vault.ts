import { err, ok, Role, type Result } from '@ihyid/shared';
import { UserAccounts } from './accounts';
import type { RecordKeys } from './keyring';
import type { LocalUser, VaultDb, VaultDeps } from './vault-db';
import { DATA_KEY_BYTES, VaultError } from './vault-rules';

// The ciphers (AES-GCM, HKDF, HMAC) load with the first key made or opened: the unlock screen paints
// without them (#12 item 9).
const keyring = () => import('./keyring');

export { FIRST_ADMIN, openVaultDb, type LocalUser, type UserRow, type VaultDb, type VaultDeps } from './vault-db';

/** The wait before attempt number `attempt` after as many failures in a row: none before the second, then 1 s doubling, at most 5 minutes. */
export function failureDelayMs(attempt: number): number {
  return attempt <= 1 ? 0 : Math.min(300_000, 1000 * 2 ** (attempt - 2));
}

export const UnlockError = { ...VaultError, TooSoon: 'too-soon', NoVault: 'no-vault' } as const;
export type UnlockError = (typeof UnlockError)[keyof typeof UnlockError];

/** What an unlock gives: the record keys, and who unlocked (their role builds the session's stores). */
export interface Unlocked {
  keys: RecordKeys;
  user: LocalUser;
}

export class Vault {
  constructor(
    private readonly db: VaultDb,
    private readonly deps: VaultDeps,
  ) {}

  async exists(): Promise<boolean> {
    return (await this.db.users.count()) > 0;
  }

  /** The users the unlock screen lists, oldest first (names and roles only). */
  async users(): Promise<LocalUser[]> {
    const rows = await this.db.users.toArray();
    return rows.sort((a, b) => a.createdAt - b.createdAt || (a.name < b.name ? -1 : 1)).map(({ name, role }) => ({ name, role }));
  }

  /** First protection: a fresh data key, wrapped for the first user, an admin. Refused if one exists (never replaced silently). */
  async create(name: string, passphrase: string): Promise<Unlocked> {
    const dataKey = this.deps.randomBytes(DATA_KEY_BYTES);
    try {
      return await this.adopt(dataKey, name, passphrase);
    } finally {
      dataKey.fill(0);
    }
  }

  /**
   * X4: a device paired into an organisation (devices/pairing-flow.ts) wraps the organisation's data
   * key it received for its first user, an admin of this device. Refused if one exists, like `create`.
   */
  async adopt(dataKey: Uint8Array, name: string, passphrase: string): Promise<Unlocked> {
    if (dataKey.length !== DATA_KEY_BYTES) throw new Error('a data key is 32 bytes');
    const user: LocalUser = { name: name.trim(), role: Role.Admin };
    if (!UserAccounts.validName(user.name)) throw new Error('a user name is 1 to 80 characters');
    const { wrapDataKey } = await keyring();
    const key = await wrapDataKey(dataKey, passphrase, this.deps.derive, this.deps.randomBytes, this.deps.kdf);
    await this.db.transaction('rw', this.db.vault, this.db.users, async () => {
      if ((await this.db.users.count()) > 0) throw new Error('a data key already exists on this device');
      await this.db.users.add({ ...user, key, createdAt: this.deps.now() });
      const device = await this.db.vault.get('data-key');
      await this.db.vault.put({ ...device, id: 'data-key', failures: 0, notBefore: 0 });
    });
    return { keys: await this.keysOf(Uint8Array.from(dataKey)), user };
  }

  /**
   * The record keys and the user, or why not: a wrong passphrase or an unknown name (both counted,
   * one counter for the device), or too soon after one (with the time to wait).
   */
  async unlock(name: string, passphrase: string): Promise<Result<Unlocked, { code: UnlockError; waitMs?: number }>> {
    if (!(await this.exists())) return err({ code: UnlockError.NoVault });
    const device = (await this.db.vault.get('data-key')) ?? { id: 'data-key' as const, failures: 0, notBefore: 0 };
    const now = this.deps.now();
    if (now < device.notBefore) return err({ code: UnlockError.TooSoon, waitMs: device.notBefore - now });
    const row = await this.db.users.get(name);
    const { unwrapDataKey } = await keyring();
    const opened = row ? await unwrapDataKey(row.key, passphrase, this.deps.derive) : err(VaultError.WrongPassphrase);
    if (!row || !opened.ok) {
      const failures = device.failures + 1;
      await this.db.vault.put({ ...device, failures, notBefore: this.deps.now() + failureDelayMs(failures + 1) });
      return err({ code: UnlockError.WrongPassphrase, waitMs: failureDelayMs(failures + 1) });
    }
    if (device.failures > 0) await this.db.vault.put({ ...device, failures: 0, notBefore: 0 });
    return ok({ keys: await this.keysOf(opened.value), user: { name: row.name, role: row.role } });
  }

  /** X1: the user administration of an unlocked session; every change checks that `actor` is an admin. */
  accounts(keys: RecordKeys, actor: LocalUser): UserAccounts {
    return new UserAccounts(this.db, this.deps, keys, actor);
  }

  /** Whether the rows stored before the passphrase have been sealed (`sealInPlace`). */
  async sealed(): Promise<boolean> {
    return (await this.db.vault.get('data-key'))?.sealed === true;
  }

  async markSealed(): Promise<void> {
    await this.db.vault.update('data-key', { sealed: true });
  }

  private async keysOf(dataKey: Uint8Array): Promise<RecordKeys> {
    const { RecordKeys } = await keyring();
    const keys = new RecordKeys(dataKey, this.deps.randomBytes);
    dataKey.fill(0);
    return keys;
  }
}

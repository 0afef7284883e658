import { err, isRole, ok, Role, RoleForbiddenError, type Result } from '@ihyid/shared';
import type { RecordKeys, WrappedDataKey } from './keyring';
import { MIN_PASSPHRASE } from './vault-rules';
import type { LocalUser, VaultDb, VaultDeps } from './vault-db';

/** Why a change to the users was refused; each has a sentence in the `security` catalog (`security.account-<code>`). */
export const AccountError = {
  InvalidName: 'name-invalid',
  Exists: 'exists',
  NotFound: 'not-found',
  LastAdmin: 'last-admin',
  TooShort: 'too-short',
} as const;
export type AccountError = (typeof AccountError)[keyof typeof AccountError];

const MAX_NAME = 80;

/**
 * X1: adding, re-rolling, removing users and resetting their passphrases. Built for one unlocked
 * session: new wraps need the data key (`keys`). Every call first reads the actor's own row and
 * refuses (RoleForbiddenError) unless it is an admin now, so a page whose admin was demoted since
 * unlock cannot keep administering. The last admin is never removed nor demoted.
 */
export class UserAccounts {
  constructor(
    private readonly db: VaultDb,
    private readonly deps: VaultDeps,
    private readonly keys: RecordKeys,
    private readonly actor: LocalUser,
  ) {}

  static validName(name: string): boolean {
    return name.length >= 1 && name.length <= MAX_NAME && !/[\u0000-\u001f]/.test(name);
  }

  async add(name: string, role: Role, passphrase: string): Promise<Result<LocalUser, AccountError>> {
    await this.mustBeAdmin('add a user');
    const user = { name: name.trim(), role };
    if (!UserAccounts.validName(user.name) || !isRole(role)) return err(AccountError.InvalidName);
    if (passphrase.length < MIN_PASSPHRASE) return err(AccountError.TooShort);
    if (await this.db.users.get(user.name)) return err(AccountError.Exists);
    const key = await this.wrap(passphrase);
    const added = await this.db.transaction('rw', this.db.users, async () => {
      if (await this.db.users.get(user.name)) return false;
      await this.db.users.add({ ...user, key, createdAt: this.deps.now() });
      return true;
    });
    return added ? ok(user) : err(AccountError.Exists);
  }

  async setRole(name: string, role: Role): Promise<Result<LocalUser, AccountError>> {
    await this.mustBeAdmin('change a role');
    if (!isRole(role)) return err(AccountError.InvalidName);
    return this.db.transaction('rw', this.db.users, async () => {
      const row = await this.db.users.get(name);
      if (!row) return err(AccountError.NotFound);
      if (row.role === Role.Admin && role !== Role.Admin && (await this.adminCount()) <= 1) return err(AccountError.LastAdmin);
      await this.db.users.update(name, { role });
      return ok({ name, role });
    });
  }

  /** The removed user's wrapped key is deleted: their passphrase no longer opens anything on this device. */
  async remove(name: string): Promise<Result<void, AccountError>> {
    await this.mustBeAdmin('remove a user');
    return this.db.transaction('rw', this.db.users, async () => {
      const row = await this.db.users.get(name);
      if (!row) return err(AccountError.NotFound);
      if (row.role === Role.Admin && (await this.adminCount()) <= 1) return err(AccountError.LastAdmin);
      await this.db.users.delete(name);
      return ok(undefined);
    });
  }

  /** A forgotten passphrase: an admin wraps the data key again under a new one (the old one stops working). */
  async resetPassphrase(name: string, passphrase: string): Promise<Result<void, AccountError>> {
    await this.mustBeAdmin("reset a user's passphrase");
    if (passphrase.length < MIN_PASSPHRASE) return err(AccountError.TooShort);
    if (!(await this.db.users.get(name))) return err(AccountError.NotFound);
    const key = await this.wrap(passphrase);
    const updated = await this.db.users.update(name, { key });
    return updated === 1 ? ok(undefined) : err(AccountError.NotFound);
  }

  private async wrap(passphrase: string): Promise<WrappedDataKey> {
    const dataKey = this.keys.dataKeyCopy();
    try {
      // The ciphers load with the first account change (vault.ts).
      const { wrapDataKey } = await import('./keyring');
      return await wrapDataKey(dataKey, passphrase, this.deps.derive, this.deps.randomBytes, this.deps.kdf);
    } finally {
      dataKey.fill(0);
    }
  }

  private async adminCount(): Promise<number> {
    return (await this.db.users.toArray()).filter((u) => u.role === Role.Admin).length;
  }

  private async mustBeAdmin(operation: string): Promise<void> {
    const row = await this.db.users.get(this.actor.name);
    if (row?.role !== Role.Admin) throw new RoleForbiddenError(row?.role ?? this.actor.role, operation);
  }
}

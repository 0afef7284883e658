import Dexie, { type EntityTable } from 'dexie';
import { err, ok, type Result } from '@ihyid/shared';
import { DATA_KEY_BYTES, RecordKeys, unwrapDataKey, VaultError, wrapDataKey, type DeriveKek, type KdfParams, type WrappedDataKey } from './keyring';

/**
 * X2, X3: the wrapped data key, in a database of its own ('ihyid-keys'), readable before unlock:
 * it holds no secret in the clear. Failed attempts are counted here too, so a reload does not reset
 * the delay (X2: repeated failures slow down; nothing is ever wiped).
 */
interface VaultRow {
  id: 'data-key';
  key: WrappedDataKey;
  failures: number;
  /** Epoch ms before which no attempt is tried. */
  notBefore: number;
  /** Set once `sealInPlace` has sealed what was stored before the passphrase. */
  sealed?: boolean;
}

type VaultDb = Dexie & { vault: EntityTable<VaultRow, 'id'> };

export function openVaultDb(name = 'ihyid-keys'): VaultDb {
  const db = new Dexie(name) as VaultDb;
  db.version(1).stores({ vault: 'id' });
  return db;
}

/** The wait before attempt number `attempt` after as many failures in a row: none before the second, then 1 s doubling, at most 5 minutes. */
export function failureDelayMs(attempt: number): number {
  return attempt <= 1 ? 0 : Math.min(300_000, 1000 * 2 ** (attempt - 2));
}

export const UnlockError = { ...VaultError, TooSoon: 'too-soon', NoVault: 'no-vault' } as const;
export type UnlockError = (typeof UnlockError)[keyof typeof UnlockError];

export interface VaultDeps {
  derive: DeriveKek;
  randomBytes(n: number): Uint8Array;
  now(): number;
  kdf?: KdfParams;
}

export class Vault {
  constructor(
    private readonly db: VaultDb,
    private readonly deps: VaultDeps,
  ) {}

  async exists(): Promise<boolean> {
    return (await this.db.vault.get('data-key')) !== undefined;
  }

  /** First run: a fresh data key, wrapped under the passphrase. Refused if one exists (never replaced silently). */
  async create(passphrase: string): Promise<RecordKeys> {
    const dataKey = this.deps.randomBytes(DATA_KEY_BYTES);
    try {
      return await this.adopt(dataKey, passphrase);
    } finally {
      dataKey.fill(0);
    }
  }

  /**
   * X4: a device paired into an organisation (devices/pairing-flow.ts) wraps the organisation's data
   * key it received under its own passphrase. Refused if one exists, like `create`.
   */
  async adopt(dataKey: Uint8Array, passphrase: string): Promise<RecordKeys> {
    if (dataKey.length !== DATA_KEY_BYTES) throw new Error('a data key is 32 bytes');
    const key = await wrapDataKey(dataKey, passphrase, this.deps.derive, this.deps.randomBytes, this.deps.kdf);
    await this.db.transaction('rw', this.db.vault, async () => {
      if (await this.db.vault.get('data-key')) throw new Error('a data key already exists on this device');
      await this.db.vault.add({ id: 'data-key', key, failures: 0, notBefore: 0 });
    });
    return this.keysOf(Uint8Array.from(dataKey));
  }

  /** The record keys, or why not: a wrong passphrase (counted), or too soon after one (with the time to wait). */
  async unlock(passphrase: string): Promise<Result<RecordKeys, { code: UnlockError; waitMs?: number }>> {
    const row = await this.db.vault.get('data-key');
    if (!row) return err({ code: UnlockError.NoVault });
    const now = this.deps.now();
    if (now < row.notBefore) return err({ code: UnlockError.TooSoon, waitMs: row.notBefore - now });
    const opened = await unwrapDataKey(row.key, passphrase, this.deps.derive);
    if (!opened.ok) {
      const failures = row.failures + 1;
      await this.db.vault.update('data-key', { failures, notBefore: this.deps.now() + failureDelayMs(failures + 1) });
      return err({ code: UnlockError.WrongPassphrase, waitMs: failureDelayMs(failures + 1) });
    }
    if (row.failures > 0) await this.db.vault.update('data-key', { failures: 0, notBefore: 0 });
    return ok(this.keysOf(opened.value));
  }

  /** Whether the rows stored before the passphrase have been sealed (`sealInPlace`). */
  async sealed(): Promise<boolean> {
    return (await this.db.vault.get('data-key'))?.sealed === true;
  }

  async markSealed(): Promise<void> {
    await this.db.vault.update('data-key', { sealed: true });
  }

  private keysOf(dataKey: Uint8Array): RecordKeys {
    const keys = new RecordKeys(dataKey, this.deps.randomBytes);
    dataKey.fill(0);
    return keys;
  }
}

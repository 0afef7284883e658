import type { LocalUser } from './vault-db';
import type { RecordKeys } from './keyring';
import type { Vault } from './vault';

/**
 * X1, X2 on this page: the vault, and while unlocked the record keys and the user who unlocked
 * (null for both: no passphrase set on this device yet, so it has no users and no roles).
 */
export interface AtRestSession {
  vault: Vault;
  keys: RecordKeys | null;
  user: LocalUser | null;
}

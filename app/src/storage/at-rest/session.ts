import type { RecordKeys } from './keyring';
import type { Vault } from './vault';

/** X2 on this page: the vault, and the record keys while unlocked (null: no passphrase set on this device yet). */
export interface AtRestSession {
  vault: Vault;
  keys: RecordKeys | null;
}

/**
 * X2's rules the screens check before any key is made: plain values, without keyring.ts's ciphers,
 * so that the unlock and set-up screens paint before the crypto has loaded (#12 item 9).
 */

export const DATA_KEY_BYTES = 32;
/** X2: passphrases shorter than this are refused: Argon2id slows guessing, it cannot make a short one safe. */
export const MIN_PASSPHRASE = 10;

export const VaultError = { WrongPassphrase: 'wrong-passphrase' } as const;
export type VaultError = (typeof VaultError)[keyof typeof VaultError];

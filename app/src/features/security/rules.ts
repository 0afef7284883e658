/** X2, X3: passphrases shorter than this are refused: Argon2id slows guessing, it cannot make a short one safe. */
export const MIN_PASSPHRASE = 10;

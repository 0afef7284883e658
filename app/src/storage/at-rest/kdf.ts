import sodium from 'libsodium-wrappers-sumo';
import type { DeriveKek, KdfParams } from './keyring';

/**
 * Argon2id (RFC 9106) through libsodium's WebAssembly build, already loaded for ristretto255:
 * measured about 4x faster than @noble/hashes' argon2id in the same engine (bench/kdf.mjs), which
 * decides how much memory half a second buys. The app runs it in a worker.
 */
/** Resolves once libsodium's module is compiled: a worker prepared ahead of an unlock calls it first. */
export const kdfReady = async (): Promise<void> => {
  await sodium.ready;
};

export const argon2idKek: DeriveKek = async (passphrase: string, salt: Uint8Array, params: KdfParams) => {
  await sodium.ready;
  return sodium.crypto_pwhash(32, passphrase.normalize('NFC'), salt, params.ops, params.memKiB * 1024, sodium.crypto_pwhash_ALG_ARGON2ID13);
};

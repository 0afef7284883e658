import { bytesToHex, hexToBytes } from '../core/hex.js';
import { registrationPrefix } from './pow.js';
import type { RandomBytes } from '../core/random.js';
import { signEvent, type LedgerEvent } from './events.js';
import type { PublicKeyHex, Signer } from './keys.js';

/**
 * I2: registering an installation. The app draws a 16-byte seed, solves the proof of work over
 * `registrationPrefixFor(key, seed)` in its workers, then publishes `registerEvent`.
 */
export const newRegistrationSeed = (random: RandomBytes): string => bytesToHex(random(16));

/** cd = SHA-256(publicKey ‖ seed16): the 32-byte prefix the workers search nonces for. */
export function registrationPrefixFor(key: PublicKeyHex, seedHex: string): Uint8Array {
  return registrationPrefix(hexToBytes(key), hexToBytes(seedHex));
}

export function registerEvent(signer: Signer, seedHex: string, nonce: number, now: number): Promise<LedgerEvent> {
  return signEvent(signer, { kind: 'register', at: now, seed: seedHex, nonce });
}

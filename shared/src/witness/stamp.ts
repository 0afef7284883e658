import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { isLowerHex } from '../core/hex.js';
import { verifyPow } from '../identity/pow.js';
import type { WitnessAlert } from './reconcile.js';

/**
 * W5: a declaration costs work, so that flooding everyone with fake alerts costs the flooder. The
 * server hands out a fresh random challenge per connection; the declaring device finds a nonce such
 * that SHA-256(prefix ‖ nonce as 8 bytes big-endian) has `bits` leading zero bits (shared/src/identity/pow.ts),
 * where the prefix binds the challenge and the exact alerts sent:
 *
 *   prefix = SHA-256( UTF-8("ihyid-witness-declare-v1") ‖ challenge (32 bytes)
 *                     ‖ for each alert, in the order sent: token (32 bytes) ‖ expiresAt (8 bytes big-endian ms) )
 *
 * A challenge is used once, so a stamp cannot be replayed; the verifier uses its own difficulty.
 */
export const DECLARATION_STAMP_DOMAIN = 'ihyid-witness-declare-v1';
export const DECLARATION_CHALLENGE_BYTES = 32;
export const DEFAULT_DECLARATION_BITS = 18;

export function isDeclarationChallenge(value: unknown): value is string {
  return typeof value === 'string' && isLowerHex(value, DECLARATION_CHALLENGE_BYTES);
}

export function declarationStampPrefix(challengeHex: string, alerts: readonly WitnessAlert[]): Uint8Array {
  if (!isDeclarationChallenge(challengeHex)) throw new RangeError('challenge must be 32 bytes of lowercase hex');
  const domain = utf8ToBytes(DECLARATION_STAMP_DOMAIN);
  const message = new Uint8Array(domain.length + DECLARATION_CHALLENGE_BYTES + alerts.length * 40);
  message.set(domain);
  message.set(hexToBytes(challengeHex), domain.length);
  const view = new DataView(message.buffer);
  let at = domain.length + DECLARATION_CHALLENGE_BYTES;
  for (const alert of alerts) {
    message.set(hexToBytes(alert.token), at);
    view.setUint32(at + 32, Math.floor(alert.expiresAt / 0x1_0000_0000));
    view.setUint32(at + 36, alert.expiresAt >>> 0);
    at += 40;
  }
  return sha256(message);
}

export function verifyDeclarationStamp(challengeHex: string, alerts: readonly WitnessAlert[], nonce: number, bits: number): boolean {
  if (!isDeclarationChallenge(challengeHex)) return false;
  return verifyPow(declarationStampPrefix(challengeHex, alerts), nonce, bits);
}

import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, isLowerHex, utf8ToBytes } from '../core/hex.js';
import type { OrgFingerprint } from '../core/ids.js';

/**
 * I1: one Ed25519 key pair per installation. On the wire and in the ledger a public key is its
 * raw 32 bytes in lowercase hex; people compare its fingerprint, the first 20 bytes of
 * SHA-256(public key) in base32 (RFC 4648, no padding): exactly 32 letters and digits.
 */
export type PublicKeyHex = string & { readonly __brand: 'PublicKeyHex' };

export function isPublicKeyHex(value: unknown): value is PublicKeyHex {
  return typeof value === 'string' && isLowerHex(value, 32);
}

export const publicKeyHex = (key: Uint8Array): PublicKeyHex => bytesToHex(key) as PublicKeyHex;

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = ((acc << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += B32[(acc >> bits) & 31];
    }
  }
  if (bits > 0) out += B32[(acc << (5 - bits)) & 31];
  return out;
}

export function fingerprintOf(key: Uint8Array | PublicKeyHex): OrgFingerprint {
  const raw = typeof key === 'string' ? hexToBytes(key) : key;
  return base32(sha256(raw).subarray(0, 20)) as OrgFingerprint;
}

/** Groups of four, as read aloud or compared on two screens: "ABCD EFGH …". */
export function formatFingerprint(fingerprint: OrgFingerprint): string {
  return fingerprint.replace(/(.{4})(?=.)/g, '$1 ');
}

/** I8: the text of a fingerprint's QR code; upper case, so the code stays in QR's compact alphanumeric mode. */
export const fingerprintQrText = (fingerprint: OrgFingerprint): string => `IHYID:FP:${fingerprint}`;

/** I8: what a scanned code says, compared with the fingerprint the handshake verified for this partner. */
export type FingerprintScan = 'match' | 'mismatch' | 'not-a-fingerprint';

export function compareScannedFingerprint(scanned: string, verified: OrgFingerprint): FingerprintScan {
  const m = /^IHYID:FP:([A-Z2-7]{32})$/.exec(scanned.trim());
  if (!m) return 'not-a-fingerprint';
  return m[1] === verified ? 'match' : 'mismatch';
}

/** Accepts what a person types or a link carries: any case, spaces or dashes between groups. */
export function parseFingerprint(text: string): OrgFingerprint | null {
  const clean = text.replace(/[\s-]/g, '').toUpperCase();
  return /^[A-Z2-7]{32}$/.test(clean) ? (clean as OrgFingerprint) : null;
}

/**
 * What identity code needs from a private key. The app's signer wraps a non-extractable WebCrypto
 * CryptoKey; tests and Node use `signerFromSecretKey`. Nothing here ever sees the private key.
 */
export interface Signer {
  readonly publicKey: PublicKeyHex;
  sign(message: Uint8Array): Promise<Uint8Array>;
}

/**
 * Checks an Ed25519 signature. Injected so the app can use WebCrypto (native, about ten times
 * faster when a long ledger is re-validated on load) while tests use `strictVerify`.
 */
export type Verifier = (publicKey: PublicKeyHex, message: Uint8Array, signature: Uint8Array) => boolean | Promise<boolean>;

/** Domain-separated message: a signature made for one purpose can never be replayed as another. */
export function taggedMessage(tag: string, text: string): Uint8Array {
  return utf8ToBytes(`${tag}\n${text}`);
}

import { sha256 } from '@noble/hashes/sha2.js';
import { hexToBytes, isLowerHex } from '../core/hex.js';

/**
 * Proof of work, anonity's definition (I2, I5), and a generic form for other stamps (W5).
 *
 * The message is always `prefix ‖ nonce`, the nonce written as 8 bytes big-endian, hashed once with
 * SHA-256; a solution has at least `bits` leading zero bits counted from the most significant bit
 * of the digest. Registration: prefix = cd = SHA-256(publicKey ‖ seed16). Challenges: prefix =
 * SHA-256(target key ‖ 16 random bytes ‖ issued-at). Both prefixes are 32 bytes, so the hot path is
 * a 40-byte, one-block message, and it gets its own kernel.
 *
 * The verifier always passes its own configured `bits`: a difficulty carried in a message is never
 * read (one of anonity's flaws, PROTOCOL.md "Identity").
 */

/** Nonces are JavaScript integers: 2^53 tries are far beyond any difficulty this app asks for. */
export const MAX_POW_NONCE = Number.MAX_SAFE_INTEGER;

export function leadingZeroBits(bytes: Uint8Array): number {
  let count = 0;
  for (const byte of bytes) {
    if (byte === 0) {
      count += 8;
      continue;
    }
    return count + Math.clz32(byte) - 24;
  }
  return count;
}

export function isPowNonce(nonce: unknown): nonce is number {
  return typeof nonce === 'number' && Number.isSafeInteger(nonce) && nonce >= 0;
}

/** The nonce as 8 bytes big-endian (anonity: `nonce.to_bytes(8, 'big')`). */
export function nonceBytes(nonce: number): Uint8Array {
  if (!isPowNonce(nonce)) throw new RangeError(`not a proof-of-work nonce: ${nonce}`);
  const out = new Uint8Array(8);
  const hi = Math.floor(nonce / 0x1_0000_0000);
  const lo = nonce >>> 0;
  new DataView(out.buffer).setUint32(0, hi);
  new DataView(out.buffer).setUint32(4, lo);
  return out;
}

/** SHA-256(prefix ‖ nonce as 8 bytes big-endian): the digest whose leading zero bits are counted. */
export function powHash(prefix: Uint8Array, nonce: number): Uint8Array {
  const message = new Uint8Array(prefix.length + 8);
  message.set(prefix);
  message.set(nonceBytes(nonce), prefix.length);
  return sha256(message);
}

export function verifyPow(prefix: Uint8Array, nonce: number, bits: number): boolean {
  if (!isPowNonce(nonce) || !Number.isInteger(bits) || bits < 0 || bits > 256) return false;
  return leadingZeroBits(powHash(prefix, nonce)) >= bits;
}

/** cd = SHA-256(publicKey ‖ seed16), the registration prefix (anonity's `challenge_data`). */
export function registrationPrefix(publicKey: Uint8Array, seed: Uint8Array): Uint8Array {
  const message = new Uint8Array(publicKey.length + seed.length);
  message.set(publicKey);
  message.set(seed, publicKey.length);
  return sha256(message);
}

/**
 * I2: whether (seed, nonce) is a registration proof for this key at the verifier's own difficulty.
 * The key is the raw 32-byte Ed25519 public key in lowercase hex; the seed is 16 bytes.
 */
export function verifyRegistrationPow(publicKeyHex: string, seedHex: string, nonce: number, bits: number): boolean {
  if (!isLowerHex(publicKeyHex, 32) || !isLowerHex(seedHex, 16)) return false;
  return verifyPow(registrationPrefix(hexToBytes(publicKeyHex), hexToBytes(seedHex)), nonce, bits);
}

export interface PowRange {
  /** First nonce tried. */
  start: number;
  /** How many consecutive nonces to try. */
  count: number;
}

/**
 * Tries nonces start … start + count − 1 in order and returns the first solution, or null. The
 * caller splits the search into ranges to report progress, share it between workers and cancel.
 */
export function solvePow(prefix: Uint8Array, bits: number, range: PowRange): number | null {
  checkRange(bits, range);
  if (prefix.length === 32) return new Pow40(prefix).search(bits, range);
  const message = new Uint8Array(prefix.length + 8);
  message.set(prefix);
  const view = new DataView(message.buffer);
  for (let i = 0; i < range.count; i++) {
    const nonce = range.start + i;
    view.setUint32(prefix.length, Math.floor(nonce / 0x1_0000_0000));
    view.setUint32(prefix.length + 4, nonce >>> 0);
    if (leadingZeroBits(sha256(message)) >= bits) return nonce;
  }
  return null;
}

function checkRange(bits: number, range: PowRange): void {
  if (!Number.isInteger(bits) || bits < 0 || bits > 256) throw new RangeError(`bits ${bits}`);
  if (!isPowNonce(range.start) || !Number.isSafeInteger(range.count) || range.count < 0 || range.start + range.count > MAX_POW_NONCE) {
    throw new RangeError(`range ${range.start}+${range.count}`);
  }
}

const K = Int32Array.of(
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
);
export const SHA256_IV = Int32Array.of(0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19);

/**
 * SHA-256 of the 40-byte message `prefix32 ‖ nonce8`, specialised. The message is one block: words
 * 0–7 are the prefix, 8 and 9 the nonce's high and low halves, 10 the padding bit, 15 the length
 * (320 bits). Rounds 0–8 do not depend on the low half, so their result (the "midstate") is computed
 * once per high half; the search then runs rounds 9–63 over an Int32Array schedule allocated once.
 * Exported so the worker can fall back to it and the tests can compare it with node:crypto.
 */
export class Pow40 {
  private readonly w = new Int32Array(64);
  private readonly mid = new Int32Array(8);
  private hi = -1;

  constructor(prefix: Uint8Array) {
    if (prefix.length !== 32) throw new RangeError('Pow40 needs a 32-byte prefix');
    for (let i = 0; i < 8; i++) this.w[i] = (prefix[4 * i]! << 24) | (prefix[4 * i + 1]! << 16) | (prefix[4 * i + 2]! << 8) | prefix[4 * i + 3]!;
    this.w[10] = 0x80000000 | 0;
    this.w[15] = 320;
  }

  /** Midstate after rounds 0–8 for a given high half of the nonce. */
  private setHigh(hi: number): void {
    if (hi === this.hi) return;
    this.hi = hi;
    const w = this.w;
    w[8] = hi | 0;
    let a = SHA256_IV[0]!, b = SHA256_IV[1]!, c = SHA256_IV[2]!, d = SHA256_IV[3]!;
    let e = SHA256_IV[4]!, f = SHA256_IV[5]!, g = SHA256_IV[6]!, h = SHA256_IV[7]!;
    for (let t = 0; t < 9; t++) {
      const t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[t]! + w[t]!) | 0;
      const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    this.mid.set([a, b, c, d, e, f, g, h]);
  }

  /** First word of the digest for nonce (hi, lo); the full digest is written to `out` when given. */
  hashWord0(hi: number, lo: number, out?: Int32Array): number {
    this.setHigh(hi);
    const w = this.w;
    const m = this.mid;
    w[9] = lo | 0;
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15]!, y = w[t - 2]!;
      w[t] = ((((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) + (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w[t - 7]! + w[t - 16]!) | 0;
    }
    let a = m[0]!, b = m[1]!, c = m[2]!, d = m[3]!, e = m[4]!, f = m[5]!, g = m[6]!, h = m[7]!;
    for (let t = 9; t < 64; t++) {
      const t1 = (h + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[t]! + w[t]!) | 0;
      const t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    if (out) {
      const s = [a, b, c, d, e, f, g, h];
      for (let i = 0; i < 8; i++) out[i] = (SHA256_IV[i]! + s[i]!) | 0;
    }
    return (SHA256_IV[0]! + a) | 0;
  }

  /** The 32-byte digest, for tests and for checking a candidate when bits > 32. */
  digest(nonce: number): Uint8Array {
    const words = new Int32Array(8);
    this.hashWord0(Math.floor(nonce / 0x1_0000_0000), nonce >>> 0, words);
    const out = new Uint8Array(32);
    const view = new DataView(out.buffer);
    for (let i = 0; i < 8; i++) view.setInt32(4 * i, words[i]!);
    return out;
  }

  search(bits: number, range: PowRange): number | null {
    checkRange(bits, range);
    // Most difficulties fit in the first word: test it with one mask, and only confirm the rest.
    const mask = bits >= 32 ? -1 : bits === 0 ? 0 : (-1 << (32 - bits)) | 0;
    let nonce = range.start;
    const end = range.start + range.count;
    while (nonce < end) {
      const hi = Math.floor(nonce / 0x1_0000_0000);
      let lo = nonce >>> 0;
      // Stay inside one high half so the midstate holds for the whole inner loop.
      const stop = Math.min(end, (hi + 1) * 0x1_0000_0000);
      for (; nonce < stop; nonce++, lo++) {
        if ((this.hashWord0(hi, lo) & mask) === 0 && (bits <= 32 || leadingZeroBits(this.digest(nonce)) >= bits)) return nonce;
      }
    }
    return null;
  }
}

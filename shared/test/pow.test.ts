import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../src/core/hex.js';
import { leadingZeroBits, nonceBytes, Pow40, registrationPrefix, solvePow, verifyPow, verifyRegistrationPow } from '../src/identity/pow.js';
import { VECTORS } from './identity-fixtures.js';

const sha = (...parts: Uint8Array[]) => new Uint8Array(createHash('sha256').update(Buffer.concat(parts)).digest());

/** The definition, written independently with node:crypto: SHA-256(prefix ‖ nonce as u64 BE). */
function nodePowHash(prefix: Uint8Array, nonce: number): Uint8Array {
  const n = Buffer.alloc(8);
  n.writeBigUInt64BE(BigInt(nonce));
  return sha(prefix, n);
}

function firstSolution(prefix: Uint8Array, bits: number, start: number, count: number): number | null {
  for (let n = start; n < start + count; n++) if (leadingZeroBits(nodePowHash(prefix, n)) >= bits) return n;
  return null;
}

describe('proof of work (I2, I5)', () => {
  it('[I2] counts leading zero bits from the most significant bit', () => {
    const check = (hex: string, bits: number) => expect(leadingZeroBits(hexToBytes(hex))).toBe(bits);
    check('80', 0);
    check('7f', 1);
    check('01', 7);
    check('00ff', 8);
    check('000008', 20);
    check('00000f', 20);
    check('000007', 21);
    check('0000', 16);
  });

  it('[I2] writes the nonce as 8 bytes big-endian, past 2^32 too', () => {
    expect(bytesToHex(nonceBytes(1))).toBe('0000000000000001');
    expect(bytesToHex(nonceBytes(2 ** 32 + 0x0102))).toBe('0000000100000102');
    expect(() => nonceBytes(-1)).toThrow(RangeError);
    expect(() => nonceBytes(2 ** 53)).toThrow(RangeError);
  });

  for (const [label, v] of Object.entries(VECTORS)) {
    it(`[I2] anonity-definition vector ${label}: cd = SHA-256(pk ‖ seed16), SHA-256(cd ‖ nonce) has 20 zero bits`, () => {
      const cd = sha(hexToBytes(v.pk), hexToBytes(v.seed));
      expect(bytesToHex(cd)).toBe(v.cd);
      expect(bytesToHex(registrationPrefix(hexToBytes(v.pk), hexToBytes(v.seed)))).toBe(v.cd);
      expect(bytesToHex(nodePowHash(cd, v.nonce))).toBe(v.h);
      expect(verifyRegistrationPow(v.pk, v.seed, v.nonce, 20)).toBe(true);
      // v.nonce is the first solution: the solver finds the same one.
      expect(solvePow(cd, 20, { start: 0, count: v.nonce + 1 })).toBe(v.nonce);
      expect(solvePow(cd, 20, { start: 0, count: v.nonce })).toBeNull();
    });
  }

  it('[I2] the verifier uses its own difficulty: a 20-bit proof fails a 24-bit network', () => {
    const v = VECTORS.A;
    expect(verifyRegistrationPow(v.pk, v.seed, v.nonce, 20)).toBe(true);
    expect(verifyRegistrationPow(v.pk, v.seed, v.nonce, 24)).toBe(false);
    expect(verifyRegistrationPow(v.pk, v.seed, v.nonce + 1, 20)).toBe(false);
  });

  it('[I2] refuses malformed keys, seeds and nonces instead of throwing', () => {
    const v = VECTORS.A;
    expect(verifyRegistrationPow(v.pk.toUpperCase(), v.seed, v.nonce, 20)).toBe(false);
    expect(verifyRegistrationPow(v.pk, v.seed + '00', v.nonce, 20)).toBe(false);
    expect(verifyRegistrationPow(v.pk, v.seed, -1, 20)).toBe(false);
    expect(verifyRegistrationPow(v.pk, v.seed, 1.5, 20)).toBe(false);
    expect(verifyPow(new Uint8Array(32), 0, 300)).toBe(false);
  });

  it('[I2] the 40-byte kernel matches node:crypto, across the 2^32 boundary of the nonce', () => {
    const prefix = sha(new Uint8Array([1, 2, 3]));
    const kernel = new Pow40(prefix);
    for (const n of [0, 1, 255, 65_536, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 2 ** 40 + 12_345, Number.MAX_SAFE_INTEGER - 1]) {
      expect(bytesToHex(kernel.digest(n))).toBe(bytesToHex(nodePowHash(prefix, n)));
    }
  });

  for (const length of [0, 5, 31, 32, 33, 55, 56, 64, 100]) {
    it(`[I2][W5] solvePow finds the first solution for a ${length}-byte prefix (generic and 40-byte paths)`, () => {
      const prefix = Uint8Array.from({ length }, (_, i) => (i * 7 + length) & 0xff);
      const expected = firstSolution(prefix, 10, 100, 6000);
      expect(expected).not.toBeNull();
      expect(solvePow(prefix, 10, { start: 100, count: 6000 })).toBe(expected);
      expect(verifyPow(prefix, expected!, 10)).toBe(true);
    });
  }

  it('[I2] a search range that crosses 2^32 finds solutions on both sides', () => {
    const prefix = sha(new Uint8Array([9]));
    const start = 2 ** 32 - 3000;
    expect(solvePow(prefix, 11, { start, count: 9000 })).toBe(firstSolution(prefix, 11, start, 9000));
  });

  it('[I2] refuses impossible ranges and difficulties as bugs', () => {
    expect(() => solvePow(new Uint8Array(32), -1, { start: 0, count: 1 })).toThrow(RangeError);
    expect(() => solvePow(new Uint8Array(32), 8, { start: Number.MAX_SAFE_INTEGER, count: 2 })).toThrow(RangeError);
  });
});

import type { Ristretto255 } from '../../src/index.js';

/**
 * A stand-in for ristretto255 where only speed matters (fuzzing the session's decoders, 100,000 runs):
 * elements are the non-zero integers below p = 2^255 − 19, 32 bytes little-endian, and
 * scalarMult(s, x) = s·x mod p, which commutes as psi-v1 needs. A value ≥ p or 0 does not decode,
 * as a non-canonical point does not. Never a cryptographic group: psi.test.ts runs the real one.
 */
const P = (1n << 255n) - 19n;

const toBig = (bytes: Uint8Array): bigint => {
  let x = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]!);
  return x;
};
const toBytes = (x: bigint): Uint8Array => {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, x >>= 8n) out[i] = Number(x & 0xffn);
  return out;
};

export const fastGroup: Ristretto255 = {
  fromUniformBytes: (uniform) => toBytes((toBig(uniform) % (P - 1n)) + 1n),
  scalarMult: (scalar, point) => {
    const x = toBig(point);
    if (point.length !== 32 || x === 0n || x >= P) return null;
    const y = (toBig(scalar) * x) % P;
    return y === 0n ? null : toBytes(y);
  },
};

import { err, ok, type PsiCurve } from '../../src/index.js';

/**
 * A stand-in for psi-v2's curve where only speed matters (fuzzing the session's decoders, 100,000
 * runs): points are the non-zero integers below p = 2^255 − 19, 32 bytes little-endian, a message
 * hashes to (its bytes XOR its DST's, as integers) mod (p − 1), plus one, and x25519(s, x) = s·x mod p,
 * which commutes as psi-v2 needs. A zero product is refused as a small-order point is. Never a cryptographic group:
 * psi.test.ts runs the real one.
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

export const fastGroup: PsiCurve = {
  hashToCurve(messages) {
    const out = new Uint8Array(messages.length * 32);
    messages.forEach(({ msg, dst }, i) => out.set(toBytes(((toBig(msg) ^ toBig(dst)) % (P - 1n)) + 1n), i * 32));
    return out;
  },
  async x25519(scalar, points) {
    const out = new Uint8Array(points.length);
    for (let i = 0; i < points.length / 32; i++) {
      const y = (toBig(scalar) * toBig(points.subarray(i * 32, (i + 1) * 32))) % P;
      if (y === 0n) return err(i);
      out.set(toBytes(y), i * 32);
    }
    return ok(out);
  },
};

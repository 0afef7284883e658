import { ed25519, ed25519_hasher, x25519 } from '@noble/curves/ed25519.js';
import { err, ok } from '../../src/core/result.js';
import { POINT_BYTES, type PsiCurve } from '../../src/check/psi-group.js';

/**
 * The test implementation of psi-v2's curve interface: @noble/curves, independent of the app's
 * libsodium and WebCrypto. encode_to_curve on edwards25519, then the birational map to the u-coordinate.
 */
export const nobleCurve: PsiCurve = {
  hashToCurve(messages) {
    const out = new Uint8Array(messages.length * POINT_BYTES);
    messages.forEach(({ msg, dst }, i) => out.set(ed25519.utils.toMontgomery(ed25519_hasher.encodeToCurve(msg, { DST: dst }).toBytes()), i * POINT_BYTES));
    return out;
  },
  async x25519(scalar, points) {
    const out = new Uint8Array(points.length);
    for (let i = 0; i < points.length / POINT_BYTES; i++) {
      try {
        out.set(x25519.scalarMult(scalar, points.subarray(i * POINT_BYTES, (i + 1) * POINT_BYTES)), i * POINT_BYTES);
      } catch {
        // noble throws on an all-zero result: a point of small order.
        return err(i);
      }
    }
    return ok(out);
  },
};

const P = (1n << 255n) - 19n;
const invert = (a: bigint): bigint => {
  let r = 1n;
  for (let b = a % P, e = P - 2n; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) r = (r * b) % P;
  return r;
};

/** Whether a canonical u is the u-coordinate of a point of curve25519's subgroup of prime order ℓ (not the twist, no small-order part). */
export function inPrimeOrderSubgroup(u: Uint8Array): boolean {
  let x = 0n;
  for (let i = 31; i >= 0; i--) x = (x << 8n) | BigInt(u[i]!);
  // Back to Edwards: y = (u − 1) / (u + 1); either sign of x decides the same subgroup membership.
  let y = (((x - 1n + P) % P) * invert(x + 1n)) % P;
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++, y >>= 8n) bytes[i] = Number(y & 0xffn);
  try {
    const point = ed25519.Point.fromBytes(bytes);
    return !point.is0() && point.isTorsionFree();
  } catch {
    return false; // no such Edwards point: u is on the twist
  }
}

import { _map_to_curve_elligator2_curve25519, ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hash_to_field } from '@noble/curves/abstract/hash-to-curve.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { err, ok } from '../../src/core/result.js';
import { POINT_BYTES, type PsiCurve } from '../../src/check/psi-group.js';

const P = (1n << 255n) - 19n;

/**
 * The test implementation of psi-v2's curve interface: @noble/curves, independent of the app's
 * libsodium, WebCrypto and WebAssembly map. H is RFC 9380 hash_to_field (expand_message_xmd, SHA-512,
 * 48 bytes) then map_to_curve_elligator2_curve25519's u = xn / xd, without the cofactor clearing
 * that X25519's clamping does (PROTOCOL.md §3.4).
 */
export const nobleCurve: PsiCurve = {
  hashToCurve(messages) {
    const out = new Uint8Array(messages.length * POINT_BYTES);
    messages.forEach(({ msg, dst }, i) => {
      const [[u0]] = hash_to_field(msg, 1, { DST: dst, p: P, m: 1, k: 128, expand: 'xmd', hash: sha512 }) as [[bigint]];
      const { xMn, xMd } = _map_to_curve_elligator2_curve25519(u0);
      out.set(le((xMn * invert(xMd)) % P), i * POINT_BYTES);
    });
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

const le = (x: bigint): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => Number((x >> BigInt(8 * i)) & 0xffn));
const invert = (a: bigint): bigint => {
  let r = 1n;
  for (let b = a % P, e = P - 2n; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) r = (r * b) % P;
  return r;
};

/** Whether a canonical u is the u-coordinate of a point of curve25519's subgroup of prime order ℓ (not the twist, no small-order part). */
export function inPrimeOrderSubgroup(u: Uint8Array): boolean {
  const point = edwardsOf(u);
  return point !== null && !point.is0() && point.isTorsionFree();
}

/** Whether a canonical u lies on curve25519 itself, not on its quadratic twist. */
export function onCurve(u: Uint8Array): boolean {
  return edwardsOf(u) !== null;
}

function edwardsOf(u: Uint8Array): InstanceType<typeof ed25519.Point> | null {
  let x = 0n;
  for (let i = 31; i >= 0; i--) x = (x << 8n) | BigInt(u[i]!);
  // Back to Edwards: y = (u − 1) / (u + 1); either sign of x decides the same subgroup membership.
  let y = (((x - 1n + P) % P) * invert(x + 1n)) % P;
  const bytes = new Uint8Array(32);
  for (let i = 0; i < 32; i++, y >>= 8n) bytes[i] = Number(y & 0xffn);
  try {
    return ed25519.Point.fromBytes(bytes);
  } catch {
    return null; // no such Edwards point: u is on the twist
  }
}

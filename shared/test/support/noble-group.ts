import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import type { Ristretto255 } from '../../src/check/psi-group.js';

/** The test implementation of the curve interface: @noble/curves, independent of the app's libsodium. */
export const nobleRistretto255: Ristretto255 = {
  fromUniformBytes: (uniform) => ristretto255_hasher.deriveToCurve(uniform).toBytes(),
  scalarMult(scalar, point) {
    let n = 0n;
    for (let i = scalar.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(scalar[i]!);
    try {
      const p = ristretto255.Point.fromBytes(point).multiply(n);
      return p.equals(ristretto255.Point.ZERO) ? null : p.toBytes();
    } catch {
      return null;
    }
  },
};

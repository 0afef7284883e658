import { _map_to_curve_elligator2_curve25519, ed25519, x25519 } from '@noble/curves/ed25519.js';
import { hash_to_field } from '@noble/curves/abstract/hash-to-curve.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { blindKeys, bytesToHex, psiDst, randomScalar, reblindPoints, seededBytes, utf8ToBytes, type PsiCurve } from '@ihyid/shared';
import { Curve25519Kernel } from './curve25519-wasm';
import { loadX25519Psi } from './x25519-psi';

const CHECK = '9b2f4d3e-1c2a-4b5c-8d6e-7f8091a2b3c4';
const P = (1n << 255n) - 19n;
const le = (x: bigint): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => Number((x >> BigInt(8 * i)) & 0xffn));
const inv = (a: bigint): bigint => {
  let r = 1n;
  for (let b = a % P, e = P - 2n; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) r = (r * b) % P;
  return r;
};
/** @noble/curves' map_to_curve_elligator2_curve25519, as the u-coordinate xn / xd. */
const nobleMapU = (r: bigint): Uint8Array => {
  const { xMn, xMd } = _map_to_curve_elligator2_curve25519(r);
  return le((xMn * inv(xMd)) % P);
};
const base = (k: bigint) => ed25519.utils.toMontgomery(ed25519.Point.BASE.multiply(k).toBytes());
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.length * 32);
  parts.forEach((p, i) => out.set(p, i * 32));
  return out;
};

// Both of the app's implementations: WebCrypto's X25519 (Node's here, Chromium's in the app) and the
// libsodium fallback for browsers without it. Each is checked against @noble/curves, independent of both.
const implementations: ['webcrypto' | 'libsodium', () => Promise<PsiCurve & { blinding: string }>][] = [
  ['webcrypto', () => loadX25519Psi()],
  ['libsodium', () => loadX25519Psi({ webCrypto: false })],
];

describe('psi-v2 in the check workers: H on libsodium SHA-512 and the WebAssembly kernels (A3)', () => {
  it('[A3] equals @noble/curves hash_to_field → map_to_curve_elligator2_curve25519 (u = xn / xd) on keys of every shape and the RFC messages, in one batch', async () => {
    const curve = await loadX25519Psi();
    const long = `{"kind":"name-dob","names":"${'x'.repeat(2000)}","v":2}`;
    const keys = ['{"id":"H550-H330-B616-M240-19760507","kind":"phonetic-v0","v":0}', '{"kind":"name-dob","name":"محمد","v":2}', '', long, 'y', ...Array.from({ length: 40 }, (_, i) => `{"k":${i}}`)];
    const rfc = utf8ToBytes('QUUX-V01-CS02-with-edwards25519_XMD:SHA-512_ELL2_NU_');
    const messages = [
      ...keys.map((k, i) => ({ msg: utf8ToBytes(k), dst: psiDst(CHECK, i % 2 ? 'name-dob' : 'phonetic-v0') })),
      ...['', 'abc', 'abcdef0123456789', `q128_${'q'.repeat(128)}`, `a512_${'a'.repeat(512)}`].map((m) => ({ msg: utf8ToBytes(m), dst: rfc })),
    ];
    const noble = messages.map(({ msg, dst }) => bytesToHex(nobleMapU((hash_to_field(msg, 1, { DST: dst, p: P, m: 1, k: 128, expand: 'xmd', hash: sha512 }) as [[bigint]])[0][0])));
    const ours = curve.hashToCurve(messages);
    expect(messages.map((_, i) => bytesToHex(ours.subarray(i * 32, (i + 1) * 32)))).toEqual(noble);
    // A second, smaller batch on the same kernel (its memory and running products are reused).
    expect(bytesToHex(curve.hashToCurve(messages.slice(3, 5)))).toBe(noble.slice(3, 5).join(''));
  });

  it('[A3] the kernel reduces 48-byte inputs mod p and maps them as noble does: zero, all ones, p and its neighbours, random', () => {
    const be = (x: bigint) => Uint8Array.from({ length: 48 }, (_, i) => Number((x >> BigInt(8 * (47 - i))) & 0xffn));
    const random = seededBytes(3);
    const inputs = [0n, 1n, P - 1n, P, P + 1n, 2n * P, (1n << 255n) - 1n, 1n << 255n, (1n << 384n) - 1n, ...Array.from({ length: 300 }, () => BigInt(`0x${bytesToHex(random(48))}`))];
    const us = new Curve25519Kernel().map(inputs.length, (i, heap, at) => heap.set(be(inputs[i]!), at));
    inputs.forEach((x, i) => expect(bytesToHex(us.subarray(32 * i, 32 * (i + 1)))).toBe(bytesToHex(nobleMapU(x % P))));
  });
});

for (const [name, load] of implementations) {
  describe(`psi-v2 blinding on ${name} (A3)`, () => {
    it('[A3] X25519 equals noble, on the curve and on the twist, and blinding commutes', async () => {
      const curve = await load();
      expect(curve.blinding).toBe(name);
      const random = seededBytes(7);
      const a = randomScalar(random);
      const b = randomScalar(random);
      const points = concat(...Array.from({ length: 70 }, (_, i) => base(BigInt(i + 2))), le(2n));
      const once = await curve.x25519(a, points);
      expect(once.ok).toBe(true);
      if (!once.ok) return;
      for (let i = 0; i < points.length / 32; i++) expect(bytesToHex(once.value.subarray(i * 32, (i + 1) * 32))).toBe(bytesToHex(x25519.scalarMult(a, points.subarray(i * 32, (i + 1) * 32))));
      const keys = [{ json: '{"id":"X","kind":"phonetic-v0","v":0}', kind: 'phonetic-v0' }];
      const hab = await reblindPoints(curve, b, await blindKeys(curve, a, CHECK, keys));
      const hba = await reblindPoints(curve, a, await blindKeys(curve, b, CHECK, keys));
      expect(hab.ok && hba.ok && bytesToHex(hab.value) === bytesToHex(hba.value)).toBe(true);
    });

    it('[A3][A8] refuses a small-order point at its index, and a non-canonical u before any work', async () => {
      const curve = await load();
      const s = randomScalar(seededBytes(1));
      for (const u of [0n, 1n, 325606250916557431795983626356110631294008115727848805560023387167927233504n, P - 1n]) {
        expect(await reblindPoints(curve, s, concat(base(7n), base(9n), le(u)))).toEqual({ ok: false, error: 2 });
      }
      expect(await reblindPoints(curve, s, concat(base(7n), new Uint8Array(32).fill(0xff)))).toEqual({ ok: false, error: 1 });
    });
  });
}

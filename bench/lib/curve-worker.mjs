// Measures the two ristretto255 candidates of psi-v1 inside a Chromium worker (bundled by
// bench/lib/curve-speed.mjs): libsodium's WebAssembly and @noble/curves' JavaScript. For the record,
// also the one native variable-base scalar multiplication a page has, WebCrypto's X25519 (Montgomery
// u-coordinates, not ristretto255, which A3 names), and libsodium's own X25519.
import sodium from 'libsodium-wrappers-sumo';
import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';

self.onmessage = async ({ data: { n } }) => {
  await sodium.ready;
  const raw = sodium.libsodium;
  const s = sodium.crypto_core_ristretto255_scalar_random();
  const uniform = Array.from({ length: n }, () => sodium.randombytes_buf(64));
  const at = { s: raw._malloc(32), p: raw._malloc(32), q: raw._malloc(32), h: raw._malloc(64) };
  raw.HEAPU8.set(s, at.s);
  const time = (f, count) => {
    const t = performance.now();
    f();
    return Math.round((count / (performance.now() - t)) * 1000);
  };
  const points = [];
  const out = {};
  out.sodiumFromHashPerS = time(() => {
    for (const u of uniform) {
      raw.HEAPU8.set(u, at.h);
      raw._crypto_core_ristretto255_from_hash(at.p, at.h);
      points.push(raw.HEAPU8.slice(at.p, at.p + 32));
    }
  }, n);
  out.sodiumScalarMultPerS = time(() => {
    for (const p of points) {
      raw.HEAPU8.set(p, at.p);
      raw._crypto_scalarmult_ristretto255(at.q, at.s, at.p);
    }
  }, n);
  const m = Math.max(200, n >> 3);
  let k = 0n;
  for (let i = 31; i >= 0; i--) k = (k << 8n) | BigInt(s[i]);
  out.nobleFromHashPerS = time(() => {
    for (let i = 0; i < m; i++) ristretto255_hasher.deriveToCurve(uniform[i]);
  }, m);
  out.nobleScalarMultPerS = time(() => {
    for (let i = 0; i < m; i++) ristretto255.Point.fromBytes(points[i]).multiply(k).toBytes();
  }, m);
  // X25519 on valid u-coordinates (public keys of random scalars): native, then libsodium's.
  const us = Array.from({ length: n }, () => sodium.crypto_scalarmult_base(sodium.randombytes_buf(32)));
  out.sodiumX25519PerS = time(() => {
    for (const u of us) {
      raw.HEAPU8.set(u, at.p);
      raw._crypto_scalarmult_curve25519(at.q, at.s, at.p);
    }
  }, n);
  const pair = await crypto.subtle.generateKey({ name: 'X25519' }, false, ['deriveBits']);
  const t = performance.now();
  for (let i = 0; i < n; i += 64) {
    await Promise.all(
      us.slice(i, i + 64).map(async (u) => {
        const key = await crypto.subtle.importKey('raw', u, { name: 'X25519' }, false, []);
        return crypto.subtle.deriveBits({ name: 'X25519', public: key }, pair.privateKey, 256);
      }),
    );
  }
  out.webCryptoX25519PerS = Math.round((n / (performance.now() - t)) * 1000);
  self.postMessage(out);
};

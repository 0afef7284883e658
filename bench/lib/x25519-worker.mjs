// psi-v2's kernels inside one Chromium worker (bundled by bench/lib/curve-speed.mjs --kernel x25519):
// RFC 9380 encode_to_curve on libsodium (SHA-512 + Elligator 2 + cofactor), the Edwards → Montgomery
// conversion both ways (libsodium's checked one, or one batch inversion in JavaScript), and WebCrypto
// X25519 with k derivations in flight, the public key imported per point.
import sodium from 'libsodium-wrappers-sumo';

self.onmessage = async ({ data: { n } }) => {
  await sodium.ready;
  const raw = sodium.libsodium;
  const out = {};
  const at = { h: raw._malloc(64), p: raw._malloc(32), u: raw._malloc(32), msg: raw._malloc(512), b0: raw._malloc(64), s: raw._malloc(32) };
  const msgs = Array.from({ length: n }, (_, i) => new TextEncoder().encode(`{"kind":"name-dob","name":"person ${i}","v":2}ihyid-psi-v2/0000/name-dob`));
  const edwards = [];
  let t = performance.now();
  for (const m of msgs) {
    raw.HEAPU8.set(m, at.msg);
    raw._crypto_hash_sha512(at.b0, at.msg, m.length, 0);
    raw._crypto_hash_sha512(at.h, at.b0, 64, 0);
    raw.HEAPU8.fill(0, at.h, at.h + 16);
    raw._crypto_core_ed25519_from_hash(at.p, at.h);
    edwards.push(raw.HEAPU8.slice(at.p, at.p + 32));
  }
  out.hashToEdwardsPerS = Math.round((n / (performance.now() - t)) * 1000);
  t = performance.now();
  const us = [];
  for (const e of edwards) {
    raw.HEAPU8.set(e, at.p);
    raw._crypto_sign_ed25519_pk_to_curve25519(at.u, at.p);
    us.push(raw.HEAPU8.slice(at.u, at.u + 32));
  }
  out.sodiumToMontgomeryPerS = Math.round((n / (performance.now() - t)) * 1000);
  const P = 2n ** 255n - 19n;
  const le = (b) => { let x = 0n; for (let i = 31; i >= 0; i--) x = (x << 8n) | BigInt(b[i]); return x; };
  const pow = (b, e) => { let r = 1n; while (e) { if (e & 1n) r = (r * b) % P; b = (b * b) % P; e >>= 1n; } return r; };
  t = performance.now();
  const ys = edwards.map((e) => { const c = e.slice(); c[31] &= 0x7f; return le(c); });
  const den = ys.map((y) => (1n - y + P) % P);
  const prefix = new Array(n);
  let acc = 1n;
  for (let i = 0; i < n; i++) { prefix[i] = acc; acc = (acc * den[i]) % P; }
  let inv = pow(acc, P - 2n);
  const js = new Array(n);
  for (let i = n - 1; i >= 0; i--) { js[i] = ((1n + ys[i]) * ((inv * prefix[i]) % P)) % P; inv = (inv * den[i]) % P; }
  out.batchInvertToMontgomeryPerS = Math.round((n / (performance.now() - t)) * 1000);
  out.conversionsAgree = js.every((u, i) => u === le(us[i]));
  const bytes = (x) => { const b = new Uint8Array(32); for (let i = 0; i < 32; i++) { b[i] = Number(x & 0xffn); x >>= 8n; } return b; };
  const scalar = crypto.getRandomValues(new Uint8Array(32));
  const priv = await crypto.subtle.importKey('jwk', { kty: 'OKP', crv: 'X25519', d: btoa(String.fromCharCode(...scalar)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''), x: btoa(String.fromCharCode(...sodium.crypto_scalarmult_base(scalar))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') }, { name: 'X25519' }, false, ['deriveBits']);
  for (const k of [1, 16, 64, 256, 1024]) {
    t = performance.now();
    for (let i = 0; i < n; i += k) {
      await Promise.all(us.slice(i, i + k).map(async (u) => crypto.subtle.deriveBits({ name: 'X25519', public: await crypto.subtle.importKey('raw', u, { name: 'X25519' }, false, []) }, priv, 256)));
    }
    out[`webCryptoX25519InFlight${k}PerS`] = Math.round((n / (performance.now() - t)) * 1000);
  }
  const keys = await Promise.all(us.map((u) => crypto.subtle.importKey('raw', u, { name: 'X25519' }, false, [])));
  t = performance.now();
  for (let i = 0; i < n; i += 256) await Promise.all(keys.slice(i, i + 256).map((key) => crypto.subtle.deriveBits({ name: 'X25519', public: key }, priv, 256)));
  out.webCryptoDeriveOnlyPerS = Math.round((n / (performance.now() - t)) * 1000);
  t = performance.now();
  for (let i = 0; i < n; i += 256) await Promise.all(us.slice(i, i + 256).map((u) => crypto.subtle.importKey('raw', u, { name: 'X25519' }, false, [])));
  out.webCryptoImportOnlyPerS = Math.round((n / (performance.now() - t)) * 1000);
  raw.HEAPU8.set(scalar, at.s);
  t = performance.now();
  for (const u of us) { raw.HEAPU8.set(u, at.p); raw._crypto_scalarmult_curve25519(at.u, at.s, at.p); }
  out.sodiumX25519PerS = Math.round((n / (performance.now() - t)) * 1000);
  // The same scalar gives the same result both ways (WebCrypto clamps as libsodium does).
  const w = new Uint8Array(await crypto.subtle.deriveBits({ name: 'X25519', public: keys[0] }, priv, 256));
  raw.HEAPU8.set(us[0], at.p); raw._crypto_scalarmult_curve25519(at.u, at.s, at.p);
  out.webCryptoEqualsSodium = w.every((b, i) => b === raw.HEAPU8[at.u + i]);
  self.postMessage(out);
};

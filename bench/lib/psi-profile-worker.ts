// psi-v2's blinding of our own keys, stage by stage, inside one Chromium worker (bundled by
// bench/lib/curve-speed.mjs --kernel psi-profile): µs per key of each step the check worker runs, on
// keys shaped as matchKeys makes them, then the app's whole path (blindKeys on loadX25519Psi).
import sodium from 'libsodium-wrappers-sumo';
import { blindKeys, packKeys, psiDst, utf8ToBytes } from '@ihyid/shared';
import { loadX25519Psi } from '../../app/src/workers/x25519-psi';
import { Curve25519Kernel } from '../../app/src/workers/curve25519-wasm';

interface Raw {
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _crypto_hash_sha512(out: number, input: number, lo: number, hi: number): number;
  _crypto_core_ed25519_from_hash(p: number, h: number): number;
}

const CHECK = '9b2f4d3e-1c2a-4b5c-8d6e-7f8091a2b3c4';
const KINDS = ['name-dob', 'name-parents', 'name-father-daymonth', 'first-father-dob'];

self.onmessage = async ({ data: { n } }: MessageEvent<{ n: number }>) => {
  await sodium.ready;
  // The first pass warms the JIT (and WebCrypto's thread); the second is the one reported.
  await profile(Math.min(n, 1024));
  self.postMessage(await profile(n));
};

async function profile(n: number): Promise<Record<string, number | string | boolean>> {
  const raw = (sodium as unknown as { libsodium: Raw }).libsodium;
  const keys = Array.from({ length: n }, (_, i) => {
    const kind = KINDS[i % 4]!;
    return { kind, json: `{"born":"19${String(i % 90).padStart(2, '0')}-03-04","father":"ST${i}","first":"KBTA","kind":"${kind}","last":"MRL","v":2}` };
  });
  const out: Record<string, number | string | boolean> = {};
  const perKey = (t: number, count = n) => Math.round(((performance.now() - t) * 1000 * 100) / count) / 100;
  let t = performance.now();
  const dsts = new Map<string, Uint8Array>();
  const messages = keys.map((k) => {
    let dst = dsts.get(k.kind);
    if (!dst) dsts.set(k.kind, (dst = psiDst(CHECK, k.kind)));
    return { msg: utf8ToBytes(k.json), dst };
  });
  out.messagesUs = perKey(t);
  // expand_message_xmd (two SHA-512 with their heap copies), then libsodium's Elligator 2 + cofactor + encoding.
  const msgAt = raw._malloc(1024);
  const b0 = raw._malloc(64);
  const second = raw._malloc(512);
  const h = raw._malloc(80);
  const p = raw._malloc(32);
  raw.HEAPU8.fill(0, msgAt, msgAt + 128);
  // from_hash's 64 bytes: 16 zero bytes, then hash_to_field's 48.
  raw.HEAPU8.fill(0, h, h + 16);
  const uniform = new Uint8Array(n * 64);
  t = performance.now();
  messages.forEach(({ msg, dst }, i) => {
    const heap = raw.HEAPU8;
    let at = msgAt + 128;
    heap.set(msg, at);
    at += msg.length;
    heap.set([0, 48, 0], at);
    heap.set(dst, at + 3);
    at += 3 + dst.length;
    heap[at++] = dst.length;
    raw._crypto_hash_sha512(b0, msgAt, at - msgAt, 0);
    heap.copyWithin(second, b0, b0 + 64);
    heap[second + 64] = 1;
    heap.set(dst, second + 65);
    heap[second + 65 + dst.length] = dst.length;
    raw._crypto_hash_sha512(h + 16, second, 66 + dst.length, 0);
    uniform.set(heap.subarray(h, h + 64), i * 64);
  });
  out.expandMessageXmdUs = perKey(t);
  const edwards = new Uint8Array(n * 32);
  t = performance.now();
  for (let i = 0; i < n; i++) {
    raw.HEAPU8.set(uniform.subarray(i * 64, i * 64 + 64), h);
    raw._crypto_core_ed25519_from_hash(p, h);
    edwards.set(raw.HEAPU8.subarray(p, p + 32), i * 32);
  }
  // What psi-v2 ran before issue 15 (Elligator 2, the Edwards map, cofactor, encoding; then a BigInt pass to u).
  out.sodiumFromHashUs = perKey(t);
  // What it runs now: the u-coordinate of map_to_curve_elligator2_curve25519, batched (curve25519-wasm.ts).
  const kernel = new Curve25519Kernel();
  const us = new Uint8Array(n * 32);
  t = performance.now();
  for (let from = 0; from < n; from += 1024) {
    const m = Math.min(1024, n - from);
    us.set(kernel.map(m, (i, heap, at) => heap.set(uniform.subarray((from + i) * 64 + 16, (from + i) * 64 + 64), at)), from * 32);
  }
  out.elligator2KernelUs = perKey(t);

  const scalar = crypto.getRandomValues(new Uint8Array(32));
  const pkcs8 = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20, ...scalar]);
  const priv = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, false, ['deriveBits']);
  const point = (i: number) => us.slice(i * 32, i * 32 + 32);
  const lanes = async (k: number, f: (i: number) => Promise<unknown>) => {
    let next = 0;
    const lane = async () => {
      while (next < n) await f(next++);
    };
    await Promise.all(Array.from({ length: k }, lane));
  };
  t = performance.now();
  const pubs: CryptoKey[] = new Array<CryptoKey>(n);
  await lanes(32, async (i) => (pubs[i] = await crypto.subtle.importKey('raw', point(i), { name: 'X25519' }, false, [])));
  out.webCryptoImportUs = perKey(t);
  t = performance.now();
  await lanes(32, (i) => crypto.subtle.deriveBits({ name: 'X25519', public: pubs[i]! }, priv, 256));
  out.webCryptoDeriveUs = perKey(t);
  for (const k of [8, 32, 128]) {
    t = performance.now();
    await lanes(k, async (i) => crypto.subtle.deriveBits({ name: 'X25519', public: await crypto.subtle.importKey('raw', point(i), { name: 'X25519' }, false, []) }, priv, 256));
    out[`webCryptoImportDerive${k}LanesUs`] = perKey(t);
  }
  // What Comlink's postMessage copies: the keys as objects (psiBlind's argument before issue 15), or packed (packKeys, now).
  t = performance.now();
  structuredClone(keys);
  out.cloneKeyObjectsUs = perKey(t);
  t = performance.now();
  structuredClone(packKeys(keys));
  out.clonePackedKeysUs = perKey(t);

  // The app's whole path in a worker: blindKeys on loadX25519Psi, in batches of 1024 as check-work.ts cuts them.
  const curve = await loadX25519Psi();
  out.blinding = curve.blinding;
  t = performance.now();
  for (let i = 0; i < n; i += 1024) await blindKeys(curve, scalar, CHECK, packKeys(keys.slice(i, i + 1024)));
  out.appBlindKeysUs = perKey(t);
  t = performance.now();
  for (let i = 0; i < n; i += 1024) curve.hashToCurve(messages.slice(i, i + 1024));
  out.appHashToCurveUs = perKey(t);
  t = performance.now();
  for (let i = 0; i < n; i += 1024) await curve.x25519(scalar, us.subarray(i * 32, Math.min(n, i + 1024) * 32));
  out.appX25519Us = perKey(t);
  return out;
}

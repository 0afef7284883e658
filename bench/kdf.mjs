// X2's costs, measured in Node (the same V8 as Chromium; run on a quiet machine): Argon2id through
// @noble/hashes and through libsodium's WebAssembly build at the app's parameters (DEFAULT_KDF in
// app/src/storage/at-rest/keyring.ts), and what sealing, opening and keyed index hashing cost per
// contact (AES-256-GCM and XChaCha20-Poly1305 of @noble/ciphers, HMAC-SHA256 of @noble/hashes). One JSON line each.
//   node bench/kdf.mjs [--ops 3] [--memKiB 65536]
import { gcm } from '@noble/ciphers/aes.js';
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { argon2id } from '@noble/hashes/argon2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import sodium from 'libsodium-wrappers-sumo';
import { parseArgs } from './lib/two-orgs.mjs';

const { ops, memKiB } = parseArgs({ ops: 3, memKiB: 64 * 1024 });
const pw = 'correct horse battery staple';
const salt = new Uint8Array(16).fill(1);
const time = (f) => {
  const t = performance.now();
  f();
  return Math.round(performance.now() - t);
};
await sodium.ready;
for (let i = 0; i < 2; i++) {
  console.log(JSON.stringify({ bench: 'argon2id', impl: 'libsodium-wasm', ops, memKiB, ms: time(() => sodium.crypto_pwhash(32, pw, salt, ops, memKiB * 1024, sodium.crypto_pwhash_ALG_ARGON2ID13)) }));
}
console.log(JSON.stringify({ bench: 'argon2id', impl: '@noble/hashes', ops, memKiB, ms: time(() => argon2id(pw, salt, { t: ops, m: memKiB, p: 1, dkLen: 32 })) }));

// A contact as the app seals it: its JSON, about 1.1 KB with its match keys.
const record = new TextEncoder().encode(
  JSON.stringify({ firstName: 'محمد', lastName: 'الحسن', fatherName: 'علي', motherName: 'زينب', birth: { kind: 'date', date: '1980-01-02' }, sex: 'male', phone: '+9613123456', documentType: 'National ID', documentNumber: 'LB-1234567', location: 'Tyre', householdSize: 4, notes: '', secretHex: 'ab'.repeat(32), phoneticIdV0: null, matchKeys: Array.from({ length: 7 }, (_, i) => `{"born":"1980-01-02","father":"AL","first":"MHMT","kind":"k${i}","v":1}`), createdAt: '2026-11-21T08:00:00.000Z', updatedAt: '2026-11-21T08:00:00.000Z', createdBy: 'amal' }),
);
const key = new Uint8Array(32).fill(7);
const aad = new TextEncoder().encode('contacts\u00007d3f2c1a-0b4e-4c5d-8e6f-112233445566');
const N = 20_000;
// Record versions are AES-256-GCM; stored rows XChaCha20-Poly1305 (PROTOCOL §8): one line each.
for (const [name, aead, nonceBytes] of [['aes-256-gcm', gcm, 12], ['xchacha20-poly1305', xchacha20poly1305, 24]]) {
  const sealed = [];
  const sealMs = time(() => {
    for (let i = 0; i < N; i++) sealed.push(aead(key, new Uint8Array(nonceBytes).fill(i & 255), aad).encrypt(record));
  });
  const openMs = time(() => {
    for (let i = 0; i < N; i++) aead(key, new Uint8Array(nonceBytes).fill(i & 255), aad).decrypt(sealed[i]);
  });
  console.log(JSON.stringify({ bench: name, impl: '@noble/ciphers', recordBytes: record.length, records: N, sealUsPerRecord: +((sealMs * 1000) / N).toFixed(1), openUsPerRecord: +((openMs * 1000) / N).toFixed(1) }));
}
const mac = hmac.create(sha256, key);
const terms = Array.from({ length: 100_000 }, (_, i) => `{"first":"MHMT","kind":"phone-first","phone":"+96131${i}","v":1}`);
const enc = new TextEncoder();
const macMs = time(() => {
  for (const t of terms) mac.clone().update(enc.encode(t)).digest();
});
console.log(JSON.stringify({ bench: 'index-hash', impl: 'hmac-sha256 @noble/hashes', terms: terms.length, usPerTerm: +((macMs * 1000) / terms.length).toFixed(2) }));

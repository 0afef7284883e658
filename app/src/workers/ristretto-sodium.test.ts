import { ristretto255, ristretto255_hasher } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { blindKeys, bytesToHex, psiDst, psiUniformBytes, randomScalar, reblindPoints, seededBytes, utf8ToBytes } from '@ihyid/shared';
import { loadSodiumRistretto255 } from './ristretto-sodium';


describe('libsodium ristretto255 adapter (A3)', () => {
  it('[A3] hashes keys exactly as RFC 9380 hash_to_ristretto255 (checked against @noble/curves)', async () => {
    const sodium = await loadSodiumRistretto255();
    const one = new Uint8Array(32);
    one[0] = 1;
    const checkId = '9b2f4d3e-1c2a-4b5c-8d6e-7f8091a2b3c4';
    const long = `{"kind":"name-dob","names":"${'x'.repeat(2000)}","v":1}`;
    for (const key of ['{"id":"H550-H330-B616-M240-19760507","kind":"phonetic-v0","v":0}', '{"kind":"name-dob","name":"محمد","v":1}', '', long, 'y']) {
      const ours = blindKeys(sodium, one, checkId, [{ json: key, kind: 'phonetic-v0' }]);
      const noble = ristretto255_hasher.hashToCurve(utf8ToBytes(key), { DST: psiDst(checkId, 'phonetic-v0') }).toBytes();
      expect(bytesToHex(ours)).toBe(bytesToHex(noble));
      // The WebAssembly SHA-512 path and the JavaScript expand_message_xmd path agree.
      expect(bytesToHex(sodium.hashToGroup!(utf8ToBytes(key), psiDst(checkId, 'phonetic-v0')))).toBe(bytesToHex(sodium.fromUniformBytes(psiUniformBytes(key, psiDst(checkId, 'phonetic-v0')))));
    }
  });

  it('[A3] blinding commutes: (H·a)·b = (H·b)·a, the property the intersection rests on', async () => {
    const sodium = await loadSodiumRistretto255();
    const random = seededBytes(42);
    const a = randomScalar(random);
    const b = randomScalar(random);
    const keys = [{ json: '{"id":"X","kind":"phonetic-v0","v":0}', kind: 'phonetic-v0' }];
    const ha = blindKeys(sodium, a, 'c', keys);
    const hb = blindKeys(sodium, b, 'c', keys);
    const hab = reblindPoints(sodium, b, ha);
    const hba = reblindPoints(sodium, a, hb);
    expect(hab.ok && hba.ok && bytesToHex(hab.value) === bytesToHex(hba.value)).toBe(true);
  });

  it('[A3][A8] refuses points that do not decode and the identity', async () => {
    const sodium = await loadSodiumRistretto255();
    const s = randomScalar(seededBytes(1));
    expect(sodium.scalarMult(s, new Uint8Array(32).fill(0xff))).toBeNull();
    expect(sodium.scalarMult(s, new Uint8Array(32))).toBeNull();
    expect(sodium.scalarMult(s, ristretto255.Point.BASE.toBytes())).not.toBeNull();
    const points = new Uint8Array(64);
    points.set(ristretto255.Point.BASE.toBytes());
    points.fill(0xff, 32);
    expect(reblindPoints(sodium, s, points)).toEqual({ ok: false, error: 1 });
  });
});

import { ed25519, ed25519_hasher, x25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, utf8ToBytes } from '../src/core/hex.js';
import { blindKeys, firstNonCanonical, firstRefused, firstSmallOrder, keyMessages, packKeys, randomScalar, reblindPoints } from '../src/check/psi-group.js';
import { expandMessageXmdSha512, keyKind, psiDst } from '../src/check/psi-hash.js';
import { phoneticKey } from './support/check-org.js';
import { inPrimeOrderSubgroup, nobleCurve, onCurve } from './support/noble-curve.js';
import { RFC9380_NU, RFC9380_NU_DST, timesEightU, uOfY } from './support/rfc9380-nu.js';
import { seededRandom } from './support/seeded.js';

const CHECK = '9b2f4d3e-1c2a-4b5c-8d6e-7f8091a2b3c4';
const P = (1n << 255n) - 19n;
const le = (x: bigint): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => Number((x >> BigInt(8 * i)) & 0xffn));
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.length * 32);
  parts.forEach((p, i) => out.set(p, i * 32));
  return out;
};

describe('psi-v2 hashing (A3)', () => {
  const dst = utf8ToBytes('QUUX-V01-CS02-with-expander-SHA512-256');
  const vectors: [string, number, string][] = [
    ['', 32, '6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba'],
    ['abc', 32, '0da749f12fbe5483eb066a5f595055679b976e93abe9be6f0f6318bce7aca8dc'],
    ['abc', 128, '7f1dddd13c08b543f2e2037b14cefb255b44c83cc397c1786d975653e36a6b11bdd7732d8b38adb4a0edc26a0cef4bb45217135456e58fbca1703cd6032cb1347ee720b87972d63fbf232587043ed2901bce7f22610c0419751c065922b488431851041310ad659e4b23520e1772ab29dcdeb2002222a363f0c2b1c972b3efe1'],
  ];
  for (const [msg, len, expected] of vectors) {
    it(`[A3] expand_message_xmd(SHA-512) matches RFC 9380 K.3 for "${msg}", ${len} bytes`, () => {
      expect(bytesToHex(expandMessageXmdSha512(utf8ToBytes(msg), dst, len))).toBe(expected);
    });
  }

  for (const [msg, x, y] of RFC9380_NU) {
    it(`[A3] H is RFC 9380 J.5.2's point (edwards25519_XMD:SHA-512_ELL2_NU_) before its cofactor is cleared, for "${msg.slice(0, 16)}…": three doublings of H give the RFC point's u`, () => {
      const point = ed25519_hasher.encodeToCurve(utf8ToBytes(msg), { DST: RFC9380_NU_DST }).toAffine();
      expect([point.x.toString(16).padStart(64, '0'), point.y.toString(16).padStart(64, '0')]).toEqual([x, y]);
      const h = bytesToHex(nobleCurve.hashToCurve([{ msg: utf8ToBytes(msg), dst: RFC9380_NU_DST }]));
      expect(timesEightU(h)).toBe(uOfY(y));
    });
  }

  it('[A3] every hashed key is a canonical u on the curve (never the twist), and once blinded lies in the prime-order subgroup', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => ({ json: phoneticKey(`K${i}`), kind: 'phonetic-v0' }));
    const us = nobleCurve.hashToCurve(keys.map((k) => ({ msg: utf8ToBytes(k.json), dst: psiDst(CHECK, 'phonetic-v0') })));
    expect(firstNonCanonical(us)).toBe(-1);
    for (let i = 0; i < keys.length; i++) expect(onCurve(us.subarray(i * 32, (i + 1) * 32))).toBe(true);
    // The cofactor is left to X25519's clamping (a multiple of 8): the hashed points themselves are mostly not in the subgroup.
    expect(Array.from({ length: keys.length }, (_, i) => inPrimeOrderSubgroup(us.subarray(i * 32, (i + 1) * 32))).filter(Boolean).length).toBeLessThan(keys.length);
    const blinded = await blindKeys(nobleCurve, randomScalar(seededRandom('subgroup')), CHECK, keys);
    for (let i = 0; i < keys.length; i++) expect(inPrimeOrderSubgroup(blinded.subarray(i * 32, (i + 1) * 32))).toBe(true);
  });

  it("[A3] pins the PROTOCOL.md §3.4 vector: Houman's phonetic key in check 9b2f4d3e-…", async () => {
    const key = phoneticKey('H550-H330-B616-M240-19760507');
    const dst = psiDst(CHECK, 'phonetic-v0');
    expect(new TextDecoder().decode(dst)).toBe('ihyid-psi-v2/9b2f4d3e-1c2a-4b5c-8d6e-7f8091a2b3c4/phonetic-v0');
    expect(bytesToHex(expandMessageXmdSha512(utf8ToBytes(key), dst, 48))).toBe('d96a964b40ceeb4448516a984428bcfa8cf9a7fc29b1881c6280a76753c445e5591b5684a0c37ab3658f4a94b8194376');
    const u = '475d622f4c66f1066fa7c6642163d2eb7c7be48ad11359b5a836934517d4e473';
    expect(bytesToHex(nobleCurve.hashToCurve([{ msg: utf8ToBytes(key), dst }]))).toBe(u);
    const a = new Uint8Array(32).fill(1);
    const b = new Uint8Array(32).fill(2);
    const once = await blindKeys(nobleCurve, a, CHECK, [{ json: key, kind: 'phonetic-v0' }]);
    expect(bytesToHex(once)).toBe('394703e8ffe07c9392e40312907315484a13a482931ae20d068cda0ac7c9123f');
    expect(await reblindPoints(nobleCurve, b, once)).toEqual({ ok: true, value: hexToBytes('e50e3979ccb8b59d0b9dcbb44f95c0593654e4936bb23a6b93ab99b517fabe08') });
  });

  it('[A3] the DST binds the session and the kind: the same key hashes apart in another check or kind', async () => {
    const scalar = randomScalar(seededRandom('s'));
    const key = phoneticKey('H550-H330-B616-M240-19760507');
    const a = await blindKeys(nobleCurve, scalar, CHECK, [{ json: key, kind: 'phonetic-v0' }]);
    const b = await blindKeys(nobleCurve, scalar, '1b2f4d3e-1c2a-4b5c-8d6e-7f8091a2b3c4', [{ json: key, kind: 'phonetic-v0' }]);
    const c = await blindKeys(nobleCurve, scalar, CHECK, [{ json: key, kind: 'phone-v1' }]);
    expect(new Set([a, b, c].map(bytesToHex)).size).toBe(3);
    expect(keyKind(key)).toBe('phonetic-v0');
    expect(keyKind('not json')).toBeNull();
  });

  it('[A3] a packed batch (two strings for the worker boundary) gives each key its own UTF-8 bytes and its kind\'s DST, and blinds as the list does', async () => {
    const keys = [
      { json: '{"kind":"name-dob","names":"محمد علي","v":2}', kind: 'name-dob' },
      { json: '', kind: 'phonetic-v0' },
      { json: '{"kind":"name-dob",\n"v":2}', kind: 'name-dob' },
      { json: phoneticKey('H550-H330-B616-M240-19760507'), kind: 'phonetic-v0' },
    ];
    const messages = keyMessages(CHECK, packKeys(keys));
    expect(messages.map((m) => new TextDecoder().decode(m.msg))).toEqual(keys.map((k) => k.json));
    expect(messages.map((m) => bytesToHex(m.dst))).toEqual(keys.map((k) => bytesToHex(psiDst(CHECK, k.kind))));
    expect(keyMessages(CHECK, packKeys([]))).toEqual([]);
    expect(() => keyMessages(CHECK, { count: 3, jsons: 'a\u0000b', kinds: 'x\u0000y\u0000z' })).toThrow(RangeError);
    const scalar = randomScalar(seededRandom('packed'));
    expect(bytesToHex(await blindKeys(nobleCurve, scalar, CHECK, packKeys(keys)))).toBe(bytesToHex(await blindKeys(nobleCurve, scalar, CHECK, keys)));
    const one = await Promise.all(keys.map((k) => blindKeys(nobleCurve, scalar, CHECK, [k])));
    expect(bytesToHex(await blindKeys(nobleCurve, scalar, CHECK, keys))).toBe(one.map(bytesToHex).join(''));
  });

  it('[A3] scalars are 32 fresh random bytes, clamped by X25519 itself', () => {
    const random = seededRandom('scalars');
    const seen = new Set(Array.from({ length: 50 }, () => bytesToHex(randomScalar(random))));
    expect(seen.size).toBe(50);
    expect([...seen].every((s) => s.length === 64)).toBe(true);
  });
});

describe('psi-v2 blinding (A3)', () => {
  const keys = ['A', 'B', 'C'].map((id) => ({ json: phoneticKey(id), kind: 'phonetic-v0' }));

  it('[A3] blinding commutes: X25519(b, X25519(a, H(k))) = X25519(a, X25519(b, H(k))), and differs per key', async () => {
    const random = seededRandom('commute');
    const a = randomScalar(random);
    const b = randomScalar(random);
    const ha = await blindKeys(nobleCurve, a, CHECK, keys);
    const hb = await blindKeys(nobleCurve, b, CHECK, keys);
    const hab = await reblindPoints(nobleCurve, b, ha);
    const hba = await reblindPoints(nobleCurve, a, hb);
    expect(hab.ok && hba.ok).toBe(true);
    if (!hab.ok || !hba.ok) return;
    expect(bytesToHex(hab.value)).toBe(bytesToHex(hba.value));
    expect(new Set([0, 1, 2].map((i) => bytesToHex(hab.value.subarray(i * 32, (i + 1) * 32)))).size).toBe(3);
    // Blinding is X25519 and nothing else: the same bytes as noble's scalarMult on the hashed u.
    const u = nobleCurve.hashToCurve([{ msg: utf8ToBytes(keys[0]!.json), dst: psiDst(CHECK, 'phonetic-v0') }]);
    expect(bytesToHex(ha.subarray(0, 32))).toBe(bytesToHex(x25519.scalarMult(a, u)));
  });

  it('[A3][A8] refuses a partner u that is not canonical: bit 255 set, or a value ≥ p', () => {
    const good = ed25519.utils.toMontgomery(ed25519.Point.BASE.multiply(7n).toBytes());
    expect(firstNonCanonical(concat(good, le(P - 1n)))).toBe(-1);
    for (const bad of [le(P), le(P + 1n), le((1n << 255n) - 1n), Uint8Array.from(good, (b, i) => (i === 31 ? b | 0x80 : b))]) {
      expect(firstNonCanonical(concat(good, bad))).toBe(1);
    }
  });

  it('[A3][A8] refuses points of small order (their X25519 is all zero) at their index, on the curve and the twist', async () => {
    const s = randomScalar(seededRandom('small'));
    const good = ed25519.utils.toMontgomery(ed25519.Point.BASE.multiply(7n).toBytes());
    // The small-order u of curve25519 and its twist: 0, 1, the two points of order 8, and p − 1.
    const small = [0n, 1n, 325606250916557431795983626356110631294008115727848805560023387167927233504n, 39382357235489614581723060781553021112529911719440698176882885853963445705823n, P - 1n];
    for (const u of small) expect(await reblindPoints(nobleCurve, s, concat(good, good, le(u)))).toEqual({ ok: false, error: 2 });
    // The same five, found by comparison alone (the check of a whole list before any round goes back), and nothing else.
    for (const u of small) expect(firstSmallOrder(concat(good, le(u)))).toBe(1);
    const others = [good, le(2n), le(9n), le(P - 2n), ed25519.utils.toMontgomery(ed25519.Point.BASE.multiply(11n).toBytes())];
    for (const u of others) expect((await reblindPoints(nobleCurve, s, u)).ok && firstSmallOrder(u)).toBe(-1);
    expect(firstRefused(concat(good, le(P), le(0n)))).toBe(1);
    expect(firstRefused(concat(good, le(1n), le(P)))).toBe(1);
    expect(firstRefused(concat(good, good))).toBe(-1);
    expect(await reblindPoints(nobleCurve, s, concat(good, le(P)))).toEqual({ ok: false, error: 1 });
    expect(await reblindPoints(nobleCurve, s, new Uint8Array(33))).toEqual({ ok: false, error: 1 });
  });

  it('[A3] a point on the twist is blinded like any other (twist security), and still commutes', async () => {
    const random = seededRandom('twist');
    const a = randomScalar(random);
    const b = randomScalar(random);
    // u = 2: 2³ + 486662·2² + 2 is not a square mod p, so u = 2 lies on the quadratic twist.
    const twist = le(2n);
    expect(inPrimeOrderSubgroup(twist)).toBe(false);
    const ta = await reblindPoints(nobleCurve, a, twist);
    const tb = await reblindPoints(nobleCurve, b, twist);
    expect(ta.ok && tb.ok).toBe(true);
    if (!ta.ok || !tb.ok) return;
    expect(await reblindPoints(nobleCurve, b, ta.value)).toEqual(await reblindPoints(nobleCurve, a, tb.value));
  });
});

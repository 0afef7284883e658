import { createHash, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, utf8ToBytes } from '../src/core/hex.js';
import { base32, compareScannedFingerprint, fingerprintOf, fingerprintQrText, formatFingerprint, parseFingerprint, publicKeyHex, signerFromSecretKey, strictVerify } from '../src/identity/index.js';
import { VECTORS } from './identity-fixtures.js';

describe('keys and fingerprints (I1)', () => {
  it('[I1] base32 is RFC 4648 section 6 without padding (the RFC 4648 test vectors)', () => {
    const check = (text: string, expected: string) => expect(base32(utf8ToBytes(text))).toBe(expected);
    check('', '');
    check('f', 'MY');
    check('fo', 'MZXQ');
    check('foo', 'MZXW6');
    check('foob', 'MZXW6YQ');
    check('fooba', 'MZXW6YTB');
    check('foobar', 'MZXW6YTBOI');
  });

  it('[I1] the fingerprint is base32 of the first 20 bytes of SHA-256(public key): 32 characters', () => {
    const pk = VECTORS.A.pk;
    const digest = createHash('sha256').update(Buffer.from(pk, 'hex')).digest().subarray(0, 20);
    const fp = fingerprintOf(hexToBytes(pk));
    expect(fp).toHaveLength(32);
    expect(fp).toBe(base32(new Uint8Array(digest)));
    expect(fingerprintOf(publicKeyHex(hexToBytes(pk)))).toBe(fp);
    // Checked with Python: base64.b32encode(hashlib.sha256(pk).digest()[:20]).
    expect(fp).toBe('VW5AN5KPMO2KU5MJMBBHF2FT3QC2H2AR');
  });

  it('[I1] a fingerprint read aloud in groups of four parses back, whatever the case and spacing', () => {
    const fp = fingerprintOf(hexToBytes(VECTORS.B.pk));
    const spoken = formatFingerprint(fp);
    expect(spoken.split(' ')).toHaveLength(8);
    expect(parseFingerprint(spoken.toLowerCase())).toBe(fp);
    expect(parseFingerprint(spoken.replaceAll(' ', '-'))).toBe(fp);
    expect(parseFingerprint('ABCD')).toBeNull();
    expect(parseFingerprint(fp.slice(0, 31) + '1')).toBeNull();
  });

  it('[I1] WebCrypto Ed25519 signatures verify with @noble/curves, and noble signatures with WebCrypto', async () => {
    const subtle = webcrypto.subtle;
    const message = utf8ToBytes('ihyid-event-v1\n{}');
    const pair = (await subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const raw = new Uint8Array(await subtle.exportKey('raw', pair.publicKey));
    const webSig = new Uint8Array(await subtle.sign({ name: 'Ed25519' }, pair.privateKey, message));
    expect(await strictVerify(publicKeyHex(raw), message, webSig)).toBe(true);

    const noble = signerFromSecretKey(hexToBytes(VECTORS.A.sk));
    const nobleSig = await noble.sign(message);
    const imported = await subtle.importKey('raw', hexToBytes(noble.publicKey), { name: 'Ed25519' }, true, ['verify']);
    expect(await subtle.verify({ name: 'Ed25519' }, imported, nobleSig, message)).toBe(true);
    expect(noble.publicKey).toBe(VECTORS.A.pk);
  });

  it('[I1] strict verification refuses a changed message, another key and a malformed signature', async () => {
    const a = signerFromSecretKey(hexToBytes(VECTORS.A.sk));
    const message = utf8ToBytes('hello');
    const sig = await a.sign(message);
    expect(await strictVerify(a.publicKey, message, sig)).toBe(true);
    expect(await strictVerify(a.publicKey, utf8ToBytes('hellO'), sig)).toBe(false);
    expect(await strictVerify(publicKeyHex(hexToBytes(VECTORS.B.pk)), message, sig)).toBe(false);
    expect(await strictVerify(a.publicKey, message, sig.subarray(0, 63))).toBe(false);
    expect(await strictVerify('zz' as never, message, sig)).toBe(false);
    // A non-canonical S (S + L) must be refused, as RFC 8032 says.
    const bad = sig.slice();
    bad[63] = (bad[63]! + 0x10) & 0xff;
    expect(await strictVerify(a.publicKey, message, bad)).toBe(false);
    expect(bytesToHex(sig)).toHaveLength(128);
  });

  it('[I8] a scanned QR code matches only the fingerprint the handshake verified', () => {
    const a = fingerprintOf(hexToBytes(VECTORS.A.pk));
    const b = fingerprintOf(hexToBytes(VECTORS.B.pk));
    expect(fingerprintQrText(a)).toMatch(/^[0-9A-Z:]+$/); // QR's alphanumeric mode
    expect(compareScannedFingerprint(fingerprintQrText(a), a)).toBe('match');
    expect(compareScannedFingerprint(` ${fingerprintQrText(a)}\n`, a)).toBe('match');
    expect(compareScannedFingerprint(fingerprintQrText(b), a)).toBe('mismatch');
    // A code that is not an Ihyid fingerprint is said to be one, never a match.
    expect(compareScannedFingerprint(a, a)).toBe('not-a-fingerprint');
    expect(compareScannedFingerprint('https://example.org/', a)).toBe('not-a-fingerprint');
    expect(compareScannedFingerprint(fingerprintQrText(a).toLowerCase(), a)).toBe('not-a-fingerprint');
  });
});

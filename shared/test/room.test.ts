import { describe, expect, it } from 'vitest';
import { base64UrlFromBytes, bytesFromBase64Url } from '../src/core/hex.js';
import { roomIdFromSecret } from '../src/signaling/room.js';

describe('invitation rooms', () => {
  it('[I8] room id is HMAC-SHA256(secret, "ihyid-room-v1"): PROTOCOL.md vector', () => {
    // Vector checked independently with Node's crypto.createHmac (see PROTOCOL.md).
    const secret = Uint8Array.from({ length: 32 }, (_, i) => i);
    expect(roomIdFromSecret(secret)).toBe('939dabac1e91abf984e2ba2330b4e6d9412da4a426aa1a1f02690c56f5c48129');
    expect(base64UrlFromBytes(secret)).toBe('AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8');
  });

  it('[I8] the link secret survives base64url both ways for every length', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff);
      expect(bytesFromBase64Url(base64UrlFromBytes(bytes))).toEqual(bytes);
    }
  });

  it('[I8] a damaged link secret is refused, not misread', () => {
    expect(bytesFromBase64Url('abc$')).toBeNull();
    expect(bytesFromBase64Url('A')).toBeNull();
  });
});

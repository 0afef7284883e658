import { describe, expect, it } from 'vitest';
import { base64UrlFromBytes, bytesFromBase64Url } from '../src/core/hex.js';
import { createHash, createHmac } from 'node:crypto';
import { bytesToHex } from '../src/core/hex.js';
import { pairingRoomCloseProof, pairingRoomId } from '../src/identity/pairing.js';
import { closeProofMatches, parseCloseRoomRequest, parseJoinReply, parseRoomClosed } from '../src/signaling/protocol.js';
import { roomCloseProof, roomIdFromSecret, roomIdOfCloseProof } from '../src/signaling/room.js';

const secret = Uint8Array.from({ length: 32 }, (_, i) => i);

describe('invitation rooms', () => {
  it('[I8] room id = SHA-256(HMAC-SHA256(secret, "ihyid-room-close-v1")): PROTOCOL.md vector', () => {
    // Vector, PROTOCOL.md §1.3; node:crypto computes it on its own here.
    const proof = createHmac('sha256', secret).update('ihyid-room-close-v1').digest();
    expect(bytesToHex(roomCloseProof(secret))).toBe('9924c9959596de1231ede167a6b9d488aecb16857de9657fd41304b0c2e9cbba');
    expect(bytesToHex(roomCloseProof(secret))).toBe(proof.toString('hex'));
    expect(roomIdFromSecret(secret)).toBe('d42995673ca69d31151034cedb5e19f7d48e221d6e8aedadb7e00f3fa7b576b8');
    expect(roomIdFromSecret(secret)).toBe(createHash('sha256').update(proof).digest('hex'));
    expect(base64UrlFromBytes(secret)).toBe('AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8');
  });

  it('[I10] the device-pairing room keeps its own label: PROTOCOL.md §5.1 vector', () => {
    expect(bytesToHex(pairingRoomCloseProof(secret))).toBe('c888b1c99494009b4ff50c6fcdf40913bc78feef40fc0ab2844067b6571e3609');
    expect(pairingRoomId(secret)).toBe('7911fa01643758a82aad1616f53647728527964a7404c3ec23335f37479779e1');
    expect(pairingRoomId(secret)).not.toBe(roomIdFromSecret(secret));
  });

  it('[I9] a close-room proves the secret: its proof hashes to the room id, and nothing made from the id does', () => {
    const roomId = roomIdFromSecret(secret);
    const good = parseCloseRoomRequest({ roomId, proof: bytesToHex(roomCloseProof(secret)), reason: 'used' });
    expect(good.ok && closeProofMatches(good.value)).toBe(true);
    expect(roomIdOfCloseProof(roomCloseProof(secret))).toBe(roomId);
    for (const proof of [roomId, createHash('sha256').update(roomId).digest('hex'), bytesToHex(pairingRoomCloseProof(secret))]) {
      const forged = parseCloseRoomRequest({ roomId, proof, reason: 'revoked' });
      expect(forged.ok && closeProofMatches(forged.value)).toBe(false);
    }
    for (const bad of [{ roomId, proof: 'ab', reason: 'used' }, { roomId, proof: roomId, reason: 'expired' }, { roomId, proof: roomId }, null]) {
      expect(parseCloseRoomRequest(bad)).toMatchObject({ ok: false, error: { code: 'malformed-message' } });
    }
  });

  it('[I9] a join of a closed room is answered with its reason, and a member is told', () => {
    const roomId = roomIdFromSecret(secret);
    expect(parseJoinReply({ ok: false, code: 'room-closed', reason: 'revoked' })).toEqual({ ok: true, value: { ok: false, code: 'room-closed', reason: 'revoked' } });
    expect(parseJoinReply({ ok: false, code: 'room-closed', reason: 'lost' }).ok).toBe(false);
    expect(parseRoomClosed({ roomId, reason: 'used' })).toEqual({ ok: true, value: { roomId, reason: 'used' } });
    expect(parseRoomClosed({ roomId: 'x', reason: 'used' }).ok).toBe(false);
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

import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '../core/hex.js';
import type { RoomId } from '../core/ids.js';

export const ROOM_SECRET_BYTES = 32;
const ROOM_CLOSE_LABEL = 'ihyid-room-close-v1';

/**
 * I8, I9: a room the server can close on request without keeping anything beforehand. Whoever holds
 * the secret can show `proof`; the server checks it against the room id alone (SHA-256 is one-way,
 * so the id it saw, and anyone reading its memory, cannot produce the proof).
 *   proof  = HMAC-SHA256(key = secret bytes, message = UTF-8 label)
 *   roomId = lowercase hex SHA-256(proof)
 * Each use has its own label: invitations and pair rooms "ihyid-room-close-v1", device pairing
 * "ihyid-pairing-room-close-v1" (identity/pairing.ts).
 */
export function closableRoom(secret: Uint8Array, label: string): { roomId: RoomId; proof: Uint8Array } {
  const proof = hmac(sha256, secret, utf8ToBytes(label));
  return { roomId: roomIdOfCloseProof(proof), proof };
}

/** What the server computes from a `close-room` request's proof (signaling/protocol.ts). */
export function roomIdOfCloseProof(proof: Uint8Array): RoomId {
  return bytesToHex(sha256(proof)) as RoomId;
}

/** I8: the signaling server only ever sees this id, never the secret carried in the link's fragment. */
export function roomIdFromSecret(secret: Uint8Array): RoomId {
  return closableRoom(secret, ROOM_CLOSE_LABEL).roomId;
}

/** I9: the proof that closes an invitation's room once it is used or revoked (`close-room`). */
export function roomCloseProof(secret: Uint8Array): Uint8Array {
  return closableRoom(secret, ROOM_CLOSE_LABEL).proof;
}

export const ROOM_ID_PATTERN = /^[0-9a-f]{64}$/;

const LINK_AUTH_LABEL = 'ihyid-link-auth-v1';
const PAIR_LABEL = 'ihyid-pair-v1';

/**
 * I9: the key that proves knowledge of a link's secret in the identity handshake, under its own
 * label, so the room id the server sees (another HMAC of the same secret) says nothing about it.
 * linkKey = HMAC-SHA256(key = secret bytes, message = UTF-8 "ihyid-link-auth-v1").
 */
export function linkAuthKey(secret: Uint8Array): Uint8Array {
  return hmac(sha256, secret, utf8ToBytes(LINK_AUTH_LABEL));
}

/**
 * I9: the secret two organisations keep once an invitation bound them, for every later meeting (its
 * own room id and link key, as for an invitation). Both derive it from the invitation's link key and
 * the two handshake nonces, which crossed only the encrypted data channel: a link seen later by
 * someone else, or the server's room id, gives nothing of it.
 * pairSecret = HMAC-SHA256(key = linkKey, message = UTF-8("ihyid-pair-v1" LF lower nonce LF higher nonce)).
 */
export function pairSecretOf(linkKey: Uint8Array, nonceA: string, nonceB: string): Uint8Array {
  const [lo, hi] = nonceA < nonceB ? [nonceA, nonceB] : [nonceB, nonceA];
  return hmac(sha256, linkKey, utf8ToBytes(`${PAIR_LABEL}\n${lo}\n${hi}`));
}

import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '../core/hex.js';
import type { RoomId } from '../core/ids.js';

export const ROOM_SECRET_BYTES = 32;
const ROOM_LABEL = 'ihyid-room-v1';

/**
 * I8: the signaling server only ever sees this id, never the secret carried in the link's fragment.
 * roomId = lowercase hex HMAC-SHA256(key = secret bytes, message = UTF-8 "ihyid-room-v1").
 */
export function roomIdFromSecret(secret: Uint8Array): RoomId {
  return bytesToHex(hmac(sha256, secret, utf8ToBytes(ROOM_LABEL))) as RoomId;
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

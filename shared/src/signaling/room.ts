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

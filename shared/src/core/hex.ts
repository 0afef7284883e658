import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { base64, base64urlnopad } from '@scure/base';

export { bytesToHex, hexToBytes, utf8ToBytes };

const HEX = /^(?:[0-9a-f]{2})*$/;

/** Lowercase, even-length hex; the only hex form that crosses the wire. */
export function isLowerHex(value: string, byteLength?: number): boolean {
  return HEX.test(value) && (byteLength === undefined || value.length === byteLength * 2);
}

/**
 * Unpadded base64url (RFC 4648 section 5): invitation secrets in links (I8). @scure/base, because
 * `btoa` is a DOM/Node global and a hand-written codec is one more thing to get wrong.
 */
export function base64UrlFromBytes(bytes: Uint8Array): string {
  return base64urlnopad.encode(bytes);
}

/** null for anything that is not unpadded base64url. */
export function bytesFromBase64Url(text: string): Uint8Array | null {
  return decodeOrNull(base64urlnopad, text);
}

/** Standard padded base64 (RFC 4648 section 4): the transfer chunks of a check (A7). */
export function bytesToBase64(bytes: Uint8Array): string {
  return base64.encode(bytes);
}

/** null for anything that is not padded base64. */
export function base64ToBytes(text: string): Uint8Array | null {
  return decodeOrNull(base64, text);
}

function decodeOrNull(codec: { decode(text: string): Uint8Array }, text: string): Uint8Array | null {
  try {
    return codec.decode(text);
  } catch {
    return null;
  }
}

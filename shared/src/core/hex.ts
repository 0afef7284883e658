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
  // ECMAScript's own encoder where the engine has it (as `bytesFromBase64Url` below).
  const native = (bytes as unknown as NativeToBase64).toBase64;
  return native === undefined ? base64urlnopad.encode(bytes) : native.call(bytes, { alphabet: 'base64url', omitPadding: true });
}

type NativeToBase64 = { toBase64?: (options: { alphabet: 'base64url'; omitPadding: true }) => string };

/**
 * null for anything that is not unpadded base64url. Where the engine has ECMAScript's own decoder
 * (`Uint8Array.fromBase64`: Chromium 140 and later) it does the work, several times faster than a
 * codec in script (a sync's receiving device decodes every contact version: #16); the checks before
 * it refuse what @scure/base refuses (padding, whitespace, a lone last character, unused bits set).
 */
export function bytesFromBase64Url(text: string): Uint8Array | null {
  const native = (Uint8Array as unknown as NativeBase64).fromBase64;
  if (native === undefined) return decodeOrNull(base64urlnopad, text);
  const tail = text.length % 4;
  if (tail === 1 || !BASE64URL.test(text)) return null;
  if (tail > 0 && (BASE64URL_ALPHABET.indexOf(text[text.length - 1]!) & (tail === 2 ? 0x0f : 0x03)) !== 0) return null;
  return native.call(Uint8Array, text, { alphabet: 'base64url', lastChunkHandling: 'loose' });
}

type NativeBase64 = { fromBase64?: (text: string, options: { alphabet: 'base64url'; lastChunkHandling: 'loose' }) => Uint8Array };
const BASE64URL = /^[A-Za-z0-9_-]*$/;
const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

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

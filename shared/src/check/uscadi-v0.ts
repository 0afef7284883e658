import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { isLowerHex } from '../core/hex.js';

/**
 * A1: uscadi-v0, byte-compatible with the seed Ihyid's "check anons".
 * uscadi = lowercase hex SHA-256(UTF-8(phoneticIdV0) ‖ secret), with a fresh 32-byte secret per contact,
 * so the same person has a different uscadi at every organisation and in every contact record.
 *
 * What it reveals (A6): with each (secret, uscadi) pair the answering side can test guessed names and
 * birth dates offline, a dictionary attack. The app keeps this protocol off by default for that reason.
 */
export const USCADI_SECRET_BYTES = 32;

/** The request node A sends to node B. Both lists are shuffled independently, so B cannot pair them. */
export interface UscadiRequestV0 {
  readonly secrets: readonly string[];
  readonly uscadis: readonly string[];
}

export function isUscadiSecretHex(value: string): boolean {
  return isLowerHex(value, USCADI_SECRET_BYTES);
}

function secretBytes(secretHex: string): Uint8Array {
  // Secrets from a partner are parsed at the protocol edge; one reaching here malformed is a bug.
  if (!isUscadiSecretHex(secretHex)) throw new RangeError('uscadi-v0 secret must be 32 bytes of lowercase hex');
  return hexToBytes(secretHex);
}

function uscadiOfBytes(phoneticId: Uint8Array, secret: Uint8Array): string {
  return bytesToHex(sha256(concatBytes(phoneticId, secret)));
}

export function uscadiV0(phoneticId: string, secretHex: string): string {
  return uscadiOfBytes(utf8ToBytes(phoneticId), secretBytes(secretHex));
}

/** A new per-contact secret. Randomness is injected: `shared` has no access to a platform RNG. */
export function newSecretHex(random: (n: number) => Uint8Array): string {
  const bytes = random(USCADI_SECRET_BYTES);
  if (bytes.length !== USCADI_SECRET_BYTES) throw new RangeError('random source returned the wrong number of bytes');
  return bytesToHex(bytes);
}

export interface UscadiRequestItemV0 {
  readonly phoneticId: string;
  readonly secretHex: string;
}

/**
 * Node A's side: the request for the wire, and, kept at home, which of A's items each uscadi stands
 * for, so an answer `{uscadi, known}` can be mapped back to A's own contact. If two items give the same
 * uscadi (only possible when one contact is listed twice) the map keeps the first.
 */
export function makeUscadiRequestV0(
  items: readonly UscadiRequestItemV0[],
  shuffle: <T>(xs: T[]) => T[],
): { readonly request: UscadiRequestV0; readonly indexByUscadi: ReadonlyMap<string, number> } {
  const indexByUscadi = new Map<string, number>();
  const uscadis: string[] = [];
  items.forEach((item, index) => {
    const uscadi = uscadiV0(item.phoneticId, item.secretHex);
    if (!indexByUscadi.has(uscadi)) indexByUscadi.set(uscadi, index);
    uscadis.push(uscadi);
  });
  const secrets = items.map((item) => item.secretHex);
  return { request: { secrets: shuffle(secrets), uscadis: shuffle(uscadis) }, indexByUscadi };
}

/**
 * Node B's side, the seed's N×M search: every received secret is hashed once with every distinct
 * local phonetic id, and each hash is looked up in the set of received uscadis. Returns, for each
 * received uscadi in order, whether B knows it. Secrets must already be parsed (see isUscadiSecretHex).
 *
 * Two deliberate differences from the seed's check_contacts: it skipped a local phonetic id once it had
 * matched, so a second contact of A with the same phonetic id was answered unknown; and it listed the
 * known uscadis before the unknown ones. The hashes, and so the wire format, are the same.
 */
export function answerUscadiV0(
  localPhoneticIds: readonly string[],
  secrets: readonly string[],
  uscadis: readonly string[],
): boolean[] {
  const wanted = new Set(uscadis);
  const found = new Set<string>();
  const locals = [...new Set(localPhoneticIds)].map(utf8ToBytes);
  search: for (const secretHex of secrets) {
    const secret = secretBytes(secretHex);
    for (const local of locals) {
      const uscadi = uscadiOfBytes(local, secret);
      if (wanted.has(uscadi)) {
        found.add(uscadi);
        if (found.size === wanted.size) break search;
      }
    }
  }
  return uscadis.map((uscadi) => found.has(uscadi));
}

import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { isUscadiSecretHex } from './uscadi-v0.js';

/**
 * A2: uscadi-v1 = lowercase hex HMAC-SHA256(key = the contact's 32-byte secret, message = UTF-8 of one
 * match key's canonical JSON), as the seed's README proposed. A contact with several keys yields one
 * uscadi per key, all under its one secret.
 *
 * What it reveals (A6): like uscadi-v0, the answering side holds every secret and can test guessed
 * names offline; it is off unless an admin turns it on.
 */
export function uscadiV1(keyJson: string, secretHex: string): string {
  if (!isUscadiSecretHex(secretHex)) throw new RangeError('uscadi-v1 secret must be 32 bytes of lowercase hex');
  return bytesToHex(hmac(sha256, hexToBytes(secretHex), utf8ToBytes(keyJson)));
}

/**
 * The answering side's N×M search, written plainly: the reference the app's fast kernel is tested
 * against. One boolean per received uscadi, in the received order.
 */
export function answerUscadiV1(localKeys: readonly string[], secrets: readonly string[], uscadis: readonly string[]): boolean[] {
  const wanted = new Set(uscadis);
  const found = new Set<string>();
  const locals = [...new Set(localKeys)];
  for (const secret of secrets) for (const key of locals) {
    const u = uscadiV1(key, secret);
    if (wanted.has(u)) found.add(u);
  }
  return uscadis.map((u) => found.has(u));
}

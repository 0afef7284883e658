import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { CheckId } from '../core/ids.js';

/**
 * RFC 9380 section 5.3.1, expand_message_xmd with SHA-512, as @noble/curves implements it. Only the
 * uniform bytes are made here: the point map itself sits behind `Ristretto255` (psi-group.ts), so the
 * app can use libsodium and tests noble.
 */
export function expandMessageXmdSha512(msg: Uint8Array, dst: Uint8Array, lenInBytes: number): Uint8Array {
  return expand_message_xmd(msg, dst, lenInBytes, sha512);
}

/** Key kinds are short ASCII names (`phonetic-v0`, `name-dob`, …); anything else is a bug upstream. */
const KIND = /^[a-z0-9][a-z0-9-]{0,47}$/;

/**
 * A3: the domain-separation tag binds every hashed key to this check (so points from one session say
 * nothing in another) and to the key's kind (so a phone number and a document number never collide).
 */
export function psiDst(checkId: CheckId | string, kind: string): Uint8Array {
  if (!KIND.test(kind)) throw new RangeError(`psi-v1: bad key kind ${JSON.stringify(kind)}`);
  return utf8ToBytes(`ihyid-psi-v1/${checkId}/${kind}`);
}

/** The `kind` of a match key given as canonical JSON (`{"kind":…,"v":…,…}`); null when it has none. */
export function keyKind(keyJson: string): string | null {
  try {
    const parsed: unknown = JSON.parse(keyJson);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { kind?: unknown }).kind === 'string') {
      const kind = (parsed as { kind: string }).kind;
      return KIND.test(kind) ? kind : null;
    }
  } catch {
    // Not JSON: the caller drops the key.
  }
  return null;
}

/** The 64 uniform bytes that RFC 9380's hash_to_ristretto255 feeds to the one-way map (RFC 9496 4.3.4). */
export function psiUniformBytes(keyJson: string, dst: Uint8Array): Uint8Array {
  return expandMessageXmdSha512(utf8ToBytes(keyJson), dst, 64);
}

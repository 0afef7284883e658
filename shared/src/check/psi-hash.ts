import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { sha512 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { CheckId } from '../core/ids.js';

/**
 * RFC 9380 section 5.3.1, expand_message_xmd with SHA-512, as @noble/curves implements it: the first
 * step of psi-v2's H (48 bytes, one field element), whose map sits behind `PsiCurve`
 * (psi-group.ts), so the app can use libsodium and tests noble.
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
  if (!KIND.test(kind)) throw new RangeError(`psi-v2: bad key kind ${JSON.stringify(kind)}`);
  return utf8ToBytes(`ihyid-psi-v2/${checkId}/${kind}`);
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

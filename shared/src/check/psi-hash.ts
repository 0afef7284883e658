import { sha512 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import type { CheckId } from '../core/ids.js';

/**
 * RFC 9380 section 5.3.1, expand_message_xmd with SHA-512 (b = 64 bytes, r = 128 bytes). Written out
 * here because @noble/hashes has no hash-to-curve and `shared/` takes no curve library: the point
 * map itself sits behind `Ristretto255` (psi-group.ts), so the app can use libsodium and tests noble.
 */
export function expandMessageXmdSha512(msg: Uint8Array, dst: Uint8Array, lenInBytes: number): Uint8Array {
  const ell = Math.ceil(lenInBytes / 64);
  if (ell > 255 || lenInBytes > 65535 || lenInBytes < 1) throw new RangeError('expand_message_xmd: length out of range');
  if (dst.length > 255 || dst.length === 0) throw new RangeError('expand_message_xmd: DST must be 1..255 bytes');
  const dstPrime = new Uint8Array(dst.length + 1);
  dstPrime.set(dst);
  dstPrime[dst.length] = dst.length;
  const b0 = sha512
    .create()
    .update(Z_PAD)
    .update(msg)
    .update(new Uint8Array([(lenInBytes >> 8) & 0xff, lenInBytes & 0xff, 0]))
    .update(dstPrime)
    .digest();
  const out = new Uint8Array(ell * 64);
  let prev = sha512.create().update(b0).update(new Uint8Array([1])).update(dstPrime).digest();
  out.set(prev, 0);
  for (let i = 2; i <= ell; i++) {
    const x = new Uint8Array(64);
    for (let j = 0; j < 64; j++) x[j] = b0[j]! ^ prev[j]!;
    prev = sha512.create().update(x).update(new Uint8Array([i])).update(dstPrime).digest();
    out.set(prev, (i - 1) * 64);
  }
  return out.subarray(0, lenInBytes);
}

const Z_PAD = new Uint8Array(128);

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

import type { CheckId } from '../core/ids.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { psiDst, psiUniformBytes } from './psi-hash.js';
import type { RandomBytes } from '../core/random.js';
import { err, ok, type Result } from '../core/result.js';

/** Encoded ristretto255 elements and scalars are 32 bytes. */
export const POINT_BYTES = 32;

/**
 * The only curve operations psi-v1 needs (A3), so that the curve library stays swappable: the app
 * implements this with libsodium in its workers (measured fastest), tests with @noble/curves.
 */
export interface Ristretto255 {
  /** RFC 9496 element derivation (libsodium's crypto_core_ristretto255_from_hash): 64 bytes → encoded point. */
  fromUniformBytes(uniform: Uint8Array): Uint8Array;
  /**
   * scalar · point, encoded. null when `point` is not a canonical encoding of a group element or the
   * result is the identity: a partner's point that does not decode is refused, never used.
   */
  scalarMult(scalar: Uint8Array, point: Uint8Array): Uint8Array | null;
  /**
   * Optional: the whole RFC 9380 hash_to_ristretto255(msg, dst) in one call, for an implementation
   * with a faster SHA-512 than @noble/hashes (libsodium's WebAssembly). Must equal
   * fromUniformBytes(expandMessageXmdSha512(msg, dst, 64)); the app's adapter test pins that.
   */
  hashToGroup?(msg: Uint8Array, dst: Uint8Array): Uint8Array;
}

/** The ristretto255 group order ℓ = 2^252 + 27742317777372353535851937790883648493. */
const L = (1n << 252n) + 27742317777372353535851937790883648493n;

/**
 * A3: a fresh secret scalar for one session: 64 random bytes reduced mod ℓ (negligible bias), never 0.
 * It lives in memory for one check and is never stored.
 */
export function randomScalar(random: RandomBytes): Uint8Array {
  for (;;) {
    const wide = random(64);
    let x = 0n;
    for (let i = wide.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(wide[i]!);
    x %= L;
    if (x === 0n) continue;
    const out = new Uint8Array(32);
    for (let i = 0; i < 32; i++) {
      out[i] = Number(x & 0xffn);
      x >>= 8n;
    }
    return out;
  }
}

/** hash_to_ristretto255(key, DST(check, kind)) · scalar for each key: the list one side sends (A3). */
export function blindKeys(group: Ristretto255, scalar: Uint8Array, checkId: CheckId | string, keys: readonly { json: string; kind: string }[]): Uint8Array {
  const out = new Uint8Array(keys.length * POINT_BYTES);
  const dsts = new Map<string, Uint8Array>();
  keys.forEach((key, i) => {
    let dst = dsts.get(key.kind);
    if (!dst) dsts.set(key.kind, (dst = psiDst(checkId, key.kind)));
    const point = group.hashToGroup ? group.hashToGroup(utf8ToBytes(key.json), dst) : group.fromUniformBytes(psiUniformBytes(key.json, dst));
    const blinded = group.scalarMult(scalar, point);
    // A hashed key landing on the identity has probability 2^-252; treat it as the bug it would be.
    if (!blinded) throw new Error('psi-v1: hashed key gave the identity');
    out.set(blinded, i * POINT_BYTES);
  });
  return out;
}

/** The partner's points blinded again, in the order received; Err(index) names the first that does not decode. */
export function reblindPoints(group: Ristretto255, scalar: Uint8Array, points: Uint8Array): Result<Uint8Array, number> {
  if (points.length % POINT_BYTES !== 0) return err(Math.floor(points.length / POINT_BYTES));
  const out = new Uint8Array(points.length);
  for (let i = 0; i < points.length / POINT_BYTES; i++) {
    const p = group.scalarMult(scalar, points.subarray(i * POINT_BYTES, (i + 1) * POINT_BYTES));
    if (!p) return err(i);
    out.set(p, i * POINT_BYTES);
  }
  return ok(out);
}

/** Progress and cancellation for long work, in whatever units the work counts (keys, points, secrets). */
export interface WorkHooks {
  onProgress?(done: number, total: number): void;
  /** Checked between batches: a cancelled check stops spending CPU. */
  cancelled?(): boolean;
}

/** The heavy half of psi-v1, done by a pool of workers in the app and inline in tests. */
export interface PsiWork {
  blind(scalar: Uint8Array, checkId: CheckId, keys: readonly { json: string; kind: string }[], hooks?: WorkHooks): Promise<Uint8Array>;
  reblind(scalar: Uint8Array, points: Uint8Array, hooks?: WorkHooks): Promise<Result<Uint8Array, number>>;
}

/** PsiWork on the calling thread, for tests and for tools that have no workers. */
export function inlinePsiWork(group: Ristretto255): PsiWork {
  return {
    blind: async (scalar, checkId, keys) => blindKeys(group, scalar, checkId, keys),
    reblind: async (scalar, points) => reblindPoints(group, scalar, points),
  };
}

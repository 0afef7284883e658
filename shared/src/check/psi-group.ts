import type { CheckId } from '../core/ids.js';
import { hexToBytes, utf8ToBytes } from '../core/hex.js';
import { psiDst } from './psi-hash.js';
import type { RandomBytes } from '../core/random.js';
import { err, type Result } from '../core/result.js';

/** Montgomery u-coordinates (RFC 7748, little-endian) and X25519 scalars are 32 bytes. */
export const POINT_BYTES = 32;

/** One message to hash to the curve under its domain-separation tag. */
export interface CurveMessage {
  msg: Uint8Array;
  dst: Uint8Array;
}

/**
 * The only curve operations psi-v2 needs (A3), so that the implementation stays swappable: the app
 * runs libsodium's SHA-512 and its own WebAssembly map for the hash, WebCrypto's X25519 for the blinding, in its workers
 * (measured fastest, workers/x25519-psi.ts), tests run @noble/curves.
 */
export interface PsiCurve {
  /**
   * For each message, psi-v2's H (PROTOCOL.md §3.4): the u-coordinate of RFC 9380
   * map_to_curve_elligator2_curve25519(hash_to_field(msg, DST)), expand_message_xmd with SHA-512, 48
   * bytes. The cofactor is not cleared here: X25519's clamped scalar, a multiple of 8, clears it, so
   * every blinded value lies in the prime-order subgroup. Batched, so that an implementation can share
   * one field inversion across the batch.
   */
  hashToCurve(messages: readonly CurveMessage[]): Uint8Array;
  /**
   * RFC 7748 X25519(scalar, u) for each 32-byte u of `points` (the scalar clamped as X25519 does),
   * concatenated; Err(index) for the first u whose result is all zero (a point of small order).
   * Callers pass canonical u only (`firstNonCanonical`).
   */
  x25519(scalar: Uint8Array, points: Uint8Array): Promise<Result<Uint8Array, number>>;
}

/**
 * A3: a fresh secret scalar for one session: 32 random bytes, which X25519 clamps (bit 255 cleared,
 * bit 254 set, the low three bits cleared, so a multiple of the cofactor 8 in [2^254, 2^255)). It
 * lives in memory for one check and is never stored.
 */
export function randomScalar(random: RandomBytes): Uint8Array {
  return random(32);
}

const P_LOW = 0xed;

/**
 * A3: the index of the first u that is not the canonical encoding of a field element (bit 255 set, or
 * the value ≥ p = 2^255 − 19), or -1. RFC 7748 has receivers mask bit 255 and reduce; psi-v2 refuses
 * instead, so that one point has one encoding and a repeated point cannot hide behind another spelling.
 */
export function firstNonCanonical(points: Uint8Array): number {
  for (let i = 0; i < points.length / POINT_BYTES; i++) {
    const at = i * POINT_BYTES;
    const top = points[at + 31]!;
    if (top & 0x80) return i;
    if (top !== 0x7f || points[at]! < P_LOW) continue;
    let all = true;
    for (let j = 1; j < 31 && all; j++) all = points[at + j] === 0xff;
    if (all) return i;
  }
  return -1;
}

/**
 * The canonical u of small order: 0, 1, p − 1 and the two points of order 8 (libsodium refuses the
 * same). X25519 of any of them under a clamped scalar, a multiple of 8, is all zero, and of no other
 * canonical u: on the curve (order 8ℓ) and on its twist (order 4ℓ') the clamped scalar is a multiple
 * of 8 times a number below ℓ and ℓ', so only a point whose order divides 8 goes to zero.
 */
const SMALL_ORDER_U: readonly Uint8Array[] = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
  '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
].map(hexToBytes);

/** The index of the first u of small order (SMALL_ORDER_U), or -1. */
export function firstSmallOrder(points: Uint8Array): number {
  for (let i = 0; i < points.length / POINT_BYTES; i++) {
    const at = i * POINT_BYTES;
    for (const u of SMALL_ORDER_U) {
      if (points[at] !== u[0]) continue;
      let same = true;
      for (let j = 1; j < POINT_BYTES && same; j++) same = points[at + j] === u[j];
      if (same) return i;
    }
  }
  return -1;
}

/** The index of the first u psi-v2 refuses from a partner (not canonical, or of small order), or -1. */
export function firstRefused(points: Uint8Array): number {
  const [a, b] = [firstNonCanonical(points), firstSmallOrder(points)];
  return a < 0 ? b : b < 0 ? a : Math.min(a, b);
}

/**
 * A batch of keys as two strings, each key's JSON and each key's kind joined by U+0000, so that the
 * batch crosses a worker boundary as two copies, not one object per key. U+0000 never occurs in a
 * key that psi-v2 hashes: JSON allows it nowhere unescaped, and keys whose JSON does not parse are
 * dropped before (`psiEntries`).
 */
export interface PackedKeys {
  readonly count: number;
  readonly jsons: string;
  readonly kinds: string;
}

const SEPARATOR = '\u0000';

export function packKeys(keys: readonly { json: string; kind: string }[]): PackedKeys {
  return { count: keys.length, jsons: keys.map((k) => k.json).join(SEPARATOR), kinds: keys.map((k) => k.kind).join(SEPARATOR) };
}

/** The curve messages of a packed batch: one UTF-8 encoding for the batch, each message a view into it, one DST per kind. */
export function keyMessages(checkId: CheckId | string, packed: PackedKeys): CurveMessage[] {
  if (packed.count === 0) return [];
  const bytes = utf8ToBytes(packed.jsons);
  const kinds = packed.kinds.split(SEPARATOR);
  if (kinds.length !== packed.count) throw new RangeError(`psi-v2: ${kinds.length} kinds for ${packed.count} keys`);
  const dsts = new Map<string, Uint8Array>();
  const messages: CurveMessage[] = new Array<CurveMessage>(packed.count);
  let start = 0;
  for (let i = 0; i < packed.count; i++) {
    const end = i === packed.count - 1 ? bytes.length : bytes.indexOf(0, start);
    if (end < 0) throw new RangeError(`psi-v2: ${i + 1} of ${packed.count} keys`);
    const kind = kinds[i]!;
    let dst = dsts.get(kind);
    if (!dst) dsts.set(kind, (dst = psiDst(checkId, kind)));
    messages[i] = { msg: bytes.subarray(start, end), dst };
    start = end + 1;
  }
  return messages;
}

/** H(key, DST(check, kind)) blinded by `scalar` for each key: the list one side sends (A3). */
export async function blindKeys(curve: PsiCurve, scalar: Uint8Array, checkId: CheckId | string, keys: readonly { json: string; kind: string }[] | PackedKeys): Promise<Uint8Array> {
  const messages = keyMessages(checkId, 'jsons' in keys ? keys : packKeys(keys));
  const blinded = await curve.x25519(scalar, curve.hashToCurve(messages));
  // A hashed key of small order has probability about 2^-250; treat it as the bug it would be.
  if (!blinded.ok) throw new Error('psi-v2: a hashed key has small order');
  return blinded.value;
}

/**
 * The partner's points blinded again, in the order received. Err(index) names the first that is
 * refused: a non-canonical u, or one whose result is all zero (small order). A u on the twist is
 * blinded like any other (PROTOCOL.md §3.4 says why that is harmless).
 */
export async function reblindPoints(curve: PsiCurve, scalar: Uint8Array, points: Uint8Array): Promise<Result<Uint8Array, number>> {
  if (points.length % POINT_BYTES !== 0) return err(Math.floor(points.length / POINT_BYTES));
  const bad = firstNonCanonical(points);
  return bad >= 0 ? err(bad) : curve.x25519(scalar, points);
}

/** Progress and cancellation for long work, in whatever units the work counts (keys, points, secrets). */
export interface WorkHooks {
  onProgress?(done: number, total: number): void;
  /** Checked between batches: a cancelled check stops spending CPU. */
  cancelled?(): boolean;
}

/** Progress of a blinding: each batch's points as soon as they are done, so they can go out (psi-own.ts). */
export interface BlindHooks extends WorkHooks {
  onPoints?(from: number, points: Uint8Array): void;
}

/** The heavy half of psi-v2, done by a pool of workers in the app and inline in tests. */
export interface PsiWork {
  blind(scalar: Uint8Array, checkId: CheckId, keys: readonly { json: string; kind: string }[], hooks?: BlindHooks): Promise<Uint8Array>;
  reblind(scalar: Uint8Array, points: Uint8Array, hooks?: WorkHooks): Promise<Result<Uint8Array, number>>;
}

/** PsiWork on the calling thread, for tests and for tools that have no workers. */
export function inlinePsiWork(curve: PsiCurve): PsiWork {
  return {
    async blind(scalar, checkId, keys, hooks) {
      const points = await blindKeys(curve, scalar, checkId, keys);
      hooks?.onPoints?.(0, points);
      return points;
    },
    reblind: (scalar, points) => reblindPoints(curve, scalar, points),
  };
}

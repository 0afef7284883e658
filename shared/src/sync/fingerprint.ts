import { sha256 } from '@noble/hashes/sha2.js';
import { base64UrlFromBytes, hexToBytes } from '../core/hex.js';

/**
 * X4: range-based set reconciliation (Meyer, "Range-Based Set Reconciliation", 2023; the design
 * of Negentropy) over items (timestamp, id): a version's HLC milliseconds and its 32-byte id.
 * Items are ordered by timestamp, then id. A range is [lower, upper) between two bounds; a bound
 * is a timestamp and the shortest id prefix that separates two neighbouring items.
 *
 * A range's fingerprint is
 *
 *   sum = (Σ ids, each read as a 256-bit little-endian integer) mod 2^256
 *   fp  = base64url(SHA-256(sum as 32 bytes little-endian ‖ count as 8 bytes little-endian)[0..16])
 *
 * The sum is a group operation, so prefix sums give any range's fingerprint in constant time, and
 * hashing it with the count keeps an accidental collision at 2^-128.
 */
export interface SyncItem {
  readonly ts: number;
  /** Lowercase hex, 32 bytes. */
  readonly id: string;
}

export interface Bound {
  /** Milliseconds; `Infinity` is the upper end of everything. */
  readonly ts: number;
  /** Lowercase hex, whole bytes; '' sorts before every id of the same timestamp. */
  readonly prefix: string;
}

export const BOUND_MIN: Bound = { ts: 0, prefix: '' };
export const BOUND_MAX: Bound = { ts: Infinity, prefix: '' };

/** Is item < bound? */
function below(ts: number, id: string, bound: Bound): boolean {
  return ts < bound.ts || (ts === bound.ts && id < bound.prefix);
}

export function compareItems(a: SyncItem, b: SyncItem): number {
  return a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** `1767225600000`, `1767225600000.a4`, or `inf`: the spelling on the wire. */
export function formatBound(bound: Bound): string {
  if (bound.ts === Infinity) return 'inf';
  return bound.prefix ? `${bound.ts}.${bound.prefix}` : String(bound.ts);
}

const BOUND_TEXT = /^(?:inf|(0|[1-9]\d{0,15})(?:\.((?:[0-9a-f]{2}){1,32}))?)$/;

export function parseBound(text: string): Bound | null {
  const m = BOUND_TEXT.exec(text);
  if (!m) return null;
  if (text === 'inf') return BOUND_MAX;
  const ts = Number(m[1]);
  return Number.isSafeInteger(ts) ? { ts, prefix: m[2] ?? '' } : null;
}

const LANES = 8;

/** sums[at..] = sums[from..] + id, lane by lane with carry; byte 4k is lane k's least significant. */
function addLanes(sums: Uint32Array, at: number, from: number, id: string): void {
  const bytes = hexToBytes(id);
  const lanes = new DataView(bytes.buffer, bytes.byteOffset, 32);
  let carry = 0;
  for (let k = 0; k < LANES; k++) {
    const s = sums[from + k]! + lanes.getUint32(k * 4, true) + carry;
    sums[at + k] = s >>> 0;
    carry = s > 0xffffffff ? 1 : 0;
  }
}

/**
 * A sorted snapshot of one device's items with prefix sums: built once per sync session
 * (O(n log n)); every fingerprint afterwards costs one subtraction and one SHA-256.
 */
export class ReconcileIndex {
  private constructor(
    private readonly items: readonly SyncItem[],
    private readonly sums: Uint32Array,
  ) {}

  static build(items: Iterable<SyncItem>): ReconcileIndex {
    const sorted = [...items].sort(compareItems);
    const unique = sorted.filter((it, i) => i === 0 || compareItems(sorted[i - 1]!, it) !== 0);
    const sums = new Uint32Array((unique.length + 1) * LANES);
    unique.forEach((it, i) => addLanes(sums, (i + 1) * LANES, i * LANES, it.id));
    return new ReconcileIndex(unique, sums);
  }

  /**
   * This index with `more` after its items, when each sorts after the one before it (a device's new
   * versions carry its newest stamps): the sums held are kept and only the new ids added, so an index
   * kept between syncs costs what joined since. Null when one of `more` does not sort after.
   */
  extend(more: readonly SyncItem[]): ReconcileIndex | null {
    let last: SyncItem | undefined = this.items[this.items.length - 1];
    for (const it of more) {
      if (last && compareItems(last, it) >= 0) return null;
      last = it;
    }
    const n = this.items.length;
    const sums = new Uint32Array((n + more.length + 1) * LANES);
    sums.set(this.sums.subarray(0, (n + 1) * LANES));
    more.forEach((it, i) => addLanes(sums, (n + i + 1) * LANES, (n + i) * LANES, it.id));
    return new ReconcileIndex([...this.items, ...more], sums);
  }

  get size(): number {
    return this.items.length;
  }

  /** The first position whose item is not below `bound`. */
  position(bound: Bound): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const it = this.items[mid]!;
      if (below(it.ts, it.id, bound)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The timestamp of the item at `i`. */
  tsAt(i: number): number {
    return this.items[i]!.ts;
  }

  ids(from: number, to: number): string[] {
    return this.items.slice(from, to).map((it) => it.id);
  }

  fingerprint(from: number, to: number): string {
    const out = new Uint8Array(40);
    let borrow = 0;
    for (let k = 0; k < LANES; k++) {
      let d = this.sums[to * LANES + k]! - this.sums[from * LANES + k]! - borrow;
      borrow = d < 0 ? 1 : 0;
      if (d < 0) d += 0x1_0000_0000;
      for (let b = 0; b < 4; b++) out[k * 4 + b] = (d >>> (8 * b)) & 0xff;
    }
    let count = to - from;
    for (let b = 0; b < 8; b++) {
      out[32 + b] = count % 256;
      count = Math.floor(count / 256);
    }
    return base64UrlFromBytes(sha256(out).subarray(0, 16));
  }

  /** The shortest bound above item `i - 1` and at or below item `i` (0 < i < size). */
  boundBefore(i: number): Bound {
    const prev = this.items[i - 1]!;
    const cur = this.items[i]!;
    if (prev.ts !== cur.ts) return { ts: cur.ts, prefix: '' };
    let same = 0;
    while (same < 32 && prev.id.slice(same * 2, same * 2 + 2) === cur.id.slice(same * 2, same * 2 + 2)) same++;
    return { ts: cur.ts, prefix: cur.id.slice(0, (same + 1) * 2) };
  }
}

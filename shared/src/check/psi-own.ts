import { randomBelow, type RandomBytes } from '../core/random.js';
import { POINT_BYTES } from './psi-group.js';

/** A3: a uniformly random order of n positions (Fisher–Yates), so that the wire says nothing of our list's order. */
export function shuffledOrder(n: number, random: RandomBytes): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // The random bytes are drawn in blocks: one call per draw cost more than the shuffle itself at 400,000 keys.
  const draw = blockRandom(random);
  for (let i = n - 1; i > 0; i--) {
    const j = randomBelow(i + 1, draw);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** The same random bytes, drawn from `random` 64 KiB at a time. */
function blockRandom(random: RandomBytes): RandomBytes {
  let block: Uint8Array = new Uint8Array(0);
  let at = 0;
  return (n) => {
    if (at + n > block.length) {
      block = random(Math.max(n, 65536));
      at = 0;
    }
    return block.subarray(at, (at += n));
  };
}

/**
 * A list of points as it fills, batch by batch, the batches finishing in any order (psi-v2, A3).
 * Our own blinded list: the keys are shuffled first and blinded in wire order, so the transfer can
 * send each chunk as soon as every point before its end is done, overlapping our hashing with the
 * partner's re-blinding of what we already sent. The partner's list re-blinded: each round goes
 * back as soon as the points it carries are done (psi-flow.ts, A10).
 */
export class BlindedList {
  readonly wire: Uint8Array;
  /** Points [0, upTo) are blinded. */
  private upTo = 0;
  /** Finished batches beyond upTo: from → to. */
  private readonly pending = new Map<number, number>();
  private waiters: { count: number; wake: () => void }[] = [];
  private ended = false;

  constructor(readonly total: number) {
    this.wire = new Uint8Array(total * POINT_BYTES);
  }

  /** Points [0, filled) are done. */
  get filled(): number {
    return this.upTo;
  }

  /** Points [from, from + points/32) are blinded. */
  add(from: number, points: Uint8Array): void {
    this.wire.set(points, from * POINT_BYTES);
    this.pending.set(from, from + points.length / POINT_BYTES);
    for (let to = this.pending.get(this.upTo); to !== undefined && to > this.upTo; to = this.pending.get(this.upTo)) {
      this.pending.delete(this.upTo);
      this.upTo = to;
    }
    this.wake();
  }

  /**
   * Null when the first `count` points are blinded; else a promise of that, or of the blinding's end
   * (then the caller finds its check no longer current). Null, not a resolved promise, so that a
   * sender that need not wait does not yield either (its back-pressure check follows at once).
   */
  ready(count: number): Promise<void> | null {
    if (this.ended || count <= this.upTo) return null;
    return new Promise((wake) => this.waiters.push({ count, wake }));
  }

  /** The blinding is over, whole or failed: nobody waits any longer. */
  end(): void {
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const still: { count: number; wake: () => void }[] = [];
    for (const w of this.waiters) (this.ended || w.count <= this.upTo ? w.wake() : still.push(w));
    this.waiters = still;
  }
}

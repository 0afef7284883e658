import type { CheckId } from './ids.js';

/** Randomness is injected (crypto.getRandomValues in the app, a seeded source in tests). */
export type RandomBytes = (n: number) => Uint8Array;

/**
 * `source`'s bytes drawn `poolBytes` at a time and handed out in order, each byte once (the pool's
 * copy is zeroed as it goes). A worker that makes thousands of records a second (an import: a UUID,
 * a secret and a nonce each) spent a second per 30,000 of them in separate getRandomValues calls.
 */
export function pooledRandom(source: RandomBytes, poolBytes = 16_384): RandomBytes {
  let pool: Uint8Array = new Uint8Array(0);
  let at = 0;
  return (n) => {
    if (n > poolBytes) return source(n);
    if (at + n > pool.length) {
      pool = source(poolBytes);
      at = 0;
    }
    const out = pool.slice(at, at + n);
    pool.fill(0, at, at + n);
    at += n;
    return out;
  };
}

/** RFC 9562 version 4 UUID from 16 injected random bytes. */
export function uuidV4(random: RandomBytes): string {
  const b = random(16);
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const newCheckId = (random: RandomBytes): CheckId => uuidV4(random) as CheckId;

/** Uniform integer in [0, n) by rejection sampling on 32-bit words (no modulo bias). */
export function randomBelow(n: number, random: RandomBytes): number {
  if (!Number.isInteger(n) || n <= 0 || n > 0x1_0000_0000) throw new RangeError(`randomBelow(${n})`);
  const limit = 0x1_0000_0000 - (0x1_0000_0000 % n);
  for (;;) {
    const b = random(4);
    const x = ((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!;
    if (x < limit) return x % n;
  }
}

/** Fisher–Yates on a copy. Order on the wire must never reveal the order of the local list (A1, A3). */
export function shuffled<T>(items: readonly T[], random: RandomBytes): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomBelow(i + 1, random);
    const tmp = out[i]!;
    out[i] = out[j]!;
    out[j] = tmp;
  }
  return out;
}

import { sha256 } from '@noble/hashes/sha2.js';
import type { RandomBytes } from '../../src/core/random.js';

/** A deterministic byte stream (SHA-256 in counter mode) so that test failures replay exactly. */
export function seededRandom(seed: string): RandomBytes {
  let counter = 0;
  let pool = new Uint8Array(0);
  return (n) => {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (pool.length === 0) pool = sha256(new TextEncoder().encode(`${seed}:${counter++}`));
      const take = Math.min(pool.length, n - filled);
      out.set(pool.subarray(0, take), filled);
      pool = pool.subarray(take);
      filled += take;
    }
    return out;
  };
}

import type { RandomBytes } from '../core/random.js';
import { mulberry32 } from './synthetic.js';

/**
 * A seeded `RandomBytes` for tests and tools that inject randomness (the same seed, the same bytes):
 * mulberry32, one byte per draw. Never for keys or secrets that leave a test.
 */
export function seededBytes(seed: number): RandomBytes {
  const next = mulberry32(seed);
  return (n) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256));
}

/// <reference lib="webworker" />
import * as Comlink from 'comlink';
import { Pow40, solvePow } from '@ihyid/shared';
import { PowSimd } from './pow-simd';

/**
 * One proof-of-work searcher (I2, I5, W5). The pool hands it ranges of nonces; each call is short
 * (tens of milliseconds), so progress is reported and cancelling takes effect between calls.
 * 32-byte prefixes (registration, challenges) use the SIMD kernel, else the JavaScript one.
 */
let kernel: { prefixHex: string; search: (bits: number, range: { start: number; count: number }) => number | null } | null = null;

function kernelFor(prefix: Uint8Array): NonNullable<typeof kernel> {
  const prefixHex = Array.from(prefix, (b) => b.toString(16).padStart(2, '0')).join('');
  if (kernel?.prefixHex === prefixHex) return kernel;
  if (prefix.length === 32) {
    const k = PowSimd.create(prefix) ?? new Pow40(prefix);
    kernel = { prefixHex, search: (bits, range) => k.search(bits, range) };
  } else {
    kernel = { prefixHex, search: (bits, range) => solvePow(prefix, bits, range) };
  }
  return kernel;
}

const api = {
  /** First solution in [start, start + count), or null. */
  search(prefix: Uint8Array, bits: number, start: number, count: number): number | null {
    return kernelFor(prefix).search(bits, { start, count });
  },
  /** Which kernel this engine runs: 'simd' or 'js' (shown by the benchmark). */
  kernelName(): 'simd' | 'js' {
    return PowSimd.create(new Uint8Array(32)) ? 'simd' : 'js';
  },
  /** Hashes per second over `count` tries of an unreachable difficulty, timed inside the worker. */
  measure(count: number, simd: boolean): number {
    const prefix = new Uint8Array(32).fill(7);
    const k = (simd && PowSimd.create(prefix)) || new Pow40(prefix);
    const t0 = performance.now();
    k.search(256, { start: 0, count });
    return (count / (performance.now() - t0)) * 1000;
  },
};

export type PowWorkerApi = typeof api;

Comlink.expose(api);

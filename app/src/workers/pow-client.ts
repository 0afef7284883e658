import * as Comlink from 'comlink';
import type { PowWorkerApi } from './pow.worker';

/**
 * A pool of proof-of-work workers, one per core (navigator.hardwareConcurrency). A search is cut
 * into ranges of CHUNK nonces handed out on demand, so a fast worker takes more, progress is
 * counted as ranges come back, and cancelling stops the hand-out at once (ranges in flight finish
 * within tens of milliseconds and are ignored).
 */
export const CHUNK = 1 << 18;

export interface PowProgress {
  tried: number;
  /** 2^bits: the number of tries a solution takes on average. */
  expected: number;
}

export interface SolveOptions {
  onProgress?: (p: PowProgress) => void;
  signal?: AbortSignal;
  /** First nonce; a different start per call keeps two searches from repeating work. */
  start?: number;
}

export class PowPool {
  private readonly workers: { worker: Worker; api: Comlink.Remote<PowWorkerApi> }[];

  constructor(size = navigator.hardwareConcurrency || 2) {
    this.workers = Array.from({ length: Math.max(1, size) }, (_, i) => {
      const worker = new Worker(new URL('./pow.worker.ts', import.meta.url), { type: 'module', name: `ihyid-pow-${i}` });
      return { worker, api: Comlink.wrap<PowWorkerApi>(worker) };
    });
  }

  get size(): number {
    return this.workers.length;
  }

  get apis(): Comlink.Remote<PowWorkerApi>[] {
    return this.workers.map((w) => w.api);
  }

  /** The first nonce found (not necessarily the smallest), or null when cancelled. */
  async solve(prefix: Uint8Array, bits: number, o: SolveOptions = {}): Promise<number | null> {
    let next = o.start ?? 0;
    let tried = 0;
    let found: number | null = null;
    const expected = 2 ** bits;
    const stopped = () => found !== null || o.signal?.aborted === true;
    const run = async (api: Comlink.Remote<PowWorkerApi>) => {
      while (!stopped()) {
        const start = next;
        next += CHUNK;
        const result = await api.search(prefix, bits, start, CHUNK);
        if (o.signal?.aborted) return;
        tried += result === null ? CHUNK : result - start + 1;
        if (result !== null && found === null) found = result;
        o.onProgress?.({ tried, expected });
      }
    };
    await Promise.all(this.workers.map((w) => run(w.api)));
    return o.signal?.aborted ? null : found;
  }

  dispose(): void {
    for (const w of this.workers) {
      w.api[Comlink.releaseProxy]();
      w.worker.terminate();
    }
  }
}

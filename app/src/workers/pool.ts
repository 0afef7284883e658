import * as Comlink from 'comlink';
import type { CheckWorkerApi } from './check.worker';

type Remote = Comlink.Remote<CheckWorkerApi>;

/**
 * A pool of check workers (A3: "the heavy work runs in a pool of workers"), one per core as the
 * browser reports them. Tasks wait in order for the next idle worker; each task is one batch, so
 * progress and cancellation happen between batches.
 */
export class WorkerPool {
  private readonly idle: Remote[] = [];
  private readonly waiting: ((remote: Remote) => void)[] = [];
  private readonly workers: Worker[] = [];

  constructor(readonly size = Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 8))) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./check.worker.ts', import.meta.url), { type: 'module', name: `ihyid-check-${i}` });
      this.workers.push(worker);
      const remote = Comlink.wrap<CheckWorkerApi>(worker);
      // Which X25519 the workers blind with (WebCrypto, or libsodium where the browser lacks it), for bench:psi.
      void remote.warm().then((blinding) => performance.mark('ihyid-psi-blinding', { detail: blinding }));
      this.idle.push(remote);
    }
  }

  async run<T>(task: (remote: Remote) => Promise<T>): Promise<T> {
    const remote = this.idle.pop() ?? (await new Promise<Remote>((resolve) => this.waiting.push(resolve)));
    try {
      return await task(remote);
    } finally {
      const next = this.waiting.shift();
      if (next) next(remote);
      else this.idle.push(remote);
    }
  }

  terminate(): void {
    for (const w of this.workers) w.terminate();
  }
}

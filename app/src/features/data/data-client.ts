import * as Comlink from 'comlink';
import type { DataWorkerApi } from './data.worker';

export type DataWorker = Comlink.Remote<DataWorkerApi>;

let shared: DataWorker | null = null;
let dataKey: (() => Uint8Array | null) | null = null;

/** X2: where the worker gets the data key when it starts (main.tsx, after unlock). */
export function provideDataKey(copy: () => Uint8Array | null): void {
  dataKey = copy;
}

/**
 * The import/export worker, started on first use: registering people does not need it. One per
 * page, reused by the import, duplicates and export screens.
 */
export function dataWorker(): DataWorker {
  if (!shared) {
    const worker = new Worker(new URL('./data.worker.ts', import.meta.url), { type: 'module', name: 'ihyid-data' });
    shared = Comlink.wrap<DataWorkerApi>(worker);
    const key = dataKey?.() ?? null;
    if (key) void shared.unlock(Comlink.transfer(key, [key.buffer]));
  }
  return shared;
}

export const progressCallback = <T>(fn: (value: T) => void) => Comlink.proxy(fn);

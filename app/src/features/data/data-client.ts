import * as Comlink from 'comlink';
import type { Role } from '@ihyid/shared';
import type { DataWorkerApi } from './data.worker';

export type DataWorker = Comlink.Remote<DataWorkerApi>;

let shared: DataWorker | null = null;
let dataKey: (() => Uint8Array | null) | null = null;
let role: Role | null = null;

/**
 * X2: where the worker gets the data key when it starts (main.tsx, after unlock), and X1: the role of
 * the user who unlocked, whose rules the worker's stores keep (a checker's page cannot export through it).
 */
export function provideDataKey(copy: () => Uint8Array | null, userRole: Role | null = null): void {
  dataKey = copy;
  role = userRole;
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
    if (key) void shared.unlock(Comlink.transfer(key, [key.buffer]), role);
  }
  return shared;
}

export const progressCallback = <T>(fn: (value: T) => void) => Comlink.proxy(fn);

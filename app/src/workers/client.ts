import * as Comlink from 'comlink';
import type { DomainWorkerApi } from './domain.worker';

export type DomainWorker = Comlink.Remote<DomainWorkerApi>;

/** One module worker for domain work (R9). Checks run in their own pool (pool.ts, check-work.ts). */
export function startDomainWorker(): DomainWorker {
  const worker = new Worker(new URL('./domain.worker.ts', import.meta.url), { type: 'module', name: 'ihyid-domain' });
  return Comlink.wrap<DomainWorkerApi>(worker);
}

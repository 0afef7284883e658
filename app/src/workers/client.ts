import * as Comlink from 'comlink';
import type { DomainWorkerApi } from './domain.worker';

export type DomainWorker = Comlink.Remote<DomainWorkerApi>;

/** One module worker for domain work; the PSI issue replaces it with a pool of the same API. */
export function startDomainWorker(): DomainWorker {
  const worker = new Worker(new URL('./domain.worker.ts', import.meta.url), { type: 'module', name: 'ihyid-domain' });
  return Comlink.wrap<DomainWorkerApi>(worker);
}

import * as Comlink from 'comlink';
import type { DomainWorkerApi } from './domain.worker';

export type DomainWorker = Comlink.Remote<DomainWorkerApi>;

/**
 * One module worker for domain work (R9). Checks run in their own pool (pool.ts, check-work.ts).
 * The worker starts with the first call (a saved contact, a merge), not with the page: its script
 * is no part of the first paint (#12 item 9).
 */
export function startDomainWorker(): DomainWorker {
  let remote: DomainWorker | null = null;
  const started = () => (remote ??= Comlink.wrap<DomainWorkerApi>(new Worker(new URL('./domain.worker.ts', import.meta.url), { type: 'module', name: 'ihyid-domain' })));
  // Not a thenable: an `await` on the handle itself must not start the worker.
  return new Proxy({} as DomainWorker, { get: (_, name) => (name === 'then' ? undefined : Reflect.get(started(), name)) });
}

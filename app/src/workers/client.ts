import type { Remote } from 'comlink';
import type { DomainWorkerApi } from './domain.worker';

export type DomainWorker = Remote<DomainWorkerApi>;

/**
 * One module worker for domain work (R9). Checks run in their own pool (pool.ts, check-work.ts).
 * The worker, and Comlink, start with the first call (a saved contact, a merge), not with the page:
 * neither is part of the first paint (#12 item 9). Every member of the API is a method.
 */
export function startDomainWorker(): DomainWorker {
  let remote: Promise<DomainWorker> | null = null;
  const started = () =>
    (remote ??= import('comlink')
      .then((Comlink) => Comlink.wrap<DomainWorkerApi>(new Worker(new URL('./domain.worker.ts', import.meta.url), { type: 'module', name: 'ihyid-domain' })))
      .catch((error: unknown) => {
        // Comlink's chunk failed to load (offline before the service worker had it): the next call tries again.
        remote = null;
        throw error;
      }));
  const call =
    (name: string | symbol) =>
    (...args: unknown[]): Promise<unknown> =>
      started().then((worker) => Reflect.apply(Reflect.get(worker, name) as (...a: unknown[]) => unknown, worker, args));
  // Not a thenable: an `await` on the handle itself must not start the worker.
  return new Proxy({} as DomainWorker, { get: (_, name) => (name === 'then' ? undefined : call(name)) });
}

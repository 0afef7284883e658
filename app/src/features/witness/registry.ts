/**
 * Which witness service runs for this app start, without loading it: the nav link (first paint) learns
 * of the service the witness screen creates, and the service's code (Socket.IO, WebRTC) stays lazy.
 */
export interface WitnessServiceLike {
  subscribe(listener: () => void): () => void;
  getSnapshot(): { readonly exposures: readonly unknown[] };
  /** Reads the database again, as when a partner session stored an alert that matched (W5, W6). */
  refresh?(): Promise<void>;
}

const services = new WeakMap<object, WitnessServiceLike>();
const waiting = new Set<(deps: object, service: WitnessServiceLike) => void>();

export function registeredService(deps: object): WitnessServiceLike | undefined {
  return services.get(deps);
}

export function registerService(deps: object, service: WitnessServiceLike): void {
  services.set(deps, service);
  for (const notify of waiting) notify(deps, service);
}

export function onServiceRegistered(notify: (deps: object, service: WitnessServiceLike) => void): () => void {
  waiting.add(notify);
  return () => waiting.delete(notify);
}

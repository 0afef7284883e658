/** What the shell and partner sessions see of witness mode without loading its code (Socket.IO, WebRTC). */
export interface WitnessServiceLike {
  subscribe(listener: () => void): () => void;
  getSnapshot(): { readonly exposures: readonly unknown[] };
  /** Reads the database again, as when a partner session stored an alert that matched (W5, W6). */
  refresh(): Promise<void>;
}

/**
 * Witness mode's one service for this app start, held by AppDeps instead of a module-level registry:
 * the nav link follows it, the witness screen loads it, partner sessions tell it of new alerts.
 */
export interface WitnessHandle {
  /** The service, if this app start loaded it already. */
  current(): WitnessServiceLike | null;
  /** Loads witness mode's code and starts its service, once; every call gets the same service. */
  load(): Promise<WitnessServiceLike>;
  /** Called once the service is loaded (at once if it already is). */
  onLoaded(listener: (service: WitnessServiceLike) => void): () => void;
}

/** The handle over a loader that main.tsx writes with the real adapters (and tests with fakes). */
export function witnessHandle(start: () => Promise<WitnessServiceLike>): WitnessHandle {
  let service: WitnessServiceLike | null = null;
  let loading: Promise<WitnessServiceLike> | null = null;
  const listeners = new Set<(service: WitnessServiceLike) => void>();
  return {
    current: () => service,
    load: () =>
      (loading ??= start().then(
        (loaded) => {
          service = loaded;
          for (const listener of listeners) listener(loaded);
          return loaded;
        },
        (error: unknown) => {
          // A chunk that failed to load is tried again on the next call.
          loading = null;
          throw error;
        },
      )),
    onLoaded(listener) {
      if (service) listener(service);
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

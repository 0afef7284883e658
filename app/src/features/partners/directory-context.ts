import { createContext } from 'react';
import type { PartnerDirectory } from './directory';

/**
 * The slot that keeps the partner directory (every partner's connection) alive while the user moves
 * between screens, and says when it is filled: the shell shows an incoming check request on every
 * screen (#12), not only on Partners.
 */
export interface DirectorySlot {
  readonly current: PartnerDirectory | null;
  fill(directory: PartnerDirectory): void;
  subscribe(listener: () => void): () => void;
}

export const ConnectionContext = createContext<DirectorySlot | null>(null);

declare global {
  interface Window {
    __ihyidDevtools?: { sendRaw(frame: string): void; hold(): void };
  }
}

export function directorySlot(): DirectorySlot {
  let current: PartnerDirectory | null = null;
  const listeners = new Set<() => void>();
  return {
    get current() {
      return current;
    },
    fill(directory) {
      current = directory;
      // Filled while the Partners screen renders: others re-render after it, not during it.
      queueMicrotask(() => listeners.forEach((l) => l()));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}


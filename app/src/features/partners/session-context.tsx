import { createContext, useEffect, useRef, type ReactNode } from 'react';
import type { PartnerConnection } from './connection';

/**
 * The slot that keeps the partner connection alive while the user moves between screens, and says
 * when it is filled: the shell shows an incoming check request on every screen (#12), not only
 * on Partners.
 */
export interface ConnectionSlot {
  readonly current: PartnerConnection | null;
  fill(connection: PartnerConnection): void;
  subscribe(listener: () => void): () => void;
}

export const ConnectionContext = createContext<ConnectionSlot | null>(null);

declare global {
  interface Window {
    __ihyidDevtools?: { sendRaw(frame: string): void; hold(): void };
  }
}

function connectionSlot(): ConnectionSlot {
  let current: PartnerConnection | null = null;
  const listeners = new Set<() => void>();
  return {
    get current() {
      return current;
    },
    fill(connection) {
      current = connection;
      // Filled while the Partners screen renders: others re-render after it, not during it.
      queueMicrotask(() => listeners.forEach((l) => l()));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Keeps the partner connection alive while the user moves between screens. It lives in the app
 * shell but holds only a slot: the connection code (WebRTC, Socket.IO) loads with the Partners
 * screen, not with the first paint of a caseworker's phone.
 */
export function PartnerSessionProvider({ children }: { children: ReactNode }) {
  const slot = useRef<ConnectionSlot | null>(null);
  slot.current ??= connectionSlot();
  const value = slot.current;
  useEffect(() => () => value.current?.leave(), [value]);
  return <ConnectionContext.Provider value={value}>{children}</ConnectionContext.Provider>;
}

import { createContext, useEffect, useRef, type MutableRefObject, type ReactNode } from 'react';
import type { PartnerConnection } from './connection';

export const ConnectionContext = createContext<MutableRefObject<PartnerConnection | null> | null>(null);

declare global {
  interface Window {
    __ihyidDevtools?: { sendRaw(frame: string): void };
  }
}

/**
 * Keeps the partner connection alive while the user moves between screens. It lives in the app
 * shell but holds only a slot: the connection code (WebRTC, Socket.IO) loads with the Partners
 * screen, not with the first paint of a caseworker's phone.
 */
export function PartnerSessionProvider({ children }: { children: ReactNode }) {
  const slot = useRef<PartnerConnection | null>(null);
  useEffect(() => () => slot.current?.leave(), []);
  return <ConnectionContext.Provider value={slot}>{children}</ConnectionContext.Provider>;
}


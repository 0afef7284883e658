import { createContext, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { useDeps, useProfile } from '../../app/deps';
import { PartnerConnection, type ConnectionView } from './connection';

const ConnectionContext = createContext<PartnerConnection | null>(null);

declare global {
  interface Window {
    __ihyidDevtools?: { sendRaw(frame: string): void };
  }
}

/** Keeps the partner connection alive while the user moves between screens. */
export function PartnerSessionProvider({ children }: { children: ReactNode }) {
  const deps = useDeps();
  const profile = useProfile();
  const connection = useMemo(() => new PartnerConnection(deps, profile.orgName), [deps, profile.orgName]);

  useEffect(() => {
    // A deliberate, opt-in hook for testing how a partner reacts to hostile frames (A8): it exists
    // only when a developer sets localStorage['ihyid.devtools'] = '1' on this device.
    if (window.localStorage.getItem('ihyid.devtools') === '1') {
      window.__ihyidDevtools = { sendRaw: (frame) => connection.sendRaw(frame) };
    }
    return () => connection.leave();
  }, [connection]);

  return <ConnectionContext.Provider value={connection}>{children}</ConnectionContext.Provider>;
}

export function usePartnerConnection(): [ConnectionView, PartnerConnection] {
  const connection = useContext(ConnectionContext);
  if (!connection) throw new Error('usePartnerConnection outside <PartnerSessionProvider>');
  const view = useSyncExternalStore(connection.subscribe, connection.snapshot);
  return [view, connection];
}

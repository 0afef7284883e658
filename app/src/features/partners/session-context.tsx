import { useEffect, useRef, type ReactNode } from 'react';
import { useDeps, useProfile } from '../../context/deps';
import { ConnectionContext, directorySlot, type DirectorySlot } from './directory-context';

/**
 * Keeps the partner connections alive while the user moves between screens. It lives in the app
 * shell but holds only a slot: the connection code (WebRTC, Socket.IO) loads with the Partners
 * screen, or after the first paint on a device bound to partners, which it then meets again by
 * itself (#12), on whatever screen the user is.
 *
 * X2: the shell renders only once the database is open (main.tsx: after the unlock on a protected
 * device), so a locked device reaches for no partner; a lock reloads the page, which takes every
 * connection and key along, and an unmount leaves every connection. Only bound partners (the bonds
 * of I9) are met here: the room where this organisation's devices sync (features/devices) is joined
 * by the Devices screen when asked, never by the directory.
 */
export function PartnerSessionProvider({ children }: { children: ReactNode }) {
  const deps = useDeps();
  const profile = useProfile();
  const slot = useRef<DirectorySlot | null>(null);
  slot.current ??= directorySlot();
  const value = slot.current;
  useEffect(() => {
    let live = true;
    void deps.stores.invitations.countBonds().then(async (bound) => {
      if (!live || bound === 0 || value.current) return;
      const { fillDirectory } = await import('./use-partner-directory');
      if (live) fillDirectory(value, deps, profile.orgName);
    });
    return () => {
      live = false;
    };
  }, [deps, profile.orgName, value]);
  useEffect(() => () => value.current?.leaveAll(), [value]);
  return <ConnectionContext.Provider value={value}>{children}</ConnectionContext.Provider>;
}

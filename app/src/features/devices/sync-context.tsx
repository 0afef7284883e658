import { createContext, useContext, useEffect, useRef, useSyncExternalStore, type ReactNode } from 'react';
import { useDeps } from '../../context/deps';
import type { AutoSync, AutoSyncView } from './auto-sync';

/**
 * X4: the automatic sync of this unlocked device (auto-sync.ts), started by the app shell and kept
 * while the user moves between screens. Its code (WebRTC, Socket.IO) loads after the first paint,
 * and only on a device that syncs: protected (X2) and unlocked by an admin or a caseworker (a
 * checker's stores have no sync). A lock reloads the page, which ends it; an unmount stops it.
 * `localStorage['ihyid.sync.auto'] = 'off'` leaves it off (bench:sync measures the Devices screen's
 * one-off sync alone).
 */
interface SyncSlot {
  current: AutoSync | null;
  readonly listeners: Set<() => void>;
}

const SyncContext = createContext<SyncSlot | null>(null);

export function DeviceSyncProvider({ children }: { children: ReactNode }) {
  const deps = useDeps();
  const slot = useRef<SyncSlot | null>(null);
  slot.current ??= { current: null, listeners: new Set() };
  const value = slot.current;
  useEffect(() => {
    const keys = deps.atRest.keys;
    const store = deps.stores.sync;
    if (!keys || !store || window.localStorage.getItem('ihyid.sync.auto') === 'off') return;
    let live = true;
    let syncer: AutoSync | null = null;
    const online = () => syncer?.syncNow();
    void Promise.all([import('./auto-sync'), import('./device-settings')]).then(async ([{ AutoSync }, { deviceIdentity }]) => {
      // The identity service loads after the first paint (#12 item 9): awaited here, like the Devices screen does.
      const identity = await deps.identity();
      const self = await deviceIdentity(deps);
      if (!live) return;
      syncer = new AutoSync({ ...deps, stores: { ...deps.stores, sync: store }, verify: identity.deps.verify }, keys, self);
      value.current = syncer;
      for (const l of value.listeners) l();
      window.addEventListener('online', online);
      await syncer.start();
    });
    return () => {
      live = false;
      window.removeEventListener('online', online);
      syncer?.stop();
      value.current = null;
    };
  }, [deps, value]);
  return <SyncContext.Provider value={value}>{children}</SyncContext.Provider>;
}

const noView = (): null => null;
const noSubscribe = () => () => undefined;

/** The running sync's view, or null (no sync on this device, or not started yet). */
export function useAutoSync(): [AutoSyncView | null, AutoSync | null] {
  const slot = useContext(SyncContext);
  // Re-render once the sync is filled in, then follow its own snapshots.
  const filled = useSyncExternalStore(
    (listener) => {
      slot?.listeners.add(listener);
      return () => slot?.listeners.delete(listener);
    },
    () => slot?.current ?? null,
  );
  const view = useSyncExternalStore(filled?.subscribe ?? noSubscribe, filled?.snapshot ?? noView);
  return [view, filled];
}

import { useContext, useSyncExternalStore } from 'react';
import { useDeps, useProfile } from '../../context/deps';
import type { PartnerConnectionDeps } from './connection';
import { PartnerDirectory, type DirectoryView } from './directory';
import { ConnectionContext, type DirectorySlot } from './directory-context';

/** The directory of this page, made once: every bound partner is met again from here on (#12). */
export function fillDirectory(slot: DirectorySlot, deps: PartnerConnectionDeps, orgName: string): PartnerDirectory {
  if (slot.current) return slot.current;
  // A test hook, like main.tsx's: how long an asker waits for the partner's answer (#12).
  const consentTimeoutMs = Number(window.localStorage.getItem('ihyid.partners.consentTimeoutMs')) || undefined;
  const directory = new PartnerDirectory(deps, orgName, { consentTimeoutMs });
  slot.fill(directory);
  window.addEventListener('online', () => directory.retryAll());
  // A deliberate, opt-in hook for testing how a partner reacts to hostile frames (A8): it exists
  // only when a developer sets localStorage['ihyid.devtools'] = '1' on this device. It acts on the
  // connected partner.
  if (window.localStorage.getItem('ihyid.devtools') === '1') {
    const live = () => directory.connections().find((c) => c.snapshot().status === 'connected');
    window.__ihyidDevtools = { sendRaw: (frame) => live()?.sendRaw(frame), hold: () => live()?.holdFrames() };
  }
  void directory.start();
  return directory;
}

export function usePartnerDirectory(): [DirectoryView, PartnerDirectory] {
  const slot = useContext(ConnectionContext);
  const deps = useDeps();
  const profile = useProfile();
  if (!slot) throw new Error('usePartnerDirectory outside <PartnerSessionProvider>');
  const directory = slot.current ?? fillDirectory(slot, deps, profile.orgName);
  const view = useSyncExternalStore(directory.subscribe, directory.snapshot);
  return [view, directory];
}

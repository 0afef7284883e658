import { useContext, useSyncExternalStore } from 'react';
import { useDeps, useProfile } from '../../context/deps';
import { PartnerConnection, type ConnectionView } from './connection';
import { ConnectionContext } from './session-context';

export function usePartnerConnection(): [ConnectionView, PartnerConnection] {
  const slot = useContext(ConnectionContext);
  const deps = useDeps();
  const profile = useProfile();
  if (!slot) throw new Error('usePartnerConnection outside <PartnerSessionProvider>');
  if (!slot.current) {
    // A test hook, like main.tsx's: how long an asker waits for the partner's answer (#12).
    const consentTimeoutMs = Number(window.localStorage.getItem('ihyid.partners.consentTimeoutMs')) || undefined;
    const connection = new PartnerConnection(deps, profile.orgName, { consentTimeoutMs });
    slot.fill(connection);
    // A deliberate, opt-in hook for testing how a partner reacts to hostile frames (A8): it exists
    // only when a developer sets localStorage['ihyid.devtools'] = '1' on this device.
    if (window.localStorage.getItem('ihyid.devtools') === '1') {
      window.__ihyidDevtools = { sendRaw: (frame) => connection.sendRaw(frame), hold: () => connection.holdFrames() };
    }
  }
  const connection = slot.current!;
  const view = useSyncExternalStore(connection.subscribe, connection.snapshot);
  return [view, connection];
}

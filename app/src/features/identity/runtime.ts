import { useSyncExternalStore } from 'react';
import { useDeps } from '../../context/deps';
import type { IdentityService, IdentitySnapshot } from '../../identity/service';

/** The page's one identity service (built in main.tsx), rendered through useSyncExternalStore. */
export function useIdentity(): { service: IdentityService; snapshot: IdentitySnapshot } {
  const { identity } = useDeps();
  return { service: identity, snapshot: useSyncExternalStore(identity.subscribe, identity.getSnapshot) };
}

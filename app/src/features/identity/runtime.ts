import { useSyncExternalStore } from 'react';
import { useIdentityService } from '../../context/deps';
import type { IdentityService, IdentitySnapshot } from '../../identity/service';

/** The page's one identity service (built in main.tsx, loaded on first use), rendered through useSyncExternalStore. */
export function useIdentity(): { service: IdentityService; snapshot: IdentitySnapshot } {
  const identity = useIdentityService();
  return { service: identity, snapshot: useSyncExternalStore(identity.subscribe, identity.getSnapshot) };
}

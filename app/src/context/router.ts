import { useEffect, useState } from 'react';

/**
 * Hash routes, so that one static index.html serves every screen offline and an invitation's
 * secret (after '#') never reaches any server (I8).
 */
export type Route =
  /** No path: the first screen of the user's role (route-access.ts). */
  | { name: 'home' }
  | { name: 'contacts' }
  | { name: 'new-contact' }
  | { name: 'edit-contact'; id: string }
  | { name: 'partners' }
  | { name: 'join'; secret: string }
  | { name: 'witness' }
  | { name: 'identity' }
  | { name: 'import' }
  | { name: 'duplicates' }
  | { name: 'export' }
  | { name: 'settings' }
  | { name: 'lists' }
  | { name: 'security' }
  | { name: 'devices' }
  | { name: 'pair'; fragment: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '');
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0) return { name: 'home' };
  if (parts[0] === 'contacts' && parts[1] === 'new') return { name: 'new-contact' };
  if (parts[0] === 'contacts' && parts[1]) return { name: 'edit-contact', id: decodeURIComponent(parts[1]) };
  if (parts[0] === 'partners') return { name: 'partners' };
  if (parts[0] === 'join' && parts[1]) return { name: 'join', secret: parts[1] };
  if (parts[0] === 'witness') return { name: 'witness' };
  if (parts[0] === 'identity') return { name: 'identity' };
  if (parts[0] === 'import') return { name: 'import' };
  if (parts[0] === 'duplicates') return { name: 'duplicates' };
  if (parts[0] === 'export') return { name: 'export' };
  if (parts[0] === 'settings') return { name: 'settings' };
  if (parts[0] === 'lists') return { name: 'lists' };
  if (parts[0] === 'security') return { name: 'security' };
  if (parts[0] === 'devices') return { name: 'devices' };
  if (parts[0] === 'pair' && parts[1]) return { name: 'pair', fragment: parts[1] };
  return { name: 'contacts' };
}

export function navigate(path: string): void {
  window.location.hash = path;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

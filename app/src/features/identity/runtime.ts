import { useEffect, useSyncExternalStore } from 'react';
import type { AppDeps } from '../../app/deps';
import { useDeps } from '../../app/deps';
import { openIdentityDb } from '../../identity/db';
import { webCryptoVerifier } from '../../identity/keys';
import { IdentityService, type IdentitySnapshot } from '../../identity/service';
import { PowPool } from '../../workers/pow-client';

/**
 * One identity service per page, made on first use from the app's own adapters. It lives here,
 * not in main.tsx, only until the session integration hoists it into AppDeps; it must outlive the
 * identity screen so that a registration keeps running when the user looks elsewhere.
 */
let service: IdentityService | null = null;
let pool: PowPool | null = null;

export function identityService(deps: Pick<AppDeps, 'randomBytes' | 'now'>): IdentityService {
  service ??= new IdentityService({
    db: openIdentityDb(),
    solve: (prefix, bits, o) => (pool ??= new PowPool()).solve(prefix, bits, o),
    randomBytes: deps.randomBytes,
    now: () => deps.now().getTime(),
    verify: webCryptoVerifier(),
    solveBits: Number(localStorage.getItem('ihyid.identity.solveBits')) || undefined,
  });
  return service;
}

export function useIdentity(): { service: IdentityService; snapshot: IdentitySnapshot } {
  const deps = useDeps();
  const s = identityService(deps);
  useEffect(() => {
    void s.load();
  }, [s]);
  return { service: s, snapshot: useSyncExternalStore(s.subscribe, s.getSnapshot) };
}

import { PowPool } from '../workers/pow-client';
import type { IdentityDb } from './db';
import { webCryptoVerifier } from './keys';
import { IdentityService } from './service';
import type { OrganisationSource } from './organisation';

// The proof-of-work workers start with the first search (registration, a challenge), not before.
let powPool: PowPool | null = null;

/**
 * I1, I2: the identity over its database (sealed on a protected device, X2), made and started. main.tsx
 * loads this module after the first paint (#12 item 9): the ledger, its rules and the workers are no
 * part of the set-up, unlock or contact-list screens.
 */
export function startIdentity(db: IdentityDb, randomBytes: (n: number) => Uint8Array, organisation?: OrganisationSource): IdentityService {
  const testTick = Number(localStorage.getItem('ihyid.identity.challengeIntervalMs'));
  const identity = new IdentityService({
    db,
    solve: (prefix, bits, o) => (powPool ??= new PowPool()).solve(prefix, bits, o),
    randomBytes,
    now: () => Date.now(),
    verify: webCryptoVerifier(),
    // Tests raise the work of our own registration (never the network's rule) to see it in progress.
    solveBits: Number(localStorage.getItem('ihyid.identity.solveBits')) || undefined,
    // Tests shorten I5's 120 s challenge tick to watch one happen.
    challengeIntervalMs: testTick > 0 ? Math.max(1000, testTick) : undefined,
    organisation,
  });
  void identity.start();
  return identity;
}

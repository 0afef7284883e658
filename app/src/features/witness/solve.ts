import type { PowPool } from '../../workers/pow-client';

/**
 * W5: the declaration stamp's proof of work, in the app's proof-of-work workers (workers/pow-client.ts,
 * over shared/src/identity/pow.ts), off the page's thread. A declaration is rare, so main.tsx starts a
 * pool for each one, and it is stopped here once the stamp is found.
 */
export async function solveStamp(pool: Pick<PowPool, 'solve' | 'dispose'>, prefix: Uint8Array, bits: number): Promise<number> {
  try {
    const nonce = await pool.solve(prefix, bits);
    if (nonce === null) throw new Error('proof of work stopped without a solution');
    return nonce;
  } finally {
    pool.dispose();
  }
}

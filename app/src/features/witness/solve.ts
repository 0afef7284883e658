import { PowPool } from '../../workers/pow-client';

/**
 * W5: the declaration stamp's proof of work, in the app's shared proof-of-work workers
 * (workers/pow-client.ts, over shared/src/identity/pow.ts), off the page's thread. A declaration is rare, so the
 * pool lives only for it.
 */
export async function solveStamp(prefix: Uint8Array, bits: number): Promise<number> {
  const pool = new PowPool();
  try {
    const nonce = await pool.solve(prefix, bits);
    if (nonce === null) throw new Error('proof of work stopped without a solution');
    return nonce;
  } finally {
    pool.dispose();
  }
}

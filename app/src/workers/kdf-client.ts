import type { DeriveKek } from '../storage/at-rest/keyring';

/**
 * Argon2id in a worker started for this one derivation and ended after it, so its 64 MiB are freed.
 * Comlink loads with the first derivation: the unlock screen paints without it (#12 item 9).
 */
export const deriveInWorker: DeriveKek = async (passphrase, salt, params) => {
  const Comlink = await import('comlink');
  const worker = new Worker(new URL('./kdf.worker.ts', import.meta.url), { type: 'module', name: 'ihyid-kdf' });
  try {
    const remote = Comlink.wrap<{ derive: DeriveKek }>(worker);
    return await remote.derive(passphrase, salt, params);
  } finally {
    worker.terminate();
  }
};

import type { DeriveKek } from '../storage/at-rest/keyring';

type KdfRemote = { derive: DeriveKek; ready(): Promise<void> };

/** A KDF worker and its Comlink proxy; `ready` asks it to load libsodium's module before it is needed. */
function spawn(): { worker: Worker; remote: Promise<KdfRemote> } {
  const worker = new Worker(new URL('./kdf.worker.ts', import.meta.url), { type: 'module', name: 'ihyid-kdf' });
  const remote = import('comlink').then((Comlink) => {
    const proxy = Comlink.wrap<KdfRemote>(worker) as unknown as KdfRemote;
    void proxy.ready().catch(() => undefined);
    return proxy;
  });
  return { worker, remote };
}

let prepared: ReturnType<typeof spawn> | null = null;

/**
 * X2: the unlock screen starts the next derivation's worker while the passphrase is typed, so the
 * unlock click waits for Argon2id alone, not for the worker and libsodium's module to load (#14:
 * unlock ≤ 1 s). The worker holds no memory of Argon2id's until it derives.
 */
export function prepareDerive(): void {
  prepared ??= spawn();
}

/**
 * Argon2id in a worker used for this one derivation and ended after it, so its 64 MiB are freed (the
 * prepared one if there is one). Comlink loads with the first derivation or preparation: the unlock
 * screen paints without it (#12 item 9).
 */
export const deriveInWorker: DeriveKek = async (passphrase, salt, params) => {
  const { worker, remote } = prepared ?? spawn();
  prepared = null;
  try {
    return await (await remote).derive(passphrase, salt, params);
  } finally {
    worker.terminate();
  }
};

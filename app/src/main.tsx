import { StrictMode } from 'react';
import { Role, RoleForbiddenError } from '@ihyid/shared';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { startI18n } from './i18n';
import type { AppDeps } from './context/deps';
import { witnessHandle, type WitnessServiceLike } from './context/witness';
import { openIdentityDb } from './identity/db';
import type { IdentityService } from './identity/service';
import { dexieListStore } from './storage/lists';
import { openDb } from './storage/db';
import { IDENTITY_SEALED_TABLES } from './storage/at-rest/seal-middleware';
import type { RecordKeys } from './storage/at-rest/keyring';
import { openVaultDb, Vault, type Unlocked } from './storage/at-rest/vault';
import { listsForRole, storesForRole } from './storage/role-guard';
import { dexieStores, type Stores } from './storage/stores';
import { keepVersionsReady } from './storage/version-keeper';
import { OWN_CHAIN } from './storage/settings';
import { deriveInWorker, prepareDerive } from './workers/kdf-client';
import { startDomainWorker } from './workers/client';
import type { CheckPool } from './workers/check-work';
import './styles.css';

declare global {
  interface Window {
    __ihyidStores?: Stores;
  }
}

// The one place that builds the real adapters; everything below receives them as arguments.
const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));
// The signaling server is the origin that served the app (S5).
const signalingUrl = window.location.origin;
// Partner sessions' adapters load with the first session (Socket.IO, WebRTC, the check workers are
// not part of the first paint). One check pool serves every session of this page.
let checkPool: Promise<CheckPool> | null = null;

/**
 * Witness mode with its real adapters, loaded when the witness screen opens or the device holds
 * witness data; on a protected device its database is sealed under the data key (X2).
 */
async function startWitness(keys: RecordKeys | null): Promise<WitnessServiceLike> {
  const [{ WitnessService }, { WitnessSocket, DeclarationSocket }, { openWitnessDb, WITNESS_DB_NAME }, { solveStamp }, { openWebRtcLink }, { PowPool }] = await Promise.all([
    import('./features/witness/service'),
    import('./features/witness/socket'),
    import('./storage/witness-db'),
    import('./features/witness/solve'),
    import('./network/webrtc-channel'),
    import('./workers/pow-client'),
  ]);
  return new WitnessService({
    randomBytes,
    now: () => new Date(),
    geolocation: navigator.geolocation,
    db: openWitnessDb(WITNESS_DB_NAME, keys ? { keys: () => keys } : undefined),
    openSocket: (handlers) => new WitnessSocket(signalingUrl, handlers),
    openDeclaration: () => new DeclarationSocket(signalingUrl),
    openLink: openWebRtcLink,
    // A declaration is rare: its proof-of-work workers live only for it.
    solveStamp: (prefix, bits) => solveStamp(new PowPool(), prefix, bits),
  });
}

const vault = new Vault(openVaultDb(), { derive: deriveInWorker, randomBytes, now: () => Date.now() });
const root = createRoot(document.getElementById('root')!);

/**
 * X2: a device with a passphrase opens its database only after unlock, with the keys; the first
 * unlock seals what was stored before (migrate.ts). Locking is a reload: the page and its workers
 * go, and every key with them, and so do partner connections (#12: they start inside App, once the
 * database is open, and meet bound partners again by themselves from then on).
 */
async function startApp(unlocked: Unlocked | null): Promise<void> {
  const keys = unlocked?.keys ?? null;
  const user = unlocked?.user ?? null;
  // Another tab opened a newer schema: reload into the version that wrote it.
  // X1: the connection enforces the user's role once the set-up below (sealing, the sync clock) is done.
  let enforced: Role | null = null;
  const db = openDb('ihyid', undefined, () => window.location.reload(), keys ? { keys: () => keys, role: () => enforced } : undefined);
  const dataKey = keys ? () => keys.dataKeyCopy() : () => null;
  const identityDb = openIdentityDb('ihyid-identity', keys ? { keys: () => keys } : undefined);
  if (keys && !(await vault.sealed())) {
    const { sealInPlace, sealOrgInPlace } = await import('./storage/at-rest/migrate');
    await sealOrgInPlace(db);
    await sealInPlace(identityDb, IDENTITY_SEALED_TABLES);
    await sealWitness(keys);
    await vault.markSealed();
  }
  // X4: a protected device keeps record versions of its contacts, ready to sync.
  const allStores = keys ? await (await import('./storage/synced-stores')).syncedStores(db, keys, randomBytes, () => Date.now()) : dexieStores(db);
  // X1: features get the stores of this user's role only; they refuse the rest (role-guard.ts).
  const stores = user ? storesForRole(allStores, user.role) : allStores;
  enforced = user?.role ?? null;
  const lists = dexieListStore(db, randomBytes, () => new Date());
  const admin = !user || user.role === Role.Admin;
  const adminOnly = <T,>(operation: string, run: () => Promise<T>): Promise<T> => (admin ? run() : Promise.reject(new RoleForbiddenError(user!.role, operation)));
  if (keys) {
    // The import/export worker's client (and Comlink) loads here, with the keys, not with the first paint.
    const data = await import('./features/data/data-client');
    data.provideDataKey(dataKey, user?.role ?? null);
    // R9: a sync's received contacts get their index terms in the data worker, which holds the same key.
    allStores.sync?.deriveTermsWith((contacts) => data.dataWorker().contactTerms(contacts));
    void lockWhenIdle(stores);
    // X4 (#16): contacts the import worker wrote, or sealed by the first unlock, get their versions in the
    // background, so a sync starts from versions already made (not for a checker, who holds no sync store).
    if (stores.sync) {
      const clock = {
        // Monotonic: a wall clock set back would hold the keeper back.
        now: () => performance.now(),
        after: (ms: number, run: () => void) => {
          const timer = setTimeout(run, ms);
          return () => clearTimeout(timer);
        },
      };
      keepVersionsReady(stores.sync, clock, async () => (await stores.imports.running()) !== undefined, (error) => console.warn('Ihyid: contacts not versioned yet; the next sync tries again.', error));
    }
  }
  // I1, I2: the key pair is made on first run and the registration is solved in the background, once
  // App asks for it after the first paint (or a screen or session asks first).
  let identity: Promise<IdentityService> | null = null;
  // I10: partners check this device's chain and receive its organisation's revocations (a checker's device, without the sync store, sends none).
  const organisation = { chain: () => stores.settings.get(OWN_CHAIN), revocations: async () => (await stores.sync?.revocationVersions()) ?? [] };
  const deps: AppDeps = {
    stores,
    backup: {
      // X3: the backup code loads when a backup is made or restored, not with the first paint.
      make: (passphrase) => adminOnly('backup.make', async () => (await import('./storage/at-rest/backup')).makeBackup([db, identityDb], passphrase, { derive: deriveInWorker, randomBytes, now: () => new Date() })),
      restore: (file, passphrase) => adminOnly('backup.restore', async () => (await import('./storage/at-rest/backup')).restoreBackup(file, passphrase, [db, identityDb], deriveInWorker)),
    },
    atRest: { vault, keys, user },
    worker: startDomainWorker(),
    randomBytes,
    now: () => new Date(),
    identity: () =>
      (identity ??= import('./identity/start').then(({ startIdentity }) => startIdentity(identityDb, randomBytes, organisation)).catch((error: unknown) => {
        // A chunk that failed to load (offline before the service worker had it) is tried again next time.
        identity = null;
        throw error;
      })),
    openSignaling: async () => new (await import('./network/signaling')).SignalingConnection(signalingUrl),
    openLink: async (options) => (await import('./network/webrtc-channel')).openWebRtcLink(options),
    checkPool: () =>
      (checkPool ??= Promise.all([import('./workers/pool'), import('./workers/check-work')]).then(([{ WorkerPool }, { checkPoolOf }]) =>
        checkPoolOf(new WorkerPool(), dataKey),
      ).catch((error: unknown) => {
        // A chunk that failed to load (offline, an update in between) is tried again by the next session.
        checkPool = null;
        throw error;
      })),
    witness: witnessHandle(() => startWitness(keys)),
    lists: user ? listsForRole(lists, user.role) : lists,
  };
  // The opt-in development hook (like session-context.tsx's): the page's stores exactly as features
  // hold them, so a test calls a store from the page as a script there would (X1: refused by role).
  if (localStorage.getItem('ihyid.devtools') === '1') window.__ihyidStores = stores;
  root.render(
    <StrictMode>
      <App deps={deps} />
    </StrictMode>,
  );
}

/** X2, first unlock: the witness database, if this device has one (never created here), gets keyed ids and is sealed. */
async function sealWitness(keys: RecordKeys): Promise<void> {
  const { openWitnessDb, sealWitnessInPlace, WITNESS_DB_NAME, witnessDbExists } = await import('./storage/witness-db');
  if (!(await witnessDbExists(WITNESS_DB_NAME))) return;
  const db = openWitnessDb(WITNESS_DB_NAME, { keys: () => keys });
  try {
    await sealWitnessInPlace(db);
  } finally {
    db.close();
  }
}

/** X2: no key press, click or touch for the chosen minutes (Security screen): reload, which locks. */
async function lockWhenIdle(stores: Stores): Promise<void> {
  const { idleLock, loadLockMinutes } = await import('./features/security/idle-lock');
  const watch = idleLock({
    now: () => Date.now(),
    every: (tick, ms) => {
      const timer = setInterval(tick, ms);
      return () => clearInterval(timer);
    },
    limitMinutes: () => loadLockMinutes(stores.settings),
    lock: () => window.location.reload(),
  });
  for (const type of ['keydown', 'pointerdown', 'touchstart', 'wheel']) window.addEventListener(type, () => watch.touch(), { passive: true, capture: true });
}

// X5: ask the browser to keep our data under storage pressure; a refusal changes nothing else.
void navigator.storage?.persist?.().catch(() => false);

/** X2: a protected device's first screen; its code loads only there (a first visit never shows it). */
async function showUnlock(): Promise<void> {
  const { UnlockScreen } = await import('./features/security/UnlockScreen');
  root.render(
    <StrictMode>
      <UnlockScreen vault={vault} onUnlocked={(unlocked) => void startApp(unlocked)} />
    </StrictMode>,
  );
  // While the passphrase is typed: the KDF worker loads, and so does the code startApp will need
  // right after the unlock (only a protected device shows this screen: a first visit loads none of it).
  prepareDerive();
  void import('./storage/synced-stores').catch(() => undefined);
  void import('./features/data/data-client').catch(() => undefined);
  void import('./features/security/idle-lock').catch(() => undefined);
}

// X6: the first render waits for the catalog of the user's language (only that language loads).
void startI18n().then(() => vault.exists().then((protectedDevice) => (protectedDevice ? showUnlock() : startApp(null))));

import 'fake-indexeddb/auto';
import {
  base64UrlFromBytes,
  bytesFromBase64Url,
  DEFAULT_LEDGER_RULES,
  fingerprintOf,
  inlineCheckWork,
  inMemorySignalingHub,
  seededBytes,
  roomIdFromSecret,
  solvePow,
  strictVerify,
  type InMemorySignalingHub,
  type OrgFingerprint,
  type RoomId,
} from '@ihyid/shared';
import { openIdentityDb } from '../../identity/db';
import { IdentityService } from '../../identity/service';
import { inMemoryLinkNetwork } from '../../network/in-memory-link';
import { readCheckItemsPage } from '../../storage/check-results';
import { openDb, type IhyidDb } from '../../storage/db';
import { dexieListStore } from '../../storage/lists';
import { dexieStores } from '../../storage/stores';
import { loadX25519Psi } from '../../workers/x25519-psi';
import { PartnerConnection, type ConnectionView, type PartnerConnectionDeps } from './connection';
import { PartnerDirectory } from './directory';

// Test support: organisations whose partner connections run on fakes (the in-memory signaling hub,
// in-memory links, inline check work) over real services and fake-indexeddb. What the user reads is
// asserted from the connection's snapshot. Only tests import this file.
const RULES = { ...DEFAULT_LEDGER_RULES, registrationBits: 8 };
export const T0 = Date.UTC(2026, 10, 21, 12);
const cleanup: (() => Promise<void> | void)[] = [];
let n = 0;

/** Run in afterEach: leaves every connection and deletes every database the test made. */
export async function cleanupOrgs(): Promise<void> {
  for (const c of cleanup.splice(0).reverse()) await c();
}

export interface Org {
  name: string;
  connection: PartnerConnection;
  deps: PartnerConnectionDeps;
  db: IhyidDb;
  identity: IdentityService;
  fingerprint: OrgFingerprint;
}

export async function org(name: string, hub: InMemorySignalingHub, links: ReturnType<typeof inMemoryLinkNetwork>, registered = true): Promise<Org> {
  const seed = ++n;
  const db = openDb(`connection-test-${seed}`);
  const identityDb = openIdentityDb(`connection-test-identity-${seed}`);
  const randomBytes = seededBytes(seed);
  const identity = new IdentityService({
    db: identityDb,
    solve: async (prefix, bits) => solvePow(prefix, bits, { start: 0, count: 1 << 24 }),
    randomBytes,
    now: () => T0,
    verify: strictVerify,
    rules: RULES,
  });
  await identity.load();
  if (registered) await identity.register();
  const work = inlineCheckWork(await loadX25519Psi());
  const deps: PartnerConnectionDeps = {
    stores: dexieStores(db),
    randomBytes,
    now: () => new Date(T0),
    identity: async () => identity,
    openSignaling: async () => hub.connect(),
    openLink: async (options) => links.openLink(options),
    checkPool: async () => ({ work, itemsPage: (after, upTo) => readCheckItemsPage(dexieStores(db).contacts, after, upTo) }),
    lists: dexieListStore(db, randomBytes, () => new Date(T0)),
  };
  const connection = new PartnerConnection(deps, name);
  cleanup.push(async () => {
    connection.leave();
    db.close();
    identityDb.close();
    await Promise.all([db.delete(), identityDb.delete()]);
  });
  return { name, connection, deps, db, identity, fingerprint: fingerprintOf(identity.signer.publicKey) };
}

/** Resolves when the connection's snapshot satisfies `test` (no time limit beyond the test's own). */
export function until(connection: PartnerConnection, test: (v: ConnectionView) => boolean): Promise<ConnectionView> {
  return new Promise((resolve) => {
    const check = () => {
      const view = connection.snapshot();
      if (!test(view)) return false;
      stop();
      resolve(view);
      return true;
    };
    const stop = connection.subscribe(check);
    check();
  });
}

export const secret = (b: number) => base64UrlFromBytes(new Uint8Array(32).fill(b));

export async function pair() {
  const hub = inMemorySignalingHub();
  const links = inMemoryLinkNetwork();
  const [a, b] = await Promise.all([org('Org A', hub, links), org('Org B', hub, links)]);
  return { hub, links, a, b };
}

/** Registers cleanup work of a test (a directory to leave) to run with the organisations'. */
export function onCleanup(work: () => Promise<void> | void): void {
  cleanup.push(work);
}

/** Back-off waits short enough for a test (#12). */
export const FAST = { backoff: { firstMs: 5, maxMs: 40 } };

/** A directory of `o`'s partners, left when the test ends. */
export function directory(o: Org): PartnerDirectory {
  const d = new PartnerDirectory(o.deps, o.name, FAST);
  onCleanup(() => d.leaveAll());
  return d;
}

export const connected = (v: ConnectionView) => v.status === 'connected';

/** The room `o` meets a bound `partner` in (I9: named by their pair secret). */
export async function pairRoom(o: Org, partner: Org): Promise<RoomId> {
  const bond = await o.deps.stores.invitations.bond(partner.fingerprint);
  return roomIdFromSecret(bytesFromBase64Url(bond!.pairSecret)!);
}

/** A invites, B opens the link: both bound, each listed once in the other's directory. */
export async function bind() {
  const { hub, links, a, b } = await pair();
  const [da, db] = [directory(a), directory(b)];
  await Promise.all([da.start(), db.start()]);
  const invite = da.snapshot().invite;
  await invite.open(secret(20));
  await db.openLink(secret(20), a.fingerprint, null);
  await Promise.all([until(invite, connected), until(db.snapshot().partners[0]?.connection ?? db.snapshot().invite, connected)]);
  return { hub, links, a, b, da, db };
}

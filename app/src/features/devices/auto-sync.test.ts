import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { inMemorySignalingHub, issueDeviceCert, revokeDevice, signerFromSecretKey, strictVerify, type InMemorySignalingHub } from '@ihyid/shared';
import { inMemoryLinkNetwork } from '../../network/in-memory-link';
import { RecordKeys } from '../../storage/at-rest/keyring';
import { saveNewContact } from '../../storage/contacts';
import { contactFields } from '../../storage/contact-store.contract';
import { openDb, type IhyidDb } from '../../storage/db';
import { syncedStores } from '../../storage/synced-stores';
import type { DexieSyncStore } from '../../storage/sync-store';
import { AutoSync, pairRoom } from './auto-sync';
import type { DeviceIdentity } from './device-link';

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const NOW = Date.parse('2026-12-05T08:00:00Z');
const meta = { createdBy: 'amal', now: new Date(NOW), randomBytes: random };
const opened: IhyidDb[] = [];
const running: AutoSync[] = [];

afterEach(async () => {
  for (const s of running.splice(0)) s.stop();
  // What a stopped sync was writing settles before its database goes.
  await new Promise((r) => setTimeout(r, 100));
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

type Net = { hub: InMemorySignalingHub; links: ReturnType<typeof inMemoryLinkNetwork> };

/** The organisation's first device (its key is the root), or a device it certified (and recorded, as pairing does). */
async function device(net: Net, dataKey: Uint8Array, root?: { self: DeviceIdentity; stores: { sync: DexieSyncStore } }) {
  const signer = signerFromSecretKey(random(32));
  const cert = root ? await issueDeviceCert(root.self.signer, { org: root.self.org, device: signer.publicKey, role: 'caseworker', label: 'Phone', issuedAt: NOW, expiresAt: NOW + 86_400_000 }) : null;
  const self: DeviceIdentity = root && cert ? { signer, org: root.self.org, chain: [cert] } : { signer, org: signer.publicKey, chain: [] };
  if (root && cert) await root.stores.sync.addDevice(signer.publicKey, [cert]);
  const keys = new RecordKeys(dataKey, random);
  const db = openDb(`auto-${Math.random()}`, undefined, undefined, { keys: () => keys });
  opened.push(db);
  const stores = await syncedStores(db, keys, random, () => NOW);
  const sync = stores.sync!;
  const deps = { stores: { ...stores, sync }, verify: strictVerify, randomBytes: random, now: () => new Date(NOW), openSignaling: async () => net.hub.connect(), openLink: async (o: Parameters<Net['links']['openLink']>[0]) => net.links.openLink(o) };
  const start = async () => {
    const syncer = new AutoSync(deps, keys, self, { debounceMs: 20, backoff: { firstMs: 20, maxMs: 200 } });
    running.push(syncer);
    await syncer.start();
    return syncer;
  };
  return { db, stores: { ...stores, sync }, self, start };
}

/** Waits (without asserting on time) until `check` holds. */
async function until(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 20));
}

/** The root device A and two devices it paired, on one in-memory server, holding one data key. */
async function organisation() {
  const net = { hub: inMemorySignalingHub(), links: inMemoryLinkNetwork() };
  const key = random(32);
  const a = await device(net, key);
  return [a, await device(net, key, a), await device(net, key, a)] as const;
}

const names = async (d: { stores: { contacts: { recent(n: number): Promise<readonly { firstName: string }[]> } } }) =>
  (await d.stores.contacts.recent(100)).map((c) => c.firstName).sort().join(',');

describe('automatic device sync (X4)', () => {
  it('[X4] the PROTOCOL.md §6.6 vector: the room of a pair is the same whichever device computes it (Python hmac)', () => {
    const deviceKey = Uint8Array.from({ length: 32 }, (_, i) => i);
    const [x, y] = ['11'.repeat(32), '22'.repeat(32)];
    expect(pairRoom(deviceKey, x, y)).toBe('5c278bac7256c29ea1d6492e39cc80ab98c9d3b25a24a174359e14c6fd5ea2f1');
    expect(pairRoom(deviceKey, y, x)).toBe(pairRoom(deviceKey, x, y));
  });

  it('[X4] three devices that come online in turn converge by themselves, and a later change reaches the others without anyone asking', async () => {
    const [a, b, c] = await organisation();
    await saveNewContact(a.stores.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta);
    await saveNewContact(b.stores.contacts, contactFields({ firstName: 'Layla', lastName: 'Mansour' }), meta);
    await saveNewContact(c.stores.contacts, contactFields({ firstName: 'Rami', lastName: 'Saad' }), meta);
    await a.start();
    await b.start();
    await until(async () => (await names(b)) === 'Amal,Layla');
    const cs = await c.start();
    for (const d of [a, b, c]) await until(async () => (await names(d)) === 'Amal,Layla,Rami');
    await until(async () => cs.snapshot().connected === 2);
    // B and C learned of each other from A's device records and met in their own room.
    await saveNewContact(c.stores.contacts, contactFields({ firstName: 'Nour', lastName: 'Khalil' }), meta);
    for (const d of [a, b]) await until(async () => (await names(d)) === 'Amal,Layla,Nour,Rami');
    await until(async () => cs.snapshot().pending === 0 && cs.snapshot().lastSync !== null);
    // #16 item 2: a row of another replicated table (here a list, as the Lists screen writes it) travels by itself too.
    const list = { id: crypto.randomUUID(), name: 'Winter kits', members: [], startDate: '2026-12-01', endDate: '2026-12-31', createdAt: '2026-12-05T08:00:00.000Z', updatedAt: '2026-12-05T08:00:00.000Z' };
    await b.db.table('lists').put(list);
    for (const d of [a, c]) await until(async () => (await d.db.table('lists').get(list.id))?.name === 'Winter kits');
  }, 120_000);

  it('[I10] [X4] once the root revokes a device, its later changes reach no other device, and it reads that it was revoked', async () => {
    const [a, b, c] = await organisation();
    const [, , cs] = [await a.start(), await b.start(), await c.start()];
    await saveNewContact(c.stores.contacts, contactFields({ firstName: 'Rami', lastName: 'Saad' }), meta);
    for (const d of [a, b]) await until(async () => (await names(d)) === 'Rami');
    const signed = await revokeDevice(a.self.signer, { org: a.self.org, device: c.self.signer.publicKey, at: NOW, reason: 'lost' });
    await a.stores.sync.addRevocation(c.self.signer.publicKey, signed);
    // B holds the revocation (it came from A by itself) before C writes again.
    await until(async () => (await b.stores.sync.revocationVersions()).length === 1);
    await saveNewContact(c.stores.contacts, contactFields({ firstName: 'Nadia', lastName: 'Saleh' }), meta);
    cs.syncNow();
    await until(async () => cs.snapshot().status === 'revoked');
    await saveNewContact(a.stores.contacts, contactFields({ firstName: 'Omar', lastName: 'Aziz' }), meta);
    await until(async () => (await names(b)) === 'Omar,Rami');
    expect(await names(a)).toBe('Omar,Rami');
    expect(await names(c)).not.toContain('Omar');
  }, 120_000);
});

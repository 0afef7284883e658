import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { ErrorCode, HlcClock, hopKey, hopOf, inMemorySignalingHub, issueDeviceCert, makeVersion, revokeDevice, signerFromSecretKey, strictVerify, type InMemorySignalingHub } from '@ihyid/shared';
import { inMemoryLinkNetwork } from '../../network/in-memory-link';
import { RecordKeys } from '../../storage/at-rest/keyring';
import { saveNewContact } from '../../storage/contacts';
import { contactFields } from '../../storage/contact-store.contract';
import { openDb, type IhyidDb } from '../../storage/db';
import { DexieContactStore } from '../../storage/dexie-stores';
import type { Stores } from '../../storage/stores';
import { syncedStores } from '../../storage/synced-stores';
import { DEVICE_SYNC_VERSION, deviceKeyOf, deviceRoom, heldRevocations, heldRevocationTimes, syncWithDevice, type DeviceIdentity } from './device-sync';
import { revocationRecord } from '../../storage/sync-store';
import { ownRevocations } from '../../identity/organisation';
import { meet } from './meet';

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const opened: IhyidDb[] = [];

afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

type Net = { hub: InMemorySignalingHub; links: ReturnType<typeof inMemoryLinkNetwork> };

/** The organisation's first device (its key is the root), or a device it certified. */
async function device(net: Net, dataKey: Uint8Array, root?: DeviceIdentity) {
  const signer = signerFromSecretKey(random(32));
  const now = Date.parse('2026-12-05T08:00:00Z');
  const self: DeviceIdentity = root
    ? { signer, org: root.org, chain: [await issueDeviceCert(root.signer, { org: root.org, device: signer.publicKey, role: 'caseworker', label: 'Phone', issuedAt: now, expiresAt: now + 86_400_000 })] }
    : { signer, org: signer.publicKey, chain: [] };
  const keys = new RecordKeys(dataKey, random);
  const db = openDb(`device-${Math.random()}`, undefined, undefined, { keys: () => keys });
  opened.push(db);
  const stores: Stores = await syncedStores(db, keys, random, () => Date.parse('2026-12-05T08:00:00Z'));
  const deps = { stores, verify: strictVerify, now: () => new Date('2026-12-05T08:00:00Z'), openSignaling: async () => net.hub.connect(), openLink: async (o: Parameters<Net['links']['openLink']>[0]) => net.links.openLink(o) };
  return { db, keys, stores, self, run: (signal = new AbortController().signal) => syncWithDevice(deps, keys, self, signal) };
}

const meta = { createdBy: 'amal', now: new Date('2026-12-05T08:00:00Z'), randomBytes: random };

describe('device sync (X4)', () => {
  it('[X4] two devices holding the organisation\'s data key meet in its room and end with the same contacts', async () => {
    const net = { hub: inMemorySignalingHub(), links: inMemoryLinkNetwork() };
    const key = random(32);
    const a = await device(net, key);
    const b = await device(net, key, a.self);
    const amal = await saveNewContact(a.stores.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta);
    const sami = await saveNewContact(b.stores.contacts, contactFields({ firstName: 'Sami', lastName: 'Khoury', phone: '' }), meta);
    const [ra, rb] = await Promise.all([a.run(), b.run()]);
    expect(ra.received + rb.received).toBe(2);
    expect((await b.stores.contacts.get(amal.id))?.firstName).toBe('Amal');
    expect((await a.stores.contacts.get(sami.id))?.firstName).toBe('Sami');
  });

  it('[X4] whoever joins the room without the data key (the server knows the room id) is refused before any record moves', async () => {
    const net = { hub: inMemorySignalingHub(), links: inMemoryLinkNetwork() };
    const a = await device(net, random(32));
    await saveNewContact(a.stores.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta);
    const victim = a.run();
    victim.catch(() => undefined);
    // The attacker: the room id, a real link, a made-up proof, then an opening round asking for everything.
    const attacker = await meet({ openSignaling: async () => net.hub.connect(), openLink: async (o) => net.links.openLink(o) }, deviceRoom(deviceKeyOf(a.keys)), new AbortController().signal);
    const got: unknown[] = [];
    attacker.link.channel.onMessage((frame) => got.push(JSON.parse(frame as string)));
    const closed = new Promise<void>((resolve) => attacker.link.channel.onClose(resolve));
    attacker.link.channel.send(JSON.stringify({ type: 'dev-auth', v: DEVICE_SYNC_VERSION, proof: '00'.repeat(32) }));
    attacker.link.channel.send(JSON.stringify({ type: 'sync-ranges', ranges: [{ lo: '0', hi: 'f', ids: [] }], last: true }));
    await expect(victim).rejects.toMatchObject({ code: ErrorCode.HandshakeFailed });
    await closed;
    // Our proof and why we close; no range, no version.
    expect(got.map((m) => (m as { type: string }).type)).toEqual(['dev-auth', 'sync-abort']);
    expect(got[1]).toEqual({ type: 'sync-abort', code: ErrorCode.HandshakeFailed });
  });
  it('[X4] [I10] a device of an earlier sync version (no hops, §6.7) is refused as incompatible before any record moves', async () => {
    const net = { hub: inMemorySignalingHub(), links: inMemoryLinkNetwork() };
    const a = await device(net, random(32));
    await saveNewContact(a.stores.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta);
    const victim = a.run();
    victim.catch(() => undefined);
    const old = await meet({ openSignaling: async () => net.hub.connect(), openLink: async (o) => net.links.openLink(o) }, deviceRoom(deviceKeyOf(a.keys)), new AbortController().signal);
    const got: unknown[] = [];
    old.link.channel.onMessage((frame) => got.push(JSON.parse(frame as string)));
    const closed = new Promise<void>((resolve) => old.link.channel.onClose(resolve));
    // Version 1's frame: no `v`, its fields otherwise as they were; then a round asking for everything.
    old.link.channel.send(JSON.stringify({ type: 'dev-auth', proof: '00'.repeat(32), key: a.self.org, chain: [], sig: '00'.repeat(64) }));
    old.link.channel.send(JSON.stringify({ type: 'sync-ranges', ranges: [{ lo: '0', hi: 'f', ids: [] }], last: true }));
    await expect(victim).rejects.toMatchObject({ code: ErrorCode.IncompatibleVersion });
    await closed;
    expect(got.map((m) => (m as { type: string; v?: number }).type)).toEqual(['dev-auth', 'sync-abort']);
    expect((got[0] as { v: number }).v).toBe(DEVICE_SYNC_VERSION);
    expect(got[1]).toEqual({ type: 'sync-abort', code: ErrorCode.IncompatibleVersion });
  });

  it('[I10] [X4] once the root revokes a device, its later changes are refused: the sync ends before any record moves', async () => {
    const net = { hub: inMemorySignalingHub(), links: inMemoryLinkNetwork() };
    const key = random(32);
    const a = await device(net, key);
    const b = await device(net, key, a.self);
    await Promise.all([a.run(), b.run()]);
    const signed = await revokeDevice(a.self.signer, { org: a.self.org, device: b.self.signer.publicKey, at: Date.parse('2026-12-05T08:00:00Z'), reason: 'lost' });
    await a.stores.sync!.addRevocation(b.self.signer.publicKey, signed);
    const later = await saveNewContact(b.stores.contacts, contactFields({ firstName: 'Nadia', lastName: 'Saleh' }), meta);
    const [ra, rb] = await Promise.allSettled([a.run(), b.run()]);
    expect(ra).toMatchObject({ status: 'rejected', reason: { code: ErrorCode.PeerRevoked } });
    expect(rb).toMatchObject({ status: 'rejected', reason: { code: ErrorCode.SelfRevoked } });
    expect(await a.stores.contacts.get(later.id)).toBeUndefined();
  });
  it('[X4] the device that waited and versions its imported contacts at sync time still sends them all to the one that joined', async () => {
    const net = { hub: inMemorySignalingHub(), links: inMemoryLinkNetwork() };
    const key = random(32);
    const a = await device(net, key);
    const b = await device(net, key, a.self);
    // Written as the import worker writes them: no versions until the next sync adopts them.
    const plain = new DexieContactStore(a.db);
    for (let i = 0; i < 60; i++) await saveNewContact(plain, contactFields({ firstName: `Name${i}`, lastName: 'Imported' }), meta);
    const waiting = a.run();
    await new Promise((r) => setTimeout(r, 50));
    const [ra, rb] = await Promise.all([waiting, b.run()]);
    expect(ra.sent).toBe(60);
    expect(rb.received).toBe(60);
    expect(await b.stores.contacts.count()).toBe(60);
  }, 120_000);

  it('[I10] [X4] a revocation its revoked issuer handed on after its own revocation counts nowhere: not for hops, not in dev-auth, not for partners', async () => {
    const net = { hub: inMemorySignalingHub(), links: inMemoryLinkNetwork() };
    const key = random(32);
    const root = await device(net, key);
    const e = await device(net, key, root.self);
    const honest = await device(net, key, root.self);
    const t = Date.parse('2026-12-05T08:00:00Z');
    const admin = async () => {
      const signer = signerFromSecretKey(random(32));
      const chain = [await issueDeviceCert(root.self.signer, { org: root.self.org, device: signer.publicKey, role: 'admin', label: 'Laptop', issuedAt: t - 3_600_000, expiresAt: t + 86_400_000 })];
      return { signer, chain };
    };
    const [x, y] = [await admin(), await admin()];
    // Y revoked X at t − 10 min; X, revoked, dated a revocation of the honest device back to t − 20 min and handed it to E at t − 5 min.
    const ofX = await revokeDevice(y.signer, { org: root.self.org, device: x.signer.publicKey, at: t - 600_000, reason: 'compromised' }, y.chain);
    const forged = await revokeDevice(x.signer, { org: root.self.org, device: honest.self.signer.publicKey, at: t - 1_200_000, reason: 'lost' }, x.chain);
    const store = e.stores.sync!;
    const version = (deviceKey: string, signed: unknown, via: string[]) => ({ ...makeVersion(new HlcClock('x', () => t - 300_000), { record: revocationRecord(deviceKey), parents: [], op: 'put', data: store.sealer.sealValue(revocationRecord(deviceKey), signed) }), via });
    await store.put([version(honest.self.signer.publicKey, forged, [hopOf(x.signer.publicKey, t - 300_000)]), version(x.signer.publicKey, ofX, [hopOf(y.signer.publicKey, t - 500_000)])]);
    const times = await heldRevocationTimes(store, root.self.org, t, strictVerify);
    expect([...times.keys()]).toEqual([hopKey(x.signer.publicKey)]);
    expect(await heldRevocations(store, root.self.org, t, strictVerify)).toEqual(new Set([x.signer.publicKey]));
    const sent = await ownRevocations({ chain: async () => [], revocations: () => store.revocationVersions() }, root.self.org, t, strictVerify);
    expect(sent.map((r) => r.body.device)).toEqual([x.signer.publicKey]);
    // The honest device still syncs with E.
    await saveNewContact(honest.stores.contacts, contactFields({ firstName: 'Nadia', lastName: 'Saleh' }), meta);
    const [re, rh] = await Promise.all([e.run(), honest.run()]);
    expect(re.received + rh.received).toBeGreaterThan(0);
  });
});

import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rowsByKeys } from './index-lookup';
import { HlcClock, inMemorySyncLink, makeVersion, ReconcileIndex, runSync, type SyncItem, type VersionId } from '@ihyid/shared';
import { RecordKeys } from './at-rest/keyring';
import { saveNewContact, updateContact } from './contacts';
import { contactFields } from './contact-store.contract';
import { syncTables, type IhyidDb } from './db';
import { DexieContactStore } from './dexie-stores';
import { ChangedRows, HeldVersions } from './held-versions';
import { contactRecord, DexieSyncStore } from './sync-store';
import { PACK_SIZE } from './version-packs';
import { fromDevice, syncDevice } from './test-dbs';

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const opened: IhyidDb[] = [];
const meta = (by: string) => ({ createdBy: by, now: new Date('2026-12-05T08:00:00Z'), randomBytes: random });

afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

/** What a read of the versions' keys gives now: a fresh HeldVersions has nothing kept. */
const scanned = (db: IhyidDb) => new HeldVersions(db).items().then((items) => items.map((i) => `${i.ts}.${i.id}`));
const shown = (items: readonly SyncItem[]) => items.map((i) => `${i.ts}.${i.id}`);

describe('HeldVersions: what a sync reads, kept between syncs (X4)', () => {
  it('[X4] stays what a scan of the index reads through saves, edits, received versions and another writer of the same database', async () => {
    const key = random(32);
    const a = syncDevice(opened, 'a', key);
    const b = syncDevice(opened, 'b', key);
    expect(shown(await a.sync.items())).toEqual([]);
    const amal = await saveNewContact(a.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta('amal'));
    expect(shown(await a.sync.items())).toEqual(await scanned(a.db));
    expect(await a.sync.items()).toHaveLength(1);
    await updateContact(a.contacts, amal.id, contactFields({ firstName: 'Amal', lastName: 'Hadad' }), new Date('2026-12-05T09:00:00Z'));
    for (let i = 0; i < 5; i++) await saveNewContact(b.contacts, contactFields({ firstName: `Sami${i}`, lastName: 'Nasser' }), meta('sami'));
    const link = inMemorySyncLink();
    const [x, y] = await Promise.all([runSync({ transport: link.ends[0], store: a.sync.forSync(fromDevice()), initiator: true }), runSync({ transport: link.ends[1], store: b.sync.forSync(fromDevice()), initiator: false })]);
    expect(x.ok && y.ok).toBe(true);
    expect(await a.sync.items()).toHaveLength(7);
    expect(shown(await a.sync.items())).toEqual(await scanned(a.db));
    // Read once: every version since was this page's own, added as its transaction committed.
    expect(a.sync.held.scans).toBe(1);
    expect(shown(await a.sync.items())).toEqual(shown(await b.sync.items()));
    // Another tab of the same device: its writes are not this page's; their stamp says so, and this page reads again.
    const other = new DexieSyncStore(a.db, () => new RecordKeys(key, random), new HlcClock('a', () => Date.parse('2026-12-05T10:00:00Z')));
    await other.recordLocal([{ ...amal, firstName: 'Amala' }]);
    await vi.waitFor(async () => expect(await a.sync.items()).toHaveLength(8));
    expect(shown(await a.sync.items())).toEqual(await scanned(a.db));
    expect(a.sync.held.scans).toBe(2);
  });

  it('[X4] a sync of more versions than one write holds (1,000) stores them all before it ends, and both hold what a scan reads', async () => {
    const key = random(32);
    const a = syncDevice(opened, 'a', key);
    const b = syncDevice(opened, 'b', key);
    const at = new Date('2026-12-05T08:00:00Z');
    const people = Array.from({ length: 1100 }, (_, i) => ({ ...contactFields({ firstName: `N${i}`, lastName: 'Many' }), id: `c${String(i).padStart(5, '0')}`, secretHex: '00'.repeat(32), createdAt: at.toISOString(), createdBy: 'bulk', updatedAt: at.toISOString() }));
    await a.contacts.add(people as never);
    // Packs read (`bulkGet`): A reads what it sends a pack at a time, and B, whose memory is the table as it
    // stands, reads none for the versions it receives (it holds none of them).
    const lookedUp = (db: IhyidDb) => {
      const spy = vi.spyOn(db.versionPacks, 'bulkGet');
      return () => spy.mock.calls.reduce((sum, [packs]) => sum + packs.length, 0);
    };
    const [byA, byB] = [lookedUp(a.db), lookedUp(b.db)];
    const link = inMemorySyncLink();
    const [sa, sb] = [a.sync.forSync(fromDevice()), b.sync.forSync(fromDevice())];
    const [x, y] = await Promise.all([runSync({ transport: link.ends[0], store: sa, initiator: true }), runSync({ transport: link.ends[1], store: sb, initiator: false })]);
    expect(x.ok && y.ok).toBe(true);
    expect(y.ok && y.value.received).toBe(1100);
    expect(byA()).toBeGreaterThan(0);
    expect(byA()).toBeLessThan(1100 / 10);
    expect(byB()).toBe(0);
    // A hundred versions to a row: 1,100 in 11 packs on each side.
    expect(await b.db.versionPacks.count()).toBe(1100 / PACK_SIZE);
    expect(await b.contacts.count()).toBe(1100);
    expect(sb.received.size).toBe(1100);
    expect(shown(await b.sync.items())).toEqual(await scanned(b.db));
    expect(shown(await b.sync.items())).toEqual(shown(await a.sync.items()));
    expect(b.sync.held.scans).toBe(1);
  }, 120_000);

  it('[X4] a write whose transaction aborts is not counted as held', async () => {
    const a = syncDevice(opened, 'a', random(32));
    await saveNewContact(a.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta('amal'));
    const before = shown(await a.sync.items());
    const scans = a.sync.held.scans;
    const amal = (await a.contacts.recent(1))[0]!;
    await expect(
      a.db.transaction('rw', syncTables(a.db), async () => {
        await a.sync.recordLocal([{ ...amal, firstName: 'Nadia' }]);
        throw new Error('the save fails after its version was written');
      }),
    ).rejects.toThrow('the save fails');
    expect(shown(await a.sync.items())).toEqual(before);
    // What the aborted write noted is dropped: the keys are read again, and they do not hold it.
    expect(a.sync.held.scans).toBe(scans + 1);
    expect(await scanned(a.db)).toEqual(before);
  });

  it('[X4] contacts written without a version (the import worker) are adopted once, also after the records were first read', async () => {
    const a = syncDevice(opened, 'a', random(32));
    await saveNewContact(a.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta('amal'));
    expect(await a.sync.adopt()).toBe(0);
    const raw = await saveNewContact(new DexieContactStore(a.db), contactFields({ firstName: 'Rami', lastName: 'Saleh' }), meta('worker'));
    expect(await a.sync.adopt()).toBe(1);
    expect(await a.sync.adopt()).toBe(0);
    const state = await a.sync.state(`contacts/${raw.id}` as never);
    expect(state?.kind).toBe('live');
    // Sealed on WebCrypto outside the transaction, opened by the synchronous sealer as any version is: the same bytes.
    expect(state?.kind === 'live' && a.sync.openVersion(state.head)).toEqual(raw);
    expect(shown(await a.sync.items())).toEqual(await scanned(a.db));
  });

  it('[X4] ChangedRows names the rows written since the last take, key by key, and everything after a write it cannot tell key by key', async () => {
    const a = syncDevice(opened, 'a', random(32));
    // Opening runs the schema's upgrades, which rewrite whole tables: a page's stores start after that.
    await a.db.open();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const changed = new ChangedRows(a.db, ['contacts']);
    expect(changed.take('contacts')).toBe('all');
    expect(changed.take('contacts')).toEqual(new Set());
    const amal = await saveNewContact(new DexieContactStore(a.db), contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta('worker'));
    const rami = await saveNewContact(a.contacts, contactFields({ firstName: 'Rami', lastName: 'Saleh' }), meta('amal'));
    await new Promise((resolve) => setTimeout(resolve, 50)); // Dexie signals committed writes after a tick
    expect(changed.take('contacts')).toEqual(new Set([amal.id, rami.id]));
    expect(changed.take('contacts')).toEqual(new Set());
    await a.db.contacts.clear();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(changed.take('contacts')).toBe('all');
    changed.restore('contacts');
    expect(changed.take('contacts')).toBe('all');
  });

  it('[X4] contacts written 50 or more at a time (Dexie then names the whole table) are adopted from the terms, the deleted ones not', async () => {
    const a = syncDevice(opened, 'a', random(32));
    await saveNewContact(a.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta('amal'));
    expect(await a.sync.adopt()).toBe(0);
    // The import worker's way: a batch of contacts straight into the table, without versions.
    const at = new Date('2026-12-05T08:00:00Z').toISOString();
    const batch = Array.from({ length: 60 }, (_, i) => ({ ...contactFields({ firstName: `N${i}`, lastName: 'Bulk' }), id: `b${String(i).padStart(3, '0')}`, secretHex: '00'.repeat(32), createdAt: at, createdBy: 'worker', updatedAt: at }));
    await new DexieContactStore(a.db).add(batch as never);
    await a.db.contacts.delete('b007' as never);
    await new Promise((resolve) => setTimeout(resolve, 50)); // Dexie signals committed writes after a tick
    expect(await a.sync.adopt()).toBe(59);
    expect(await a.sync.adopt()).toBe(0);
    expect(await a.sync.state('contacts/b007' as never)).toBeNull();
    expect((await a.sync.state('contacts/b059' as never))?.kind).toBe('live');
    expect(shown(await a.sync.items())).toEqual(await scanned(a.db));
  });

  it('[X4] the reconciliation index is kept between reads, extended by the versions that join after it (several of one write in one millisecond too), and equal to a fresh build', async () => {
    let now = Date.parse('2026-12-05T08:00:00Z');
    const a = syncDevice(opened, 'a', random(32), () => now);
    for (let i = 0; i < 3; i++) await saveNewContact(a.contacts, contactFields({ firstName: `Amal${i}`, lastName: 'Haddad' }), meta('amal'));
    const first = await a.sync.held.index();
    expect(await a.sync.held.index()).toBe(first);
    expect(a.sync.held.builds).toBe(1);
    now += 1000;
    const amal = (await a.contacts.recent(3))!;
    // Three versions stamped in the same millisecond: ordered by id, not as written.
    await a.sync.recordLocal(amal.map((c) => ({ ...c, lastName: 'Hadad' })));
    for (let i = 0; i < 2; i++) await saveNewContact(a.contacts, contactFields({ firstName: `Rami${i}`, lastName: 'Saleh' }), meta('amal'));
    const later = await a.sync.held.index();
    expect(later.size).toBe(8);
    expect(a.sync.held.builds).toBe(1);
    const fresh = ReconcileIndex.build(await new HeldVersions(a.db).items());
    expect(later.fingerprint(0, 8)).toBe(fresh.fingerprint(0, 8));
    expect(later.ids(0, 8)).toEqual(fresh.ids(0, 8));
    // A version stamped before what the index holds (a device whose clock was behind): built again.
    await a.sync.put([makeVersion(new HlcClock('z', () => Date.parse('2026-12-05T07:00:00Z')), { record: 'contacts/late' as never, parents: [], op: 'delete' })]);
    const again = await a.sync.held.index();
    expect(a.sync.held.builds).toBe(2);
    expect(again.ids(0, 9)).toEqual(ReconcileIndex.build(await new HeldVersions(a.db).items()).ids(0, 9));
  });

  it('[X4] a page answers "held?" from memory only while the stamp is its own: another tab\'s version of a record, written during this page\'s sync, still makes the conflict it is', async () => {
    const key = random(32);
    const a = syncDevice(opened, 'a', key);
    const b = syncDevice(opened, 'b', key);
    const hiba = await saveNewContact(b.contacts, contactFields({ firstName: 'Hiba', lastName: 'Saleh' }), meta('hiba'));
    // This page of device A reads what it holds (nothing yet), as a sync does when it begins.
    await a.sync.items();
    const begin = () => a.db.transaction('rw', syncTables(a.db), () => a.sync.held.begin());
    await begin();
    // Its own stamp: memory answers, no read of the keys.
    expect(a.sync.held.scans).toBe(1);
    // Another tab of A syncs with B, so it holds Hiba too, and edits her there.
    const tab = new DexieSyncStore(a.db, () => new RecordKeys(key, random), new HlcClock('a2', () => Date.parse('2026-12-05T09:00:00Z')));
    const link = inMemorySyncLink();
    const [x, y] = await Promise.all([runSync({ transport: link.ends[0], store: tab.forSync(fromDevice()), initiator: true }), runSync({ transport: link.ends[1], store: b.sync.forSync(fromDevice()), initiator: false })]);
    expect(x.ok && y.ok).toBe(true);
    await tab.recordLocal([{ ...hiba, firstName: 'Hibah' }]);
    // Meanwhile B edits her too.
    await updateContact(b.contacts, hiba.id, contactFields({ firstName: 'Hiba', lastName: 'Salih' }), new Date('2026-12-05T09:30:00Z'));
    // This page now receives B's versions: Hiba's record has a version it never heard of (the tab's edit).
    const session = a.sync.forSync(fromDevice());
    await session.put(await b.sync.get((await b.sync.items()).map((item) => item.id as VersionId)));
    await session.flush!();
    expect((await a.sync.state(contactRecord(hiba.id)))?.kind).toBe('conflict');
    expect(await a.sync.countConflicts()).toBe(1);
    // The stamp was the tab's: the write read the keys again first, and what it holds is the table.
    expect(a.sync.held.scans).toBe(2);
    expect(shown(await a.sync.items())).toEqual(await scanned(a.db));
    await begin();
    expect(a.sync.held.scans).toBe(2);
  });

  it('[X4] a transaction of the versions that does not hold the stamp\'s table is refused, for a write and a removal alike', async () => {
    const a = syncDevice(opened, 'a', random(32));
    const packsOnly = [a.db.versionPacks, a.db.versionKeys];
    await expect(a.db.transaction('rw', packsOnly, () => a.sync.held.write([]))).rejects.toThrow(/syncMeta/);
    await expect(a.db.transaction('rw', packsOnly, () => a.sync.held.remove([]))).rejects.toThrow(/syncMeta/);
    await a.db.transaction('rw', [...packsOnly, a.db.syncMeta], () => a.sync.held.remove([]));
  });

  it('[X4] versions asked for are read by their packs, each pack once: the same versions, in the order asked, and one not held skipped', async () => {
    const key = random(32);
    const a = syncDevice(opened, 'a', key);
    const at = new Date('2026-12-05T08:00:00Z');
    const people = Array.from({ length: 120 }, (_, i) => ({ ...contactFields({ firstName: `N${i}`, lastName: 'Range' }), id: `r${String(i).padStart(4, '0')}`, secretHex: '00'.repeat(32), createdAt: at.toISOString(), createdBy: 'bulk', updatedAt: at.toISOString() }));
    await a.contacts.add(people as never);
    // A version from another device, stamped days before A's: a small write, so it joins A's newest pack.
    const b = syncDevice(opened, 'b', key, () => Date.parse('2026-12-01T08:00:00Z'));
    await saveNewContact(b.contacts, contactFields({ firstName: 'Early', lastName: 'Bird' }), meta('b'));
    const session = a.sync.forSync(fromDevice());
    await session.put(await b.sync.get((await b.sync.items()).map((item) => item.id as VersionId)));
    await session.flush!();
    expect((await a.db.versionPacks.toArray()).map((pack) => pack.rows.length)).toEqual([100, 21]);
    const items = await new HeldVersions(a.db).items();
    const spy = vi.spyOn(a.db.versionPacks, 'bulkGet');
    const dense = items.filter((_, i) => i % 3 !== 1).map((item) => item.id as VersionId);
    expect((await a.sync.get(dense)).map((version) => version.id)).toEqual(dense);
    expect(spy.mock.calls.map(([packs]) => packs.length)).toEqual([2]);
    const sparse = items.filter((_, i) => i % 4 === 0).map((item) => item.id as VersionId).reverse();
    expect((await a.sync.get(sparse)).map((version) => version.id)).toEqual(sparse);
    expect((await a.sync.get([...dense.slice(0, 40), 'nope' as VersionId])).map((version) => version.id)).toEqual(dense.slice(0, 40));
    // An edit of all 120 finds every record's heads in one read of their packs, not a read per contact.
    spy.mockClear();
    await a.sync.recordLocal(people.map((p) => ({ ...p, notes: 'edited' }) as never));
    expect(spy.mock.calls.map(([packs]) => packs.length)).toEqual([2]);
    expect((await a.sync.state(contactRecord(people[7]!.id)))?.kind).toBe('live');
  });

  it('[X4] rowsByKeys: a range read where the keys are most of it, one get each where not, and the same rows either way', async () => {
    const a = syncDevice(opened, 'a', random(32));
    const rows = Array.from({ length: 50 }, (_, i) => ({ key: `k${String(i).padStart(3, '0')}`, value: i, updatedAt: '2026-12-05T08:00:00.000Z' }));
    await a.db.settings.bulkPut(rows);
    const among = rows.map((row) => row.key);
    const spy = vi.spyOn(a.db.settings, 'bulkGet');
    const dense = among.filter((_, i) => i % 2 === 0);
    expect((await rowsByKeys(a.db.settings, dense, among)).map((row) => row.key)).toEqual(dense);
    expect(spy).not.toHaveBeenCalled();
    const sparse = [among[0]!, among[49]!];
    expect((await rowsByKeys(a.db.settings, sparse, among)).map((row) => row.key)).toEqual(sparse);
    expect((await rowsByKeys(a.db.settings, [...dense, 'k999'])).map((row) => row.key)).toEqual(dense);
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('[X4] a read made while this page writes versions waits for them: what the page wrote is in what it reads', async () => {
    const a = syncDevice(opened, 'a', random(32));
    await saveNewContact(a.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta('amal'));
    expect(await a.sync.items()).toHaveLength(1);
    const amal = (await a.contacts.recent(1))[0]!;
    let read: Promise<string[]> | null = null;
    await a.db.transaction('rw', syncTables(a.db), async () => {
      await a.sync.recordLocal([{ ...amal, firstName: 'Amala' }]);
      // Outside this transaction's zone, as another part of the page would read while it commits
      // (what the read returns is copied when it returns: the held list itself grows later).
      read = Dexie.ignoreTransaction(() => a.sync.items().then(shown));
    });
    expect(await read!).toHaveLength(2);
    expect(await read!).toEqual(await scanned(a.db));
  });
});

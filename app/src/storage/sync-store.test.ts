import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bytesFromBase64Url, bytesToHex, conflictFields, HlcClock, hopKey, inMemorySyncLink, makeVersion, pairId, pendingPair, runSync, type Contact, type VersionId } from '@ihyid/shared';
import { saveNewContact, updateContact } from './contacts';
import { contactFields, runContactStoreContract } from './contact-store.contract';
import type { IhyidDb } from './db';
import { fromDevice, storedVersions, syncDevice } from './test-dbs';
import { RecordKeys } from './at-rest/keyring';
import { contactTerms } from './term-index';
import { openStoredContacts, rawDb } from './raw-rows';
import { DexieContactStore } from './dexie-stores';
import { DexieCheckResultStore, DexieInvitationStore } from './partner-stores';
import { flagByKeys, flagReceived, flagScored } from './duplicates';
import { contactRecord, DexieSyncStore, SyncDataError, type Provenance } from './sync-store';

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const opened: IhyidDb[] = [];

/** One device of an organisation (test-dbs.ts `syncDevice`). */
const device = (node: string, dataKey: Uint8Array, now = () => Date.parse('2026-12-05T08:00:00Z')) => syncDevice(opened, node, dataKey, now);

const meta = (by: string) => ({ createdBy: by, now: new Date('2026-12-05T08:00:00Z'), randomBytes: random });
/** Saves a contact for each (first name, family name) on a device, as a caseworker there. */
const saveNames = async (contacts: ReturnType<typeof device>['contacts'], names: readonly (readonly [string, string])[]) => {
  for (const [firstName, lastName] of names) await saveNewContact(contacts, contactFields({ firstName, lastName }), meta('amal'));
};
/** One field of each contact a device's search finds. */
const found = async (contacts: ReturnType<typeof device>['contacts'], query: string, field: 'firstName' | 'lastName') => (await contacts.search(query, 10)).map((c) => c[field]);

async function syncPair(a: DexieSyncStore, b: DexieSyncStore) {
  return (await syncSessions(a, b)).chars;
}

/** One sync, each side through its SyncSession: what each brought (`received`) is what flagReceived checks. */
async function syncSessions(a: DexieSyncStore, b: DexieSyncStore) {
  const link = inMemorySyncLink();
  const [sa, sb] = [a.forSync(fromDevice()), b.forSync(fromDevice())];
  const [x, y] = await Promise.all([runSync({ transport: link.ends[0], store: sa, initiator: true }), runSync({ transport: link.ends[1], store: sb, initiator: false })]);
  expect(x.ok && y.ok).toBe(true);
  return { chars: link.sentChars, a: sa.received, b: sb.received };
}

const sorted = (contacts: Contact[]) => contacts.map((c) => JSON.stringify(Object.entries(c).sort(([x], [y]) => (x < y ? -1 : 1)))).sort();

afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

runContactStoreContract('synced Dexie (X4)', async () => {
  const { db, contacts } = device('contract', random(32));
  return { contacts, checks: new DexieCheckResultStore(db), invitations: new DexieInvitationStore(db), dispose: async () => {} };
});

describe('DexieSyncStore (X4)', () => {
  it('[X4] [X2] a contact a sync brings is stored as the sealed data of its version, not sealed again; moved to another row it does not open', async () => {
    const key = random(32);
    const a = device('a', key);
    const b = device('b', key);
    const amal = await saveNewContact(a.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta('amal'));
    const rami = await saveNewContact(a.contacts, contactFields({ firstName: 'Rami', lastName: 'Saleh' }), meta('amal'));
    await syncPair(a.sync, b.sync);
    const raw = await rawDb(b.db.name);
    const stored = (await raw.table('contacts').bulkGet([amal.id, rami.id])) as Record<string, unknown>[];
    const state = await b.sync.state(contactRecord(amal.id));
    expect(state?.kind).toBe('live');
    // In the clear: the id and the time of the last change; the rest is the version's data, byte for byte.
    expect(Object.keys(stored[0]!).sort()).toEqual(['$v', 'id', 'updatedAt']);
    const head = state?.kind === 'live' ? state.head : null;
    expect(bytesToHex(stored[0]!.$v as Uint8Array)).toBe(bytesToHex(bytesFromBase64Url(head!.body.data!)!));
    expect(JSON.stringify(stored)).not.toContain('Amal');
    // Read through the app's connection and through the bulk path (openRows on WebCrypto): the contact.
    expect(await b.contacts.get(amal.id)).toEqual(amal);
    expect(await openStoredContacts(b.db.name, new RecordKeys(key, random), stored)).toEqual([amal, rami]);
    // Amal's sealed data in Rami's row: its associated data names Amal's record, so it does not open.
    await raw.table('contacts').put({ ...stored[1], $v: stored[0]!.$v });
    await expect(b.contacts.get(rami.id)).rejects.toThrow();
    // Edited on B, the contact is sealed as any row again.
    await updateContact(b.contacts, amal.id, contactFields({ firstName: 'Amala', lastName: 'Haddad' }), new Date('2026-12-05T09:00:00Z'));
    expect(Object.keys((await raw.table('contacts').get(amal.id)) as object).sort()).toEqual(['$x', 'id', 'updatedAt']);
  });

  it('[X4] [R9] the index terms of the contacts a sync brings are derived before the transaction that stores them, and search finds them', async () => {
    const key = random(32);
    const a = device('a', key);
    const b = device('b', key);
    await saveNames(a.contacts, [['Amal', 'Haddad'], ['Rami', 'Saleh'], ['Yusra', 'Nasser']]);
    const original = RecordKeys.prototype.indexHash;
    const inTransaction: string[] = [];
    const spy = vi.spyOn(RecordKeys.prototype, 'indexHash').mockImplementation(function (this: RecordKeys, term: string) {
      if (Dexie.currentTransaction) inTransaction.push(term);
      return original.call(this, term);
    });
    try {
      await syncPair(a.sync, b.sync);
      expect(spy).toHaveBeenCalled();
      expect(inTransaction).toEqual([]);
    } finally {
      spy.mockRestore();
    }
    expect(await found(b.contacts, 'Yusra', 'lastName')).toEqual(['Nasser']);
    expect(await found(b.contacts, 'Saleh', 'firstName')).toEqual(['Rami']);
  });

  it('[X4] [R9] a device that derives received contacts\' terms elsewhere (the data worker) stores the same terms row as one that derives them itself, and search finds the contacts', async () => {
    const key = random(32);
    const a = device('a', key);
    const b = device('b', key);
    const c = device('c', key);
    await saveNames(a.contacts, [['محمد', 'الحسن'], ['Layla', 'Haddad'], ['Yusra', 'Nasser']]);
    // What main.tsx hands the data worker: its own RecordKeys of the same data key, and contacts cloned as structured clone does.
    const worker = new RecordKeys(key, random);
    const asked: string[] = [];
    b.sync.deriveTermsWith(async (contacts) => {
      asked.push(...contacts.map((contact) => contact.id));
      return structuredClone(contacts).map((contact) => contactTerms(contact, (term) => worker.indexHash(term)));
    });
    // Terms hashed under a device's own keys (not the worker's) in each sync: B's received contacts are the worker's to hash.
    const spy = vi.spyOn(RecordKeys.prototype, 'indexHash');
    const ownHashes = () => spy.mock.contexts.filter((context) => context !== worker).length;
    await syncPair(a.sync, b.sync);
    const byB = ownHashes();
    spy.mockClear();
    await syncPair(a.sync, c.sync);
    const byC = ownHashes();
    spy.mockRestore();
    expect(byB).toBeLessThan(byC);
    expect(asked.sort()).toEqual((await a.contacts.recent(10)).map((contact) => contact.id).sort());
    const terms = async (db: IhyidDb) => (await db.terms.toArray()).map(({ terms: t, owners, kinds }) => ({ terms: [...t], kinds: [...kinds], owners: owners.length }));
    expect(await terms(b.db)).toEqual(await terms(c.db));
    expect(await found(b.contacts, 'Mohamad Alhassan', 'lastName')).toEqual(['الحسن']);
    expect(await found(b.contacts, 'Hadad', 'firstName')).toEqual(['Layla']);
  });

  it('[X4] a batch that carries the same version twice stores it once: the record is live, not in conflict', async () => {
    const key = random(32);
    const a = device('a', key);
    const b = device('b', key);
    const amal = await saveNewContact(a.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta('amal'));
    const versions = await a.sync.get((await a.sync.items()).map((item) => item.id as VersionId));
    const session = b.sync.forSync(fromDevice());
    await session.put([...versions, ...versions]);
    await session.flush!();
    expect((await b.sync.state(contactRecord(amal.id)))?.kind).toBe('live');
    expect(await b.sync.countConflicts()).toBe(0);
    expect(await b.contacts.get(amal.id)).toEqual(amal);
  });

  it('[X4] two devices of one organisation converge: contacts saved on each appear on both, sealed in transit', async () => {
    const key = random(32);
    const a = device('a', key);
    const b = device('b', key);
    const amal = await saveNewContact(a.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta('amal'));
    const sami = await saveNewContact(b.contacts, contactFields({ firstName: 'سامي', lastName: 'الحسن' }), meta('sami'));
    const [sentA, sentB] = await syncPair(a.sync, b.sync);
    expect(await b.contacts.get(amal.id)).toEqual(amal);
    expect(await a.contacts.get(sami.id)).toEqual(sami);
    expect(sorted(await a.contacts.page(null, 10))).toEqual(sorted(await b.contacts.page(null, 10)));
    // Found by name on the receiving device: the contacts table was written through its index middleware.
    expect((await b.contacts.search('Amal', 10)).map((c) => c.id)).toEqual([amal.id]);
    const wire = JSON.stringify(await a.sync.get((await a.sync.items()).map((i) => i.id as VersionId)));
    expect(wire).not.toContain('Amal');
    expect(wire).not.toContain('سامي');
    expect(sentA + sentB).toBeGreaterThan(0);
  });

  it('[X4] the same contact edited on both devices offline is kept twice and listed as a conflict until resolved', async () => {
    const key = random(32);
    const a = device('a', key);
    const b = device('b', key);
    const saved = await saveNewContact(a.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta('amal'));
    await syncPair(a.sync, b.sync);
    await updateContact(a.contacts, saved.id, contactFields({ firstName: 'Amal', lastName: 'Haddad', phone: '+9613999999' }), new Date('2026-12-05T09:00:00Z'));
    await updateContact(b.contacts, saved.id, contactFields({ firstName: 'Amal', lastName: 'Hadad' }), new Date('2026-12-05T09:05:00Z'));
    await syncPair(a.sync, b.sync);
    const record = contactRecord(saved.id);
    expect(await a.sync.conflicts(10)).toEqual([record]);
    expect(await b.sync.conflicts(10)).toEqual([record]);
    const state = await a.sync.state(record);
    expect(state?.kind).toBe('conflict');
    if (state?.kind !== 'conflict') return;
    const heads = state.heads.map((h) => a.sync.openVersion(h)!);
    expect(heads.map((c) => c.lastName).sort()).toEqual(['Hadad', 'Haddad']);
    // Both devices show the same head while the conflict lasts (one order on every device).
    expect(await a.contacts.get(saved.id)).toEqual(await b.contacts.get(saved.id));
    // The review's view: the version both edits replaced is the base, so each device's change merges on its own.
    const view = (await b.sync.conflictView(record))!;
    expect(view.base).toEqual(saved);
    const fields = (c: Contact) => ({ lastName: c.lastName, phone: c.phone });
    const { merged, choices } = conflictFields(fields(view.base!), view.heads.map((h) => ({ id: h.id, fields: fields(h.contact!) })));
    expect(merged).toEqual({ lastName: 'Hadad', phone: '+9613999999' });
    expect(choices).toEqual([]);
    const chosen = { ...heads.find((c) => c.lastName === 'Haddad')! };
    expect(await a.sync.resolve(record, chosen)).toBe(true);
    await syncPair(a.sync, b.sync);
    expect(await b.sync.conflicts(10)).toEqual([]);
    expect(await b.contacts.get(saved.id)).toEqual(chosen);
  });

  it('[X4] [R5] a merge on one device and an edit of the merged contact on another both survive as a conflict', async () => {
    const key = random(32);
    const a = device('a', key);
    const b = device('b', key);
    const keep = await saveNewContact(a.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta('amal'));
    const dup = await saveNewContact(a.contacts, contactFields({ firstName: 'Amal', lastName: 'Hadad' }), meta('amal'));
    await syncPair(a.sync, b.sync);
    expect(await a.contacts.merge(keep.id, dup.id, { by: 'amal', at: new Date('2026-12-05T09:00:00Z') })).toBe(true);
    await updateContact(b.contacts, dup.id, contactFields({ firstName: 'Amal', lastName: 'Hadad', location: 'Tripoli' }), new Date('2026-12-05T09:01:00Z'));
    await syncPair(a.sync, b.sync);
    expect(await b.sync.conflicts(10)).toEqual([contactRecord(dup.id)]);
    expect((await a.contacts.get(dup.id))?.location).toBe('Tripoli');
    // Deleting resolves it as the merge decided: a tombstone replicates and the contact goes on both.
    await a.sync.resolve(contactRecord(dup.id), null);
    await syncPair(a.sync, b.sync);
    expect(await b.contacts.get(dup.id)).toBeUndefined();
    expect(await b.sync.conflicts(10)).toEqual([]);
    expect(await b.contacts.get(keep.id)).toBeDefined();
  });

  it('[X4] [R8] a merge with field choices replicates: the kept contact with the chosen values and its aliases, the other as a tombstone saying where it went', async () => {
    const key = random(32);
    const a = device('a', key);
    const b = device('b', key);
    const keep = await saveNewContact(a.contacts, contactFields({ firstName: 'Fatima', lastName: 'Haddad', sex: '' }), meta('amal'));
    const dup = await saveNewContact(a.contacts, contactFields({ firstName: 'Fatima', lastName: 'Khoury', sex: 'female' }), meta('amal'));
    await syncPair(a.sync, b.sync);
    expect(await a.contacts.merge(keep.id, dup.id, { by: 'amal', at: new Date('2026-12-05T09:00:00Z') }, { fields: { location: 'kept' } })).toBe(true);
    await syncPair(a.sync, b.sync);
    const kept = await b.contacts.get(keep.id);
    expect(kept).toEqual(await a.contacts.get(keep.id));
    expect(kept).toMatchObject({ sex: 'female', aliases: [{ firstName: 'Fatima', lastName: 'Khoury' }] });
    expect(await b.contacts.get(dup.id)).toBeUndefined();
    const gone = await b.sync.state(contactRecord(dup.id));
    expect(gone?.kind).toBe('deleted');
    expect(gone?.kind === 'deleted' && gone.heads.map((h) => h.body)).toEqual([expect.objectContaining({ op: 'delete', mergedInto: contactRecord(keep.id) })]);
    // The receiving device indexes the aliases too: found by the other name and by the other record's keys.
    expect((await b.contacts.search('Khoury', 10)).map((c) => c.id)).toEqual([keep.id]);
    expect((await b.contacts.withMatchKeys(dup.matchKeys!)).map((c) => c.id)).toEqual([keep.id]);
  });

  it('[X4] contacts saved before sync (or imported by the worker) are adopted once, and nothing is sent when both agree', async () => {
    const key = random(32);
    const a = device('a', key);
    const b = device('b', key);
    const plain = new DexieContactStore(a.db);
    for (let i = 0; i < 50; i++) await saveNewContact(plain, contactFields({ firstName: `N${i}`, lastName: 'Old' }), meta('amal'));
    expect(await a.sync.adopt()).toBe(50);
    expect(await a.sync.adopt()).toBe(0);
    await syncPair(a.sync, b.sync);
    expect(await b.contacts.count()).toBe(50);
    const [x, y] = await syncPair(a.sync, b.sync);
    expect(x + y).toBeLessThan(400);
  });

  it('[X4] [R8] contacts of one sync are paired among themselves and with what the device held, from their keys and the index alone', async () => {
    const key = random(32);
    const [a, b, c] = [device('a', key), device('b', key), device('c', key)];
    const x1 = await saveNewContact(a.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta('amal'));
    const x2 = await saveNewContact(a.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad', location: 'Tripoli' }), meta('amal'));
    const z = await saveNewContact(b.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad', phone: '' }), meta('sami'));
    const at = new Date('2026-12-05T10:00:00Z');
    const toC = await syncSessions(a.sync, c.sync);
    expect([...toC.b.keys()].sort()).toEqual([x1.id, x2.id].sort());
    // A device that held nothing else still pairs what one sync brought: the sender's own check may have been missed.
    expect(await flagReceived(c.contacts, toC.b, at)).toBe(1);
    const [onC] = await c.contacts.pendingPairs(10);
    expect([onC!.a, onC!.b].sort()).toEqual([x1.id, x2.id].sort());
    expect([...onC!.keys].sort()).toEqual(x1.matchKeys!.filter((k) => x2.matchKeys!.includes(k)).sort());
    const toB = await syncSessions(a.sync, b.sync);
    expect(await flagReceived(b.contacts, toB.b, at)).toBe(3);
    const pairs = (await b.contacts.pendingPairs(10)).map((p) => [p.a, p.b].sort().join('+')).sort();
    expect(pairs).toEqual([[x1.id, x2.id], [x1.id, z.id], [x2.id, z.id]].map((p) => p.sort().join('+')).sort());
    // Flagged once: a second check of the same sync finds the pairs known.
    expect(await flagReceived(b.contacts, toB.b, at)).toBe(0);
  });

  it('[X4] [R8] a sync that brings more contacts than the device held checks the few it held against them (and the many among themselves)', async () => {
    const key = random(32);
    const [a, b] = [device('a', key), device('b', key)];
    const at = new Date('2026-12-05T08:00:00Z');
    const stamp = { secretHex: '00'.repeat(32), createdAt: at.toISOString(), createdBy: 'bulk', updatedAt: at.toISOString() };
    // 600 people on A (more than one index read's worth), two of whom are one person; B holds one other registration of Amal.
    // The others share no key with anyone: registered with too little for any key kind.
    const many = Array.from({ length: 598 }, (_, i) => ({ ...contactFields({ firstName: `N${i}`, lastName: `Many${i}` }), matchKeys: [], id: `c${String(i).padStart(5, '0')}`, ...stamp }));
    const amal = { ...contactFields({ firstName: 'Amal', lastName: 'Haddad' }), id: 'amal-a', ...stamp };
    const amal2 = { ...contactFields({ firstName: 'Amal', lastName: 'Haddad', location: 'Tripoli' }), id: 'amal-a2', ...stamp };
    await a.contacts.add([...many, amal, amal2] as never);
    const onB = await saveNewContact(b.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad', phone: '' }), meta('sami'));
    const received = await syncSessions(a.sync, b.sync);
    expect(received.b.size).toBe(600);
    expect(await flagReceived(b.contacts, received.b, at)).toBe(3);
    const pairs = (await b.contacts.pendingPairs(10)).map((p) => [p.a, p.b].sort().join('+')).sort();
    expect(pairs).toEqual([['amal-a', 'amal-a2'], ['amal-a', onB.id], ['amal-a2', onB.id]].map((p) => p.sort().join('+')).sort());
  }, 120_000);

  it('[X4] [R8] a re-registration on another device with a mistyped family name (no shared key) is flagged after sync by the blocking terms and the scorer, as a save warns; the twin is not', async () => {
    const key = random(32);
    const a = device('a', key);
    const b = device('b', key);
    // No father, place, phone or document: every match key of these records carries the family name.
    const person = (firstName: string, lastName: string) => contactFields({ firstName, lastName, fatherName: '', motherName: 'Zeinab', birthDate: '1990-07-15', phone: '', location: '', documentType: '', documentNumber: '' });
    const karim = await saveNewContact(b.contacts, person('Karim', 'Haddad'), meta('sami'));
    const twin = await saveNewContact(b.contacts, person('Hussein', 'Haddad'), meta('sami'));
    const typo = await saveNewContact(a.contacts, person('Karim', 'Haddaf'), meta('amal'));
    expect(karim.matchKeys!.some((k) => typo.matchKeys!.includes(k))).toBe(false);
    const received = await syncSessions(a.sync, b.sync);
    const at = new Date('2026-12-05T10:00:00Z');
    // B as the Devices screen's sync does it: by keys first (nothing: no key is shared), the broader pass after.
    expect(await flagByKeys(b.contacts, received.b, at)).toBe(0);
    expect(await flagScored(b.contacts, received.b, at)).toBe(1);
    expect(await flagScored(b.contacts, received.b, at)).toBe(0);
    expect(await flagReceived(a.contacts, received.a, at)).toBe(1);
    for (const side of [a, b]) {
      const pairs = await side.contacts.pendingPairs(10);
      expect(pairs.map((p) => [p.a, p.b].sort().join('+'))).toEqual([[karim.id, typo.id].sort().join('+')]);
      expect(pairs[0]!.keys).toEqual([]);
      expect(pairs[0]!.foundBy).toBe('sync');
    }
    expect(twin.id).not.toBe(karim.id);
  });

  it('[I10] [X4] a revoked device\'s versions handed on through a device that had not heard of the revocation are refused; that device removes them once it learns it (§6.7)', async () => {
    const key = random(32);
    const [a, c, d] = [device('a', key), device('c', key), device('d', key)];
    const [A, C, D] = ['a1'.repeat(32), 'c3'.repeat(32), 'd4'.repeat(32)];
    const revokedAt = Date.parse('2026-12-05T09:00:00Z');
    const none = new Map<string, number>();
    const revoked = new Map([[hopKey(C), revokedAt]]);
    /** One sync between `x` and `y`, each side told who the other is, when, and which revocations it holds. */
    const syncAs = async (x: { sync: DexieSyncStore; key: string; at: number; revoked: Map<string, number> }, y: { sync: DexieSyncStore; key: string; at: number; revoked: Map<string, number> }) => {
      const from = (peer: string, at: number, held: Map<string, number>): Provenance => ({ peer, now: () => at, revokedAt: async () => held });
      const link = inMemorySyncLink();
      const [sx, sy] = [x.sync.forSync(from(y.key, x.at, x.revoked)), y.sync.forSync(from(x.key, y.at, y.revoked))];
      const [rx, ry] = await Promise.all([runSync({ transport: link.ends[0], store: sx, initiator: true }), runSync({ transport: link.ends[1], store: sy, initiator: false })]);
      expect(rx.ok && ry.ok).toBe(true);
      return { x: sx, y: sy };
    };
    // Before the revocation C hands D one contact; after it (D has not heard), another.
    const early = await saveNewContact(c.contacts, contactFields({ firstName: 'Rana', lastName: 'Saad' }), meta('rana'));
    await syncAs({ sync: d.sync, key: D, at: revokedAt - 60_000, revoked: none }, { sync: c.sync, key: C, at: revokedAt - 60_000, revoked: none });
    const late = await saveNewContact(c.contacts, contactFields({ firstName: 'Ziad', lastName: 'Nasser' }), meta('rana'));
    await syncAs({ sync: d.sync, key: D, at: revokedAt + 60_000, revoked: none }, { sync: c.sync, key: C, at: revokedAt + 60_000, revoked: none });
    expect(await d.contacts.get(late.id)).toEqual(late);
    const lateVersion = (await storedVersions(d.db)).find((row) => row.record === contactRecord(late.id))!;
    expect(lateVersion.via).toEqual([`${hopKey(C)}:${revokedAt + 60_000}`]);

    // A, which revoked C, syncs with D: D offers both, A takes the early one and refuses the late one.
    const toA = await syncAs({ sync: a.sync, key: A, at: revokedAt + 120_000, revoked }, { sync: d.sync, key: D, at: revokedAt + 120_000, revoked: none });
    expect(toA.x.refused).toBe(1);
    expect(await a.contacts.get(early.id)).toEqual(early);
    expect(await a.contacts.get(late.id)).toBeUndefined();
    // The early one came by C then D: both hops, each on its receiver's clock.
    const earlyOnA = (await storedVersions(a.db)).find((row) => row.record === contactRecord(early.id))!;
    expect(earlyOnA.via).toEqual([`${hopKey(C)}:${revokedAt - 60_000}`, `${hopKey(D)}:${revokedAt + 120_000}`]);

    // D flagged the late contact with the early one, and put it on a list, before it heard of the revocation.
    const at = new Date('2026-12-05T09:10:00Z');
    const other = { id: 'contact-of-another-pair' };
    await d.db.pairs.bulkPut([pendingPair({ a: late.id, b: early.id, keys: [], foundBy: 'sync', at }), pendingPair({ a: other.id, b: early.id, keys: [], foundBy: 'save', at })]);
    const assignment = (contactId: string) => ({ id: `as-${contactId}`, listId: 'list-1', contactId, server: '', serverName: '', partner: '', reason: '', roundId: '', checkId: '', at: at.toISOString() });
    await d.db.listAssignments.bulkPut([assignment(late.id), assignment(other.id)] as never);
    // D learns of the revocation: the late contact goes from D as well, with the pair and the assignment naming it; the early one stays, and both hold the same versions.
    expect(await d.sync.purgeRevoked(revoked)).toBe(1);
    expect(await d.contacts.get(late.id)).toBeUndefined();
    expect(await d.contacts.get(early.id)).toEqual(early);
    expect((await d.db.pairs.toArray()).map((p) => p.id)).toEqual([pairId(other.id, early.id)]);
    expect((await d.db.listAssignments.toArray()).map((row) => row.contactId)).toEqual([other.id]);
    expect(await d.sync.purgeRevoked(revoked)).toBe(0);
    expect((await d.sync.items()).map((i) => i.id).sort()).toEqual((await a.sync.items()).map((i) => i.id).sort());
    // From now on D refuses it too, should C (or anyone) offer it again.
    const again = await syncAs({ sync: d.sync, key: D, at: revokedAt + 300_000, revoked }, { sync: c.sync, key: C, at: revokedAt + 300_000, revoked: none });
    expect(again.x.refused).toBeGreaterThan(0);
    expect(await d.contacts.get(late.id)).toBeUndefined();
    // A link whose sync read the revocations before this one arrived takes it again; the purge after
    // any later sync (it runs every time, not once per revocation) removes it.
    await syncAs({ sync: d.sync, key: D, at: revokedAt + 360_000, revoked: none }, { sync: c.sync, key: C, at: revokedAt + 360_000, revoked: none });
    expect(await d.contacts.get(late.id)).toEqual(late);
    expect(await d.sync.purgeRevoked(revoked)).toBe(1);
    expect(await d.contacts.get(late.id)).toBeUndefined();
  });

  it('[I10] [X4] a conflict that only a revoked device\'s edit made ends with the purge: the other edit shows, no mark is left', async () => {
    const key = random(32);
    const [a, c, d] = [device('a', key), device('c', key), device('d', key)];
    const [A, C, D] = ['a1'.repeat(32), 'c3'.repeat(32), 'd4'.repeat(32)];
    const revokedAt = Date.parse('2026-12-05T09:00:00Z');
    const amal = await saveNewContact(a.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta('amal'));
    const pairSync = async (x: DexieSyncStore, xs: string, y: DexieSyncStore, ys: string, at: number) => {
      const link = inMemorySyncLink();
      const from = (peer: string): Provenance => ({ peer, now: () => at, revokedAt: async () => new Map() });
      await Promise.all([runSync({ transport: link.ends[0], store: x.forSync(from(ys)), initiator: true }), runSync({ transport: link.ends[1], store: y.forSync(from(xs)), initiator: false })]);
    };
    await pairSync(a.sync, A, c.sync, C, revokedAt - 60_000);
    await pairSync(a.sync, A, d.sync, D, revokedAt - 60_000);
    // Apart: A edits Amal; C (revoked meanwhile, D does not know) edits her too and hands it to D.
    await updateContact(a.contacts, amal.id, contactFields({ firstName: 'Amal', lastName: 'Haddad', location: 'Beirut' }), new Date('2026-12-05T09:30:00Z'));
    await updateContact(c.contacts, amal.id, contactFields({ firstName: 'Amal', lastName: 'Haddad', location: 'Forged' }), new Date('2026-12-05T09:30:00Z'));
    await pairSync(c.sync, C, d.sync, D, revokedAt + 60_000);
    await pairSync(a.sync, A, d.sync, D, revokedAt + 120_000);
    expect(await d.sync.countConflicts()).toBe(1);
    expect(await d.sync.purgeRevoked(new Map([[hopKey(C), revokedAt]]))).toBe(1);
    expect(await d.sync.countConflicts()).toBe(0);
    expect((await d.contacts.get(amal.id))?.location).toBe('Beirut');
  });

  it('[I10] [X4] a hop list at its limit cannot grow: the version is refused, not stored', async () => {
    const key = random(32);
    const [a, b] = [device('a', key), device('b', key)];
    const saved = await saveNewContact(a.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta('amal'));
    const [version] = await a.sync.get((await a.sync.items()).map((i) => i.id as VersionId));
    const session = b.sync.forSync({ peer: 'ab'.repeat(32), now: () => 1, revokedAt: async () => new Map() });
    await session.put([{ ...version!, via: Array.from({ length: 16 }, (_, i) => `${'0'.repeat(15)}${i.toString(16)}:${i}`) }]);
    await session.flush!();
    expect(session.refused).toBe(1);
    expect(await b.contacts.get(saved.id)).toBeUndefined();
  });

  it('[I10] [X4] a version held by a padded path, come again by a shorter one, keeps the shorter: a hostile relay does not stop it one device further on', async () => {
    const key = random(32);
    const [a, b, c] = [device('a', key), device('b', key), device('c', key)];
    const saved = await saveNewContact(a.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta('amal'));
    const [version] = await a.sync.get((await a.sync.items()).map((i) => i.id as VersionId));
    const from = (peer: string) => ({ peer, now: () => Date.parse('2026-12-05T09:00:00Z'), revokedAt: async () => new Map<string, number>() });
    // First by a relay that padded the hops to one short of the limit (B adds its own: 16).
    const padded = b.sync.forSync(from('ee'.repeat(32)));
    await padded.put([{ ...version!, via: Array.from({ length: 15 }, (_, i) => `${'0'.repeat(15)}${i.toString(16)}:${i}`) }]);
    await padded.flush!();
    expect(await b.contacts.get(saved.id)).toEqual(saved);
    // Then from A itself: one hop.
    const direct = b.sync.forSync(from('a1'.repeat(32)));
    await direct.put([version!]);
    await direct.flush!();
    const row = (await storedVersions(b.db)).find((stored) => stored.id === version!.id);
    expect(row?.via).toEqual([`${hopKey('a1'.repeat(32))}:${Date.parse('2026-12-05T09:00:00Z')}`]);
    expect(row?.viaHops).toHaveLength(1);
    // So B hands it on to C, who would have refused the padded path (17 hops).
    const toC = c.sync.forSync(from('b2'.repeat(32)));
    await toC.put(await b.sync.get([version!.id]));
    await toC.flush!();
    expect(toC.refused).toBe(0);
    expect(await c.contacts.get(saved.id)).toEqual(saved);
  });

  it('[X4] [R8] the same person registered on two devices is flagged on both after sync, with the keys they share', async () => {
    const key = random(32);
    const a = device('a', key);
    const b = device('b', key);
    const onA = await saveNewContact(a.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta('amal'));
    const onB = await saveNewContact(b.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad', phone: '' }), meta('sami'));
    const received = await syncSessions(a.sync, b.sync);
    const at = new Date('2026-12-05T10:00:00Z');
    expect(await flagReceived(a.contacts, received.a, at)).toBe(1);
    expect(await flagReceived(b.contacts, received.b, at)).toBe(1);
    for (const side of [a, b]) {
      const [pair] = await side.contacts.pendingPairs(10);
      expect([pair!.a, pair!.b].sort()).toEqual([onA.id, onB.id].sort());
      expect(pair!.keys.length).toBeGreaterThan(0);
      expect(pair!.foundBy).toBe('sync');
    }
  });

  it('[X4] [X2] a version sealed under another organisation\'s key is refused and nothing of its batch is stored', async () => {
    const a = device('a', random(32));
    const stranger = device('s', random(32));
    const saved = await saveNewContact(stranger.contacts, contactFields({ firstName: 'Amal', lastName: 'Haddad' }), meta('x'));
    const foreign = await stranger.sync.get((await stranger.sync.items()).map((i) => i.id as VersionId));
    const own = makeVersion(new HlcClock('a', () => 1), { record: contactRecord('abc'), parents: [], op: 'delete' });
    await expect(a.sync.put([own, ...foreign])).rejects.toThrow(SyncDataError);
    expect(await a.sync.items()).toEqual([]);
    expect(await a.contacts.get(saved.id)).toBeUndefined();
  });
});

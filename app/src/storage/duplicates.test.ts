import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { blockingTerms, contactBlockingTerms, DEFAULT_SCORE_PARAMETERS, HlcClock, makeVersion, matchKeys, matchKeysV1, scorePair, seededBytes, testContact, validateContactInput, versionTime, type Contact, type ContactInput, type PhoneticIdV0, type RecordKey } from '@ihyid/shared';
import { newContactRecord, saveNewContact, type ContactFields } from './contacts';
import { openDb, type IhyidDb, type SyncVersionRow } from './db';
import { DexieContactStore } from './dexie-stores';
import { findCandidates } from './duplicates';
import { HeldVersions } from './held-versions';
import { DexieImportJobStore } from './import-jobs';
import { importTerm, keyHash, keyHashes, nameTermHashes } from './key-hashes';
import type { TermKind } from './term-index';
import { testDbs } from './test-dbs';
import { rawConnection } from './raw-rows';

const random = seededBytes(1);
const meta = () => ({ createdBy: 'amal', now: new Date('2026-11-21T08:00:00Z'), randomBytes: random });
const who = { by: 'amal', at: new Date('2026-11-21T09:00:00Z') };

function fields(over: Partial<ContactInput>): ContactFields {
  const base: ContactInput = { firstName: 'Mohammad', lastName: 'Haddad', fatherName: 'Ali', motherName: 'Zeinab', birthDate: '1980-01-02', sex: 'male', phone: '', documentType: '', documentNumber: '', location: 'Tyre', householdSize: '', notes: '' };
  const v = validateContactInput({ ...base, ...over }, { today: '2026-11-22' });
  if (!v.ok) throw new Error(JSON.stringify(v.error));
  return { ...v.value, phoneticIdV0: null as PhoneticIdV0 | null, matchKeys: matchKeys(v.value) };
}

/** The app's schema as it was up to `version`, declared on a plain Dexie (no middleware, no upgrades). */
function oldSchema(db: Dexie, version: number): void {
  db.version(1).stores({ contacts: 'id, phoneticIdV0, lastName, firstName, updatedAt', profile: 'key', invitations: 'id, createdAt', overlaps: 'id, contactId, checkId', checks: 'id, checkedAt' });
  db.version(2).stores({ settings: 'key' });
  if (version >= 3) db.version(3).stores({ contacts: 'id, phoneticIdV0, lastName, firstName, updatedAt, *matchKeys', pairs: 'id, a, b, status, foundAt', merged: 'id, intoId', importJobs: 'id, status, createdAt', importFiles: 'id', mappings: 'id' });
  if (version >= 4) db.version(4).stores({ contacts: 'id, lastName, firstName, updatedAt, *keyHashes' });
  if (version >= 5) db.version(5).stores({});
  if (version >= 6) db.version(6).stores({ lists: 'id, updatedAt', listAssignments: 'id, listId, contactId', listAudit: 'id, at, listId' });
  if (version >= 7) db.version(7).stores({ checkAudit: 'id, at', bonds: 'fingerprint' });
  if (version >= 8) db.version(8).stores({ contacts: 'id, updatedAt, *keyHashes, *nameTerms' });
  if (version >= 9) db.version(9).stores({ syncVersions: 'id, [ts+id], record', syncConflicts: 'record' });
  if (version >= 10) db.version(10).stores({ listRounds: 'roundId, listId' });
  if (version >= 11) db.version(11).stores({ importHeld: 'id, jobId, status' });
  if (version >= 12) db.version(12).stores({ contacts: 'id, updatedAt, *keyHashes, *nameTerms, *blockTerms' });
  if (version >= 13) db.version(13).stores({ contacts: 'id, updatedAt, *keyHashes, *nameTerms, *blockTerms, *importTerms' });
  if (version >= 14) db.version(14).stores({ syncVersions: 'id, [ts+id], record, *viaHops' });
  if (version >= 15) db.version(15).stores({ contacts: 'id, updatedAt', terms: 'seq' });
  if (version >= 16) db.version(16).stores({ syncMeta: 'key' });
}

/** Whether every one of `hashes` of `kind` is held by `id` (term-index.ts). */
async function holdsAll(db: IhyidDb, kind: TermKind, hashes: readonly number[], id: string): Promise<boolean> {
  return (await db.termIndex.holders(kind, hashes)).every((ids) => ids.includes(id));
}

const dbs = testDbs('dup');
const freshDb = dbs.open;
afterEach(dbs.closeAll);

describe('match-key index (Dexie on fake-indexeddb)', () => {
  it('[R8] the index holds one hash per key: a direct index query finds the record a candidate came from', async () => {
    const db = freshDb();
    const store = new DexieContactStore(db);
    const saved = await saveNewContact(store, fields({}), meta());
    const probe = fields({ firstName: 'محمد', lastName: 'حداد', fatherName: 'علي' });
    const found = await findCandidates(store, probe.matchKeys!, null);
    expect(found.map((c) => c.contact.id)).toEqual([saved.id]);
    expect(await db.termIndex.holders('key', [keyHash(found[0]!.keys[0]!)])).toEqual([[saved.id]]);
  });

  it('[R8] a merge writes the kept record with the hashes of both sets of keys', async () => {
    const db = freshDb();
    const store = new DexieContactStore(db);
    const keep = await saveNewContact(store, fields({}), meta());
    const gone = await saveNewContact(store, fields({ firstName: 'Mohamed', phone: '+9613123456' }), meta());
    expect(await store.merge(keep.id, gone.id, who)).toBe(true);
    const kept = (await db.contacts.get(keep.id))!;
    expect(kept.matchKeys).toEqual(expect.arrayContaining([...gone.matchKeys!]));
    expect(await holdsAll(db, 'key', keyHashes(kept.matchKeys), keep.id)).toBe(true);
    expect(await holdsAll(db, 'key', keyHashes(gone.matchKeys), keep.id)).toBe(true);
    expect((await db.termIndex.holders('key', keyHashes(gone.matchKeys))).flat()).not.toContain(gone.id);
  });

  it('[R8] the v12 upgrade gives contacts stored under v11 their blocking-term hashes: the mistyped family name is then found', async () => {
    const name = `upgrade-v11-${Math.random()}`;
    const v11 = new Dexie(name);
    oldSchema(v11, 11);
    const f = fields({ fatherName: '', location: '', phone: '', documentNumber: '' });
    await v11.table('contacts').add({ ...f, keyHashes: keyHashes(f.matchKeys), id: 'c11', secretHex: '00'.repeat(32), createdAt: 'x', updatedAt: 'x', createdBy: 'amal' });
    v11.close();
    const db = freshDb(name);
    const stored = (await db.contacts.get('c11' as never))!;
    expect(await holdsAll(db, 'block', keyHashes(contactBlockingTerms(stored)), 'c11')).toBe(true);
    const typo = fields({ fatherName: '', location: '', phone: '', documentNumber: '', lastName: 'Haddaf' });
    const score = async (cs: readonly Contact[]) => cs.map((c) => scorePair(typo, c, DEFAULT_SCORE_PARAMETERS));
    const found = await findCandidates(new DexieContactStore(db), typo.matchKeys!, null, undefined, { terms: blockingTerms(typo), score });
    expect(found.map((c) => [c.contact.id, c.keys, c.score?.decision])).toEqual([['c11', [], 'likely']]);
  });

  it('[R8] the v3 upgrade gives contacts stored under v2 their match keys', async () => {
    const name = `upgrade-${Math.random()}`;
    const v2 = new Dexie(name);
    oldSchema(v2, 2);
    const { matchKeys: _k, ...old } = fields({});
    await v2.table('contacts').add({ ...old, id: 'c1', secretHex: '00'.repeat(32), createdAt: 'x', updatedAt: 'x', createdBy: 'amal' });
    v2.close();
    const db = freshDb(name);
    expect((await db.contacts.get('c1' as never))?.matchKeys).toEqual(matchKeys(old));
    expect(new Set((await db.termIndex.holders('key', keyHashes(matchKeys(old)))).flat())).toEqual(new Set(['c1']));
  });

  it('[R7][R8] the v5 upgrade keys every contact stored with v1 keys again with v2, and re-derives the index', async () => {
    const name = `upgrade-v4-${Math.random()}`;
    const v4 = new Dexie(name);
    oldSchema(v4, 4);
    const f = fields({});
    const v1 = matchKeysV1(f);
    await v4.table('contacts').add({ ...f, matchKeys: v1, keyHashes: keyHashes(v1), id: 'c4', secretHex: '00'.repeat(32), createdAt: 'x', updatedAt: 'x', createdBy: 'amal' });
    v4.close();
    const db = freshDb(name);
    const stored = await db.contacts.get('c4' as never);
    expect(stored?.matchKeys).toEqual(matchKeys(f));
    expect(stored?.matchKeys?.every((k) => k.includes('"v":2'))).toBe(true);
    expect(await holdsAll(db, 'key', keyHashes(matchKeys(f)), 'c4')).toBe(true);
    expect((await db.termIndex.holders('key', keyHashes(v1))).flat()).toEqual([]);
    expect((await findCandidates(new DexieContactStore(db), matchKeys(f), null)).map((c) => c.contact.id)).toEqual(['c4']);
  });

  it('[R8] the v4 upgrade replaces the *matchKeys index of v3 with hashes of the same keys', async () => {
    const name = `upgrade-v3-${Math.random()}`;
    const v3 = new Dexie(name);
    oldSchema(v3, 3);
    const f = fields({});
    await v3.table('contacts').add({ ...f, id: 'c3', secretHex: '00'.repeat(32), createdAt: 'x', updatedAt: 'x', createdBy: 'amal' });
    v3.close();
    const db = freshDb(name);
    expect(await holdsAll(db, 'key', keyHashes(f.matchKeys), 'c3')).toBe(true);
    expect((await findCandidates(new DexieContactStore(db), f.matchKeys!, null)).map((c) => c.contact.id)).toEqual(['c3']);
  });

  it('[X8][X2] the v8 upgrade indexes stored names as hashed terms and drops the indexes that held names in the clear', async () => {
    const name = `upgrade-v7-${Math.random()}`;
    const v4 = new Dexie(name);
    oldSchema(v4, 7);
    await v4.table('contacts').add({ ...fields({ firstName: 'محمد', lastName: 'الحسن' }), id: 'c4', secretHex: '00'.repeat(32), createdAt: 'x', updatedAt: 'x', createdBy: 'amal' });
    v4.close();
    const db = freshDb(name);
    expect((await new DexieContactStore(db).search('Mohamad Alhassan', 10)).map((c) => c.id)).toEqual(['c4']);
    const indexes = db.contacts.schema.indexes.map((i) => i.name).sort();
    expect(indexes).toEqual(['updatedAt']);
  });

  it('[R8][X8][D1] the v15 upgrade moves every stored contact\'s index terms into the terms table and drops the four multi-entry indexes', async () => {
    const name = `upgrade-v14-${Math.random()}`;
    const v14 = new Dexie(name);
    oldSchema(v14, 14);
    const f = fields({ firstName: 'محمد', lastName: 'الحسن' });
    await v14.table('contacts').add({ ...f, imports: ['job-1'], id: 'c14', secretHex: '00'.repeat(32), createdAt: 'x', updatedAt: 'x', createdBy: 'amal', keyHashes: [1], nameTerms: [2], blockTerms: [3], importTerms: [4] });
    v14.close();
    const db = freshDb(name);
    expect(db.contacts.schema.indexes.map((i) => i.name)).toEqual(['updatedAt']);
    const stored = (await db.contacts.get('c14' as never))!;
    expect(await holdsAll(db, 'key', keyHashes(f.matchKeys), 'c14')).toBe(true);
    expect(await holdsAll(db, 'name', nameTermHashes(stored), 'c14')).toBe(true);
    expect(await holdsAll(db, 'block', keyHashes(contactBlockingTerms(stored)), 'c14')).toBe(true);
    expect(await holdsAll(db, 'import', [keyHash(importTerm('job-1'))], 'c14')).toBe(true);
    // The old index fields are nothing the lookups read.
    expect(await db.termIndex.holders('key', [1, 2, 3, 4])).toEqual([[], [], [], []]);
    expect((await new DexieContactStore(db).search('Mohamad Alhassan', 10)).map((c) => c.id)).toEqual(['c14']);
    expect(await new DexieImportJobStore(db).people('job-1')).toEqual(['c14']);
  });

  it('[X4] the v17 upgrade moves every stored version into packs of 100 in reconciliation order, hops and all, stamps them anew, and v18 drops the old table', async () => {
    const name = `upgrade-v16-${Math.random()}`;
    const v16 = new Dexie(name);
    oldSchema(v16, 16);
    // 250 versions stored out of order, several in one millisecond; every tenth came by a hop.
    const rows = Array.from({ length: 250 }, (_, i): SyncVersionRow => {
      const made = makeVersion(new HlcClock('n', () => Date.parse('2026-12-01T08:00:00Z') + Math.floor(((i * 37) % 250) / 3)), { record: `contacts/c${i}` as RecordKey, parents: [], op: 'delete' });
      const row = { id: made.id, ts: versionTime(made), record: made.body.record, body: made.body };
      return i % 10 === 0 ? { ...row, via: [`e5e5:${row.ts}`], viaHops: [`e5e5:${String(row.ts).padStart(15, '0')}`] } : row;
    });
    await v16.table('syncVersions').bulkAdd(rows);
    await v16.table('syncMeta').put({ key: 'versions', stamp: 'held-by-a-page-before' });
    v16.close();
    const db = freshDb(name);
    const sorted = [...rows].sort((x, y) => x.ts - y.ts || (x.id < y.id ? -1 : 1));
    const packs = await db.versionPacks.toArray();
    expect(packs.map((pack) => pack.rows.length)).toEqual([100, 100, 50]);
    expect(packs.flatMap((pack) => pack.rows)).toEqual(sorted);
    expect((await db.versionKeys.toArray()).flatMap((keys) => keys.ids)).toEqual(sorted.map((row) => row.id));
    expect(db.tables.map((table) => table.name)).not.toContain('syncVersions');
    expect((await db.syncMeta.get('versions'))?.stamp).not.toBe('held-by-a-page-before');
    const held = new HeldVersions(db);
    expect((await held.items()).map((item) => item.id)).toEqual(sorted.map((row) => row.id));
    // A revocation still finds what a device handed on after it: the hops came along.
    const hopped = await held.read(() => held.rows(held.hoppedAfter('e5e5', 0)));
    expect(hopped.map((row) => row.id).sort()).toEqual(rows.filter((row) => row.via).map((row) => row.id).sort());
  });

  it('[D1] the v13 upgrade keeps every stored contact as it was; a contact an import lists afterwards is found through *importTerms', async () => {
    const name = `upgrade-v12-${Math.random()}`;
    const v12 = new Dexie(name);
    oldSchema(v12, 12);
    const before = { ...fields({}), id: 'c12', secretHex: '00'.repeat(32), createdAt: 'x', updatedAt: 'x', createdBy: 'amal', keyHashes: [1], nameTerms: [2], blockTerms: [3] };
    await v12.table('contacts').add(before);
    v12.close();
    const db = freshDb(name);
    expect(await db.contacts.get('c12' as never)).toEqual(before);
    const imports = new DexieImportJobStore(db);
    expect(await imports.people('job')).toEqual([]);
    const listed = { ...newContactRecord(fields({ firstName: 'Listed' }), meta()), imports: ['job'] };
    await new DexieContactStore(db).add([listed]);
    expect(await imports.people('job')).toEqual([listed.id]);
  });

  it('[R8] a connection whose schema another tab upgrades closes for good and says so, instead of reopening at a schema it does not know', async () => {
    const name = `stale-${Math.random()}`;
    let stale = 0;
    const old = openDb(name, undefined, () => stale++);
    await saveNewContact(new DexieContactStore(old), fields({}), meta());
    // One version past whatever this code knows, as a later app version would be.
    const next = old.verno + 1;
    const newer = new Dexie(name);
    newer.version(next).stores({ contacts: 'id, updatedAt, *keyHashes, *nameTerms, createdBy' });
    await newer.open();
    expect(stale).toBe(1);
    expect(old.isOpen()).toBe(false);
    await expect(old.contacts.count()).rejects.toThrow();
    expect(newer.verno).toBe(next);
    newer.close();
    await Dexie.delete(name);
  });

  it('[R8] every write derives keyHashes from matchKeys: a stale or forged hash list never reaches the index', async () => {
    const db = freshDb();
    const saved = await saveNewContact(new DexieContactStore(db), fields({}), meta());
    await db.contacts.put({ ...saved, keyHashes: [1, 2, 3] });
    expect((await db.contacts.get(saved.id))?.keyHashes).toBeUndefined();
    expect(await db.termIndex.holders('key', [1, 2, 3])).toEqual([[], [], []]);
    expect(await holdsAll(db, 'key', keyHashes(saved.matchKeys), saved.id)).toBe(true);
    await db.contacts.where('id').equals(saved.id).modify({ matchKeys: ['{"kind":"doc","v":1,"doc":"X1234"}'] });
    expect(await db.termIndex.holders('key', [keyHash('{"kind":"doc","v":1,"doc":"X1234"}')])).toEqual([[saved.id]]);
    expect((await db.termIndex.holders('key', keyHashes(saved.matchKeys))).flat()).toEqual([]);
  });

  it('[R8] a record whose index entry matches but whose real keys do not is never a candidate (hash collision)', async () => {
    const db = freshDb();
    const probe = fields({});
    await db.open();
    db.close();
    // Written past the app's middleware, as a colliding hash would look: the hash of the probe's
    // key in the index, other keys in the record.
    const raw = rawConnection(db.name); // dynamic mode: the stored schema as it is, without the app's middleware but the contacts' layout
    await raw.open();
    await raw.table('contacts').add(testContact('collider', 'Hussein', { matchKeys: [...fields({ firstName: 'Hussein' }).matchKeys!] }));
    await raw.table('terms').add({ seq: Date.now(), ids: ['collider'], gone: [], terms: Float64Array.of(keyHash(probe.matchKeys![0]!)), owners: Uint32Array.of(0), kinds: Uint8Array.of(0) });
    raw.close();
    const again = freshDb(db.name);
    expect(await again.termIndex.holders('key', [keyHash(probe.matchKeys![0]!)])).toEqual([['collider']]);
    expect(await findCandidates(new DexieContactStore(again), probe.matchKeys!, null)).toEqual([]);
  });
});

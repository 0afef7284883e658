import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { matchKeys, seededBytes, validateContactInput, type Contact, type ContactId, type ContactInput, type PhoneticIdV0 } from '@ihyid/shared';
import { newContactRecord, type ContactFields } from './contacts';
import { openDb } from './db';
import { DexieContactStore } from './dexie-stores';
import { keyHashes, nameTermHashes } from './key-hashes';
import { COMPACT_AFTER, COMPACT_IDS, compactRows, FOLD_BELOW, termsRow } from './term-index';
import { testDbs } from './test-dbs';

const random = seededBytes(7);
let clock = Date.parse('2026-12-05T08:00:00Z');
const meta = () => ({ createdBy: 'amal', now: new Date((clock += 1000)), randomBytes: random });

function contact(over: Partial<ContactInput>): Contact {
  const base: ContactInput = { firstName: 'Mohammad', lastName: 'Haddad', fatherName: 'Ali', motherName: 'Zeinab', birthDate: '1980-01-02', sex: 'male', phone: '', documentType: '', documentNumber: '', location: 'Tyre', householdSize: '', notes: '' };
  const v = validateContactInput({ ...base, ...over }, { today: '2026-11-22' });
  if (!v.ok) throw new Error(JSON.stringify(v.error));
  const fields: ContactFields = { ...v.value, phoneticIdV0: null as PhoneticIdV0 | null, matchKeys: matchKeys(v.value) };
  return newContactRecord(fields, meta());
}

const dbs = testDbs('terms');
afterEach(dbs.closeAll);

describe('the terms table and each connection\'s view of it (R8, X8, D1; #14)', () => {
  it('[R8] one row per write, whatever the number of contacts; a lookup finds each contact by each of its terms and kinds never mix', async () => {
    const db = dbs.open();
    const people = [contact({ firstName: 'Amal' }), contact({ firstName: 'Nadia', sex: 'female' }), contact({ firstName: 'Omar' })];
    await new DexieContactStore(db).add(people);
    expect(await db.terms.count()).toBe(1);
    for (const p of people) {
      expect((await db.termIndex.holders('key', keyHashes(p.matchKeys))).every((ids) => ids.length === 1 && ids[0] === p.id)).toBe(true);
      expect((await db.termIndex.holders('name', nameTermHashes(p))).every((ids) => ids.includes(p.id))).toBe(true);
      // A name term is never a match key.
      expect((await db.termIndex.holders('key', nameTermHashes(p))).flat()).toEqual([]);
    }
  });

  it('[R8] an edit replaces a contact\'s terms and a deletion removes them, without rewriting older rows', async () => {
    const db = dbs.open();
    const store = new DexieContactStore(db);
    const amal = contact({ firstName: 'Amal', phone: '+96170123456' });
    await store.add([amal]);
    const before = keyHashes(amal.matchKeys);
    const edited = { ...amal, firstName: 'Nadia', matchKeys: matchKeys({ ...amal, firstName: 'Nadia' }) };
    await db.contacts.put(edited);
    const gone = before.filter((h) => !keyHashes(edited.matchKeys).includes(h));
    expect(gone.length).toBeGreaterThan(0);
    expect((await db.termIndex.holders('key', gone)).flat()).toEqual([]);
    expect((await db.termIndex.holders('key', keyHashes(edited.matchKeys))).every((ids) => ids[0] === amal.id)).toBe(true);
    await db.contacts.delete(amal.id);
    expect((await db.termIndex.holders('key', keyHashes(edited.matchKeys))).flat()).toEqual([]);
    expect(await db.terms.count()).toBe(3);
    await db.contacts.clear();
    // A clear leaves one row, full and empty: no voided row stays behind for a fold to uncover.
    const left = await db.terms.toArray();
    expect(left.map((r) => [r.full, r.ids.length, r.terms.length])).toEqual([[true, 0, 0]]);
  });

  it('[R8] another connection\'s writes (a worker, another tab) are seen at the next lookup, inside a transaction as outside', async () => {
    const page = dbs.open();
    const worker = openDb(page.name);
    const amal = contact({ firstName: 'Amal' });
    expect((await page.termIndex.holders('key', keyHashes(amal.matchKeys))).flat()).toEqual([]);
    await new DexieContactStore(worker).add([amal]);
    expect((await page.termIndex.holders('key', keyHashes(amal.matchKeys))).flat()).toContain(amal.id);
    const omar = contact({ firstName: 'Omar' });
    await new DexieContactStore(worker).add([omar]);
    const inside = await page.transaction('r', [page.contacts, page.terms], () => page.termIndex.holders('key', keyHashes(omar.matchKeys)));
    expect(inside.flat()).toContain(omar.id);
    worker.close();
  });

  it('[R8] a lookup inside a write transaction that then aborts forgets what it read there: nothing of the aborted write is ever found', async () => {
    const db = dbs.open();
    const amal = contact({ firstName: 'Amal' });
    await expect(
      db.transaction('rw', [db.contacts, db.terms], async () => {
        await db.contacts.add(amal);
        expect((await db.termIndex.holders('key', keyHashes(amal.matchKeys))).flat()).toContain(amal.id);
        throw new Error('the save fails');
      }),
    ).rejects.toThrow('the save fails');
    expect(await db.contacts.count()).toBe(0);
    expect((await db.termIndex.holders('key', keyHashes(amal.matchKeys))).flat()).toEqual([]);
    // And a later write with a seq the aborted one had is found.
    await db.contacts.add(amal);
    expect((await db.termIndex.holders('key', keyHashes(amal.matchKeys))).flat()).toEqual(expect.arrayContaining([amal.id]));
  });

  it('[R8] two writes of contacts issued together in one transaction each get their row', async () => {
    const db = dbs.open();
    const [amal, omar] = [contact({ firstName: 'Amal' }), contact({ firstName: 'Omar' })];
    await db.transaction('rw', [db.contacts, db.terms], () => Promise.all([db.contacts.bulkPut([amal]), db.contacts.bulkPut([omar])]));
    expect(await db.terms.count()).toBe(2);
    for (const p of [amal, omar]) expect((await db.termIndex.holders('key', keyHashes(p.matchKeys))).flat()).toContain(p.id);
  });

  it('[R8] a lookup inside a transaction without the terms table is a programming error, said plainly', async () => {
    const db = dbs.open();
    await expect(db.transaction('r', db.pairs, () => db.termIndex.holders('key', [1]))).rejects.toThrow(/terms table/);
  });

  it(`[R8] past ${COMPACT_AFTER} small rows a lookup folds them into one; an import's big row stays; every connection then answers as before`, async () => {
    const db = dbs.open();
    const other = openDb(db.name);
    const store = new DexieContactStore(db);
    // A big row first (an import's batch): more than FOLD_BELOW entries.
    const imported = Array.from({ length: 1200 }, (_, i) => contact({ firstName: `Imported${i}`, documentNumber: `I${i}`, documentType: 'National ID' }));
    await store.add(imported);
    const [big] = await db.terms.toArray();
    expect(big!.terms.length).toBeGreaterThan(FOLD_BELOW);
    const people: Contact[] = [imported[0]!];
    for (let i = 0; i <= COMPACT_AFTER; i++) {
      const p = contact({ firstName: `Name${String.fromCharCode(97 + (i % 26))}${i}`, documentNumber: `D${i}`, documentType: 'National ID' });
      people.push(p);
      await store.add([p]);
    }
    // Edits and a deletion before the fold: only each contact's newest terms survive it (one of the
    // import's people edited since: the fold keeps its new terms, and the big row's stay void).
    await db.contacts.put({ ...people[1]!, location: 'Saida' });
    await db.contacts.put({ ...people[0]!, location: 'Saida', firstName: 'Renamed', matchKeys: matchKeys({ ...people[0]!, firstName: 'Renamed' }) });
    await db.contacts.delete(people[2]!.id);
    const expected = async (conn: typeof db) => Promise.all(people.map((p) => conn.termIndex.holders('key', keyHashes(p.matchKeys))));
    const seenByOther = await expected(other);
    await db.termIndex.holders('key', [1]);
    await db.termIndex.compact();
    const rows = await db.terms.toArray();
    expect(rows.map((r) => r.seq)).toEqual([big!.seq, rows[1]!.seq]);
    expect(rows[1]!.folds).toHaveLength(COMPACT_AFTER + 4);
    expect(rows[1]!.ids).not.toContain(people[2]!.id);
    expect(rows[1]!.ids).toContain(people[0]!.id);
    // A write after the fold is a row of its own again.
    await store.add([contact({ firstName: 'After' })]);
    expect(await db.terms.count()).toBe(3);
    expect(await expected(db)).toEqual(seenByOther);
    expect(await expected(other)).toEqual(seenByOther);
    expect(await expected(openDb(db.name))).toEqual(seenByOther);
    expect(seenByOther[2]!.flat()).toEqual([]);
    // The imported contact renamed: found by its new keys, not its old ones, on every connection.
    expect((await other.termIndex.holders('key', keyHashes(imported[0]!.matchKeys))).flat()).not.toContain(imported[0]!.id);
    expect((await openDb(db.name).termIndex.holders('key', keyHashes(matchKeys({ ...imported[0]!, firstName: 'Renamed' })))).flat()).toContain(imported[0]!.id);
    other.close();
  });

  it('[R8] a save while a fold is built is kept, before the fold; an edit of a folded contact meanwhile makes the fold wait', async () => {
    const db = dbs.open();
    const store = new DexieContactStore(db);
    const people = Array.from({ length: COMPACT_AFTER + 2 }, (_, i) => contact({ firstName: `Small${i}`, documentNumber: `S${i}`, documentType: 'National ID' }));
    for (const p of people) await store.add([p]);
    await db.termIndex.holders('key', [1]);
    // A new contact saved while the fold reads its rows: both land.
    const during = contact({ firstName: 'During' });
    await Promise.all([db.termIndex.compact(), store.add([during])]);
    const fresh = openDb(db.name);
    for (const p of [...people, during]) expect((await fresh.termIndex.holders('key', keyHashes(p.matchKeys))).flat()).toContain(p.id);
    // An edit of a contact the fold takes, while it is built: the fold waits; the edit counts.
    await db.termIndex.holders('key', [1]);
    const renamed = { ...people[0]!, firstName: 'Renamed', matchKeys: matchKeys({ ...people[0]!, firstName: 'Renamed' }) };
    await Promise.all([db.termIndex.compact(), db.contacts.put(renamed)]);
    const again = openDb(db.name);
    expect((await again.termIndex.holders('key', keyHashes(renamed.matchKeys))).flat()).toContain(renamed.id);
    const oldOnly = keyHashes(people[0]!.matchKeys).filter((h) => !keyHashes(renamed.matchKeys).includes(h));
    expect(oldOnly.length).toBeGreaterThan(0);
    expect((await again.termIndex.holders('key', oldOnly)).flat()).not.toContain(renamed.id);
    fresh.close();
    again.close();
  });

  it('[R8] compactRows keeps each contact\'s entries from its newest row only, sorted', () => {
    const hash = (t: string) => t.length * 1000 + t.charCodeAt(0);
    const a = contact({ firstName: 'Amal' });
    const b = contact({ firstName: 'Omar' });
    const rows = [termsRow(1, [a, b], [], hash), termsRow(2, [{ ...a, firstName: 'Nadia', matchKeys: [] }], [], hash), termsRow(3, [], [b.id], hash)];
    const [full, ...more] = [...compactRows(rows, 4)];
    expect(more).toEqual([]);
    expect(full!.ids).toEqual([a.id]);
    expect([...full!.terms]).toEqual([...full!.terms].sort((x, y) => x - y));
    expect(full!.terms.length).toBe(rows[1]!.terms.length);
  });

  it(`[R8] a fold of more than ${COMPACT_IDS} contacts writes rows of at most ${COMPACT_IDS}, the last one naming the rows it replaces, each sorted, every contact in exactly one`, () => {
    const hash = (t: string) => (t.length * 7919 + t.charCodeAt(t.length - 1)) % 10007;
    const people = Array.from({ length: COMPACT_IDS + 10 }, (_, i) => ({ ...contact({ firstName: 'Amal' }), id: `c${i}` as ContactId, matchKeys: [`k${i % 97}`] }));
    const rows = [termsRow(1, people.slice(0, 3000), [], hash), termsRow(2, people.slice(3000), [], hash)];
    const folded = [...compactRows(rows, 10)];
    expect(folded.map((r) => [r.seq, r.ids.length, r.folds])).toEqual([
      [10, COMPACT_IDS, undefined],
      [11, 10, [1, 2]],
    ]);
    for (const r of folded) expect([...r.terms]).toEqual([...r.terms].sort((x, y) => x - y));
    expect(new Set(folded.flatMap((r) => r.ids)).size).toBe(COMPACT_IDS + 10);
    expect(folded.reduce((n, r) => n + r.terms.length, 0)).toBe(rows[0]!.terms.length + rows[1]!.terms.length);
  });

  it('[R8] a table cleared and refilled under a connection (a restore) replaces what the connection held', async () => {
    const db = dbs.open();
    const other = openDb(db.name);
    const amal = contact({ firstName: 'Amal' });
    await new DexieContactStore(db).add([amal]);
    expect((await other.termIndex.holders('key', keyHashes(amal.matchKeys))).flat()).toContain(amal.id);
    const omar = contact({ firstName: 'Omar' });
    await db.transaction('rw', db.tables, async () => {
      for (const t of db.tables) await t.clear();
      await db.contacts.bulkPut([omar]);
    });
    expect((await other.termIndex.holders('key', keyHashes(amal.matchKeys))).flat()).toEqual([]);
    expect((await other.termIndex.holders('key', keyHashes(omar.matchKeys))).flat()).toContain(omar.id);
    other.close();
  });
});

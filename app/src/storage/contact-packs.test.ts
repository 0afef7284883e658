import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testContact, type Contact } from '@ihyid/shared';
import { CONTACT_PACK_SIZE, laneOf } from './contact-packs';
import { openDb, type ContactKeysRow, type ContactPackRow, type IhyidDb } from './db';
import { DexieContactStore } from './dexie-stores';
import { idsPageByPage } from './contact-store.contract';

const opened: Dexie[] = [];
const open = (name: string): IhyidDb => {
  const db = openDb(name);
  opened.push(db);
  return db;
};

afterEach(async () => {
  vi.restoreAllMocks();
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

let n = 0;
const fresh = () => `packs-${n++}-${Math.random()}`;

/** `count` contacts with random ids (so random lanes), updated one second apart from `from`. */
function contacts(count: number, tag: string, from = Date.parse('2026-12-06T08:00:00Z')): Contact[] {
  return Array.from({ length: count }, (_, i) => ({ ...testContact(crypto.randomUUID(), `${tag}${i}`), updatedAt: new Date(from + i * 1000).toISOString() }));
}

/** Requests the store `name` receives from here on, by method (IndexedDB's own, below Dexie). */
function requests(name: string) {
  const spies = (['get', 'getAll', 'put'] as const).map((method) => [method, vi.spyOn(IDBObjectStore.prototype, method)] as const);
  return () => Object.fromEntries(spies.map(([method, spy]) => [method, spy.mock.contexts.filter((store) => (store as IDBObjectStore).name === name).length]));
}

const rawRows = async <T,>(db: IhyidDb, table: string): Promise<T[]> => {
  const raw = new Dexie(db.name);
  opened.push(raw);
  await raw.open();
  const rows = (await raw.table(table).toArray()) as T[];
  raw.close();
  return rows;
};

describe('contacts a hundred to a row (contact-packs.ts)', () => {
  it('[R1] the contacts table reads and writes as before, and rests in packs of at most 100 ids of one lane, each with its keys row', async () => {
    const db = open(fresh());
    const store = new DexieContactStore(db);
    const people = contacts(450, 'Amal');
    await store.add(people.slice(0, 300));
    await store.add(people.slice(300));
    expect(await store.count()).toBe(450);
    expect(await store.get(people[17]!.id)).toEqual(people[17]);
    expect((await store.getMany([people[3]!.id, 'nobody', people[449]!.id])).map((c) => c?.id)).toEqual([people[3]!.id, undefined, people[449]!.id]);
    expect(await store.ids()).toEqual(people.map((c) => c.id).sort());
    // The newest first, by updatedAt.
    expect((await store.recent(3)).map((c) => c.firstName)).toEqual(['Amal449', 'Amal448', 'Amal447']);
    const packs = await rawRows<ContactPackRow>(db, 'contactPacks');
    const keys = await rawRows<ContactKeysRow>(db, 'contactKeys');
    expect(packs.flatMap((p) => p.rows.map((r) => r.id)).sort()).toEqual(people.map((c) => c.id).sort());
    for (const pack of packs) {
      expect(pack.rows.length).toBeLessThanOrEqual(CONTACT_PACK_SIZE);
      expect(new Set(pack.rows.map((r) => laneOf(r.id as string))).size).toBe(1);
    }
    expect(keys.map((k) => [k.pack, k.ids, k.updatedAt])).toEqual(packs.map((p) => [p.pack, p.rows.map((r) => r.id), p.rows.map((r) => r.updatedAt)]));
    // Nothing in the store the table is named after.
    expect(await rawRows(db, 'contacts')).toEqual([]);
    // Fewer rows than contacts: 450 random ids over 16 lanes fill about 16 + 450/100 packs, far fewer than 450.
    expect(packs.length).toBeLessThan(60);
  });

  it('[R1] an edit, a delete and a clear change only what they name; an id added twice is refused and the write leaves nothing', async () => {
    const db = open(fresh());
    const store = new DexieContactStore(db);
    const people = contacts(120, 'Rami');
    await store.add(people);
    const edited = await store.update(people[5]!.id, (c) => ({ ...c, notes: 'moved', updatedAt: '2027-01-01T00:00:00.000Z' }));
    expect(edited.ok).toBe(true);
    expect((await store.get(people[5]!.id))?.notes).toBe('moved');
    expect((await store.recent(1))[0]!.id).toBe(people[5]!.id);
    await db.contacts.bulkDelete([people[0]!.id, people[1]!.id]);
    expect(await store.count()).toBe(118);
    expect(await store.get(people[0]!.id)).toBeUndefined();
    expect((await store.get(people[2]!.id))?.firstName).toBe('Rami2');
    const again = contacts(2, 'Nour');
    await expect(store.add([again[0]!, people[3]!, again[1]!])).rejects.toThrow();
    expect(await store.count()).toBe(118);
    expect(await store.get(again[0]!.id)).toBeUndefined();
    // A transaction that fails after its write leaves the contacts as they were, and this connection knows it.
    await expect(
      db.transaction('rw', db.contacts, async () => {
        await db.contacts.put({ ...again[1]!, notes: 'never' });
        throw new Error('the write after it failed');
      }),
    ).rejects.toThrow('the write after it failed');
    expect(await store.get(again[1]!.id)).toBeUndefined();
    expect(await store.count()).toBe(118);
    await db.contacts.clear();
    expect(await store.count()).toBe(0);
    expect(await rawRows(db, 'contactPacks')).toEqual([]);
    expect(await rawRows(db, 'contactKeys')).toEqual([]);
  });

  it('[R1] a range of ids reads as an index would, and a cursor is refused in words', async () => {
    const db = open(fresh());
    const people = contacts(300, 'Hala');
    await new DexieContactStore(db).add(people);
    const sorted = people.map((c) => c.id).sort();
    const [lo, hi] = [sorted[40]!, sorted[220]!];
    expect(await db.contacts.where(':id').between(lo, hi, false, true).primaryKeys()).toEqual(sorted.slice(41, 221));
    expect((await db.contacts.where(':id').above(hi).limit(5).toArray()).map((c) => c.id)).toEqual(sorted.slice(221, 226));
    expect(await db.contacts.where(':id').belowOrEqual(lo).count()).toBe(41);
    expect((await db.contacts.orderBy('updatedAt').reverse().limit(2).toArray()).map((c) => c.firstName)).toEqual(['Hala299', 'Hala298']);
    await expect(db.contacts.filter((c) => c.firstName === 'Hala1').first()).rejects.toThrow(/not by cursor/);
  });

  it('[R8] a connection reads a pack once for a page after page of its lane, and one pack for one contact', async () => {
    const name = fresh();
    const people = contacts(1000, 'Omar');
    await new DexieContactStore(open(name)).add(people);
    const packs = (await rawRows<ContactPackRow>(open(name), 'contactPacks')).length;
    const reads = requests('contactPacks');
    const store = new DexieContactStore(open(name));
    expect((await store.get(people[500]!.id))?.firstName).toBe('Omar500');
    expect(reads().get).toBe(1);
    // Every contact, fifty at a time in id order, as an export or a check reads them.
    expect(await idsPageByPage(store, 50)).toEqual(people.map((c) => c.id).sort());
    expect(reads().get).toBe(packs);
  });

  it('[R1] a read of more packs than a connection keeps still gets every contact it names', async () => {
    const name = fresh();
    // 150 packs and more: more than the 128 a connection keeps.
    const people = contacts(150 * CONTACT_PACK_SIZE, 'Karim');
    await new DexieContactStore(open(name)).add(people);
    const store = new DexieContactStore(open(name));
    const got = await store.getMany(people.map((c) => c.id));
    expect(got.filter((c) => c === undefined)).toHaveLength(0);
    expect(got.map((c) => c!.firstName)).toEqual(people.map((c) => c.firstName));
    // Once more, now that the connection keeps the last 128 of them.
    expect((await store.getMany(people.map((c) => c.id))).every((c, i) => c?.id === people[i]!.id)).toBe(true);
  }, 60_000);

  it('[R1] a fresh connection reads the keys rows 50 to a request, and two first reads at once agree', async () => {
    const name = fresh();
    const people = contacts(6000, 'Rana');
    await new DexieContactStore(open(name)).add(people);
    const keysRows = (await rawRows<ContactKeysRow>(open(name), 'contactKeys')).length;
    const getAll = vi.spyOn(IDBObjectStore.prototype, 'getAll');
    const store = new DexieContactStore(open(name));
    // An unlock's contact list asks both at once, each in its own transaction, before either has read.
    const [count, newest] = await Promise.all([store.count(), store.recent(2)]);
    expect(count).toBe(6000);
    expect(newest.map((c) => c.firstName)).toEqual(['Rana5999', 'Rana5998']);
    const calls = getAll.mock.calls.filter((_, i) => (getAll.mock.contexts[i] as IDBObjectStore).name === 'contactKeys');
    // Each request's rows are taken in by a task of their own (no one long task for every id).
    expect(calls.length).toBeGreaterThanOrEqual(2 * Math.ceil(keysRows / 50));
    // IndexedDB 3's getAll({ query, count }) where the engine has it, getAll(query, count) otherwise.
    const limits = calls.map(([first, count]) => (first !== null && typeof first === 'object' && 'count' in first ? (first as { count?: number }).count : count));
    expect(limits.every((limit) => typeof limit === 'number' && limit <= 50)).toBe(true);
    expect(await idsPageByPage(store, 500)).toEqual(people.map((c) => c.id).sort());
  });

  it('[R1][X4] another connection sees every write, reading only the keys of the packs written since it last read', async () => {
    const name = fresh();
    const writerDb = open(name);
    const writer = new DexieContactStore(writerDb);
    const reader = new DexieContactStore(open(name));
    const people = contacts(500, 'Samir');
    await writer.add(people);
    expect(await reader.count()).toBe(500);
    const reads = requests('contactKeys');
    const more = contacts(3, 'Maya', Date.parse('2027-01-01T00:00:00Z'));
    await writer.add(more);
    await writerDb.contacts.delete(people[10]!.id);
    expect(await reader.count()).toBe(502);
    expect(await reader.get(people[10]!.id)).toBeUndefined();
    expect((await reader.recent(1))[0]!.firstName).toBe('Maya2');
    // No read of every keys row: the packs the two writes touched (at most one per contact here), each once.
    expect(reads().getAll).toBe(0);
    expect(reads().get).toBeLessThanOrEqual(4);
    // A clear elsewhere: this connection sees no contact left.
    await open(name).contacts.clear();
    expect(await reader.count()).toBe(0);
    expect(await reader.get(more[0]!.id)).toBeUndefined();
  });

  it('[R1] v19 moves the contacts stored in a row each into packs, sealed or not, and empties the old store', async () => {
    const name = fresh();
    const v18 = new Dexie(name);
    opened.push(v18);
    v18.version(18).stores({ contacts: 'id, updatedAt', syncMeta: 'key', terms: 'seq' });
    const people = contacts(230, 'Yara');
    await v18.table('contacts').bulkAdd(people);
    await v18.table('contacts').add({ id: 'f-sealed', updatedAt: '2026-12-01T00:00:00.000Z', $x: new Uint8Array([1, 2, 3]) });
    v18.close();
    const raw = new Dexie(name);
    opened.push(raw);
    const db = open(name);
    expect(await db.contacts.get(people[7]!.id)).toMatchObject({ firstName: 'Yara7' });
    expect(await db.contacts.count()).toBe(231);
    await raw.open();
    expect(await raw.table('contacts').count()).toBe(0);
    const packs = (await raw.table('contactPacks').toArray()) as ContactPackRow[];
    expect(packs.flatMap((p) => p.rows.map((r) => r.id)).sort()).toEqual([...people.map((c) => c.id), 'f-sealed'].sort());
    for (const pack of packs) expect(new Set(pack.rows.map((r) => laneOf(r.id as string))).size).toBe(1);
    // Moved as stored: the sealed row keeps its bytes, unopened.
    expect(packs.flatMap((p) => p.rows).find((r) => r.id === 'f-sealed')).toEqual({ id: 'f-sealed', updatedAt: '2026-12-01T00:00:00.000Z', $x: new Uint8Array([1, 2, 3]) });
    expect(await raw.table('syncMeta').get('contacts')).toMatchObject({ key: 'contacts' });
  });
});

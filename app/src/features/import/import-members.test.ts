import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { generateSyntheticRows, inMemorySyncLink, mergeMembers, runSync, type ContactId, type ListMember } from '@ihyid/shared';
import { saveNewContact, updateContact } from '../../storage/contacts';
import { contactFields } from '../../storage/contact-store.contract';
import type { IhyidDb } from '../../storage/db';
import { DexieHeldRowStore } from '../../storage/import-held';
import { DexieImportJobStore } from '../../storage/import-jobs';
import { importTerm, keyHash } from '../../storage/key-hashes';
import { dexieListStore } from '../../storage/lists';
import { TERM_KINDS, type TermsRow } from '../../storage/term-index';
import { rawDump } from '../../storage/at-rest/raw-dump';
import { syncDevice } from '../../storage/test-dbs';
import { rawConnection } from '../../storage/raw-rows';
import { createImportJob, runImport, type ImportEnv } from './import-run';
import type { ColumnMapping } from './mapping';

/** D1: the people of an import, found again to add them to a distribution list. */

const FIELDS = ['firstName', 'lastName', 'fatherName', 'motherName', 'birthDate', 'sex', 'phone', 'documentType', 'documentNumber', 'location', 'householdSize', 'notes'] as const;
const MAPPING: ColumnMapping = Object.fromEntries(FIELDS.map((f, i) => [f, i]));
const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const when = new Date('2026-12-05T08:00:00Z');

function sheet(seed: string, rows: number): string[][] {
  return generateSyntheticRows({ seed, rows, duplicates: 0 }).map((p, i) => FIELDS.map((f) => (f === 'notes' ? `${seed} row ${i}` : p.row[f])));
}

const opened: IhyidDb[] = [];
afterEach(async () => {
  const dbs = opened.splice(0);
  for (const db of dbs) db.close();
  for (const name of new Set(dbs.map((db) => db.name))) await Dexie.delete(name);
});

/** A protected device (X2) that syncs (X4), with the import's environment on its database. */
function device(node: string, dataKey: Uint8Array) {
  const d = syncDevice(opened, node, dataKey);
  const imports = new DexieImportJobStore(d.db);
  // Each reading of the clock a second later: the imports are ordered by when they were made.
  let at = when.getTime();
  const env: ImportEnv = { imports, randomBytes: random, now: () => new Date((at += 1000)), userName: 'amal', defaultCountry: 'LB' };
  return { ...d, imports, env };
}

async function importRows(env: ImportEnv, id: string, fileName: string, rows: string[][], hold: boolean) {
  await createImportJob(env, { id, fileName, mapping: MAPPING, totalRows: rows.length, hold }, null);
  return (await runImport(env, id, rows))!;
}

/** The ids of the contacts whose record names the import, read the slow way: every contact opened. */
async function listedBy(db: IhyidDb, jobId: string): Promise<string[]> {
  return (await db.contacts.toArray()).filter((c) => c.imports?.includes(jobId)).map((c) => c.id).sort();
}

const sortedIds = (ids: readonly string[]) => [...ids].sort();

describe('D1: members from an import', () => {
  it('[D1][R4] an import\'s people are found through the index and added to a list once each, beside members chosen by hand', async () => {
    const a = device('a', random(32));
    const typed = await saveNewContact(a.contacts, contactFields({ firstName: 'Typed', lastName: 'ByHand' }), { createdBy: 'amal', now: when, randomBytes: random });
    const first = await importRows(a.env, 'job-first', 'partner-first.csv', sheet('first', 40), false);
    const second = await importRows(a.env, 'job-second', 'partner-second.csv', sheet('second', 15), false);
    expect([first.imported, second.imported]).toEqual([40, 15]);

    const firstPeople = await a.imports.people('job-first');
    expect(sortedIds(firstPeople)).toEqual(await listedBy(a.db, 'job-first'));
    expect(firstPeople).toHaveLength(40);
    expect(firstPeople).not.toContain(typed.id);
    expect(sortedIds(await a.imports.people('job-second'))).toEqual(await listedBy(a.db, 'job-second'));
    expect(await a.imports.people('job-none')).toEqual([]);
    // Newest first, with the file's name and how many of its people are contacts.
    expect((await a.imports.sources()).map((s) => [s.fileName, s.createdAt, s.people, s.held])).toEqual([
      ['partner-second.csv', second.createdAt, 15, 0],
      ['partner-first.csv', first.createdAt, 40, 0],
    ]);

    // The list: one member picked by hand (already served), one person of the import too; then the import, twice.
    const byHand: ListMember[] = [
      { contactId: typed.id, alreadyServing: true },
      { contactId: firstPeople[0]! as ContactId, alreadyServing: true },
    ];
    const fromImport = firstPeople.map((contactId) => ({ contactId, alreadyServing: false }));
    const members = mergeMembers(mergeMembers(byHand, fromImport), fromImport);
    const lists = dexieListStore(a.db, random, () => when);
    const list = await lists.createList({ name: 'Winter', programme: 'MPCA', sector: 'Basic needs', round: 'Round 1', startDate: '2026-12-01', endDate: '2027-01-31', transferValue: 120, currency: 'USD', capacity: null }, members);
    const stored = (await lists.getList(list.id))!.members;
    expect(stored).toHaveLength(41);
    expect(new Set(stored.map((m) => m.contactId)).size).toBe(41);
    expect(sortedIds(stored.map((m) => m.contactId))).toEqual(sortedIds([typed.id, ...firstPeople]));
    expect(stored.filter((m) => m.alreadyServing).map((m) => m.contactId).sort()).toEqual(sortedIds([typed.id, firstPeople[0]!]));
  });

  it('[D1][R8][X4] an edit keeps a contact\'s imports, a merge keeps both sides\', and they replicate to another device of the organisation', async () => {
    const key = random(32);
    const a = device('a', key);
    const b = device('b', key);
    await importRows(a.env, 'job-x', 'x.csv', sheet('x', 6), false);
    await importRows(a.env, 'job-y', 'y.csv', sheet('y', 4), false);
    const [x0, x1] = await a.imports.people('job-x');
    const [y0] = await a.imports.people('job-y');
    const edited = await updateContact(a.contacts, x1!, contactFields({ firstName: 'Edited', lastName: 'Later' }), when);
    expect(edited.ok && edited.value.imports).toEqual(['job-x']);
    expect(await a.contacts.merge(x0!, y0!, { by: 'amal', at: when })).toBe(true);
    expect((await a.contacts.get(x0!))?.imports).toEqual(['job-x', 'job-y']);
    expect(await a.imports.people('job-y')).toContain(x0);
    expect(await a.imports.people('job-y')).not.toContain(y0);
    expect(await a.imports.people('job-x')).toHaveLength(6);

    // The imported contacts were written by the import, not the synced store: adopted, then sent.
    await a.sync.adopt();
    const link = inMemorySyncLink();
    const [ra, rb] = await Promise.all([runSync({ transport: link.ends[0], store: a.sync, initiator: true }), runSync({ transport: link.ends[1], store: b.sync, initiator: false })]);
    expect(ra.ok && rb.ok).toBe(true);
    // On b, each received contact names its imports and is indexed under them; the jobs stay on a.
    expect(sortedIds(await b.imports.people('job-x'))).toEqual(sortedIds(await a.imports.people('job-x')));
    expect(sortedIds(await b.imports.people('job-y'))).toEqual(sortedIds(await a.imports.people('job-y')));
    expect((await b.contacts.get(x0!))?.imports).toEqual(['job-x', 'job-y']);
    expect(await b.imports.sources()).toEqual([]);
  });

  it('[D1][R8] a held row joins its import\'s people once decided: merged into an existing contact, or imported as new', async () => {
    const a = device('a', random(32));
    const earlier = sheet('earlier', 5);
    await importRows(a.env, 'job-earlier', 'earlier.csv', earlier, false);
    // The partner's file lists two people already registered and three new ones.
    const later = [...earlier.slice(0, 2).map((r) => [...r.slice(0, -1), 'again']), ...sheet('later', 3)];
    const job = await importRows(a.env, 'job-later', 'later.csv', later, true);
    expect([job.imported, job.held]).toEqual([3, 2]);
    expect(await a.imports.people('job-later')).toHaveLength(3);
    expect((await a.imports.sources()).find((s) => s.id === 'job-later')).toMatchObject({ people: 3, held: 2 });

    const held = new DexieHeldRowStore(a.db, a.contacts, true);
    const [merge, asNew] = await held.pending(10);
    const who = { by: 'amal', at: when };
    const into = merge!.candidates[0]!.id;
    expect((await held.merge(merge!.id, into, who)).ok).toBe(true);
    expect((await held.importAsNew(asNew!.id, who)).ok).toBe(true);
    const people = await a.imports.people('job-later');
    expect(people).toHaveLength(5);
    expect(people).toContain(into);
    expect(people).toContain(asNew!.contact.id);
    // The existing contact is still one of the earlier file's people too.
    expect(await a.imports.people('job-earlier')).toContain(into);
    expect((await a.imports.sources()).find((s) => s.id === 'job-later')).toMatchObject({ people: 5, held: 0 });
  });

  it('[D1][X2] the index holds keyed hashes only: no job id, file name or term in a contact row, nor the term\'s unkeyed hash', async () => {
    const a = device('a', random(32));
    await importRows(a.env, 'job-secret-7f3a', 'Partner Distribution Akkar.csv', sheet('dump', 5), false);
    await a.sync.adopt();
    const raw = rawConnection(a.db.name);
    await raw.open();
    const rows = (await raw.table('contacts').toArray()) as Record<string, unknown>[];
    const versions = JSON.stringify(await raw.table('versionPacks').toArray());
    const terms = (await raw.table('terms').toArray()) as TermsRow[];
    raw.close();
    const unkeyed = String(keyHash(importTerm('job-secret-7f3a')));
    expect(rows).toHaveLength(5);
    // The clear fields of a sealed contact: its id and time.
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['$x', 'id', 'updatedAt']);
    // Its index terms: keyed hashes in the terms table, the import's one for each of the five.
    const importTerms = terms.flatMap((t) => [...t.terms].flatMap((h, i) => (t.kinds[i] === TERM_KINDS.indexOf('import') ? [{ h, id: t.ids[t.owners[i]!] }] : [])));
    expect(importTerms.map((e) => e.id).sort()).toEqual(rows.map((r) => r.id).sort());
    for (const { h } of importTerms) expect(h).toBe(a.db.termHash(importTerm('job-secret-7f3a')));
    expect(importTerms.map((e) => e.h)).not.toContain(Number(unkeyed));
    const dump = await rawDump(a.db.name);
    const contactsPart = dump.slice(dump.indexOf('table:contacts'), dump.indexOf('table:', dump.indexOf('table:contacts') + 1));
    for (const s of ['job-secret-7f3a', 'import:', 'imports', unkeyed]) {
      expect(contactsPart.includes(s), s).toBe(false);
      expect(versions.includes(s), s).toBe(false);
    }
    for (const s of ['Partner Distribution Akkar', 'import:', unkeyed]) expect(dump.includes(s), s).toBe(false);
    // The dump is real: the index hashes are in it.
    expect(dump).toContain(String(importTerms[0]!.h));
  });
});

import { randomBytes, randomUUID } from 'node:crypto';
import { expect, type Page } from '@playwright/test';
import { matchKeys, phoneticIdV0 } from '../shared/dist/index.js';
import { writeContactPacks } from '../bench/lib/contact-packs-seed.mjs';

/**
 * Test set-up for large checks: contacts written straight into the app's IndexedDB, in the record
 * shape the app's storage writes (app/src/storage/contacts.ts, saveNewContact), with phonetic ids
 * and match keys computed by shared/dist in Node. This is fixture loading only: typing 1,000 people through the form
 * would take minutes, and the behaviour under test is the check, which reads them like any others.
 */
export interface SeedPerson {
  first: string;
  last: string;
  father: string;
  mother: string;
  /** YYYY-MM-DD */
  born: string;
}

export function contactRecord(p: SeedPerson, createdBy: string): Record<string, unknown> {
  const birth = { kind: 'date' as const, date: p.born };
  const id = phoneticIdV0({ firstName: p.first, lastName: p.last, fatherName: p.father, motherName: p.mother, birth });
  if (!id.ok) throw new Error(`no phonetic id for ${p.first} ${p.last}`);
  const at = new Date().toISOString();
  return {
    firstName: p.first,
    lastName: p.last,
    fatherName: p.father,
    motherName: p.mother,
    birth,
    sex: 'unknown',
    phone: '',
    documentType: '',
    documentNumber: '',
    location: '',
    householdSize: null,
    notes: '',
    phoneticIdV0: id.value,
    matchKeys: matchKeys({ firstName: p.first, lastName: p.last, fatherName: p.father, motherName: p.mother, birth, phone: '', documentType: '', documentNumber: '', location: '' }),
    id: randomUUID(),
    secretHex: randomBytes(32).toString('hex'),
    createdAt: at,
    updatedAt: at,
    createdBy,
  };
}

/** Writes the people into the app's contacts, past the app (bench/lib/contact-packs-seed.mjs; the app must have opened its database once), then reloads. */
export async function seedContacts(page: Page, people: SeedPerson[], createdBy = 'fixture'): Promise<void> {
  const records = people.map((p) => contactRecord(p, createdBy));
  await page.evaluate(writeContactPacks, records as unknown as Record<string, unknown>[]);
  await page.reload();
}

/** n people with distinct phonetic ids: the birth date (one day per person from `from`) keeps them apart. */
export function people(n: number, tag: string, from: string): SeedPerson[] {
  const firsts = ['Houman', 'Layla', 'Omar', 'Rima', 'Samir', 'Nour', 'Karim', 'Hala', 'Youssef', 'Maya'];
  const lasts = ['Haddad', 'Khoury', 'Nasser', 'Saleh', 'Mansour', 'Aoun', 'Rahal', 'Daher'];
  const start = Date.parse(`${from}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => ({
    first: firsts[i % firsts.length]!,
    last: `${lasts[i % lasts.length]!}${tag}`,
    father: 'Elias',
    mother: 'Mariam',
    born: new Date(start + i * 86_400_000).toISOString().slice(0, 10),
  }));
}

/** Counts rows in two of the app's stores, read straight from IndexedDB. */
export async function storedCounts(page: Page): Promise<{ overlaps: number; checks: number }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('ihyid');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const count = (store: string) =>
      new Promise<number>((resolve) => {
        const req = db.transaction(store).objectStore(store).count();
        req.onsuccess = () => resolve(req.result);
      });
    const out = { overlaps: await count('overlaps'), checks: await count('checks') };
    db.close();
    return out;
  });
}

/** The ids of the contacts this side stored as shared, with their names. */
export async function storedOverlapNames(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('ihyid');
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const all = <T,>(store: string) =>
      new Promise<T[]>((resolve) => {
        const req = db.transaction(store).objectStore(store).getAll();
        req.onsuccess = () => resolve(req.result as T[]);
      });
    const packs = await all<{ rows: { id: string; firstName: string; lastName: string; birth: { date: string } }[] }>('contactPacks');
    const contacts = new Map(packs.flatMap((pack) => pack.rows).map((c) => [c.id, c]));
    const rows = await all<{ contactId: string }>('overlaps');
    db.close();
    return rows.map((r) => contacts.get(r.contactId)).map((c) => `${c?.firstName} ${c?.lastName} ${c?.birth.date}`);
  });
}

/** An admin turns a uscadi protocol on in Partners → Check protocols, through the A6 warning. */
export async function enableProtocol(page: Page, protocol: 'uscadi-v0' | 'uscadi-v1'): Promise<void> {
  // The box stays clear until the warning is confirmed, so it is clicked, not checked.
  await page.getByRole('checkbox', { name: new RegExp(`^Allow ${protocol}`) }).click();
  const confirm = page.getByRole('alertdialog', { name: new RegExp(`Turn on ${protocol}`) });
  await expect(confirm).toContainText('test each guess offline');
  await confirm.getByRole('button', { name: `Turn on ${protocol}` }).click();
  await expect(page.getByRole('checkbox', { name: new RegExp(`^Allow ${protocol}`) })).toBeChecked();
}

import {
  err,
  newSecretHex,
  ok,
  uuidV4,
  type Contact,
  type ContactId,
  type PhoneticIdV0,
  type Result,
  type ValidContactFields,
} from '@ihyid/shared';
import type { IhyidDb, OverlapResult } from './db';

/**
 * The Dexie ContactStore (R1, R3, R8). Every write is one transaction; every read on the
 * duplicate path goes through an index, never a full scan (R8).
 */

/**
 * What the caller supplies: validated form or import fields, plus the phonetic id and the match
 * keys the worker computed (R9). Keys are optional so that callers from before v3 still work; a
 * contact saved without them is simply not found by the key index.
 */
export type ContactFields = ValidContactFields & {
  readonly phoneticIdV0: PhoneticIdV0 | null;
  readonly matchKeys?: readonly string[];
};

export interface NewContactMeta {
  /** profile.userName of whoever registers the person (R1). */
  createdBy: string;
  now: Date;
  /** Injected so tests are reproducible; crypto.getRandomValues in the app. */
  randomBytes(n: number): Uint8Array;
}

export const ContactStoreError = {
  NotFound: 'contact-not-found',
} as const;
export type ContactStoreError = (typeof ContactStoreError)[keyof typeof ContactStoreError];

/**
 * Only the Contact fields are copied, so that whatever extra a validator returns never ends up
 * stored (the stored shape is part of the schema).
 */
function pickFields(f: ContactFields): ContactFields {
  return {
    firstName: f.firstName,
    lastName: f.lastName,
    fatherName: f.fatherName,
    motherName: f.motherName,
    birth: f.birth,
    sex: f.sex,
    phone: f.phone,
    documentType: f.documentType,
    documentNumber: f.documentNumber,
    location: f.location,
    householdSize: f.householdSize,
    notes: f.notes,
    phoneticIdV0: f.phoneticIdV0,
    ...(f.matchKeys ? { matchKeys: [...f.matchKeys] } : {}),
  };
}

/** A new contact record, not yet stored: the import writes many in one transaction. */
export function newContactRecord(fields: ContactFields, meta: NewContactMeta): Contact {
  const at = meta.now.toISOString();
  // The id comes from the injected randomness rather than crypto.randomUUID, which browsers
  // only offer in secure contexts; the secret is the A1 per-contact 32-byte secret.
  const contact: Contact = {
    ...pickFields(fields),
    id: uuidV4(meta.randomBytes) as ContactId,
    secretHex: newSecretHex(meta.randomBytes),
    createdAt: at,
    updatedAt: at,
    createdBy: meta.createdBy,
  };
  return contact;
}

export async function saveNewContact(db: IhyidDb, fields: ContactFields, meta: NewContactMeta): Promise<Contact> {
  const contact = newContactRecord(fields, meta);
  await db.transaction('rw', db.contacts, async () => {
    await db.contacts.add(contact);
  });
  return contact;
}

/** Replaces the editable fields; id, secret, creation time and author never change. */
export async function updateContact(
  db: IhyidDb,
  id: ContactId | string,
  fields: ContactFields,
  now: Date,
): Promise<Result<Contact, ContactStoreError>> {
  return db.transaction('rw', db.contacts, async () => {
    const existing = await db.contacts.get(id as ContactId);
    if (!existing) return err(ContactStoreError.NotFound);
    const updated: Contact = {
      ...pickFields(fields),
      id: existing.id,
      secretHex: existing.secretHex,
      createdAt: existing.createdAt,
      createdBy: existing.createdBy,
      updatedAt: now.toISOString(),
    };
    await db.contacts.put(updated);
    return ok(updated);
  });
}

export async function getContact(db: IhyidDb, id: ContactId | string): Promise<Contact | undefined> {
  return db.contacts.get(id as ContactId);
}

export async function countContacts(db: IhyidDb): Promise<number> {
  return db.contacts.count();
}

const byUpdatedDesc = (a: Contact, b: Contact): number => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0);

function startsWithIgnoreCase(value: string, prefix: string): boolean {
  return value.toLocaleLowerCase().startsWith(prefix.toLocaleLowerCase());
}

/**
 * Name search: the first word is looked up as a case-insensitive prefix on the firstName and
 * lastName indexes; further words ("Houman Had") must each start the first or last name too.
 * An empty query lists the most recently updated contacts.
 */
export async function searchContacts(db: IhyidDb, query: string, limit: number): Promise<Contact[]> {
  const words = query.trim().split(/\s+/).filter(Boolean);
  const [head, ...rest] = words;
  if (head === undefined) return db.contacts.orderBy('updatedAt').reverse().limit(limit).toArray();

  const [byFirst, byLast] = await Promise.all([
    db.contacts.where('firstName').startsWithIgnoreCase(head).toArray(),
    db.contacts.where('lastName').startsWithIgnoreCase(head).toArray(),
  ]);
  const merged = new Map<string, Contact>();
  for (const c of [...byFirst, ...byLast]) merged.set(c.id, c);
  return [...merged.values()]
    .filter((c) => rest.every((w) => startsWithIgnoreCase(c.firstName, w) || startsWithIgnoreCase(c.lastName, w)))
    .sort(byUpdatedDesc)
    .slice(0, limit);
}

/** A5: overlap results for the given contacts, through the contactId index. */
export async function overlapsForContacts(db: IhyidDb, contactIds: readonly string[]): Promise<OverlapResult[]> {
  if (contactIds.length === 0) return [];
  const rows = await db.overlaps.where('contactId').anyOf(contactIds as string[]).toArray();
  return rows.sort((a, b) => (a.checkedAt < b.checkedAt ? 1 : a.checkedAt > b.checkedAt ? -1 : 0));
}

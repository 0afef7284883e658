import {
  newSecretHex,
  uuidV4,
  type Contact,
  type ContactId,
  type ContactStore,
  type ContactStoreError,
  type PhoneticIdV0,
  type Result,
  type ValidContactFields,
} from '@ihyid/shared';

/** New and edited contacts (R1, R3), written through a ContactStore. */

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

export async function saveNewContact(store: ContactStore, fields: ContactFields, meta: NewContactMeta): Promise<Contact> {
  const contact = newContactRecord(fields, meta);
  await store.add([contact]);
  return contact;
}

/**
 * Replaces the editable fields; id, secret, creation time, author, the aliases gained by merges
 * (R8) and the imports that listed the person (D1) never change. `fields.matchKeys` must include the aliases' keys (`aliasVariants`), so that
 * another spelling still finds the contact after an edit.
 */
export function updateContact(store: ContactStore, id: ContactId | string, fields: ContactFields, now: Date): Promise<Result<Contact, ContactStoreError>> {
  return store.update(id, (existing) => ({
    ...pickFields(fields),
    id: existing.id,
    secretHex: existing.secretHex,
    createdAt: existing.createdAt,
    createdBy: existing.createdBy,
    ...(existing.aliases?.length ? { aliases: existing.aliases } : {}),
    ...(existing.imports?.length ? { imports: existing.imports } : {}),
    updatedAt: now.toISOString(),
  }));
}

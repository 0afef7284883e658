import { aliasVariants, hasCurrentMatchKeys, type CheckItem, type Contact } from '@ihyid/shared';

/** The contact fields match keys are computed from (shared's MatchKeyInput). */
export type KeyInput = Pick<Contact, 'firstName' | 'lastName' | 'fatherName' | 'motherName' | 'phone' | 'documentType' | 'documentNumber' | 'location' | 'birth'>;

/**
 * The match keys a contact brings to psi-v2 and uscadi-v1 (A2, A3): `matchKeys` (R7, version 2), each key the
 * RFC 8785 canonical JSON of `{kind, v, ...parts}`. The contact store keeps them on the record, computed
 * in a worker when the contact was saved or imported (R9); records written before that have none or
 * older ones (schema v5 re-keys them, but a record may come from elsewhere), and `computeKeys` (the
 * check pool) fills them in, off the page's thread. This is the one place that says
 * which keys take part in a check.
 */
export async function checkItemsOf(contacts: readonly Contact[], computeKeys: (inputs: KeyInput[]) => Promise<string[][]>): Promise<CheckItem[]> {
  const stored = (c: Contact): readonly string[] | undefined => {
    const keys = (c as Contact & { matchKeys?: readonly string[] }).matchKeys;
    return hasCurrentMatchKeys(keys) ? keys : undefined;
  };
  const missing = contacts.filter((c) => !stored(c));
  // R8: a record's other spellings (aliases a merge left) take part as the editor keys them (keysWithAliases).
  const inputs = missing.map((c) => [keyInput(c), ...aliasVariants(keyInput(c), c.aliases)]);
  const computed = inputs.length > 0 ? await computeKeys(inputs.flat()) : [];
  const byId = new Map<string, string[]>();
  let at = 0;
  missing.forEach((c, i) => {
    const own = computed.slice(at, (at += inputs[i]!.length));
    byId.set(c.id, [...new Set(own.flat())]);
  });
  return contacts.map((c) => ({ contactId: c.id, phoneticIdV0: c.phoneticIdV0, keys: [...(stored(c) ?? byId.get(c.id) ?? [])] }));
}

function keyInput(c: Contact): KeyInput {
  return { firstName: c.firstName, lastName: c.lastName, fatherName: c.fatherName, motherName: c.motherName, phone: c.phone, documentType: c.documentType, documentNumber: c.documentNumber, location: c.location, birth: c.birth };
}

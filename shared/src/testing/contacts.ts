import type { Contact, ValidContactFields } from '../contact/contact.js';
import type { ContactId } from '../core/ids.js';

/**
 * The valid contact fields (R1, R2) tests start from, so a test names only what it is about: a
 * person with both parents' names and a full date of birth.
 */
export function testContactFields(over: Partial<ValidContactFields> = {}): ValidContactFields {
  return {
    firstName: 'Houman',
    lastName: 'Haddad',
    fatherName: 'Michael',
    motherName: 'Barbara',
    birth: { kind: 'date', date: '1976-05-07' },
    sex: 'unknown',
    phone: '',
    documentType: '',
    documentNumber: '',
    location: '',
    householdSize: null,
    notes: '',
    ...over,
  };
}

/**
 * A stored contact record for tests, with fixed times and secret. Extra fields (`matchKeys`) are
 * stored as the app stores them.
 */
export function testContact(id: string, firstName: string, extra: Partial<Contact> & { matchKeys?: string[] } = {}): Contact {
  return {
    ...testContactFields({ firstName }),
    id: id as ContactId,
    secretHex: 'ab'.repeat(32),
    phoneticIdV0: null,
    createdAt: '2026-11-21T00:00:00.000Z',
    updatedAt: '2026-11-21T00:00:00.000Z',
    createdBy: 'test',
    ...extra,
  } as Contact;
}

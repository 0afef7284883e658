import type { Contact, ContactId } from '@ihyid/shared';

/**
 * The contact record tests store (R1): complete, valid, with fixed times and secret, so a test names
 * only what it is about. Extra fields (`matchKeys`) are stored as the app stores them.
 */
export function testContact(id: string, firstName: string, extra: Partial<Contact> & { matchKeys?: string[] } = {}): Contact {
  return {
    id: id as ContactId,
    firstName,
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
    secretHex: 'ab'.repeat(32),
    phoneticIdV0: null,
    createdAt: '2026-11-21T00:00:00.000Z',
    updatedAt: '2026-11-21T00:00:00.000Z',
    createdBy: 'test',
    ...extra,
  } as Contact;
}

import type { BirthDate } from '../contact/contact.js';
import type { PhoneticIdV0 } from '../core/ids.js';
import { err, ok, type Result } from '../core/result.js';
import { soundex } from './soundex.js';

/** R6: the name fields of the seed's phonetic id, in the seed's order (mother before father). */
export const PHONETIC_NAME_FIELDS = ['firstName', 'lastName', 'motherName', 'fatherName'] as const;
export type PhoneticNameField = (typeof PHONETIC_NAME_FIELDS)[number];

export type PhoneticIdInput = { readonly [F in PhoneticNameField]: string } & { readonly birth: BirthDate };

/**
 * Why a phonetic id cannot be formed. 'empty-name': the field is blank. 'no-letters': the field has
 * text but nothing that transliterates to A-Z (digits only, or a script outside translit.ts' tables).
 */
export type PhoneticIdError =
  | { readonly code: 'empty-name' | 'no-letters'; readonly field: PhoneticNameField }
  | { readonly code: 'invalid-birth-date' };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The birth date as the seed writes it, YYYYMMDD. A year-only date becomes YYYY0000: the seed only
 * ever stored full dates, so it has no form for these; '0000' cannot collide with a real month and
 * day, and two records with the same approximate year still compare equal. This is our choice, not
 * the seed's.
 */
export function birthDateCompactV0(birth: BirthDate): string | null {
  if (birth.kind === 'year') {
    return Number.isInteger(birth.year) && birth.year >= 1000 && birth.year <= 9999 ? `${birth.year}0000` : null;
  }
  const m = DATE.exec(birth.date);
  return m ? `${m[1]}${m[2]}${m[3]}` : null;
}

/**
 * R6: `soundex(first)-soundex(last)-soundex(mother)-soundex(father)-YYYYMMDD`, byte for byte the
 * seed's phonetic id, e.g. Houman / Haddad / Barbara / Michael / 1976-05-07 →
 * 'H550-H330-B616-M240-19760507'.
 */
export function phoneticIdV0(contact: PhoneticIdInput): Result<PhoneticIdV0, PhoneticIdError> {
  const codes: string[] = [];
  for (const field of PHONETIC_NAME_FIELDS) {
    const name = contact[field];
    if (name.trim() === '') return err({ code: 'empty-name', field });
    const code = soundex(name);
    if (!code.ok) return err({ code: 'no-letters', field });
    codes.push(code.value);
  }
  const date = birthDateCompactV0(contact.birth);
  if (date === null) return err({ code: 'invalid-birth-date' });
  return ok(`${codes.join('-')}-${date}` as PhoneticIdV0);
}

const FIELD_LABELS: Record<PhoneticNameField, string> = {
  firstName: 'first name',
  lastName: 'last name',
  motherName: "mother's first name",
  fatherName: "father's first name",
};

/** A sentence for the caseworker explaining why no seed-compatible phonetic id could be made. */
export function phoneticIdErrorMessage(error: PhoneticIdError): string {
  switch (error.code) {
    case 'empty-name':
      return `The ${FIELD_LABELS[error.field]} is needed for overlap checks with the seed protocol.`;
    case 'no-letters':
      return `The ${FIELD_LABELS[error.field]} has no letters this app can compare (Latin, Arabic, Greek or Cyrillic).`;
    case 'invalid-birth-date':
      return 'The date of birth is not in a form this app can compare.';
  }
}

import { describe, it, expect } from 'vitest';
import {
  contactToInput,
  emptyContactInput,
  validateContactInput,
  type Contact,
  type ContactInput,
  type FieldErrors,
  type ValidContactFields,
} from '../src/contact/contact.js';
import type { ContactId, PhoneticIdV0 } from '../src/core/ids.js';
import { normalisePhone } from '../src/contact/phone.js';
import { testContactFields } from '../src/testing/contacts.js';

const TODAY = '2026-11-21';

const VALID: ContactInput = {
  ...emptyContactInput(),
  firstName: 'Houman',
  lastName: 'Haddad',
  motherName: 'Barbara',
  fatherName: 'Michael',
  birthDate: '1976-05-07',
};

const VALID_FIELDS: ValidContactFields = testContactFields();

/** Validates VALID with `change` applied and compares the outcome. */
function check(change: Partial<ContactInput>, expected: { fields: Partial<ValidContactFields> } | { errors: FieldErrors }) {
  const result = validateContactInput({ ...VALID, ...change }, { today: TODAY });
  if ('fields' in expected) expect(result).toEqual({ ok: true, value: { ...VALID_FIELDS, ...expected.fields } });
  else expect(result).toEqual({ ok: false, error: expected.errors });
}

describe('validateContactInput', () => {
  it('[R2] accepts a complete contact and fills the defaults', () => check({}, { fields: {} }));

  it('[R2] first name, last name and birth date are required; nothing else is', () => {
    const result = validateContactInput(emptyContactInput(), { today: TODAY });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(Object.keys(result.error).sort()).toEqual(['birthDate', 'firstName', 'lastName']);
      expect(result.error.firstName).toBe('Enter the first name.');
      expect(result.error.lastName).toBe('Enter the last name.');
      expect(result.error.birthDate).toMatch(/^Enter the date of birth/);
    }
  });

  const cases: Array<[string, Partial<ContactInput>, { fields: Partial<ValidContactFields> } | { errors: FieldErrors }]> = [
    ['[R2] trims names and collapses inner whitespace', { firstName: '  Abdel \t  Rahman ', lastName: ' El  Khoury' },
      { fields: { firstName: 'Abdel Rahman', lastName: 'El Khoury' } }],
    ['[R2] accepts names in Arabic script', { firstName: ' محمد ', lastName: 'عبد  الرحمن', motherName: 'فاطمة', fatherName: '' },
      { fields: { firstName: 'محمد', lastName: 'عبد الرحمن', motherName: 'فاطمة', fatherName: '' } }],
    ['[R2] a name of blanks is missing', { lastName: '   ' }, { errors: { lastName: 'Enter the last name.' } }],
    ['[R2] names have at most 100 characters', { firstName: 'a'.repeat(101), motherName: 'b'.repeat(100) },
      { errors: { firstName: 'The first name can have at most 100 characters.' } }],
    ['[R2] a name needs letters', { fatherName: '123' }, { errors: { fatherName: "The father's first name must contain letters." } }],
    ['[R2] a year alone is an approximate birth date', { birthDate: ' 1976 ' },
      { fields: { birth: { kind: 'year', year: 1976, approximate: true } } }],
    ['[R2] Arabic-Indic digits are read in a birth date', { birthDate: '١٩٧٦-٠٥-٠٧' }, { fields: {} }],
    ['[R2] a leap day exists in a leap year', { birthDate: '2000-02-29' }, { fields: { birth: { kind: 'date', date: '2000-02-29' } } }],
    ['[R2] a date that is not in the calendar is refused', { birthDate: '1977-02-29' },
      { errors: { birthDate: 'This date does not exist in the calendar. Check the day and the month.' } }],
    ['[R2] month 13 is refused', { birthDate: '1976-13-01' },
      { errors: { birthDate: 'This date does not exist in the calendar. Check the day and the month.' } }],
    ['[R2] other date formats are refused with the expected form', { birthDate: '07/05/1976' },
      { errors: { birthDate: 'Write the date of birth as YYYY-MM-DD (for example 1976-05-07), or the year alone as YYYY.' } }],
    ['[R2] today is a valid birth date', { birthDate: TODAY }, { fields: { birth: { kind: 'date', date: TODAY } } }],
    ['[R2] a birth date in the future is refused', { birthDate: '2026-11-22' },
      { errors: { birthDate: 'The date of birth cannot be in the future.' } }],
    ['[R2] a birth year in the future is refused', { birthDate: '2027' },
      { errors: { birthDate: 'The year of birth cannot be in the future.' } }],
    ['[R2] a birth date before 1900 is refused', { birthDate: '1899-12-31' },
      { errors: { birthDate: 'The date of birth cannot be before 1900.' } }],
    ['[R2] a birth year before 1900 is refused', { birthDate: '1899' },
      { errors: { birthDate: 'The year of birth cannot be before 1900.' } }],
    ['[R2] 1900-01-01 is accepted', { birthDate: '1900-01-01' }, { fields: { birth: { kind: 'date', date: '1900-01-01' } } }],
    ['[R2] sex is one of the listed values, in any case', { sex: ' Female ' }, { fields: { sex: 'female' } }],
    ['[R2] an unknown sex value is refused', { sex: 'f' }, { errors: { sex: 'Choose female, male, other or unknown.' } }],
    ['[R1] a Lebanese phone number is normalised to E.164', { phone: '03 123 456' }, { fields: { phone: '+9613123456' } }],
    ['[R2] an invalid phone number is refused', { phone: '12' },
      { errors: { phone: 'This phone number is not valid. Check the digits, or start with the country code (for example +961).' } }],
    ['[R2] household size is an integer from 1 to 50', { householdSize: ' 7 ' }, { fields: { householdSize: 7 } }],
    ['[R2] household size 50 is accepted', { householdSize: '50' }, { fields: { householdSize: 50 } }],
    ['[R2] household size 0 is refused', { householdSize: '0' },
      { errors: { householdSize: 'The household size must be a whole number from 1 to 50.' } }],
    ['[R2] household size 51 is refused', { householdSize: '51' },
      { errors: { householdSize: 'The household size must be a whole number from 1 to 50.' } }],
    ['[R2] a fractional household size is refused', { householdSize: '2.5' },
      { errors: { householdSize: 'The household size must be a whole number from 1 to 50.' } }],
    ['[R2] free text is trimmed', { documentType: ' ID  card ', documentNumber: ' 123 ', location: ' Beirut,  Karantina ', notes: ' line 1\nline 2 ' },
      { fields: { documentType: 'ID card', documentNumber: '123', location: 'Beirut, Karantina', notes: 'line 1\nline 2' } }],
    ['[R2] every invalid field gets its own sentence', { firstName: '', birthDate: '1976-02-30', householdSize: 'many' },
      { errors: {
        firstName: 'Enter the first name.',
        birthDate: 'This date does not exist in the calendar. Check the day and the month.',
        householdSize: 'The household size must be a whole number from 1 to 50.',
      } }],
  ];
  for (const [name, change, expected] of cases) it(name, () => check(change, expected));

  it('[R1] the default phone country is configurable', () => {
    const result = validateContactInput({ ...VALID, phone: '079 123 4567' }, { today: TODAY, defaultCountry: 'JO' });
    expect(result.ok && result.value.phone).toBe('+962791234567');
    const wrong = validateContactInput({ ...VALID, phone: '12' }, { today: TODAY, defaultCountry: 'JO' });
    expect(!wrong.ok && wrong.error.phone).toMatch(/\+962/);
  });

  it('[R2] without an injected date, today is taken from the clock', () => {
    expect(validateContactInput({ ...VALID, birthDate: '2999-01-01' }, { today: TODAY }).ok).toBe(false);
    expect(validateContactInput(VALID, { today: TODAY }).ok).toBe(true);
  });
});

describe('normalisePhone', () => {
  function checkPhone(raw: string, expected: ReturnType<typeof normalisePhone>) {
    expect(normalisePhone(raw)).toEqual(expected);
  }
  const cases: Array<[string, ReturnType<typeof normalisePhone>]> = [
    ['', { ok: true, value: '' }],
    ['   ', { ok: true, value: '' }],
    ['03 123 456', { ok: true, value: '+9613123456' }],
    ['03-123-456', { ok: true, value: '+9613123456' }],
    ['71123456', { ok: true, value: '+96171123456' }],
    ['+961 71 123 456', { ok: true, value: '+96171123456' }],
    ['00961 3 123456', { ok: true, value: '+9613123456' }],
    ['٠٣١٢٣٤٥٦', { ok: true, value: '+9613123456' }],
    ['+1 213 373 4253', { ok: true, value: '+12133734253' }],
    ['12', { ok: false, error: 'invalid-phone' }],
    ['abc', { ok: false, error: 'invalid-phone' }],
    ['call 03 123 456', { ok: false, error: 'invalid-phone' }],
  ];
  for (const [raw, expected] of cases) it(`[R1] ${JSON.stringify(raw)}`, () => checkPhone(raw, expected));
});

describe('contactToInput', () => {
  const contact: Contact = {
    ...VALID_FIELDS,
    id: '0b6f1f7e-8a53-4c1c-9a53-3f1d2a9f0c11' as ContactId,
    birth: { kind: 'year', year: 1976, approximate: true },
    sex: 'male',
    phone: '+9613123456',
    householdSize: 4,
    secretHex: '59c55a729967035702716ef6ec26094f65c737605e4220679913ce776d355a3a',
    phoneticIdV0: 'H550-H330-B616-M240-19760000' as PhoneticIdV0,
    createdAt: '2026-11-21T10:00:00.000Z',
    updatedAt: '2026-11-21T10:00:00.000Z',
    createdBy: 'caseworker-1',
  };

  it('[R2] gives the form back the values it would save again unchanged', () => {
    const input = contactToInput(contact);
    expect(input.birthDate).toBe('1976');
    expect(input.householdSize).toBe('4');
    const { id, secretHex, phoneticIdV0, createdAt, updatedAt, createdBy, ...fields } = contact;
    expect(validateContactInput(input, { today: TODAY })).toEqual({ ok: true, value: fields });
  });

  it('[R2] an empty form has every field blank', () =>
    expect(Object.values(emptyContactInput()).every((value) => value === '')).toBe(true));
});

import * as v from 'valibot';
import type { ContactId, PhoneticIdV0 } from '../core/ids.js';
import { callingCodeOf, DEFAULT_PHONE_COUNTRY, normalisePhone, type CountryCode } from './phone.js';
import { err, ok, type Result } from '../core/result.js';
import { SEXES, type Sex } from './sex.js';

/** R1: how a birth date is known. A year alone is flagged approximate. */
export type BirthDate =
  | { readonly kind: 'date'; readonly date: string /* YYYY-MM-DD */ }
  | { readonly kind: 'year'; readonly year: number; readonly approximate: true };

export { SEXES, type Sex } from './sex.js';

/** R1: a registered person. Stored as is in IndexedDB; every field is plain data. */
export interface Contact {
  readonly id: ContactId;
  readonly firstName: string;
  readonly lastName: string;
  readonly fatherName: string;
  readonly motherName: string;
  readonly birth: BirthDate;
  readonly sex: Sex;
  /** E.164 ('+9613123456') or '' when unknown. */
  readonly phone: string;
  readonly documentType: string;
  readonly documentNumber: string;
  readonly location: string;
  readonly householdSize: number | null;
  readonly notes: string;
  /** A1: 32 random bytes, lowercase hex, made once per contact and never shown. */
  readonly secretHex: string;
  /** R6: null when the seed's phonetic id cannot be formed (a parent's name is missing). */
  readonly phoneticIdV0: PhoneticIdV0 | null;
  /**
   * R7, R8: matchKeysV1 of this contact, computed in a worker and indexed (multi-entry) for the
   * duplicate check. Optional because records made before schema v3 or by tests may lack it.
   */
  readonly matchKeys?: readonly string[];
  /**
   * R8: the other spellings of this person, from records merged into it (`planMerge`). On the
   * contact itself rather than derived from the merged rows, so they replicate with it (X4), are
   * sealed with it (X2), and feed its match keys and name index without a second read.
   */
  readonly aliases?: readonly ContactAlias[];
  /**
   * R4, D1: the import jobs whose file listed this person: the import that created it, and those
   * whose row was merged into it (`planMerge` keeps both sides'), so "add the people of an import"
   * to a list finds the file's people. On the contact, so it is sealed (X2) and replicates with it
   * (X4): an edit on another device keeps it. Absent on contacts typed in, or imported before v13.
   */
  readonly imports?: readonly string[];
  readonly createdAt: string; // ISO 8601
  readonly updatedAt: string; // ISO 8601
  readonly createdBy: string;
}

/** R8: a set of names a merged record had, kept as another spelling of the contact it went into. */
export interface ContactAlias {
  readonly firstName: string;
  readonly lastName: string;
  readonly fatherName: string;
  readonly motherName: string;
}

/** What a form or an import row provides: raw strings, as typed. */
export interface ContactInput {
  firstName: string;
  lastName: string;
  fatherName: string;
  motherName: string;
  /** 'YYYY-MM-DD' or 'YYYY'. */
  birthDate: string;
  sex: string;
  phone: string;
  documentType: string;
  documentNumber: string;
  location: string;
  householdSize: string;
  notes: string;
}

export type ContactField = keyof ContactInput;

/** The validated, normalised fields of a contact: everything the form provides, nothing the app adds. */
export type ValidContactFields = Omit<
  Contact,
  'id' | 'secretHex' | 'phoneticIdV0' | 'matchKeys' | 'aliases' | 'createdAt' | 'updatedAt' | 'createdBy'
>;

/** R2: one plain-English sentence per invalid field, shown at that field. */
export type FieldErrors = Partial<Record<ContactField, string>>;

export interface ValidateContactOptions {
  /** R1: the country assumed for numbers typed without a country code; Lebanon by default. */
  readonly defaultCountry?: CountryCode;
  /** 'YYYY-MM-DD', the device's local date (`localDateOf(now)`): injected, nothing in shared/ reads a clock. */
  readonly today: string;
}

export const NAME_MAX_LENGTH = 100;
export const HOUSEHOLD_SIZE_MAX = 50;
export const EARLIEST_BIRTH_YEAR = 1900;
const TEXT_MAX_LENGTH = 200;
const NOTES_MAX_LENGTH = 5000;

/** Turns Arabic-Indic and Persian digits into ASCII, so dates and sizes typed on an Arabic keyboard work. */
function asciiDigits(text: string): string {
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) & 0xf));
}

const collapse = (text: string): string => text.trim().replace(/\s+/g, ' ');

/**
 * A name: trimmed, inner whitespace collapsed, at most 100 characters, and with at least one letter
 * of any script (Arabic and Latin alike), so that '123' or '-' is not taken for a name.
 */
const nameSchema = (label: string, required: boolean) =>
  v.pipe(
    v.string(),
    v.transform(collapse),
    v.check((s) => !required || s !== '', `Enter the ${label}.`),
    v.maxLength(NAME_MAX_LENGTH, `The ${label} can have at most ${NAME_MAX_LENGTH} characters.`),
    v.check((s) => s === '' || /\p{L}/u.test(s), `The ${label} must contain letters.`),
  );

const textSchema = (label: string, max: number, clean: (s: string) => string) =>
  v.pipe(v.string(), v.transform(clean), v.maxLength(max, `The ${label} can have at most ${max} characters.`));

const sexSchema = v.pipe(
  v.string(),
  v.transform((s) => s.trim().toLowerCase() || 'unknown'),
  v.picklist(SEXES, 'Choose female, male, other or unknown.'),
);

const householdSchema = v.pipe(
  v.string(),
  v.transform((s) => asciiDigits(s.trim())),
  v.check((s) => s === '' || /^\d{1,2}$/.test(s), `The household size must be a whole number from 1 to ${HOUSEHOLD_SIZE_MAX}.`),
  v.transform((s) => (s === '' ? null : Number(s))),
  v.check(
    (n) => n === null || (n >= 1 && n <= HOUSEHOLD_SIZE_MAX),
    `The household size must be a whole number from 1 to ${HOUSEHOLD_SIZE_MAX}.`,
  ),
);

type FieldParser<T> = (raw: string) => Result<T, string>;

function fromSchema<T>(schema: v.GenericSchema<string, T>): FieldParser<T> {
  return (raw) => {
    const parsed = v.safeParse(schema, raw);
    return parsed.success ? ok(parsed.output) : err(parsed.issues[0].message);
  };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The local calendar date of an instant, as 'YYYY-MM-DD' (the caller reads the clock). */
export function localDateOf(now: Date): string {
  return `${now.getFullYear()}-${pad2(now.getMonth() + 1)}-${pad2(now.getDate())}`;
}

/** R2: 'YYYY-MM-DD', a real calendar date from 1900 to today, or 'YYYY' for an approximate year. */
function parseBirthDate(raw: string, today: string): Result<BirthDate, string> {
  const text = asciiDigits(raw.trim());
  if (text === '') return err('Enter the date of birth, or the year alone if only the year is known.');
  const thisYear = Number(today.slice(0, 4));
  if (/^\d{4}$/.test(text)) {
    const year = Number(text);
    if (year < EARLIEST_BIRTH_YEAR) return err(`The year of birth cannot be before ${EARLIEST_BIRTH_YEAR}.`);
    if (year > thisYear) return err('The year of birth cannot be in the future.');
    return ok({ kind: 'year', year, approximate: true });
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return err('Write the date of birth as YYYY-MM-DD (for example 1976-05-07), or the year alone as YYYY.');
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const real = new Date(Date.UTC(year, month - 1, day));
  if (real.getUTCFullYear() !== year || real.getUTCMonth() !== month - 1 || real.getUTCDate() !== day) {
    return err('This date does not exist in the calendar. Check the day and the month.');
  }
  if (year < EARLIEST_BIRTH_YEAR) return err(`The date of birth cannot be before ${EARLIEST_BIRTH_YEAR}.`);
  if (text > today) return err('The date of birth cannot be in the future.');
  return ok({ kind: 'date', date: text });
}

function parsePhone(raw: string, country: CountryCode): Result<string, string> {
  const phone = normalisePhone(raw, country);
  return phone.ok
    ? phone
    : err(`This phone number is not valid. Check the digits, or start with the country code (for example ${callingCodeOf(country)}).`);
}

const FIELD_PARSERS = {
  firstName: fromSchema(nameSchema('first name', true)),
  lastName: fromSchema(nameSchema('last name', true)),
  fatherName: fromSchema(nameSchema("father's first name", false)),
  motherName: fromSchema(nameSchema("mother's first name", false)),
  sex: fromSchema(sexSchema),
  documentType: fromSchema(textSchema('document type', NAME_MAX_LENGTH, collapse)),
  documentNumber: fromSchema(textSchema('document number', NAME_MAX_LENGTH, collapse)),
  location: fromSchema(textSchema('location', TEXT_MAX_LENGTH, collapse)),
  householdSize: fromSchema(householdSchema),
  notes: fromSchema(textSchema('notes', NOTES_MAX_LENGTH, (s) => s.trim())),
} satisfies Partial<Record<ContactField, FieldParser<unknown>>>;

/**
 * R2: checks every field of a form or import row and returns either the normalised fields or one
 * sentence per invalid field. Nothing is saved by this function; the caller saves only on `ok`.
 */
export function validateContactInput(
  input: ContactInput,
  options: ValidateContactOptions,
): Result<ValidContactFields, FieldErrors> {
  const errors: FieldErrors = {};
  const take = <T>(field: ContactField, result: Result<T, string>): T | undefined => {
    if (result.ok) return result.value;
    errors[field] = result.error;
    return undefined;
  };
  const p = FIELD_PARSERS;
  const fields = {
    firstName: take('firstName', p.firstName(input.firstName)),
    lastName: take('lastName', p.lastName(input.lastName)),
    fatherName: take('fatherName', p.fatherName(input.fatherName)),
    motherName: take('motherName', p.motherName(input.motherName)),
    birth: take('birthDate', parseBirthDate(input.birthDate, options.today)),
    sex: take('sex', p.sex(input.sex)),
    phone: take('phone', parsePhone(input.phone, options.defaultCountry ?? DEFAULT_PHONE_COUNTRY)),
    documentType: take('documentType', p.documentType(input.documentType)),
    documentNumber: take('documentNumber', p.documentNumber(input.documentNumber)),
    location: take('location', p.location(input.location)),
    householdSize: take('householdSize', p.householdSize(input.householdSize)),
    notes: take('notes', p.notes(input.notes)),
  };
  // Every field was parsed above, so no errors means no field is undefined.
  return Object.keys(errors).length === 0 ? ok(fields as ValidContactFields) : err(errors);
}

export function emptyContactInput(): ContactInput {
  return {
    firstName: '',
    lastName: '',
    fatherName: '',
    motherName: '',
    birthDate: '',
    sex: '',
    phone: '',
    documentType: '',
    documentNumber: '',
    location: '',
    householdSize: '',
    notes: '',
  };
}

/** The form's view of a saved contact, for editing; validating it gives back the same fields. */
export function contactToInput(c: Contact): ContactInput {
  return {
    firstName: c.firstName,
    lastName: c.lastName,
    fatherName: c.fatherName,
    motherName: c.motherName,
    birthDate: c.birth.kind === 'date' ? c.birth.date : String(c.birth.year),
    sex: c.sex,
    phone: c.phone,
    documentType: c.documentType,
    documentNumber: c.documentNumber,
    location: c.location,
    householdSize: c.householdSize === null ? '' : String(c.householdSize),
    notes: c.notes,
  };
}

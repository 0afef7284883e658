import type { BirthDate, Contact } from '../contact/contact.js';
import { nameKeyV1 } from './name-key.js';

/**
 * R7: the match keys of a contact. Two records that share any one key are a likely duplicate (R8),
 * and the same keys are what private set intersection compares between organisations (A2, A3).
 *
 * Every key is the RFC 8785 canonical JSON of `{kind, v: 1, ...parts}`. The kinds overlap on
 * purpose, so that a record still matches when one field is wrong or missing. Households shape
 * every kind: siblings share their father's and mother's names, the family name, the place, often
 * a phone and a family document, and twins share a birth date too. So every kind contains the
 * person's own first name (or an individual identity document): a phone alone would flag every
 * sibling. See PROTOCOL.md, "Match keys v1".
 */
export const MATCH_KEY_KINDS = [
  'name-dob',
  'name-father-year',
  'name-parents',
  'name-place-year',
  'first-dob-place',
  'first-father-dob',
  'phone-first',
  'doc',
  'doc-first',
] as const;
export type MatchKeyKind = (typeof MATCH_KEY_KINDS)[number];

/** What the keys are computed from: the stored contact has it all, so does an import row. */
export type MatchKeyInput = Pick<
  Contact,
  'firstName' | 'lastName' | 'fatherName' | 'motherName' | 'phone' | 'documentType' | 'documentNumber' | 'location'
> & {
  /** null for imported lists that lack a usable date; the kinds that need one are then left out. */
  readonly birth: BirthDate | null;
};

/**
 * Documents that name one person. Others (a UNHCR case number, a family booklet, an unnamed type)
 * may be shared by a household, so their key also carries the first name.
 */
export const INDIVIDUAL_DOCUMENT = /national|identity|\bid\b|passport|birth|residen|هوية|جواز|إقامة|اقامة|ولادة/i;

const ARABIC_DIGITS = /[\u0660-\u0669\u06f0-\u06f9]/g;

/** Document numbers compare without spaces, dashes, dots or case: 'lb 12.345' is 'LB12345'. */
export function normaliseDocumentNumber(raw: string): string {
  return raw
    .replace(ARABIC_DIGITS, (d) => String(d.charCodeAt(0) & 0xf))
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/**
 * The birth date with day and month in ascending order: a swapped day and month (07/05 typed as
 * 05/07) is among the most common slips, and two different people whose dates differ only by such
 * a swap and who also share both names are rarer still.
 */
export function bornKey(date: string): string {
  const [y, m, d] = date.split('-');
  return m! <= d! ? `${y}-${m}-${d}` : `${y}-${d}-${m}`;
}

/**
 * The RFC 8785 canonical JSON of `{kind, v: 1, ...parts}`. For a flat object of strings and small
 * integers, RFC 8785 is JSON.stringify with the members sorted by UTF-16 code units, which is what
 * this builds directly: the general `canonicalize` (used for nested ledger bodies) was a quarter of
 * an import's keying time. A test pins equality with `canonicalize` for every kind.
 */
/** The birth parts keys are built from: the year (of a full date or a year alone) and the full date's key ('' when unknown). */
export function birthParts(birth: MatchKeyInput['birth']): { year: string; born: string } {
  if (birth === null) return { year: '', born: '' };
  return birth.kind === 'date' ? { year: birth.date.slice(0, 4), born: bornKey(birth.date) } : { year: String(birth.year), born: '' };
}

function key(kind: MatchKeyKind, parts: Readonly<Record<string, string>>): string {
  return flatCanonicalJson({ kind, v: 1, ...parts });
}

/** RFC 8785 canonical JSON of a flat object of strings and small integers (see `key`). */
export function flatCanonicalJson(members: Readonly<Record<string, string | number>>): string {
  const names = Object.keys(members).sort();
  let out = '{';
  for (let i = 0; i < names.length; i++) out += `${i === 0 ? '' : ','}${JSON.stringify(names[i])}:${JSON.stringify(members[names[i]!])}`;
  return `${out}}`;
}

export function matchKeysV1(record: MatchKeyInput): string[] {
  // A record stored by an older version may lack a field: it counts as empty, so that no key is
  // ever made with a part missing (a phone key without its phone would join every namesake).
  const contact = withTextFields(record);
  const first = nameKeyV1(contact.firstName);
  if (first === '') return [];
  const last = nameKeyV1(contact.lastName);
  const father = nameKeyV1(contact.fatherName);
  const mother = nameKeyV1(contact.motherName);
  const place = nameKeyV1(contact.location);
  const { year, born } = birthParts(contact.birth);
  const keys: string[] = [];

  if (last !== '' && born !== '') {
    // First and last name in either order: forms and spreadsheets swap them.
    const names = [first, last].sort().join(' ');
    keys.push(key('name-dob', { names, born }));
  }
  if (last !== '' && father !== '' && year !== '') keys.push(key('name-father-year', { first, last, father, year }));
  if (last !== '' && father !== '' && mother !== '') keys.push(key('name-parents', { first, last, father, mother }));
  if (last !== '' && place !== '' && year !== '') keys.push(key('name-place-year', { first, last, place, year }));
  if (born !== '' && place !== '') keys.push(key('first-dob-place', { first, born, place }));
  // The family name wrong, changed (a married woman's) or missing, and no place: the person's own
  // and father's names with the full birth date still name one person. Twins differ by `first`.
  if (born !== '' && father !== '') keys.push(key('first-father-dob', { first, father, born }));
  if (contact.phone !== '') keys.push(key('phone-first', { phone: contact.phone, first }));

  const doc = normaliseDocumentNumber(contact.documentNumber);
  if (doc.length >= 4) {
    keys.push(INDIVIDUAL_DOCUMENT.test(contact.documentType) ? key('doc', { doc }) : key('doc-first', { doc, first }));
  }
  return keys;
}

const TEXT_FIELDS = ['firstName', 'lastName', 'fatherName', 'motherName', 'phone', 'documentType', 'documentNumber', 'location'] as const;

export function withTextFields(record: MatchKeyInput): MatchKeyInput {
  const out: Record<string, unknown> = { ...record, birth: record.birth ?? null };
  for (const field of TEXT_FIELDS) if (typeof out[field] !== 'string') out[field] = '';
  return out as unknown as MatchKeyInput;
}

/** The kind of a key made by matchKeysV1, read back from its JSON (for explanations, R8). */
export function matchKeyKind(keyJson: string): MatchKeyKind | null {
  const m = /"kind":"([a-z-]+)"/.exec(keyJson);
  return m && (MATCH_KEY_KINDS as readonly string[]).includes(m[1]!) ? (m[1] as MatchKeyKind) : null;
}

/** R8: why two records look alike, one phrase per kind, for the caseworker. */
export const MATCH_KEY_REASONS: Readonly<Record<MatchKeyKind, string>> = {
  'name-dob': 'same first and last name (as pronounced) and birth date',
  'name-father-year': "same first and last name, father's name and birth year",
  'name-parents': "same first and last name and both parents' names",
  'name-place-year': 'same first and last name, place and birth year',
  'first-dob-place': 'same first name, birth date and place',
  'first-father-dob': "same first name, father's name and birth date",
  'phone-first': 'same first name and phone number',
  doc: 'same identity document number',
  'doc-first': 'same first name and document number',
};

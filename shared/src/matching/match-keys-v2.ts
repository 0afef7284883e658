import { nameKeyV1 } from './name-key.js';
import {
  birthParts,
  flatCanonicalJson,
  INDIVIDUAL_DOCUMENT,
  MATCH_KEY_KINDS,
  MATCH_KEY_REASONS,
  normaliseDocumentNumber,
  withTextFields,
  type MatchKeyInput,
  type MatchKeyKind,
} from './match-keys.js';

/**
 * R7: match keys v2, for recall (PROTOCOL.md §4, "Match keys v2"). Built like v1 (several kinds per
 * record, each the RFC 8785 JSON of `{kind, v: 2, ...parts}`, so that one wrong or missing field
 * leaves another key intact), with three changes, each measured by bench:quality:
 *  - the names that siblings share anyway (family, father, mother, place) are compared in a loose
 *    form (`looseNameKey`). Looseness there cannot join siblings (they share those names exactly)
 *    and strangers are still kept apart by the person's own first name and a date or a parent;
 *  - the person's own first name stays strict (nameKeyV1): it is what tells twins apart, and
 *    Hassan/Hussein or Nabil/Nabila twins are common. A given name 'Mohammad X' also yields the
 *    keys of 'X', the name such a man is called by and often registered under;
 *  - a kind without the year (`name-father-daymonth`) for a birth year off by one.
 * Every kind holds the person's own first name or an individual document, so siblings and twins
 * (who share everything else: parents, family, place, phone, birth date) never share a key.
 */
export const MATCH_KEY_KINDS_V2 = [
  'name-dob',
  'name-parents',
  'name-father-daymonth',
  'name-place-year',
  'first-dob-place',
  'first-father-dob',
  'phone-first',
  'doc',
  'doc-first',
] as const;
export type MatchKeyKindV2 = (typeof MATCH_KEY_KINDS_V2)[number];

/**
 * A name as a family, father's, mother's or place name is compared in v2: nameKeyV1 without its
 * glides after the first letter (Hassan = Hussein), without the quality of a final vowel
 * (Khalil = Khalili, Fatima = Fatme), with ج and ش read as k or g (Gamal = Jamal, Zakaria =
 * Zacharia), and repeats collapsed again. On the Arabic
 * variants: recall 0.7318 → 0.8771, and 0.05 % → 0.23 % of random name pairs alike, which is why it
 * is never used for the person's own first name nor without it.
 */
export function looseNameKey(name: string): string {
  return nameKeyV1(name)
    .replace(/(?<=.)[YW]/g, '')
    .replace(/(?<=..)[AIU]$/, '')
    .replace(/[JX]/g, 'K')
    .replace(/(.)\1+/g, '$1');
}

/** 'Mohammad Ali' is also 'Ali': the first word Mohammad (any spelling or script) dropped. */
const MOHAMMAD = nameKeyV1('محمد');

/** The keys of a given name: its nameKeyV1, and for 'Mohammad X' also that of X. */
export function firstNameForms(firstName: string): string[] {
  const strict = nameKeyV1(firstName);
  if (strict === '') return [];
  const words = firstName.trim().split(/\s+/);
  if (words.length < 2 || nameKeyV1(words[0]!) !== MOHAMMAD) return [strict];
  const rest = nameKeyV1(words.slice(1).join(' '));
  return rest === '' || rest === strict ? [strict] : [strict, rest];
}

function key(kind: MatchKeyKindV2, parts: Readonly<Record<string, string>>): string {
  return flatCanonicalJson({ kind, v: 2, ...parts });
}

export function matchKeysV2(record: MatchKeyInput): string[] {
  const contact = withTextFields(record);
  const firsts = firstNameForms(contact.firstName);
  if (firsts.length === 0) return [];
  const strictLast = nameKeyV1(contact.lastName);
  const last = looseNameKey(contact.lastName);
  const father = looseNameKey(contact.fatherName);
  const mother = looseNameKey(contact.motherName);
  const place = looseNameKey(contact.location);
  const { year, born } = birthParts(contact.birth);
  const daymonth = born.slice(5);
  const keys: string[] = [];
  for (const first of firsts) {
    // First and family name in either order, both strict: forms and spreadsheets swap them.
    if (strictLast !== '' && born !== '') keys.push(key('name-dob', { names: [first, strictLast].sort().join(' '), born }));
    if (last !== '' && father !== '' && mother !== '') keys.push(key('name-parents', { first, last, father, mother }));
    if (last !== '' && father !== '' && daymonth !== '') keys.push(key('name-father-daymonth', { first, last, father, daymonth }));
    if (last !== '' && place !== '' && year !== '') keys.push(key('name-place-year', { first, last, place, year }));
    if (born !== '' && place !== '') keys.push(key('first-dob-place', { first, born, place }));
    if (born !== '' && father !== '') keys.push(key('first-father-dob', { first, father, born }));
    if (contact.phone !== '') keys.push(key('phone-first', { phone: contact.phone, first }));
  }
  const doc = normaliseDocumentNumber(contact.documentNumber);
  if (doc.length >= 4) {
    if (INDIVIDUAL_DOCUMENT.test(contact.documentType)) keys.push(key('doc', { doc }));
    else for (const first of firsts) keys.push(key('doc-first', { doc, first }));
  }
  return keys;
}

/** The version new records are keyed with: saves, imports and checks use `matchKeys`. */
export const MATCH_KEYS_VERSION = 2;
export const matchKeys = matchKeysV2;

/**
 * Whether stored keys are of the current version. v1 and v2 keys never compare equal (the `v`
 * member differs), so a record keyed under v1 must be keyed again before it is compared.
 */
export function hasCurrentMatchKeys(keys: readonly string[] | undefined): keys is readonly string[] {
  return keys !== undefined && keys.every((k) => k.includes(`"v":${MATCH_KEYS_VERSION}`));
}

export type AnyMatchKeyKind = MatchKeyKind | MatchKeyKindV2;
const ALL_KINDS: ReadonlySet<string> = new Set([...MATCH_KEY_KINDS, ...MATCH_KEY_KINDS_V2]);

/** The kind of a key of either version, read back from its JSON (for explanations, R8). */
export function keyKindOf(keyJson: string): AnyMatchKeyKind | null {
  const m = /"kind":"([a-z-]+)"/.exec(keyJson);
  return m && ALL_KINDS.has(m[1]!) ? (m[1] as AnyMatchKeyKind) : null;
}

/** R8: why two records look alike, one phrase per kind of either version, for the caseworker. */
export const KEY_KIND_REASONS: Readonly<Record<AnyMatchKeyKind, string>> = {
  ...MATCH_KEY_REASONS,
  'name-parents': "same first name, and family and both parents' names (as pronounced)",
  'name-father-daymonth': "same first name, family and father's name, and birth day and month",
  'name-place-year': 'same first and family name, place and birth year',
  'first-dob-place': 'same first name, birth date and place',
  'first-father-dob': "same first name, father's name and birth date",
};

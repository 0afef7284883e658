import type { Sex } from '../contact/contact.js';
import { jaroWinkler } from './jaro-winkler.js';
import { bornKey, INDIVIDUAL_DOCUMENT, normaliseDocumentNumber, type MatchKeyInput } from './match-keys.js';
import { firstNameForms, looseNameKey } from './match-keys-v2.js';
import { nameKeyV1 } from './name-key.js';

/**
 * R8: a Fellegi–Sunter score for two records of one organisation (no privacy limit applies inside
 * it): each field is compared at one of a few agreement levels, each level weighs log2(m/u), where m
 * is how often true duplicates agree at that level and u how often unrelated pairs do, and the sum
 * with the prior log-odds gives the probability that the pair is one person. As in Splink, u comes
 * from random pairs and m from expectation–maximisation over candidate pairs (`estimate*` below); the
 * app ships parameters estimated so by bench:quality (`DEFAULT_SCORE_PARAMETERS`). PROTOCOL.md §4.5.
 */
export type ScoreInput = MatchKeyInput & { readonly sex?: Sex | string };

export const SCORE_FIELDS = ['first', 'last', 'father', 'mother', 'born', 'phone', 'doc', 'place', 'sex'] as const;
export type ScoreField = (typeof SCORE_FIELDS)[number];

const NAME_LEVELS = ['same', 'same-sound', 'loose', 'similar', 'different'] as const;
/** Every agreement level a field can have (the app names each one to the caseworker). */
export type ScoreLevel = (typeof NAME_LEVELS)[number] | 'day-month-swapped' | 'year-off-by-one' | 'same-year';
/** The levels of each field, most agreeing first. */
export const SCORE_LEVELS: Readonly<Record<ScoreField, readonly ScoreLevel[]>> = {
  first: NAME_LEVELS,
  last: NAME_LEVELS,
  father: NAME_LEVELS,
  mother: NAME_LEVELS,
  born: ['same', 'day-month-swapped', 'year-off-by-one', 'similar', 'same-year', 'different'],
  phone: ['same', 'different'],
  doc: ['same', 'similar', 'different'],
  place: ['same', 'similar', 'different'],
  sex: ['same', 'different'],
};

interface NameProfile {
  readonly text: string;
  readonly key: string;
  readonly loose: string;
  /** Other keys the name goes by ('Mohammad Ali' is also Ali). */
  readonly alt: readonly string[];
}

/** What a record is compared by, computed once per record. */
export interface ScoreProfile {
  readonly names: Readonly<Record<'first' | 'last' | 'father' | 'mother', NameProfile | null>>;
  readonly born: { year: number; date: string | null } | null;
  readonly phone: string | null;
  readonly doc: string | null;
  /** The document names one person (a national ID, a passport: INDIVIDUAL_DOCUMENT), not a household's booklet or case. */
  readonly docIndividual: boolean;
  readonly place: { text: string; loose: string } | null;
  readonly sex: string | null;
}

const plain = (s: string): string => s.normalize('NFKC').toLowerCase().replace(/[\s\-'’.]+/g, ' ').trim();

export function scoreProfile(r: ScoreInput): ScoreProfile {
  const name = (s: string | undefined) => {
    const key = nameKeyV1(s ?? '');
    return key === '' ? null : { text: plain(s!), key, loose: looseNameKey(s!), alt: firstNameForms(s!).slice(1) };
  };
  const birth = r.birth ?? null;
  const doc = normaliseDocumentNumber(r.documentNumber ?? '');
  const placeKey = looseNameKey(r.location ?? '');
  const sex = r.sex === 'male' || r.sex === 'female' ? r.sex : null;
  return {
    names: { first: name(r.firstName), last: name(r.lastName), father: name(r.fatherName), mother: name(r.motherName) },
    born: birth === null ? null : birth.kind === 'date' ? { year: Number(birth.date.slice(0, 4)), date: birth.date } : { year: birth.year, date: null },
    phone: r.phone ? r.phone : null,
    doc: doc.length >= 4 ? doc : null,
    docIndividual: INDIVIDUAL_DOCUMENT.test(r.documentType ?? ''),
    place: placeKey === '' ? null : { text: plain(r.location!), loose: placeKey },
    sex,
  };
}

function nameLevel(a: ScoreProfile['names']['first'], b: ScoreProfile['names']['first']): number | null {
  if (!a || !b) return null;
  if (a.text === b.text) return 0;
  if (a.key === b.key || a.alt.includes(b.key) || b.alt.includes(a.key)) return 1;
  if (a.loose === b.loose) return 2;
  // A typo is similar by its sound key or by its spelling: Dylan/Dyan have keys TLN/TN, JW 0.82.
  return jaroWinkler(a.key, b.key) >= 0.88 || jaroWinkler(a.text, b.text) >= 0.9 ? 3 : 4;
}

function bornLevel(a: ScoreProfile['born'], b: ScoreProfile['born']): number | null {
  if (!a || !b) return null;
  if (a.date && b.date) {
    if (a.date === b.date) return 0;
    if (bornKey(a.date) === bornKey(b.date)) return 1;
    if (Math.abs(a.year - b.year) === 1 && a.date.slice(5) === b.date.slice(5)) return 2;
    if (oneDigitApart(a.date, b.date)) return 3;
  }
  return a.year === b.year ? 4 : 5;
}

/** Two dates one mistyped digit apart (1986-03-25 / 1986-03-26, 1961-02-03 / 1691-02-03). */
function oneDigitApart(a: string, b: string): boolean {
  let differ = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && ++differ > 1) return false;
  return differ === 1;
}

/** Places the same, or one typo apart (Salisbury / Salibsury) by spelling or loose key. */
function placeLevel(a: ScoreProfile['place'], b: ScoreProfile['place']): number | null {
  if (!a || !b) return null;
  if (a.loose === b.loose) return 0;
  return jaroWinkler(a.text, b.text) >= 0.9 || jaroWinkler(a.loose, b.loose) >= 0.9 ? 1 : 2;
}

/** Documents one typo apart (a digit wrong or two swapped) are 'similar'. */
function docLevel(a: string | null, b: string | null): number | null {
  if (!a || !b) return null;
  if (a === b) return 0;
  return a.length === b.length && jaroWinkler(a, b) >= 0.9 ? 1 : 2;
}

/**
 * Two neighbours swapped, neither of them the last character (4406308 / 4406038). Two numbers
 * issued one after the other, as to twins registered together, never differ so (x and x + 1 differ
 * in their last digit or by a carry); numbers nine apart can (5600012 / 5600021: a large family
 * registered together), hence not at the end. With first names not plainly different, the
 * household rule takes such a pair for one person's document (`docProof`).
 */
export function swappedNeighbours(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const at: number[] = [];
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && at.push(i) > 2) return false;
  const [i, j] = at;
  return at.length === 2 && j === i! + 1 && j < a.length - 1 && a[i!] === b[j] && a[j] === b[i!];
}

const same = (a: string | null, b: string | null): number | null => (!a || !b ? null : a === b ? 0 : 1);

/**
 * The agreement level of each field (an index into SCORE_LEVELS), null when either side lacks it;
 * `docProof` when both documents name one person (INDIVIDUAL_DOCUMENT) and are the same, or the same
 * but for two neighbours swapped (`swappedNeighbours`): what the household rule takes as one person.
 */
export type ComparisonVector = Readonly<Record<ScoreField, number | null>> & { readonly docProof?: 'same' | 'swapped' };

/** A name level that counts as agreement on the key (same text or same sound). */
const agrees = (level: number | null): boolean => level !== null && level <= 1;

/**
 * First and family names compared straight, or crosswise when the two were swapped (forms and
 * spreadsheets swap them, and so does FEBRL's generator), as Splink's forename/surname comparison
 * does. Crosswise only when neither name is even similar straight, and crosswise one agrees (same
 * text or sound) and the other is at least similar (a typo on top of the swap); the levels are then
 * the crosswise ones, so the household rule still sees a twin (Hassan Haddad / Haddad Hussein:
 * first names only loosely alike, no pair).
 */
function firstAndLast(a: ScoreProfile['names'], b: ScoreProfile['names']): { first: number | null; last: number | null; swapped: boolean } {
  const first = nameLevel(a.first, b.first);
  const last = nameLevel(a.last, b.last);
  if (agrees(first) && agrees(last)) return { first, last, swapped: false };
  const crossFirst = nameLevel(a.first, b.last);
  const crossLast = nameLevel(a.last, b.first);
  const within = (l: number | null) => l !== null && l <= 3;
  const crossed = within(crossFirst) && within(crossLast) && (agrees(crossFirst) || agrees(crossLast)) && !within(first) && !within(last);
  return crossed ? { first: crossFirst, last: crossLast, swapped: true } : { first, last, swapped: false };
}

export function compareProfiles(a: ScoreProfile, b: ScoreProfile): ComparisonVector {
  const { first, last } = firstAndLast(a.names, b.names);
  return {
    first,
    last,
    father: nameLevel(a.names.father, b.names.father),
    mother: nameLevel(a.names.mother, b.names.mother),
    born: bornLevel(a.born, b.born),
    phone: same(a.phone, b.phone),
    doc: docLevel(a.doc, b.doc),
    place: placeLevel(a.place, b.place),
    sex: same(a.sex, b.sex),
    ...docProof(a, b),
  };
}

function docProof(a: ScoreProfile, b: ScoreProfile): { docProof?: 'same' | 'swapped' } {
  if (!a.doc || !b.doc || !a.docIndividual || !b.docIndividual) return {};
  if (a.doc === b.doc) return { docProof: 'same' };
  return swappedNeighbours(a.doc, b.doc) ? { docProof: 'swapped' } : {};
}

export interface ScoreParameters {
  /** Share of true duplicates among candidate pairs (the prior). */
  readonly prior: number;
  readonly m: Readonly<Record<ScoreField, readonly number[]>>;
  readonly u: Readonly<Record<ScoreField, readonly number[]>>;
}

export type ScoreDecision = 'likely' | 'possible' | 'none';

/** Probability at or above which a pair is a likely duplicate, and a possible one (bench:quality). */
export const LIKELY_AT = 0.95;
export const POSSIBLE_AT = 0.5;

export interface FieldReason {
  readonly field: ScoreField;
  readonly level: ScoreLevel;
  /** log2(m/u): positive for evidence of one person, negative against. */
  readonly weight: number;
}

export interface PairScore {
  readonly probability: number;
  readonly decision: ScoreDecision;
  /** One entry per field both records have, strongest evidence first. */
  readonly reasons: readonly FieldReason[];
  /** The first and family names agree only crosswise (`first` and `last` were compared so). */
  readonly namesSwapped: boolean;
}

/** The probability alone, for estimation and for scoring many pairs (no reasons built). */
export function matchProbability(v: ComparisonVector, p: ScoreParameters): number {
  let logOdds = Math.log2(p.prior / (1 - p.prior));
  for (const field of SCORE_FIELDS) {
    const level = v[field];
    if (level !== null) logOdds += Math.log2(p.m[field][level]! / p.u[field][level]!);
  }
  return 1 / (1 + 2 ** -logOdds);
}

/**
 * The household rule over the score (the match keys' invariant, R7): siblings and twins agree on
 * everything but the first name, which breaks the independence Fellegi–Sunter assumes, so no score
 * can be trusted to keep them apart. Unless an individual document agrees (`docProof`: a national
 * ID or passport, not a household's booklet or case number), first names that differ
 * (or agree only loosely: Hassan/Hussein) make no pair, and first names that are only similar
 * (a typo, or rhyming twins Hadi/Hani) or missing make at most a possible one, for a person to review;
 * such first names with an individual document the same but for two neighbours swapped are scored as
 * they stand (numbers issued in a row to twins never differ so).
 */
export function decisionOf(probability: number, v?: ComparisonVector): ScoreDecision {
  const scored: ScoreDecision = probability >= LIKELY_AT ? 'likely' : probability >= POSSIBLE_AT ? 'possible' : 'none';
  if (!v || v.docProof === 'same' || !mayBeOneHousehold(v)) return scored;
  // Two neighbours swapped: one person's, unless the first names differ outright or only loosely (the twins' shape).
  if (v.docProof === 'swapped' && (v.first === 3 || v.first === null)) return scored;
  if (v.first === 2 || v.first === 4) return 'none';
  if ((v.first === 3 || v.first === null) && scored === 'likely') return 'possible';
  return scored;
}

/**
 * Whether the pair may be two members of one household, the case the rule above guards: siblings
 * share the family name, or at least a parent (a married sister may carry her husband's name) or
 * the home phone. Family names present on both and different, with no parent or phone agreeing,
 * is not that case: the score alone decides. A missing family name may hide a household: the rule holds.
 */
function mayBeOneHousehold(v: ComparisonVector): boolean {
  const close = (level: number | null) => level !== null && level <= 3;
  return v.last !== 4 || close(v.father) || close(v.mother) || v.phone === 0;
}

export function scoreVector(v: ComparisonVector, p: ScoreParameters, namesSwapped = false): PairScore {
  let logOdds = Math.log2(p.prior / (1 - p.prior));
  const reasons: FieldReason[] = [];
  for (const field of SCORE_FIELDS) {
    const level = v[field];
    if (level === null) continue;
    const weight = Math.log2(p.m[field][level]! / p.u[field][level]!);
    logOdds += weight;
    reasons.push({ field, level: SCORE_LEVELS[field][level]!, weight: Math.round(weight * 10) / 10 });
  }
  const probability = 1 / (1 + 2 ** -logOdds);
  reasons.sort((x, y) => Math.abs(y.weight) - Math.abs(x.weight));
  return { probability, decision: decisionOf(probability, v), reasons, namesSwapped };
}

export function scorePair(a: ScoreInput, b: ScoreInput, p: ScoreParameters): PairScore {
  const [x, y] = [scoreProfile(a), scoreProfile(b)];
  return scoreVector(compareProfiles(x, y), p, firstAndLast(x.names, y.names).swapped);
}

import type { ContactInput } from '../contact/contact.js';
import { nameKeyV1 } from '../matching/name-key.js';
import { FAMILY_NAMES, FEMALE_NAMES, MALE_NAMES, PLACES, type NameSpellings } from './synthetic-names.js';

/**
 * A seeded, deterministic generator of Lebanon-like registrations for tests and benchmarks: whole
 * households (father, mother, children with distinct names, one family name, one place, often one
 * phone), then planted duplicates of some people with realistic noise: another spelling or Arabic
 * script, a typo, day and month swapped, a year alone, a missing father's name, another phone format.
 * The same seed always gives the same rows, on every machine.
 */

/**
 * mulberry32: a seeded generator of numbers in [0, 1), small, fast and good enough for test data,
 * fuzzing and benchmarks. The one copy every generator, test and benchmark of the project uses.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** mulberry32 over a 32-bit hash (FNV-1a) of the seed text. */
export function seededRng(seed: string): () => number {
  let a = 2166136261;
  for (const ch of seed) a = Math.imul(a ^ ch.charCodeAt(0), 16777619) >>> 0;
  return mulberry32(a);
}

export interface SyntheticPerson {
  /** The same number for a person and every planted duplicate of them. */
  readonly personId: number;
  readonly householdId: number;
  /** For a planted duplicate: the row index of the original, and the noise applied. */
  readonly duplicateOf: number | null;
  readonly noise: string | null;
  readonly row: ContactInput;
}

export interface SyntheticOptions {
  readonly seed: string;
  /** Rows in all, duplicates included. */
  readonly rows: number;
  /** How many of those rows are planted duplicates of earlier rows. */
  readonly duplicates: number;
}

export type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
const latinOf = (rng: Rng, n: NameSpellings): string => pick(rng, n.slice(1));
const pad = (n: number): string => String(n).padStart(2, '0');

/** A Lebanese mobile number (03, 70, 71, 76, 78, 79, 81 prefixes) in E.164. */
function phone(rng: Rng): string {
  const prefix = pick(rng, ['3', '70', '71', '76', '78', '79', '81']);
  let n = '';
  for (let i = 0; i < 6; i++) n += Math.floor(rng() * 10);
  return `+961${prefix}${n}`;
}

function birthDate(rng: Rng, from: number, to: number): string {
  const year = from + Math.floor(rng() * (to - from + 1));
  return `${year}-${pad(1 + Math.floor(rng() * 12))}-${pad(1 + Math.floor(rng() * 28))}`;
}

/** Children get first names whose keys differ from each other and from their parents'. */
function distinctName(rng: Rng, pool: readonly NameSpellings[], taken: Set<string>): NameSpellings {
  for (;;) {
    const n = pick(rng, pool);
    const key = nameKeyV1(n[0]);
    if (!taken.has(key)) {
      taken.add(key);
      return n;
    }
  }
}

/** One household's rows, all written with one spelling habit (Latin or Arabic). */
function household(rng: Rng, householdId: number, firstPersonId: number): SyntheticPerson[] {
  const family = pick(rng, FAMILY_NAMES);
  const place = pick(rng, PLACES);
  const arabic = rng() < 0.3;
  const spell = (n: NameSpellings): string => (arabic ? n[0] : latinOf(rng, n));
  const familyName = spell(family);
  const placeName = arabic ? place[0] : place[1]!;
  const homePhone = phone(rng);
  const taken = new Set<string>();
  const fatherName = distinctName(rng, MALE_NAMES, taken);
  const motherName = distinctName(rng, FEMALE_NAMES, taken);
  const grandfather = spell(pick(rng, MALE_NAMES));
  const grandmother = spell(pick(rng, FEMALE_NAMES));
  const fatherYear = 1955 + Math.floor(rng() * 30);
  const people: { first: string; father: string; mother: string; born: string; sex: string; phone: string; size: number }[] = [];
  const children = Math.floor(rng() * 6);
  const size = 2 + children;
  people.push({ first: spell(fatherName), father: grandfather, mother: grandmother, born: birthDate(rng, fatherYear, fatherYear), sex: 'male', phone: homePhone, size });
  people.push({ first: spell(motherName), father: spell(pick(rng, MALE_NAMES)), mother: spell(pick(rng, FEMALE_NAMES)), born: birthDate(rng, fatherYear + 1, fatherYear + 6), sex: 'female', phone: rng() < 0.5 ? phone(rng) : homePhone, size });
  let lastBorn = '';
  for (let c = 0; c < children; c++) {
    const male = rng() < 0.5;
    const name = distinctName(rng, male ? MALE_NAMES : FEMALE_NAMES, taken);
    // One child in five is a twin of the previous one: same birth date, another name.
    const born = c > 0 && rng() < 0.2 ? lastBorn : birthDate(rng, fatherYear + 22, Math.min(fatherYear + 45, 2024));
    lastBorn = born;
    people.push({ first: spell(name), father: spell(fatherName), mother: spell(motherName), born, sex: male ? 'male' : 'female', phone: homePhone, size });
  }
  return people.map((p, i) => ({
    personId: firstPersonId + i,
    householdId,
    duplicateOf: null,
    noise: null,
    row: {
      firstName: p.first,
      lastName: familyName,
      fatherName: p.father,
      motherName: p.mother,
      birthDate: p.born,
      sex: p.sex,
      phone: p.phone,
      documentType: rng() < 0.4 ? 'National ID' : '',
      documentNumber: '',
      location: placeName,
      householdSize: String(p.size),
      notes: '',
    },
  })).map((p) => (p.row.documentType ? { ...p, row: { ...p.row, documentNumber: `${Math.floor(1e6 + rng() * 9e6)}` } } : p));
}

/** Every spelling (Arabic or Latin) of every name the generator knows, by key. */
const SPELLINGS_BY_KEY = new Map<string, NameSpellings>();
for (const list of [MALE_NAMES, FEMALE_NAMES, FAMILY_NAMES]) for (const n of list) SPELLINGS_BY_KEY.set(nameKeyV1(n[0]), n);

/** Another spelling (Arabic script or Latin) of a name the generator knows; others stay as they are. */
export function respell(rng: Rng, name: string): string {
  const n = SPELLINGS_BY_KEY.get(nameKeyV1(name));
  return n ? pick(rng, n.filter((s) => s !== name)) ?? name : name;
}

/** The Arabic spelling of a name the generator knows; others stay as they are. */
export function arabicOf(name: string): string {
  return SPELLINGS_BY_KEY.get(nameKeyV1(name))?.[0] ?? name;
}

export function typo(rng: Rng, name: string): string {
  // A doubled or an undoubled letter: the commonest slip that leaves the name readable.
  const i = 1 + Math.floor(rng() * Math.max(1, name.length - 2));
  return /\p{Script=Arabic}/u.test(name) ? name : name.slice(0, i) + name[i] + name.slice(i);
}

/** The noises a planted duplicate may carry: one per duplicate, so the truth is known. */
const NOISES: Record<string, (rng: Rng, row: ContactInput) => ContactInput> = {
  'another spelling': (rng, r) => ({ ...r, firstName: respell(rng, r.firstName), lastName: respell(rng, r.lastName) }),
  'typo in the family name': (rng, r) => ({ ...r, lastName: typo(rng, r.lastName) }),
  'day and month swapped': (_rng, r) => {
    const [y, m, d] = r.birthDate.split('-');
    return Number(d) <= 12 ? { ...r, birthDate: `${y}-${d}-${m}` } : { ...r, birthDate: y! };
  },
  'year only': (_rng, r) => ({ ...r, birthDate: r.birthDate.slice(0, 4) }),
  "missing father's name": (_rng, r) => ({ ...r, fatherName: '' }),
  'local phone format': (_rng, r) => ({ ...r, phone: r.phone.replace(/^\+961(\d)(\d{3})(\d+)$/, (_m, a: string, b: string, c: string) => `0${a} ${b} ${c}`) }),
};

/**
 * `rows` rows: households until `rows - duplicates` people, then `duplicates` noisy copies of
 * distinct earlier people, each inserted at a random later position. The order is shuffled with the
 * same seed, so duplicates are not all at the end.
 */
export function generateSyntheticRows(options: SyntheticOptions): SyntheticPerson[] {
  const rng = seededRng(options.seed);
  const originals: SyntheticPerson[] = [];
  let householdId = 0;
  while (originals.length < options.rows - options.duplicates) {
    originals.push(...household(rng, householdId++, originals.length));
  }
  originals.length = options.rows - options.duplicates;
  const n = originals.length;
  // Each row gets a position; a duplicate goes somewhere after its original. One sort places all.
  const placed: { at: number; p: SyntheticPerson }[] = originals.map((p, i) => ({ at: i, p }));
  const used = new Set<number>();
  const noiseNames = Object.keys(NOISES);
  for (let d = 0; d < options.duplicates; d++) {
    let i = Math.floor(rng() * n);
    while (used.has(i)) i = (i + 1) % n;
    used.add(i);
    const original = originals[i]!;
    const noise = noiseNames[d % noiseNames.length]!;
    const at = i + 0.5 + rng() * (n - 1 - i);
    placed.push({ at, p: { ...original, duplicateOf: i, noise, row: NOISES[noise]!(rng, original.row) } });
  }
  placed.sort((a, b) => a.at - b.at);
  const out = placed.map((x) => x.p);
  // duplicateOf was an index among the originals; make it the row index of the original in `out`.
  const rowOfPerson = new Map<number, number>();
  out.forEach((p, row) => p.duplicateOf === null && rowOfPerson.set(p.personId, row));
  return out.map((p) => (p.duplicateOf === null ? p : { ...p, duplicateOf: rowOfPerson.get(p.personId)! }));
}

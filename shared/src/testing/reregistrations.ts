import type { ContactInput } from '../contact/contact.js';
import { arabicOf, generateSyntheticRows, respell, seededRng, typo, type Rng, type SyntheticPerson } from './synthetic.js';

/**
 * People registered again, by another caseworker or another organisation, for the record-level
 * quality check of the match keys (bench:quality, R7): each re-registration carries one to three of
 * the slips seen in the field at once, so a key must survive one wrong field while another key
 * survives the next. Households come from generateSyntheticRows, so every re-registered person has
 * siblings (and sometimes a twin) sharing father, mother, family name, place and phone: the keys
 * must find the person and not them.
 */
export interface Reregistration {
  /** Index of the original in `originals`. */
  readonly of: number;
  readonly noises: readonly string[];
  readonly row: ContactInput;
}

export interface ReregistrationSet {
  readonly originals: readonly SyntheticPerson[];
  readonly again: readonly Reregistration[];
}

const LB_MOBILE = /^\+961(\d+)$/;

/** Each slip, applied to the row as typed the second time. */
export const REREGISTRATION_NOISES: Readonly<Record<string, (rng: Rng, r: ContactInput) => ContactInput>> = {
  'other spellings': (rng, r) => ({
    ...r,
    firstName: respell(rng, r.firstName),
    lastName: rng() < 0.7 ? respell(rng, r.lastName) : r.lastName,
    fatherName: rng() < 0.7 ? respell(rng, r.fatherName) : r.fatherName,
    motherName: rng() < 0.7 ? respell(rng, r.motherName) : r.motherName,
  }),
  'Arabic script': (_rng, r) => ({ ...r, firstName: arabicOf(r.firstName), lastName: arabicOf(r.lastName), fatherName: arabicOf(r.fatherName), motherName: arabicOf(r.motherName) }),
  'typo in the family name': (rng, r) => ({ ...r, lastName: typo(rng, r.lastName) }),
  "typo in the father's name": (rng, r) => ({ ...r, fatherName: typo(rng, r.fatherName) }),
  'day and month swapped': (_rng, r) => {
    const [y, m, d] = r.birthDate.split('-');
    return d !== undefined && Number(d) <= 12 ? { ...r, birthDate: `${y}-${d}-${m}` } : r;
  },
  'year only': (_rng, r) => ({ ...r, birthDate: r.birthDate.slice(0, 4) }),
  'year off by one': (rng, r) => {
    const year = Number(r.birthDate.slice(0, 4)) + (rng() < 0.5 ? -1 : 1);
    return year > 2025 ? r : { ...r, birthDate: `${year}${r.birthDate.slice(4)}` };
  },
  // One digit of the day typed wrong (25 → 26, 14 → 17), still a real date.
  'a digit of the birth day mistyped': (rng, r) => {
    const [y, m, d] = r.birthDate.split('-');
    if (d === undefined) return r;
    const tens = d[0]!;
    const digits = [...'0123456789'].filter((x) => x !== d[1] && Number(tens + x) >= 1 && Number(tens + x) <= 28);
    return digits.length === 0 ? r : { ...r, birthDate: `${y}-${m}-${tens}${digits[Math.floor(rng() * digits.length)]!}` };
  },
  "no father's name": (_rng, r) => ({ ...r, fatherName: '' }),
  "no mother's name": (_rng, r) => ({ ...r, motherName: '' }),
  'no phone': (_rng, r) => ({ ...r, phone: '' }),
  // Typed as said on the phone ('03 123 456', '70-123456'): validation brings it to E.164 again.
  'phone in local format': (_rng, r) => ({ ...r, phone: r.phone.replace(LB_MOBILE, (_m, n: string) => `0${n.slice(0, -6)} ${n.slice(-6, -3)} ${n.slice(-3)}`) }),
  'new phone number': (rng, r) => ({ ...r, phone: `+96171${String(Math.floor(rng() * 1e6)).padStart(6, '0')}` }),
  'other place': (_rng, r) => ({ ...r, location: r.location === 'Tripoli' ? 'Beirut' : 'Tripoli' }),
  'no document': (_rng, r) => ({ ...r, documentType: '', documentNumber: '' }),
  // Mohammad Ali registered once as Ali: the compound given name of many Lebanese men.
  'compound first name': (_rng, r) => (r.sex === 'male' ? { ...r, firstName: `${/\p{Script=Arabic}/u.test(r.firstName) ? 'محمد' : 'Mohammad'} ${r.firstName}` } : r),
};

/**
 * `rows` original rows (whole households, no planted duplicates) and `count` re-registrations of
 * distinct originals, each with one to three different noises. Deterministic for a seed.
 */
export function generateReregistrations(options: { seed: string; rows: number; count: number }): ReregistrationSet {
  const originals = generateSyntheticRows({ seed: options.seed, rows: options.rows, duplicates: 0 });
  const rng = seededRng(`${options.seed}/again`);
  const names = Object.keys(REREGISTRATION_NOISES);
  const used = new Set<number>();
  const again: Reregistration[] = [];
  while (again.length < Math.min(options.count, originals.length)) {
    const of = Math.floor(rng() * originals.length);
    if (used.has(of)) continue;
    used.add(of);
    const howMany = 1 + Math.floor(rng() * 3);
    const noises = new Set<string>();
    while (noises.size < howMany) noises.add(names[Math.floor(rng() * names.length)]!);
    let row = originals[of]!.row;
    for (const n of noises) row = REREGISTRATION_NOISES[n]!(rng, row);
    again.push({ of, noises: [...noises], row });
  }
  return { originals, again };
}

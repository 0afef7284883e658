import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { validateContactInput, type ContactInput } from '../src/contact/contact.js';
import { MATCH_KEY_KINDS, matchKeyKind, matchKeysV1, type MatchKeyInput } from '../src/matching/match-keys.js';
import { generateSyntheticRows } from '../src/testing/synthetic.js';
import { householdClashes } from './support/households.js';

const today = '2026-11-22';

function contact(over: Partial<ContactInput> = {}): MatchKeyInput {
  const input: ContactInput = {
    firstName: 'Houman',
    lastName: 'Haddad',
    fatherName: 'Michael',
    motherName: 'Barbara',
    birthDate: '1976-05-07',
    sex: 'male',
    phone: '+9613123456',
    documentType: 'National ID',
    documentNumber: 'LB-123 456',
    location: 'Tripoli',
    householdSize: '',
    notes: '',
    ...over,
  };
  const v = validateContactInput(input, { today });
  if (!v.ok) throw new Error(JSON.stringify(v.error));
  return v.value;
}

const shares = (a: MatchKeyInput, b: MatchKeyInput) => matchKeysV1(a).some((k) => matchKeysV1(b).includes(k));

describe('matchKeysV1', () => {
  it('[R7] returns RFC 8785 canonical JSON keys of the form {kind, v: 1, ...parts}', () => {
    const keys = matchKeysV1(contact());
    expect(keys.length).toBeGreaterThanOrEqual(5);
    for (const k of keys) {
      const parsed = JSON.parse(k) as { kind: string; v: number };
      expect(parsed.v).toBe(1);
      expect(matchKeyKind(k)).toBe(parsed.kind);
      expect(canonicalize(parsed)).toBe(k);
    }
    expect(keys).toContain('{"born":"1976-05-07","kind":"name-dob","names":"HMN HT","v":1}');
    expect(keys).toContain('{"doc":"LB123456","kind":"doc","v":1}');
  });

  it('[R7] reads a field missing from an old record as empty: no key is made with a part missing', () => {
    const { phone: _p, documentNumber: _d, ...old } = contact();
    const keys = matchKeysV1(old as MatchKeyInput);
    expect(keys).toEqual(matchKeysV1({ ...contact(), phone: '', documentNumber: '' }));
    expect(keys.some((k) => k.includes('phone-first') || k.includes('"doc"'))).toBe(false);
  });

  it('[R7] builds keys byte-equal to the canonicalize library for every kind, Arabic script and quotes included', () => {
    const rows = generateSyntheticRows({ seed: 'canonical', rows: 3000, duplicates: 300 });
    const kinds = new Set<string>();
    const inputs = [...rows.map((r) => r.row), { ...rows[0]!.row, firstName: 'عبد الرحمن', lastName: 'O"Neil\\', location: 'بيروت', documentType: 'UNHCR case', documentNumber: 'LEB-12 345' }];
    for (const row of inputs) {
      const v = validateContactInput(row, { today });
      if (!v.ok) continue;
      for (const k of matchKeysV1(v.value)) {
        kinds.add(matchKeyKind(k)!);
        expect(canonicalize(JSON.parse(k))).toBe(k);
      }
    }
    expect([...kinds].sort()).toEqual([...MATCH_KEY_KINDS].sort());
  });

  it('[R7] matches one person across scripts, spellings, swapped day and month, a year alone, a missing father', () => {
    const a = contact({ firstName: 'Mohammad', lastName: 'El Khoury', fatherName: 'Hussein', documentNumber: '', phone: '' });
    expect(shares(a, contact({ firstName: 'محمد', lastName: 'الخوري', fatherName: 'حسين', documentNumber: '', phone: '' }))).toBe(true);
    expect(shares(a, contact({ firstName: 'Muhammad', lastName: 'Khouri', fatherName: 'Hussain', birthDate: '1976-07-05', documentNumber: '', phone: '' }))).toBe(true);
    expect(shares(a, contact({ firstName: 'Mohamed', lastName: 'Al-Khoury', birthDate: '1976', documentNumber: '', phone: '' }))).toBe(true);
    expect(shares(a, contact({ firstName: 'Mohamed', lastName: 'Al-Khoury', fatherName: '', documentNumber: '', phone: '' }))).toBe(true);
  });

  it('[R7] matches one person whose family name is wrong and place missing, by first name, father and birth date', () => {
    const a = contact({ lastName: 'Haddad', location: '', phone: '', documentNumber: '' });
    const b = contact({ lastName: 'Nassar', location: '', phone: '', documentNumber: '', birthDate: '1976-07-05' });
    expect(matchKeysV1(a).map(matchKeyKind)).toContain('first-father-dob');
    expect(shares(a, b)).toBe(true);
    // Not when the father differs too: then nothing but the first name and date is left.
    expect(shares(a, contact({ lastName: 'Nassar', fatherName: 'Georges', location: '', phone: '', documentNumber: '' }))).toBe(false);
  });

  it('[R7] never makes a key of a phone alone, nor of a household document without the first name', () => {
    const kinds = matchKeysV1(contact({ documentType: 'UNHCR registration' })).map(matchKeyKind);
    expect(kinds).toContain('phone-first');
    expect(kinds).toContain('doc-first');
    expect(kinds).not.toContain('doc');
    const brother = contact({ firstName: 'Hooman2', documentType: 'UNHCR registration' });
    expect(shares(contact({ firstName: 'Karim', documentType: 'UNHCR registration' }), contact({ firstName: 'Nabil', documentType: 'UNHCR registration' }))).toBe(false);
    expect(brother).toBeDefined();
  });

  it('[R7] keeps twins apart: Hassan and Hussein, same parents, family, phone, place and birth date', () => {
    const twin = { lastName: 'Haddad', fatherName: 'Ali', motherName: 'Zeinab', birthDate: '2001-03-04', documentNumber: '' };
    expect(shares(contact({ ...twin, firstName: 'Hassan' }), contact({ ...twin, firstName: 'Hussein' }))).toBe(false);
    expect(shares(contact({ ...twin, firstName: 'حسن' }), contact({ ...twin, firstName: 'حسين' }))).toBe(false);
    expect(shares(contact({ ...twin, firstName: 'Nabil' }), contact({ ...twin, firstName: 'Nabila' }))).toBe(false);
  });

  it('[R7] siblings of one generated household never share a key (2,000 households)', () => {
    expect(householdClashes(matchKeysV1, 'siblings')).toEqual([]);
  });

  it('[R7] finds planted duplicates of the generator (at least 95 of 100)', () => {
    const people = generateSyntheticRows({ seed: 'planted', rows: 1000, duplicates: 100 });
    const keysOf = people.map((p) => {
      const v = validateContactInput(p.row, { today });
      return v.ok ? matchKeysV1(v.value) : [];
    });
    const found = people.filter((p, i) => p.duplicateOf !== null && keysOf[i]!.some((k) => keysOf[p.duplicateOf!]!.includes(k)));
    expect(people.filter((p) => p.duplicateOf !== null)).toHaveLength(100);
    expect(found.length).toBeGreaterThanOrEqual(95);
  });
});

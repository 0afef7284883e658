/**
 * The seed Ihyid's own test flows (app/test/test_contact_service.py), ported onto shared/ with an
 * in-memory array store: save with duplicate detection on phoneticIdV0 (test_new_contacts), and an
 * anonymous check between two nodes with their own per-contact secrets (test_check_contacts).
 */
import { describe, it, expect } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { emptyContactInput, validateContactInput, type Contact, type ContactInput, type FieldErrors } from '../src/contact/contact.js';
import type { ContactId } from '../src/core/ids.js';
import { phoneticIdV0 } from '../src/matching/phonetic-v0.js';
import { answerUscadiV0, makeUscadiRequestV0, newSecretHex, uscadiV0 } from '../src/check/uscadi-v0.js';
import { seededRandom } from './support/seeded.js';

type RandomBytes = (n: number) => Uint8Array;

function seededShuffle(random: RandomBytes) {
  return <T>(xs: T[]): T[] => {
    const out = xs.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = random(1)[0]! % (i + 1); // biased, which does not matter for a test
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
}

type SaveOutcome = 'saved' | 'duplicate' | { readonly invalid: FieldErrors };

/** A node of the seed: an array of contacts, a source of secrets, and the seed's save rule. */
class MemoryNode {
  readonly contacts: Contact[] = [];
  constructor(private readonly random: RandomBytes) {}

  save(input: ContactInput): SaveOutcome {
    const valid = validateContactInput(input, { today: '2026-11-21' });
    if (!valid.ok) return { invalid: valid.error };
    const id = phoneticIdV0(valid.value);
    const phoneticId = id.ok ? id.value : null;
    if (phoneticId !== null && this.contacts.some((c) => c.phoneticIdV0 === phoneticId)) return 'duplicate';
    const now = '2026-11-21T10:00:00.000Z';
    this.contacts.push({
      ...valid.value,
      id: `contact-${this.contacts.length + 1}` as ContactId,
      secretHex: newSecretHex(this.random),
      phoneticIdV0: phoneticId,
      createdAt: now,
      updatedAt: now,
      createdBy: 'seed-test',
    });
    return 'saved';
  }

  /** Node B's side of "check anons". */
  answer(secrets: readonly string[], uscadis: readonly string[]): boolean[] {
    const local = this.contacts.flatMap((c) => (c.phoneticIdV0 === null ? [] : [c.phoneticIdV0]));
    return answerUscadiV0(local, secrets, uscadis);
  }
}

const person = (firstName: string, lastName: string, motherName: string, fatherName: string, birthDate: string): ContactInput => ({
  ...emptyContactInput(),
  firstName,
  lastName,
  motherName,
  fatherName,
  birthDate,
});

const HOUMAN = person('Houman', 'Haddad', 'Barbara', 'Michael', '1976-05-07');
const HOOMAN = person('Hooman', 'Haddad', 'Barbara', 'Michael', '1976-05-07');
const HERMAN = person('Herman', 'Niederkoffler', 'Marta', 'Hans', '1976-05-07');
const VICTOR = person('Victor', 'Niederhoffler', 'Gemma', 'Artie', '1976-05-07');

describe('seed flows', () => {
  it('[R6] test_new_contact: the saved contact has the seed phonetic id, and the same data again is a duplicate', () => {
    const node = new MemoryNode(seededRandom('node'));
    expect(node.save(HOUMAN)).toBe('saved');
    expect(node.contacts[0]!.phoneticIdV0).toBe('H550-H330-B616-M240-19760507');
    expect(node.save(HOUMAN)).toBe('duplicate');
  });

  it('[R8] test_new_contacts: Houman, Hooman, Herman give saved, duplicate, saved', () => {
    const node = new MemoryNode(seededRandom('node'));
    expect([HOUMAN, HOOMAN, HERMAN].map((c) => node.save(c))).toEqual(['saved', 'duplicate', 'saved']);
  });

  it('[R8] Houman, Hooman, Herman Niederkoffler (mother Gemma, father Artie, 1980-01-01) give saved, duplicate, saved', () => {
    const node = new MemoryNode(seededRandom('node'));
    const outcomes = ['Houman', 'Hooman', 'Herman'].map((first) =>
      node.save(person(first, 'Niederkoffler', 'Gemma', 'Artie', '1980-01-01')),
    );
    expect(outcomes).toEqual(['saved', 'duplicate', 'saved']);
    expect(node.contacts.map((c) => c.phoneticIdV0)).toEqual([
      'H550-N362-G500-A630-19800101',
      'H655-N362-G500-A630-19800101',
    ]);
  });

  it('[A1] test_check_contacts: A asks about Houman, Herman and Victor; B, holding Houman and Herman, answers known, known, unknown', () => {
    const a = new MemoryNode(seededRandom('node A'));
    const b = new MemoryNode(seededRandom('node B'));
    for (const c of [HOUMAN, HERMAN]) expect(b.save(c)).toBe('saved');
    for (const c of [HOUMAN, HERMAN, VICTOR]) expect(a.save(c)).toBe('saved');

    // Same people, different secrets: the two nodes hold different uscadis for Houman.
    expect(a.contacts[0]!.secretHex).not.toBe(b.contacts[0]!.secretHex);
    expect(uscadiV0(a.contacts[0]!.phoneticIdV0!, a.contacts[0]!.secretHex)).not.toBe(
      uscadiV0(b.contacts[0]!.phoneticIdV0!, b.contacts[0]!.secretHex),
    );

    const items = a.contacts.map((c) => ({ phoneticId: c.phoneticIdV0!, secretHex: c.secretHex }));
    const { request, indexByUscadi } = makeUscadiRequestV0(items, seededShuffle(seededRandom('shuffle')));
    const answers = b.answer(request.secrets, request.uscadis);

    const knownByName = new Map<string, boolean>();
    request.uscadis.forEach((uscadi, i) => {
      const index = indexByUscadi.get(uscadi)!;
      knownByName.set(a.contacts[index]!.firstName, answers[i]!);
    });
    expect(Object.fromEntries(knownByName)).toEqual({ Houman: true, Herman: true, Victor: false });
  });

  it('[R6] an empty parent name is a validation outcome, not a crash: saved without a phonetic id', () => {
    const node = new MemoryNode(seededRandom('node'));
    const orphan = person('Houman', 'Haddad', '', 'Michael', '1976-05-07');
    expect(node.save(orphan)).toBe('saved');
    expect(node.contacts[0]!.phoneticIdV0).toBeNull();
    expect(phoneticIdV0({ ...orphan, birth: { kind: 'date', date: '1976-05-07' } })).toEqual({
      ok: false,
      error: { code: 'empty-name', field: 'motherName' },
    });
  });

  it('[R2] a contact without the required fields is refused with sentences, and nothing is stored', () => {
    const node = new MemoryNode(seededRandom('node'));
    const outcome = node.save(person('', 'Haddad', 'Barbara', 'Michael', ''));
    expect(outcome).toEqual({
      invalid: {
        firstName: 'Enter the first name.',
        birthDate: 'Enter the date of birth, or the year alone if only the year is known.',
      },
    });
    expect(node.contacts).toEqual([]);
  });

  it('[R6] accented and Arabic names are saved with phonetic ids, without throwing', () => {
    const node = new MemoryNode(seededRandom('node'));
    expect(node.save(person('José', 'Müller', 'Zoë', 'Łukasz', '1990'))).toBe('saved');
    expect(node.save(person('محمد', 'حسين', 'فاطمة', 'يوسف', '1990-02-03'))).toBe('saved');
    expect(node.save(person('Mohammad', 'Hussein', 'Fatima', 'Youssef', '1990-02-03'))).toBe('duplicate');
    expect(node.contacts.map((c) => c.phoneticIdV0)).toEqual(['J200-M460-Z000-L220-19900000', 'M530-H250-F350-Y210-19900203']);
  });
});

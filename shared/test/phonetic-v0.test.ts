import { describe, it, expect } from 'vitest';
import type { BirthDate } from '../src/contact/contact.js';
import {
  birthDateCompactV0,
  phoneticIdErrorMessage,
  phoneticIdV0,
  type PhoneticIdError,
  type PhoneticIdInput,
} from '../src/matching/phonetic-v0.js';
import type { Result } from '../src/core/result.js';
import { soundex } from '../src/matching/soundex.js';

function checkSoundex(input: string, expected: string) {
  expect(soundex(input)).toEqual({ ok: true, value: expected });
}

// Computed with pyphonetics' Soundex algorithm over Python unidecode 1.3.6, the seed's pipeline.
const SOUNDEX_VECTORS: Record<string, string> = {
  Houman: 'H550', Hooman: 'H550', Herman: 'H655', Haddad: 'H330', Barbara: 'B616', Michael: 'M240',
  Pfister: 'P123', Niederkoffler: 'N362', Niederhoffler: 'N361', Gemma: 'G500', Artie: 'A630',
  Victor: 'V236', Robert: 'R163', Rupert: 'R163', Rubin: 'R150', Ashcraft: 'A261', Tymczak: 'T522',
  Honeyman: 'H555', Lloyd: 'L430', Schmidt: 'S253', Tt: 'T300', Wu: 'W000', "O'Neil": 'O540',
  'Abdel-Rahman': 'A134', 'El-Khoury': 'E426',
  Müller: 'M460', Çelik: 'C420', José: 'J200', Zoë: 'Z000', Łukasz: 'L220', Đorđe: 'D630', Şahin: 'S500',
  Nguyễn: 'N250', Ḥasan: 'H250', Ṣāliḥ: 'S400',
  Mohammad: 'M530', Mohamed: 'M530', Muhammad: 'M530', Hussein: 'H250', Hossein: 'H250', Youssef: 'Y210',
  محمد: 'M530', أحمد: 'H530', حسين: 'H250', فاطمة: 'F350', علي: 'L000', يوسف: 'Y210', مريم: 'M650',
  خديجة: 'K320', عائشة: 'Y200', 'عبد الرحمن': 'B346',
  غلامرضا: 'G456', پروین: 'P650', چنگیز: 'C522', ژاله: 'J400',
  Иван: 'I150', Щукин: 'S225', Γιώργος: 'G622', Αθηνά: 'A350',
};

describe('soundex (pyphonetics)', () => {
  it('[R6] Pfister is P123, not the standard P236', () => checkSoundex('Pfister', 'P123'));
  it('[R6] H and W are dropped from the tail: Houman is H550, Haddad H330', () => {
    checkSoundex('Houman', 'H550');
    checkSoundex('Haddad', 'H330');
  });
  it('[R6] the first letter keeps its code when it differs: Barbara B616, Michael M240', () => {
    checkSoundex('Barbara', 'B616');
    checkSoundex('Michael', 'M240');
  });
  for (const [name, code] of Object.entries(SOUNDEX_VECTORS)) {
    it(`[R6] ${name} → ${code} as in the seed`, () => checkSoundex(name, code));
  }
  it('[R6] case and non-letters do not matter', () => checkSoundex('  hou-MAN 2 ', 'H550'));
  it('[R6] a name with no letters after transliteration is an error, not a crash', () => {
    for (const name of ['', '   ', '123', '北京', 'ء']) expect(soundex(name)).toEqual({ ok: false, error: 'no-letters' });
  });
  it('[R6] a name of only H and W pads instead of failing as pyphonetics does', () => checkSoundex('Hw', 'H000'));
});

const HOUMAN: PhoneticIdInput = {
  firstName: 'Houman',
  lastName: 'Haddad',
  motherName: 'Barbara',
  fatherName: 'Michael',
  birth: { kind: 'date', date: '1976-05-07' },
};

function checkId(input: PhoneticIdInput, expected: Result<string, PhoneticIdError>) {
  expect(phoneticIdV0(input)).toEqual(expected);
}

describe('phoneticIdV0', () => {
  it('[R6] matches the seed vector for Houman Haddad (mother Barbara, father Michael)', () =>
    checkId(HOUMAN, { ok: true, value: 'H550-H330-B616-M240-19760507' }));
  it('[R6] puts the mother before the father', () =>
    checkId({ ...HOUMAN, motherName: 'Michael', fatherName: 'Barbara' }, { ok: true, value: 'H550-H330-M240-B616-19760507' }));
  it('[R6] writes a year-only birth date as YYYY0000', () =>
    checkId({ ...HOUMAN, birth: { kind: 'year', year: 1976, approximate: true } }, { ok: true, value: 'H550-H330-B616-M240-19760000' }));
  it('[R6] gives the same id for an Arabic and a Latin spelling that transliterate alike', () => {
    const arabic = phoneticIdV0({ ...HOUMAN, firstName: 'محمد', lastName: 'حسين' });
    const latin = phoneticIdV0({ ...HOUMAN, firstName: 'Mohammad', lastName: 'Hussein' });
    expect(arabic).toEqual({ ok: true, value: 'M530-H250-B616-M240-19760507' });
    expect(latin).toEqual(arabic);
  });
  it('[R6] accented names give codes without throwing', () =>
    checkId({ ...HOUMAN, firstName: 'José', lastName: 'Müller', motherName: 'Zoë', fatherName: 'Łukasz' },
      { ok: true, value: 'J200-M460-Z000-L220-19760507' }));
  it('[R6] an empty parent name is a typed error naming the field', () => {
    checkId({ ...HOUMAN, fatherName: '' }, { ok: false, error: { code: 'empty-name', field: 'fatherName' } });
    checkId({ ...HOUMAN, motherName: '  ' }, { ok: false, error: { code: 'empty-name', field: 'motherName' } });
  });
  it('[R6] a name without letters is a typed error naming the field', () =>
    checkId({ ...HOUMAN, lastName: '北京' }, { ok: false, error: { code: 'no-letters', field: 'lastName' } }));
  it('[R6] a malformed birth date is a typed error', () =>
    checkId({ ...HOUMAN, birth: { kind: 'date', date: '7/5/1976' } }, { ok: false, error: { code: 'invalid-birth-date' } }));
  it('[R6] every error has a sentence for the caseworker', () => {
    const r = phoneticIdV0({ ...HOUMAN, motherName: '' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(phoneticIdErrorMessage(r.error)).toMatch(/mother's first name/);
    expect(phoneticIdErrorMessage({ code: 'invalid-birth-date' })).toMatch(/date of birth/);
  });
  it('[R6] compacts birth dates', () => {
    const cases: Array<[BirthDate, string | null]> = [
      [{ kind: 'date', date: '1980-01-01' }, '19800101'],
      [{ kind: 'year', year: 1980, approximate: true }, '19800000'],
      [{ kind: 'year', year: 80, approximate: true }, null],
    ];
    for (const [birth, expected] of cases) expect(birthDateCompactV0(birth)).toBe(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { emptyContactInput, validateContactInput, type ContactInput } from '../src/contact/contact.js';
import { jaroWinkler } from '../src/matching/jaro-winkler.js';
import { DEFAULT_SCORE_PARAMETERS } from '../src/matching/scorer-defaults.js';
import { candidatePairs } from '../src/matching/blocking-keys.js';
import { estimateFromList, estimateM, estimateU, uWithoutDuplicates, withListPrior } from '../src/matching/scorer-estimate.js';
import { compareProfiles, decisionOf, scorePair, swappedNeighbours, scoreProfile, type ComparisonVector, type ScoreInput } from '../src/matching/scorer.js';
import { mulberry32 } from '../src/testing/synthetic.js';

const base: ContactInput = { ...emptyContactInput(), firstName: 'Mohammad', lastName: 'Haddad', fatherName: 'Ali', motherName: 'Zeinab', birthDate: '1980-03-04', sex: 'male', phone: '+9613123456', location: 'Tripoli' };
function contact(over: Partial<ContactInput> = {}): ScoreInput {
  const v = validateContactInput({ ...base, ...over }, { today: '2026-11-22' });
  if (!v.ok) throw new Error(JSON.stringify(v.error));
  return v.value;
}
const score = (a: Partial<ContactInput>, b: Partial<ContactInput>) => scorePair(contact(a), contact(b), DEFAULT_SCORE_PARAMETERS);
const levelOf = (r: ReturnType<typeof score>, field: string) => r.reasons.find((x) => x.field === field)?.level;

describe('local scorer (Fellegi–Sunter)', () => {
  it('[R8] Arabic script against Latin spelling of one person: likely, each name "same-sound"', () => {
    const r = score({}, { firstName: 'محمد', lastName: 'حداد', fatherName: 'علي', motherName: 'زينب' });
    expect(r.decision).toBe('likely');
    expect(levelOf(r, 'first')).toBe('same-sound');
    expect(levelOf(r, 'father')).toBe('same-sound');
    expect(r.reasons.find((x) => x.field === 'born')!.weight).toBeGreaterThan(0);
  });

  it('[R8] day and month swapped, or a year alone, with the names agreeing: likely, the date level says which', () => {
    const swapped = score({}, { birthDate: '1980-04-03', phone: '' });
    expect(swapped.decision).toBe('likely');
    expect(levelOf(swapped, 'born')).toBe('day-month-swapped');
    const year = score({ phone: '' }, { birthDate: '1980', phone: '' });
    expect(year.decision).toBe('likely');
    expect(levelOf(year, 'born')).toBe('same-year');
  });

  it("[R8] 'Mohammad Ali' and 'Ali' with the rest agreeing: likely", () => {
    expect(score({ firstName: 'Ali' }, { firstName: 'Mohammad Ali' }).decision).toBe('likely');
  });

  it('[R7][R8] twins (Hassan/Hussein, Nabil/Nabila, Hadi/Hani) sharing parents, family, phone, place and birth date: no pair', () => {
    for (const [a, b] of [['Hassan', 'Hussein'], ['Nabil', 'Nabila'], ['Hadi', 'Hani']] as const) {
      const r = score({ firstName: a }, { firstName: b, sex: b === 'Nabila' ? 'female' : 'male' });
      expect(r.decision, `${a}/${b}`).toBe('none');
      // The reasons still show what agrees, and the first name against it.
      expect(r.reasons.find((x) => x.field === 'first')!.weight).toBeLessThan(0);
    }
  });

  it('[R7][R8] siblings (other first name and birth date) and namesakes with other parents: no pair', () => {
    expect(score({ firstName: 'Karim', birthDate: '1982-01-01' }, { firstName: 'Omar', birthDate: '1985-06-07' }).decision).toBe('none');
    expect(score({}, { fatherName: 'Khaled', motherName: 'Fatima', birthDate: '1980-09-10', phone: '+9613999999', location: 'Beirut' }).decision).toBe('none');
  });

  it('[R8] twins with one identity document number: the document decides (likely only when it is the same)', () => {
    const doc = { documentType: 'National ID', documentNumber: 'LB123456' };
    expect(score({ ...doc, firstName: 'Hassan' }, { ...doc, firstName: 'Hussein' }).decision).toBe('likely');
    expect(score({ ...doc, firstName: 'Hassan' }, { documentType: 'National ID', documentNumber: 'LB654321', firstName: 'Hussein' }).decision).toBe('none');
  });

  it('[R8] first and family names swapped between the records (FEBRL swaps them too): likely, compared crosswise, and said so', () => {
    const r = score({}, { firstName: 'Haddad', lastName: 'Mohammad' });
    expect(r.decision).toBe('likely');
    expect(r.namesSwapped).toBe(true);
    expect(levelOf(r, 'first')).toBe('same');
    expect(levelOf(r, 'last')).toBe('same');
    // Crosswise only when both names agree so: straight pairs are never reported as swapped.
    expect(score({}, { firstName: 'محمد' }).namesSwapped).toBe(false);
  });

  it('[R8] swapped names with a typo in one of them still compare crosswise: likely', () => {
    const r = score({}, { firstName: 'Haddar', lastName: 'Mohammad' });
    expect(r.namesSwapped).toBe(true);
    expect(levelOf(r, 'first')).toBe('same');
    expect(levelOf(r, 'last')).toBe('similar');
    expect(r.decision).toBe('likely');
  });

  it('[R7][R8] a twin with first and family names swapped is still no pair (Hassan Haddad / Haddad Hussein)', () => {
    const r = score({ firstName: 'Hassan' }, { firstName: 'Haddad', lastName: 'Hussein' });
    expect(levelOf(r, 'first')).toBe('loose');
    expect(r.decision).toBe('none');
  });

  it('[R7][R8] the household rule holds wherever a household may be, and leaves the score alone where none can', () => {
    // FEBRL 3's heavily corrupted duplicate: other first and family names, same date and place, another document.
    const v: ComparisonVector = { first: 4, last: 4, father: null, mother: null, born: 0, phone: null, doc: 2, place: 0, sex: null };
    expect(decisionOf(0.99, v)).toBe('likely');
    expect(decisionOf(0.7, { ...v, first: 3 })).toBe('possible');
    // The same with the family name agreeing, missing or only a typo apart: twins' shape, no pair.
    for (const last of [0, 1, 3, null]) expect(decisionOf(0.99, { ...v, last }), `last ${last}`).toBe('none');
    // Family names differ but a parent or the phone agrees (a married sister under her husband's name): no pair.
    expect(decisionOf(0.99, { ...v, father: 0 })).toBe('none');
    expect(decisionOf(0.99, { ...v, mother: 1 })).toBe('none');
    expect(decisionOf(0.99, { ...v, phone: 0 })).toBe('none');
    expect(decisionOf(0.99, { ...v, first: 3 })).toBe('likely');
    expect(decisionOf(0.99, { ...v, first: 3, phone: 0 })).toBe('possible');
    // An individual document the same, or the same but for two neighbours swapped, is one person's: the score decides.
    for (const last of [0, 1, 3, null]) expect(decisionOf(0.99, { ...v, last, doc: 0, docProof: 'same' }), `last ${last}, same document`).toBe('likely');
    for (const last of [0, 1, 3, null]) expect(decisionOf(0.99, { ...v, first: 3, last, doc: 1, docProof: 'swapped' }), `last ${last}, swapped`).toBe('likely');
    // Without the proof (a household's document, or any other slip of the hand), the rule holds.
    for (const last of [0, 1, 3, null]) expect(decisionOf(0.99, { ...v, last, doc: 0 }), `last ${last}, household document`).toBe('none');
    for (const last of [0, 1, 3, null]) expect(decisionOf(0.99, { ...v, first: 3, last, doc: 1 }), `last ${last}, one digit`).toBe('possible');
  });

  it('[R7][R8] an individual document the same but for two neighbours swapped is one person\'s where the first names allow it; numbers issued in a row never are', () => {
    expect(swappedNeighbours('4406308', '4406038')).toBe(true);
    expect(swappedNeighbours('LB4406308', 'LB4406038')).toBe(true);
    // A digit changed: what numbers in a row look like, also when the serial is followed by a letter, a year or a check digit.
    for (const [a, b] of [['3061308', '3061208'], ['5600052', '5600053'], ['5600059', '5600060'], ['5600052A', '5600053A'], ['560005219', '560005319'], ['5600042', '5600052']]) expect(swappedNeighbours(a!, b!), `${a}/${b}`).toBe(false);
    // Two neighbours swapped at the end: 5600012 and 5600021 are nine apart, both in a row of numbers a large family may get.
    expect(swappedNeighbours('5600012', '5600021')).toBe(false);
    for (const [a, b] of [['1234567', '1234567'], ['123456', '1234567'], ['1234567', '1243576'], ['1234567', '2134576']]) expect(swappedNeighbours(a!, b!), `${a}/${b}`).toBe(false);
    const doc = (documentNumber: string, documentType = 'National ID') => ({ documentType, documentNumber });
    const slip = score({ ...doc('LB4406308'), firstName: 'Dylan' }, { ...doc('LB4406038'), firstName: 'Dyan' });
    expect(levelOf(slip, 'doc')).toBe('similar');
    expect(slip.decision).toBe('likely');
    // The same slip with the first name missing on one side: likely; with other first names (the twins' shape): no pair.
    expect(scorePair(contact(doc('LB4406308')), { ...contact(doc('LB4406038')), firstName: '' }, DEFAULT_SCORE_PARAMETERS).decision).toBe('likely');
    expect(score({ ...doc('LB4406308'), firstName: 'Hassan' }, { ...doc('LB4406038'), firstName: 'Hussein' }).decision).toBe('none');
    // A digit changed instead (the twins' numbers in a row look so): the cap holds.
    expect(score({ ...doc('LB4406308'), firstName: 'Dylan' }, { ...doc('LB4406309'), firstName: 'Dyan' }).decision).toBe('possible');
    // Twins and siblings with numbers issued in a row, in whatever format: no pair, rhyming twins at most a possible one.
    for (const [a, b] of [['LB5600052', 'LB5600053'], ['5600052A', '5600053A'], ['5600052/19', '5600053/19'], ['5600042', '5600052']]) {
      expect(score({ ...doc(a!), firstName: 'Hassan' }, { ...doc(b!), firstName: 'Hussein' }).decision, `${a}/${b}`).toBe('none');
      expect(score({ ...doc(a!), firstName: 'Hadi' }, { ...doc(b!), firstName: 'Hani' }).decision, `${a}/${b}`).not.toBe('likely');
      expect(score({ ...doc(a!), firstName: 'Karim', birthDate: '1982-01-01' }, { ...doc(b!), firstName: 'Omar', birthDate: '1985-06-07' }).decision, `${a}/${b}`).not.toBe('likely');
    }
  });

  it('[R7][R8] a household\'s document (a family booklet, a case number) shared by twins or siblings is no proof of one person', () => {
    const booklet = { documentType: 'Family booklet', documentNumber: 'FB-2231' };
    expect(score({ ...booklet, firstName: 'Hassan' }, { ...booklet, firstName: 'Hussein' }).decision).toBe('none');
    expect(score({ ...booklet, firstName: 'Karim', birthDate: '1982-01-01' }, { ...booklet, firstName: 'Omar', birthDate: '1985-06-07' }).decision).toBe('none');
    // The same person registered twice with the booklet still scores likely on the rest.
    expect(score(booklet, booklet).decision).toBe('likely');
  });

  it('[R7][R8] twin sisters, one married and registered under her husband\'s family name, sharing parents, date and phone: no pair', () => {
    const r = score({ firstName: 'Nabila', sex: 'female' }, { firstName: 'Nadia', lastName: 'Khoury', sex: 'female' });
    expect(r.decision).toBe('none');
  });

  it('[R8] a slip the sound key hides (Dylan/Dyan), a mistyped digit of the birth day and a place one typo apart are "similar"', () => {
    const r = score({ firstName: 'Dylan', phone: '' }, { firstName: 'Dyan', birthDate: '1980-03-07', location: 'Tripoki', phone: '' });
    expect(levelOf(r, 'first')).toBe('similar');
    expect(levelOf(r, 'born')).toBe('similar');
    expect(levelOf(r, 'place')).toBe('similar');
    expect(r.decision).toBe('possible');
    // The first name is only similar, so the household rule caps it; with the first name right it is likely.
    expect(score({ phone: '' }, { birthDate: '1980-03-07', location: 'Tripoki', phone: '' }).decision).toBe('likely');
    // The tens of the day mistyped too; two digits apart is another date, and the year alone agrees.
    expect(levelOf(score({}, { birthDate: '1980-03-14' }), 'born')).toBe('similar');
    expect(levelOf(score({}, { birthDate: '1980-03-27' }), 'born')).toBe('same-year');
  });

  it('[R7][R8] twins (Hadi/Hani) born on one day, one registered with a mistyped birth day: still no pair', () => {
    expect(score({ firstName: 'Hadi' }, { firstName: 'Hani', birthDate: '1980-03-07' }).decision).not.toBe('likely');
    expect(score({ firstName: 'Hassan' }, { firstName: 'Hussein', birthDate: '1980-03-07' }).decision).toBe('none');
  });

  it('[R8] u without the duplicates among random pairs: a small list full of duplicates no longer makes a shared document look common', () => {
    const u = { ...DEFAULT_SCORE_PARAMETERS.u, doc: [0.0004, 0.0001, 0.9995] };
    const m = { ...DEFAULT_SCORE_PARAMETERS.m, doc: [0.75, 0.05, 0.2] };
    const cleared = uWithoutDuplicates(u, m, 0.0005, 200_000);
    // 0.0004 of random pairs agreed, 0.0005 × 0.75 of them because they were one person.
    expect(cleared.doc[0]).toBeCloseTo(0.0004 - 0.0005 * 0.75, 6);
    expect(cleared.doc[0]).toBeGreaterThanOrEqual(1 / 200_000);
    // A level the duplicates explain entirely keeps one sample's worth, never zero or less.
    expect(uWithoutDuplicates(u, m, 0.001, 200_000).doc[0]).toBeCloseTo(1 / 200_000, 8);
    for (const f of Object.keys(cleared) as (keyof typeof cleared)[]) expect(cleared[f].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);

    // A list where every second record is the first again with its year alone: the document is shared
    // by one random pair in 400, all of them duplicates; cleared, it weighs as what it is.
    const records: ScoreInput[] = [];
    for (let i = 0; i < 400; i++) {
      const row = { firstName: ['Karim', 'Omar', 'Ziad', 'Rami'][i % 4]!, lastName: ['Haddad', 'Khoury', 'Nassar'][i % 3]!, birthDate: `19${50 + (i % 50)}-0${1 + (i % 9)}-1${i % 9}`, phone: '', location: '', documentType: 'National ID', documentNumber: `LB${100_000 + i}` };
      records.push(contact(row), contact({ ...row, birthDate: row.birthDate.slice(0, 4) }));
    }
    const profiles = records.map(scoreProfile);
    const pairs = candidatePairs(records.map((r) => [r.documentNumber!, `${r.lastName}|${r.birth.kind === 'date' ? r.birth.date.slice(0, 4) : r.birth.year}`]));
    const vectors = pairs.map(([i, j]) => compareProfiles(profiles[i]!, profiles[j]!));
    const raw = estimateU(profiles, mulberry32(3), 50_000);
    const fitted = estimateFromList(profiles, vectors, mulberry32(3), 50_000);
    expect(raw.doc[0]).toBeGreaterThan(0.001);
    expect(fitted.u.doc[0]).toBeLessThan(raw.doc[0]! / 10);
  });

  it('[R8] Jaro–Winkler matches the published values (MARTHA/MARHTA 0.961, DWAYNE/DUANE 0.84, DIXON/DICKSONX 0.813)', () => {
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.961, 3);
    expect(jaroWinkler('DWAYNE', 'DUANE')).toBeCloseTo(0.84, 2);
    expect(jaroWinkler('DIXON', 'DICKSONX')).toBeCloseTo(0.813, 3);
    expect(jaroWinkler('', '')).toBe(0);
  });

  it('[R8] EM learns from unlabelled candidate pairs that an agreeing father weighs for a duplicate and a different one against, with a prior over the whole list', () => {
    const random = mulberry32(5);
    const people: { person: number; contact: ScoreInput }[] = [];
    const names = ['Karim', 'Omar', 'Ziad', 'Rami', 'Hadi', 'Bilal', 'Walid', 'Fadi', 'Samir', 'Tarek'];
    const families = ['Haddad', 'Khoury', 'Nassar', 'Saad', 'Fares', 'Aoun', 'Hajj', 'Salem'];
    for (let i = 0; i < 400; i++) {
      const row = { firstName: names[i % 10]!, lastName: families[Math.floor(random() * 8)]!, fatherName: names[Math.floor(random() * 10)]!, motherName: '', birthDate: `19${50 + Math.floor(random() * 50)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`, phone: '', location: '' };
      people.push({ person: i, contact: contact(row) });
      if (i % 4 === 0) people.push({ person: i, contact: contact({ ...row, birthDate: row.birthDate.slice(0, 4) }) });
    }
    const profiles = people.map((p) => scoreProfile(p.contact));
    const pairs = candidatePairs(people.map((p) => [`${scoreProfile(p.contact).names.first!.key}|${p.contact.birth.kind === 'date' ? p.contact.birth.date.slice(0, 4) : String(p.contact.birth.year)}`]));
    const vectors = pairs.map(([i, j]) => compareProfiles(profiles[i]!, profiles[j]!));
    const params = withListPrior(estimateM(vectors, estimateU(profiles, mulberry32(9), 20_000)), pairs.length, people.length);
    // Agreeing on the family and father's name must weigh for a duplicate, a different father against.
    expect(Math.log2(params.m.father[0]! / params.u.father[0]!)).toBeGreaterThan(1);
    expect(Math.log2(params.m.father[4]! / params.u.father[4]!)).toBeLessThan(0);
    expect(params.prior).toBeGreaterThan(0);
    expect(params.prior).toBeLessThan(0.01);
  });
});

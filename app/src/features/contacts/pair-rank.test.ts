import { describe, expect, it } from 'vitest';
import { pendingPair, testContact } from '@ihyid/shared';
import { rankPairs, scoreAgainst, scoreContacts, scoreHere } from './pair-rank';

const at = new Date('2026-12-05T00:00:00Z');
const pair = (a: string, b: string) => pendingPair({ a, b, keys: [], foundBy: 'save', at });

// A re-registration in Arabic script with day and month swapped, the same phone.
const hassan = testContact('c-1', 'Hassan', { lastName: 'El Khoury', fatherName: 'Ali', motherName: 'Zeinab', birth: { kind: 'date', date: '2001-03-04' }, phone: '+96170123456' });
const hassanAr = testContact('c-2', 'حسن', { lastName: 'الخوري', fatherName: 'علي', motherName: 'زينب', birth: { kind: 'date', date: '2001-04-03' }, phone: '+96170123456' });
// Same first and last name and place and a birth date a year apart, but another father's name: worth a look, no more.
const rami = testContact('c-3', 'Rami', { lastName: 'Saad', fatherName: 'Elias', motherName: 'Mona', birth: { kind: 'date', date: '1990-01-01' }, phone: '+96171000000', location: 'Zahle' });
const ramiOther = testContact('c-4', 'Rami', { lastName: 'Saad', fatherName: 'Elie', motherName: '', birth: { kind: 'date', date: '1991-01-01' }, phone: '', location: 'Zahle' });
// Twins: everything agrees but the first name.
const hussein = testContact('c-5', 'Hussein', { lastName: 'El Khoury', fatherName: 'Ali', motherName: 'Zeinab', birth: { kind: 'date', date: '2001-03-04' }, phone: '+96170123456' });

describe('[R8] the local scorer in the duplicate review (#15 item 2)', () => {
  it('[R8] an Arabic/Latin re-registration with day and month swapped is likely, with the evidence per field', () => {
    const score = scoreContacts(hassan, hassanAr);
    expect(score.decision).toBe('likely');
    const level = Object.fromEntries(score.reasons.map((r) => [r.field, r.level]));
    expect(level).toMatchObject({ first: 'same-sound', last: 'same-sound', father: 'same-sound', born: 'day-month-swapped', phone: 'same' });
    expect(score.reasons.every((r) => r.weight > 0)).toBe(true);
  });

  it('[R7][R8] twins who share everything but the first name are no pair, whatever else agrees', () => {
    expect(scoreContacts(hassan, hussein).decision).toBe('none');
  });

  it('[R8] likely pairs come before possible ones, and a pair whose record is gone is left out', async () => {
    const thin = scoreContacts(rami, ramiOther);
    expect(thin.decision).toBe('possible');
    expect(thin.reasons.find((r) => r.field === 'father')).toMatchObject({ level: 'different' });
    expect(thin.reasons.find((r) => r.field === 'father')!.weight).toBeLessThan(0);
    const ranked = await rankPairs([pair('c-3', 'c-4'), pair('c-1', 'c-9'), pair('c-1', 'c-2'), pair('c-1', 'c-5')], [hassan, hassanAr, rami, ramiOther, hussein, undefined], 10, scoreHere);
    expect(ranked.map((r) => r.pair.id)).toEqual([pair('c-1', 'c-2').id, pair('c-3', 'c-4').id, pair('c-1', 'c-5').id]);
    expect(ranked.map((r) => r.score.decision)).toEqual(['likely', 'possible', 'none']);
    expect((await rankPairs([pair('c-3', 'c-4'), pair('c-1', 'c-2')], [hassan, hassanAr, rami, ramiOther], 1, scoreHere)).map((r) => r.pair.id)).toEqual([pair('c-1', 'c-2').id]);
  });

  it('[R8][R9] a draft is scored against candidates in the worker, and here when the worker fails', async () => {
    const asked: number[] = [];
    const worker = { scorePairs: (pairs: Parameters<typeof scoreHere>[0]) => (asked.push(pairs.length), scoreHere(pairs)) };
    expect((await scoreAgainst(worker, hassan)([hassanAr, hussein])).map((s) => s.decision)).toEqual(['likely', 'none']);
    expect(asked).toEqual([2]);
    const failing = { scorePairs: () => Promise.reject(new Error('worker gone')) };
    expect((await scoreAgainst(failing, hassan)([hassanAr])).map((s) => s.decision)).toEqual(['likely']);
  });
});

import { describe, expect, it } from 'vitest';
import { emptyContactInput, validateContactInput, type ContactInput } from '../src/contact/contact.js';
import { BLOCK_CAP, blockingKeys, blockingTerms, candidatePairs } from '../src/matching/blocking-keys.js';
import { matchKeysV2 } from '../src/matching/match-keys-v2.js';
import { DEFAULT_SCORE_PARAMETERS } from '../src/matching/scorer-defaults.js';
import { scorePair, type ScoreInput } from '../src/matching/scorer.js';

const base: ContactInput = { ...emptyContactInput(), firstName: 'Mohammad', lastName: 'Haddad', fatherName: 'Ali', motherName: 'Zeinab', birthDate: '1980-03-14', sex: 'male', phone: '', location: 'Tripoli' };
function contact(over: Partial<ContactInput> = {}): ScoreInput {
  const v = validateContactInput({ ...base, ...over }, { today: '2026-11-22' });
  if (!v.ok) throw new Error(JSON.stringify(v.error));
  return v.value;
}
/** Registered without father, place or phone: the match keys then all carry the family name or the first name. */
const sparse: Partial<ContactInput> = { fatherName: '', location: '', phone: '' };
const shared = (a: readonly string[], b: readonly string[]) => a.filter((k) => b.includes(k));
/** Found by the blocking terms and not by any match key: only the scorer can make it a pair. */
function foundOnlyByBlocking(a: ScoreInput, b: ScoreInput) {
  expect(shared(matchKeysV2(a), matchKeysV2(b))).toEqual([]);
  expect(shared(blockingTerms(a), blockingTerms(b)).length).toBeGreaterThan(0);
  return scorePair(a, b, DEFAULT_SCORE_PARAMETERS);
}

describe('blocking terms (R8, PROTOCOL.md §4.5)', () => {
  it('[R8] a re-registration with a one-letter typo in the family name: no match key, a blocking term, scored likely', () => {
    const r = foundOnlyByBlocking(contact(sparse), contact({ ...sparse, lastName: 'Haddaf' }));
    expect(r.decision).toBe('likely');
    expect(r.reasons.find((x) => x.field === 'last')!.level).toBe('similar');
  });

  it('[R8] the typo and the day and month of birth swapped: the birth date term is order-free, scored likely', () => {
    const swapped = contact({ ...sparse, lastName: 'Haddaf', birthDate: '1980-12-03' });
    const original = contact({ ...sparse, birthDate: '1980-03-12' });
    expect(blockingTerms(original)).toContain('b:born:1980-03-12');
    expect(blockingTerms(swapped)).toContain('b:born:1980-03-12');
    const r = foundOnlyByBlocking(original, swapped);
    expect(r.decision).toBe('likely');
    expect(r.reasons.find((x) => x.field === 'born')!.level).toBe('day-month-swapped');
  });

  it('[R7][R8] siblings and twins (same parents, family name, place and phone) share a blocking term but are no pair', () => {
    const home = { phone: '+9613123456' };
    const sister = contact({ ...home, firstName: 'Fatima', sex: 'female', birthDate: '1983-06-20' });
    const brother = contact({ ...home, firstName: 'Karim', birthDate: '1981-02-27' });
    expect(shared(blockingTerms(sister), blockingTerms(brother))).toEqual(['b:phone:+9613123456']);
    expect(foundOnlyByBlocking(sister, brother).decision).toBe('none');
    // Twins share the birth date as well: found by blocking, and still no pair.
    expect(foundOnlyByBlocking(contact({ ...home, firstName: 'Hassan' }), contact({ ...home, firstName: 'Hussein' })).decision).toBe('none');
  });

  it('[R8] every term carries the `b:` domain, so none equals a match key; blockingKeys is both', () => {
    const c = contact({ phone: '+9613123456', documentType: 'National ID', documentNumber: 'LB-123 456' });
    const terms = blockingTerms(c);
    expect(terms.map((t) => t.split(':').slice(0, 2).join(':'))).toEqual(['b:born', 'b:born-place', 'b:first-year', 'b:first-last', 'b:phone', 'b:doc']);
    expect(terms.every((t) => t.startsWith('b:'))).toBe(true);
    expect(matchKeysV2(c).some((k) => k.startsWith('b:'))).toBe(false);
    expect(blockingKeys(c)).toEqual([...matchKeysV2(c), ...terms]);
    // Spellings of one name and of one document give one term.
    expect(blockingTerms(contact({ firstName: 'محمد', lastName: 'حداد' }))).toEqual(blockingTerms(contact()));
    expect(blockingTerms(c)).toContain('b:doc:LB123456');
  });

  it('[R8] a term shared by more records than the cap proposes no pair', () => {
    const crowded = Array.from({ length: BLOCK_CAP + 1 }, () => ['b:born:1980-01-01']);
    expect(candidatePairs(crowded)).toEqual([]);
    expect(candidatePairs([['x', 'y'], ['y'], ['x']])).toEqual(expect.arrayContaining([[0, 1], [0, 2]]));
  });
});

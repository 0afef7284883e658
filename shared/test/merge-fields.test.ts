import { describe, expect, it } from 'vitest';
import {
  aliasVariants,
  chooseFields,
  matchesNameQuery,
  matchKeys,
  mergeDifferences,
  nameTerms,
  planMerge,
  testContact,
  type Contact,
  type MergeChoices,
} from '../src/index.js';

const who = { by: 'amal', at: new Date('2026-12-05T04:00:00.000Z') };

/** A stored contact with the keys the app would compute for it. */
function person(id: string, over: Partial<Contact>): Contact {
  const c = testContact(id, over.firstName ?? 'Fatima', { lastName: 'Haddad', ...over });
  return { ...c, matchKeys: matchKeys(c) };
}

const merge = (keep: Contact, gone: Contact, choices?: MergeChoices) => planMerge(keep, gone, undefined, [], () => false, who, choices).kept;

describe('merge field by field', () => {
  it('[R8] lists only the fields that differ, and by default a known value wins over an unknown one', () => {
    const keep = person('a', { sex: 'unknown', birth: { kind: 'year', year: 1976, approximate: true }, phone: '', location: 'Tyre' });
    const gone = person('b', { firstName: 'فاطمة', lastName: 'حداد', sex: 'female', birth: { kind: 'date', date: '1976-05-07' }, phone: '+9613123456', location: '' });
    expect(mergeDifferences(keep, gone)).toEqual([
      { field: 'firstName', side: 'kept' },
      { field: 'lastName', side: 'kept' },
      { field: 'birth', side: 'merged' },
      { field: 'sex', side: 'merged' },
      { field: 'phone', side: 'merged' },
      { field: 'location', side: 'kept' },
    ]);
    const kept = merge(keep, gone);
    expect(kept).toMatchObject({ id: 'a', firstName: 'Fatima', lastName: 'Haddad', sex: 'female', birth: { kind: 'date', date: '1976-05-07' }, phone: '+9613123456', location: 'Tyre' });
    // The other way round the same values win: what is known does not depend on which record is older.
    expect(merge(gone, keep)).toMatchObject({ id: 'b', sex: 'female', birth: { kind: 'date', date: '1976-05-07' }, phone: '+9613123456', location: 'Tyre' });
  });

  it('[R8] where both are known the kept record wins by default, and the caseworker’s choice wins over any default', () => {
    const keep = person('a', { sex: 'male', phone: '+9613111111', notes: 'kept' });
    const gone = person('b', { sex: 'female', phone: '+9613222222', notes: '' });
    expect(merge(keep, gone)).toMatchObject({ sex: 'male', phone: '+9613111111', notes: 'kept' });
    const chosen = merge(keep, gone, { fields: { sex: 'merged', phone: 'merged', notes: 'merged' } });
    expect(chosen).toMatchObject({ sex: 'female', phone: '+9613222222', notes: '' });
    // A choice of the kept side keeps it even where the other value is better known.
    const unknownSex = person('c', { sex: 'unknown' });
    expect(merge(unknownSex, gone, { fields: { sex: 'kept' } }).sex).toBe('unknown');
  });

  it('[R8][X8] the other spelling is kept as an alias: its keys stay on the contact and search finds it', () => {
    const keep = person('a', { firstName: 'Fatima', lastName: 'Haddad', fatherName: 'Ahmad' });
    const gone = person('b', { firstName: 'فاطمة', lastName: 'حداد', fatherName: 'احمد' });
    const kept = merge(keep, gone);
    expect(kept.aliases).toEqual([{ firstName: 'فاطمة', lastName: 'حداد', fatherName: 'احمد', motherName: 'Barbara' }]);
    expect(kept.matchKeys).toEqual(expect.arrayContaining([...keep.matchKeys!, ...gone.matchKeys!]));
    expect(matchesNameQuery(kept, 'فاطمة')).toBe(true);
    expect(nameTerms(kept)).toEqual(expect.arrayContaining(nameTerms(gone)));
    // A family name that sounds nothing alike (a married name) is found only through the alias.
    const married = merge(keep, person('c', { firstName: 'Fatima', lastName: 'Khoury', fatherName: 'Ahmad' }));
    expect(matchesNameQuery(keep, 'Khoury')).toBe(false);
    expect(matchesNameQuery(married, 'Khoury')).toBe(true);
    expect(matchesNameQuery(married, 'Fatima Khoury')).toBe(true);
    // The keys an edit recomputes come from the record under each alias: the other spelling's keys are among them.
    const recomputed = [kept, ...aliasVariants(kept, kept.aliases)].flatMap((r) => matchKeys(r));
    expect(recomputed).toEqual(expect.arrayContaining(matchKeys({ ...kept, firstName: 'فاطمة', lastName: 'حداد', fatherName: 'احمد' })));
  });

  it('[R8] choosing the other record’s name keeps the replaced one as the alias, and takes the keys and phonetic id computed for the result', () => {
    const keep = person('a', { firstName: 'Fatma' });
    const gone = person('b', { firstName: 'Fatima' });
    const kept = merge(keep, gone, { fields: { firstName: 'merged' }, matchKeys: ['computed-key'], phoneticIdV0: null });
    expect(kept.firstName).toBe('Fatima');
    expect(kept.aliases?.map((a) => a.firstName)).toEqual(['Fatma']);
    expect(kept.matchKeys).toEqual(expect.arrayContaining(['computed-key', ...keep.matchKeys!, ...gone.matchKeys!]));
  });

  it('[R8] a second merge accumulates aliases, each spelling once, and never lists the kept name itself', () => {
    const first = merge(person('a', { firstName: 'Fatima' }), person('b', { firstName: 'Fatma' }));
    const third = person('c', { firstName: 'فاطمة', aliases: [{ firstName: 'Fatma', lastName: 'Haddad', fatherName: 'Michael', motherName: 'Barbara' }] });
    const second = merge(first, third);
    expect(second.aliases?.map((a) => a.firstName)).toEqual(['Fatma', 'فاطمة']);
    expect(second.matchKeys).toEqual(expect.arrayContaining([...first.matchKeys!, ...third.matchKeys!]));
    // The same spelling merged again adds nothing.
    expect(merge(second, person('d', { firstName: 'Fatma' })).aliases).toEqual(second.aliases);
    // Records that agree on every name leave no alias at all.
    expect(chooseFields(person('e', {}), person('f', { sex: 'female' })).aliases).toBeUndefined();
  });

  it('[R8] the merged record is kept whole, as it was, in the merge plan', () => {
    const keep = person('a', { sex: 'unknown' });
    const gone = person('b', { firstName: 'فاطمة', sex: 'female' });
    const plan = planMerge(keep, gone, undefined, [], () => false, who, { fields: { sex: 'kept' } });
    expect(plan.merged).toEqual({ id: 'b', intoId: 'a', mergedAt: who.at.toISOString(), mergedBy: 'amal', record: gone });
    expect(plan.kept).toMatchObject({ id: 'a', secretHex: keep.secretHex, createdAt: keep.createdAt, updatedAt: who.at.toISOString() });
  });
});

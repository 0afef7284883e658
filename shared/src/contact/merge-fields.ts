import type { PhoneticIdV0 } from '../core/ids.js';
import type { Contact, ContactAlias } from './contact.js';

/**
 * R8 "same person": the caseworker chooses, field by field, what the kept record says. Nothing
 * known is lost silently: by default a known value beats an unknown one, wherever it comes from.
 */

/** The fields a merge compares, in the order the form shows them. */
export const MERGE_FIELDS = [
  'firstName',
  'lastName',
  'fatherName',
  'motherName',
  'birth',
  'sex',
  'phone',
  'documentType',
  'documentNumber',
  'location',
  'householdSize',
  'notes',
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];

/** Which record a field's value comes from: the one kept, or the one merged into it. */
export type MergeSide = 'kept' | 'merged';

/** What the caseworker chose for a merge (`planMerge`). */
export interface MergeChoices {
  /** Per differing field, the side whose value stays; a field left out takes `defaultSide`. */
  readonly fields?: Partial<Record<MergeField, MergeSide>>;
  /**
   * R9: the match keys and phonetic id of the chosen record and of its aliases, computed in the
   * worker (the store does no phonetics). The kept record gets them on top of both records' keys.
   */
  readonly matchKeys?: readonly string[];
  readonly phoneticIdV0?: PhoneticIdV0 | null;
}

export type MergeFields = Pick<Contact, MergeField> & Pick<Contact, 'aliases'>;

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** How much a value tells: 0 unknown or empty, 1 partly known (a birth year alone), 2 known. */
function known(field: MergeField, value: unknown): number {
  if (field === 'birth') return (value as Contact['birth']).kind === 'date' ? 2 : 1;
  if (field === 'sex') return value === 'unknown' ? 0 : 2;
  if (field === 'householdSize') return value === null ? 0 : 2;
  return typeof value === 'string' && value.trim() !== '' ? 2 : 0;
}

/**
 * The side chosen unless the caseworker says otherwise: the merged record's value only when it is
 * better known (a known sex over 'unknown', a full date over a year, a phone over none); otherwise
 * the kept record's.
 */
export function defaultSide(field: MergeField, kept: MergeFields, merged: MergeFields): MergeSide {
  return known(field, merged[field]) > known(field, kept[field]) ? 'merged' : 'kept';
}

/** The fields where the two records differ, each with its default side. */
export function mergeDifferences(kept: MergeFields, merged: MergeFields): { field: MergeField; side: MergeSide }[] {
  return MERGE_FIELDS.filter((f) => !same(kept[f], merged[f])).map((field) => ({ field, side: defaultSide(field, kept, merged) }));
}

const namesOf = (r: ContactAlias): ContactAlias => ({
  firstName: r.firstName,
  lastName: r.lastName,
  fatherName: r.fatherName,
  motherName: r.motherName,
});

/**
 * The names left over once the kept record's names are chosen: the names either record had (its
 * own and its aliases) that differ from the result, each once, oldest first. A second merge thus
 * adds to the aliases, and a spelling the caseworker replaced stays findable.
 */
export function aliasesAfterMerge(result: ContactAlias, kept: MergeFields, merged: MergeFields): ContactAlias[] {
  const all = [namesOf(kept), ...(kept.aliases ?? []), namesOf(merged), ...(merged.aliases ?? [])].map(namesOf);
  const seen = new Set([JSON.stringify(namesOf(result))]);
  return all.filter((a) => {
    const id = JSON.stringify(a);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** The kept record's fields after the merge, with the aliases it gains. */
export function chooseFields(kept: MergeFields, merged: MergeFields, choices: MergeChoices['fields'] = {}): MergeFields {
  const chosen: Record<string, unknown> = {};
  for (const field of MERGE_FIELDS) {
    const side = choices[field] ?? defaultSide(field, kept, merged);
    chosen[field] = (side === 'merged' ? merged : kept)[field];
  }
  const result = chosen as Pick<Contact, MergeField>;
  const aliases = aliasesAfterMerge(result, kept, merged);
  return { ...result, ...(aliases.length > 0 ? { aliases } : {}) };
}

/** The record once under each alias: what the match keys are computed from, so every spelling still finds it. */
export function aliasVariants<T extends ContactAlias>(record: T, aliases: readonly ContactAlias[] | undefined): T[] {
  return (aliases ?? []).map((a) => ({ ...record, ...namesOf(a) }));
}

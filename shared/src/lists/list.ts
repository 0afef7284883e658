import * as v from 'valibot';
import type { ContactId } from '../core/ids.js';
import { isUuidV4 } from '../core/ids.js';
import { err, ok, type Result } from '../core/result.js';

/**
 * D1: a distribution list, a named set of contacts receiving one service (a programme's round in a
 * sector, between two dates, with a transfer value). A contact can be on several lists; a member
 * carries whether this organisation already serves it, which the "already serving keeps it" rule
 * (D3) states to partners.
 */
export type ListId = string & { readonly __brand: 'ListId' };

export interface ListMember {
  readonly contactId: ContactId;
  /** D3 "keeps": this organisation already delivers to this person (for example in the previous round). */
  readonly alreadyServing: boolean;
}

export interface DistributionList {
  readonly id: ListId;
  readonly name: string;
  readonly programme: string;
  readonly sector: string;
  readonly round: string;
  /** YYYY-MM-DD; end on or after start. */
  readonly startDate: string;
  readonly endDate: string;
  /** Per member and round, in `currency` (ISO 4217, three capital letters). */
  readonly transferValue: number;
  readonly currency: string;
  /** How many people this organisation can serve on this list; null when it does not say. */
  readonly capacity: number | null;
  readonly members: readonly ListMember[];
  readonly createdAt: string;
  readonly updatedAt: string;
}

export const LIST_TEXT_MAX = 80;
export const MAX_LIST_MEMBERS = 200_000;

const Text = (min: number) => v.pipe(v.string(), v.trim(), v.minLength(min, 'Required.'), v.maxLength(LIST_TEXT_MAX, `At most ${LIST_TEXT_MAX} characters.`));

/** A real calendar date: 2026-02-30 is refused, not rolled over into March. */
export function isIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= days[mo - 1]!;
}

const IsoDate = v.pipe(v.string(), v.check(isIsoDate, 'A date like 2026-12-31.'));
const ContactIdSchema = v.pipe(v.string(), v.check(isUuidV4, 'A contact id.'));

export const ListMemberSchema = v.strictObject({
  contactId: v.pipe(ContactIdSchema, v.transform((id) => id as ContactId)),
  alreadyServing: v.boolean(),
});

/** The fields a person fills in (the form), without members and bookkeeping. */
const FIELD_ENTRIES = {
  name: Text(1),
  programme: Text(1),
  sector: Text(1),
  round: Text(1),
  startDate: IsoDate,
  endDate: IsoDate,
  transferValue: v.pipe(v.number('A number.'), v.finite('A number.'), v.minValue(0, 'Zero or more.')),
  currency: v.pipe(v.string(), v.trim(), v.toUpperCase(), v.regex(/^[A-Z]{3}$/, 'Three letters, like USD or LBP.')),
  capacity: v.nullable(v.pipe(v.number('A whole number.'), v.integer('A whole number.'), v.minValue(0, 'Zero or more.'), v.maxValue(MAX_LIST_MEMBERS, `At most ${MAX_LIST_MEMBERS}.`))),
};

export const ListFieldsSchema = v.pipe(
  v.strictObject(FIELD_ENTRIES),
  v.forward(
    v.check((f) => f.endDate >= f.startDate, 'The end date is before the start date.'),
    ['endDate'],
  ),
);
export type ListFields = v.InferOutput<typeof ListFieldsSchema>;

/** A stored or received list, parsed from unknown. */
export const DistributionListSchema = v.pipe(
  v.strictObject({
    ...FIELD_ENTRIES,
    id: v.pipe(v.string(), v.check(isUuidV4, 'A list id.'), v.transform((id) => id as ListId)),
    members: v.pipe(v.array(ListMemberSchema), v.maxLength(MAX_LIST_MEMBERS)),
    createdAt: v.pipe(v.string(), v.isoTimestamp()),
    updatedAt: v.pipe(v.string(), v.isoTimestamp()),
  }),
  v.check((l) => l.endDate >= l.startDate, 'The end date is before the start date.'),
  v.check((l) => new Set(l.members.map((m) => m.contactId)).size === l.members.length, 'A contact is on the list twice.'),
);

export type ListFieldErrors = Partial<Record<keyof ListFields, string>>;

/** D1: the form's fields, validated; one sentence per invalid field, shown beside it. */
export function validateListFields(input: unknown): Result<ListFields, ListFieldErrors> {
  const parsed = v.safeParse(ListFieldsSchema, input);
  if (parsed.success) return ok(parsed.output);
  const errors: ListFieldErrors = {};
  for (const issue of parsed.issues) {
    const key = issue.path?.[0]?.key as keyof ListFields | undefined;
    if (key && !errors[key]) errors[key] = issue.message;
  }
  return err(errors);
}

export function parseDistributionList(raw: unknown): Result<DistributionList, string> {
  const parsed = v.safeParse(DistributionListSchema, raw);
  if (parsed.success) return ok(parsed.output);
  const first = parsed.issues[0];
  return err(`${first?.path?.map((p) => String(p.key)).join('.') ?? ''}: ${first?.message ?? 'invalid'}`);
}

/** D1: members from several sources (the contacts, an import, a previous list), each contact once, in first-seen order; already serving if any source says so. */
export function mergeMembers(...groups: readonly (readonly ListMember[])[]): ListMember[] {
  const byId = new Map<ContactId, boolean>();
  for (const group of groups) for (const m of group) byId.set(m.contactId, (byId.get(m.contactId) ?? false) || m.alreadyServing);
  return [...byId].map(([contactId, alreadyServing]) => ({ contactId, alreadyServing }));
}

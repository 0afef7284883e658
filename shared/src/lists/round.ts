import canonicalize from 'canonicalize';
import * as v from 'valibot';
import { sha256 } from '@noble/hashes/sha2.js';
import type { ErrorCode } from '../core/errors.js';
import { bytesToHex } from '../core/hex.js';
import { isUuidV4, type ContactId, type OrgFingerprint } from '../core/ids.js';
import { uuidV4, type RandomBytes } from '../core/random.js';
import { err, ok, type Result } from '../core/result.js';
import { taggedMessage } from '../identity/keys.js';
import { ASSIGN_RULES, type AssignReason, type ContactOutcome } from './assignment.js';
import { LIST_TEXT_MAX, MAX_LIST_MEMBERS, type ListMember } from './list.js';
import type { AssignmentSummary } from './summary.js';

/**
 * D4: a coordinator runs a round over more than two organisations as sequential pairwise
 * negotiations, in an order fixed by the plan every participant receives (and can compare by its
 * hash) before anything starts. The pairs are all pairs of participants in plan order: (0,1), (0,2),
 * …, (1,2), …. Each participant runs its own pairs in that order; the globally first unfinished pair
 * can always run, so the round cannot deadlock. A contact given away in an earlier pair is not offered
 * again; a contact given to us in an earlier pair is offered as bound, and stays ours (reason "round").
 */
export const ROUND_TAG = 'ihyid-round-v1';
export const MAX_ROUND_PARTICIPANTS = 16;

const Fingerprint = v.pipe(v.string(), v.regex(/^[A-Z2-7]{32}$/), v.transform((s) => s as OrgFingerprint));
const Text = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(LIST_TEXT_MAX));

export const RoundPlanSchema = v.pipe(
  v.strictObject({
    v: v.literal(1),
    roundId: v.pipe(v.string(), v.check(isUuidV4, 'a round id')),
    coordinator: Fingerprint,
    participants: v.pipe(v.array(Fingerprint), v.minLength(2), v.maxLength(MAX_ROUND_PARTICIPANTS)),
    rule: v.picklist(ASSIGN_RULES),
    /** What a participant sees before joining (D2): the coordinator's list, described. */
    list: v.strictObject({ name: Text, programme: Text, round: Text, members: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_LIST_MEMBERS)) }),
  }),
  v.check((p) => new Set(p.participants).size === p.participants.length, 'a participant is listed twice'),
  v.check((p) => p.participants.includes(p.coordinator), 'the coordinator takes part'),
);
export type RoundPlan = v.InferOutput<typeof RoundPlanSchema>;

/**
 * D4: a new plan for `participants` in this order (the coordinator among them), with a fresh round
 * id; refused, with the schema's sentence, when it is not one every participant would accept.
 */
export function makeRoundPlan(
  random: RandomBytes,
  coordinator: OrgFingerprint,
  participants: readonly OrgFingerprint[],
  rule: RoundPlan['rule'],
  list: RoundPlan['list'],
): Result<RoundPlan, string> {
  const parsed = v.safeParse(RoundPlanSchema, { v: 1, roundId: uuidV4(random), coordinator, participants: [...participants], rule, list });
  return parsed.success ? ok(parsed.output) : err(parsed.issues[0]?.message ?? 'invalid plan');
}

/** hex SHA-256(UTF-8("ihyid-round-v1" LF canonical-JSON(plan))): what participants compare. */
export const planHash = (plan: RoundPlan): string => bytesToHex(sha256(taggedMessage(ROUND_TAG, canonicalize(plan)!)));

export interface RoundPair {
  readonly index: number;
  readonly a: OrgFingerprint;
  readonly b: OrgFingerprint;
}

export function roundPairs(plan: RoundPlan): RoundPair[] {
  const { participants: p } = plan;
  const pairs: RoundPair[] = [];
  for (let i = 0; i < p.length; i++) for (let j = i + 1; j < p.length; j++) pairs.push({ index: pairs.length, a: p[i]!, b: p[j]! });
  return pairs;
}

export const pairsOf = (plan: RoundPlan, me: OrgFingerprint): RoundPair[] => roundPairs(plan).filter((x) => x.a === me || x.b === me);
export const partnerIn = (pair: RoundPair, me: OrgFingerprint): OrgFingerprint => (pair.a === me ? pair.b : pair.a);

/** How one pair ended, as this participant records it. */
export type PairResult =
  | { readonly index: number; readonly status: 'agreed'; readonly summary: AssignmentSummary }
  | { readonly index: number; readonly status: 'skipped'; readonly absent: OrgFingerprint }
  | { readonly index: number; readonly status: 'failed'; readonly code: ErrorCode };

/** This participant's next pair: its first pair in plan order without a result, or null when done. */
export function nextPair(plan: RoundPlan, me: OrgFingerprint, results: readonly PairResult[]): RoundPair | null {
  const done = new Set(results.map((r) => r.index));
  return pairsOf(plan, me).find((x) => !done.has(x.index)) ?? null;
}

/** Who serves each contact so far in the round, from this participant's agreed pairs. */
export interface RoundEntry extends ContactOutcome {
  readonly pair: number;
}
export type RoundLedger = ReadonlyMap<ContactId, RoundEntry>;

/** D4: the members to offer in the next pair: all but those given away earlier in the round. */
export function offeredMembers(members: readonly ListMember[], ledger: RoundLedger, me: OrgFingerprint): ListMember[] {
  return members.filter((m) => {
    const entry = ledger.get(m.contactId);
    return !entry || entry.server === me;
  });
}

/** Bound: given to us earlier in the round, so stated as ours in the next pair. */
export const boundIn = (ledger: RoundLedger, me: OrgFingerprint) => (id: ContactId): boolean => ledger.get(id)?.server === me;

/** The ledger after an agreed pair (never after a failed one: nothing of it is kept). */
export function withPair(ledger: RoundLedger, pair: number, outcomes: ReadonlyMap<ContactId, ContactOutcome>): Map<ContactId, RoundEntry> {
  const next = new Map(ledger);
  for (const [id, o] of outcomes) next.set(id, { server: o.server, reason: o.reason, pair });
  return next;
}

/** D4: the final list: every member is served by us, or by one named partner (with the reason and the pair). */
export type FinalMark = { readonly serve: true } | { readonly serve: false; readonly servedBy: OrgFingerprint; readonly reason: AssignReason; readonly pair: number };

export function finalMarks(members: readonly ListMember[], ledger: RoundLedger, me: OrgFingerprint): Map<ContactId, FinalMark> {
  const marks = new Map<ContactId, FinalMark>();
  for (const m of members) {
    const e = ledger.get(m.contactId);
    marks.set(m.contactId, !e || e.server === me ? { serve: true } : { serve: false, servedBy: e.server, reason: e.reason, pair: e.pair });
  }
  return marks;
}

export interface RoundReport {
  readonly roundId: string;
  readonly agreed: number;
  readonly failed: number;
  /** Participants that were offline for one of their turns (D4), each once, in plan order. */
  readonly skipped: readonly OrgFingerprint[];
}

export function reportRound(plan: RoundPlan, results: readonly PairResult[]): RoundReport {
  const absent = new Set(results.flatMap((r) => (r.status === 'skipped' ? [r.absent] : [])));
  return {
    roundId: plan.roundId,
    agreed: results.filter((r) => r.status === 'agreed').length,
    failed: results.filter((r) => r.status === 'failed').length,
    skipped: plan.participants.filter((p) => absent.has(p)),
  };
}

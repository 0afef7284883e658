import type { ProtocolError } from '../core/errors.js';
import type { ContactId, OrgFingerprint } from '../core/ids.js';
import { err, ok, type Result } from '../core/result.js';
import type { PublicKeyHex, Signer, Verifier } from '../identity/keys.js';
import {
  assign,
  checkStatement,
  contactOutcomes,
  orgPair,
  ownStatement,
  sharedValues,
  type AssignedGroup,
  type AssignRule,
  type ContactOutcome,
  type OwnFlags,
  type SharedByContact,
  type SideStatement,
} from './assignment.js';
import type { ListId } from './list.js';
import { signSummary, summarise, verifyPartnerSummary, type AssignmentSummary, type SignedSummary } from './summary.js';

/**
 * One pair's negotiation as each side runs it (D3), in three steps around two exchanges:
 *   1. `openPair`: the shared values and this side's statement (sent to the partner);
 *   2. `assignPair`, with the partner's statement: groups, outcomes, our signed summary (sent);
 *   3. `concludePair`, with the partner's signed summary: verify, then store, or store nothing.
 */
export interface PairContext {
  readonly listId: ListId;
  readonly roundId: string;
  readonly checkId: string;
  readonly self: OrgFingerprint;
  readonly partner: OrgFingerprint;
  readonly rule: AssignRule;
}

export interface OpenPair {
  readonly ctx: PairContext;
  readonly shared: SharedByContact;
  readonly values: string[];
  readonly statement: SideStatement;
}

export function openPair(ctx: PairContext, shared: SharedByContact, flags: OwnFlags, capacity: number | null): OpenPair {
  const values = sharedValues(shared);
  return { ctx, shared, values, statement: ownStatement(shared, values, flags, capacity) };
}

export interface AssignedPair extends OpenPair {
  readonly groups: AssignedGroup[];
  readonly outcomes: Map<ContactId, ContactOutcome>;
  readonly ours: SignedSummary;
}

export async function assignPair(open: OpenPair, theirs: SideStatement, signer: Signer): Promise<Result<AssignedPair, ProtocolError>> {
  const checked = checkStatement(theirs, open.values.length);
  if (!checked.ok) return checked;
  const { ctx, values, statement } = open;
  const orgs = orgPair(ctx.self, ctx.partner);
  const statements: [SideStatement, SideStatement] = ctx.self === orgs[0] ? [statement, theirs] : [theirs, statement];
  const groups = assign({ values, orgs, rule: ctx.rule, statements });
  const summary: AssignmentSummary = summarise({ rule: ctx.rule, checkId: ctx.checkId, roundId: ctx.roundId, orgs, values, groups });
  const ours = await signSummary(signer, summary);
  return ok({ ...open, groups, outcomes: contactOutcomes(open.shared, values, groups), ours });
}

/** What is stored of an agreed pair: each own contact's outcome and both signed summaries (D5). */
export interface AgreedPair {
  readonly ctx: PairContext;
  readonly outcomes: ReadonlyMap<ContactId, ContactOutcome>;
  readonly ours: SignedSummary;
  readonly theirs: SignedSummary;
}

/** An agreed pair as both sides name it: its round ('' outside one) and the check it was decided on. */
export interface HeldPair {
  readonly roundId: string;
  readonly checkId: string;
}

/** Where an agreed pair goes: the app's ListStore, a fake in tests. `savePair` is called once, with the whole pair. */
export interface AgreedPairSink {
  savePair(pair: AgreedPair): Promise<void>;
  /** §7.8: the pairs stored here as agreed with `partner`, newest first. */
  heldWith(partner: OrgFingerprint): Promise<HeldPair[]>;
  /** §7.8: undo these pairs agreed with `partner` (their outcomes and their round results), in one transaction. */
  undoPairs(partner: OrgFingerprint, pairs: readonly HeldPair[]): Promise<void>;
}

/** D3: the partner's summary must be signed by its verified key and equal ours; otherwise nothing is stored. */
export async function concludePair(
  assigned: AssignedPair,
  theirs: unknown,
  partnerKey: PublicKeyHex,
  verify: Verifier,
  sink: Pick<AgreedPairSink, 'savePair'>,
): Promise<Result<AgreedPair, ProtocolError>> {
  const verified = await verifyPartnerSummary(assigned.ours.summary, theirs, partnerKey, verify);
  if (!verified.ok) return err(verified.error);
  const pair: AgreedPair = { ctx: assigned.ctx, outcomes: assigned.outcomes, ours: assigned.ours, theirs: verified.value };
  await sink.savePair(pair);
  return ok(pair);
}

import canonicalize from 'canonicalize';
import * as v from 'valibot';
import { sha256 } from '@noble/hashes/sha2.js';
import { ErrorCode, protocolError, type ProtocolError } from '../core/errors.js';
import { bytesToHex, hexToBytes, isLowerHex, utf8ToBytes } from '../core/hex.js';
import type { OrgFingerprint } from '../core/ids.js';
import { err, ok, type Result } from '../core/result.js';
import { isPublicKeyHex, taggedMessage, type PublicKeyHex, type Signer, type Verifier } from '../identity/keys.js';
import { ASSIGN_REASONS, ASSIGN_RULES, ASSIGN_TAG, type AssignedGroup, type AssignReason, type AssignRule, type OrgPair } from './assignment.js';

/**
 * D3: after assigning, each side signs a summary of what it computed and sends it; each compares the
 * partner's with its own, field for field, and verifies the signature with the key the I8 handshake
 * bound to this connection. Any difference aborts the pair and nothing is stored (PROTOCOL.md §7.3).
 */
export const SUMMARY_TAG = 'ihyid-assign-summary-v1';

const Hex32 = v.pipe(v.string(), v.check((s) => isLowerHex(s, 32), '32 bytes of lowercase hex'));
const Fingerprint = v.pipe(v.string(), v.regex(/^[A-Z2-7]{32}$/), v.transform((s) => s as OrgFingerprint));
const Count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000));

export const AssignmentSummarySchema = v.strictObject({
  v: v.literal(1),
  alg: v.literal(ASSIGN_TAG),
  rule: v.picklist(ASSIGN_RULES),
  /** The psi-v2 check whose shared values were used. */
  checkId: v.pipe(v.string(), v.maxLength(64)),
  /** The D4 round this pair belongs to, or '' for a pair on its own. */
  roundId: v.pipe(v.string(), v.maxLength(64)),
  orgs: v.tuple([Fingerprint, Fingerprint]),
  /** Number of shared values, and SHA-256 of their bytes concatenated in ascending order. */
  shared: Count,
  sharedHash: Hex32,
  groups: Count,
  /** Groups served by the lower and by the higher fingerprint. */
  served: v.tuple([Count, Count]),
  reasons: v.strictObject(Object.fromEntries(ASSIGN_REASONS.map((r) => [r, Count])) as Record<AssignReason, typeof Count>),
  /** SHA-256 of the assignment's lines, see `assignmentLines`. */
  assignmentHash: Hex32,
});
export type AssignmentSummary = v.InferOutput<typeof AssignmentSummarySchema>;

export const SignedSummarySchema = v.strictObject({
  summary: AssignmentSummarySchema,
  signer: v.pipe(v.string(), v.check((s) => isPublicKeyHex(s), 'a public key')),
  sig: v.pipe(v.string(), v.check((s) => isLowerHex(s, 64), '64 bytes of lowercase hex')),
});
export type SignedSummary = { summary: AssignmentSummary; signer: PublicKeyHex; sig: string };

/** SHA-256 over the shared values' 32 bytes each, in ascending order. */
export function sharedValuesHash(values: readonly string[]): string {
  const all = new Uint8Array(values.length * 32);
  values.forEach((x, i) => all.set(hexToBytes(x), i * 32));
  return bytesToHex(sha256(all));
}

/**
 * One line per group, in ascending order of its first position: its positions joined by ',', a space,
 * 'L' or 'H' (the lower or higher fingerprint serves), a space, the reason, '\n'. Example: "0,3 H coin\n".
 */
export function assignmentLines(groups: readonly AssignedGroup[], orgs: OrgPair): string {
  return [...groups]
    .sort((a, b) => a.members[0]! - b.members[0]!)
    .map((g) => `${g.members.join(',')} ${g.server === orgs[0] ? 'L' : 'H'} ${g.reason}\n`)
    .join('');
}

export interface SummaryInput {
  readonly rule: AssignRule;
  readonly checkId: string;
  readonly roundId: string;
  readonly orgs: OrgPair;
  readonly values: readonly string[];
  readonly groups: readonly AssignedGroup[];
}

export function summarise(input: SummaryInput): AssignmentSummary {
  const { rule, checkId, roundId, orgs, values, groups } = input;
  const reasons = Object.fromEntries(ASSIGN_REASONS.map((r) => [r, 0])) as Record<AssignReason, number>;
  const served: [number, number] = [0, 0];
  for (const g of groups) {
    reasons[g.reason]++;
    served[g.server === orgs[0] ? 0 : 1]++;
  }
  return {
    v: 1,
    alg: ASSIGN_TAG,
    rule,
    checkId,
    roundId,
    orgs: [orgs[0], orgs[1]],
    shared: values.length,
    sharedHash: sharedValuesHash(values),
    groups: groups.length,
    served,
    reasons,
    assignmentHash: bytesToHex(sha256(utf8ToBytes(assignmentLines(groups, orgs)))),
  };
}

/** The signed bytes: UTF-8("ihyid-assign-summary-v1" LF canonical-JSON(summary)). */
export const summaryMessage = (summary: AssignmentSummary): Uint8Array => taggedMessage(SUMMARY_TAG, canonicalize(summary)!);

export async function signSummary(signer: Signer, summary: AssignmentSummary): Promise<SignedSummary> {
  return { summary, signer: signer.publicKey, sig: bytesToHex(await signer.sign(summaryMessage(summary))) };
}

/**
 * D3: the partner's signed summary, received as unknown, must parse, be signed by the key this session
 * verified (`partnerKey`), and equal ours exactly. Forgery: `assignment-forged`; any difference:
 * `assignment-mismatch`. Only an `ok` lets the caller store anything.
 */
export async function verifyPartnerSummary(
  ours: AssignmentSummary,
  theirs: unknown,
  partnerKey: PublicKeyHex,
  verify: Verifier,
): Promise<Result<SignedSummary, ProtocolError>> {
  const parsed = v.safeParse(SignedSummarySchema, theirs);
  if (!parsed.success) return err(protocolError(ErrorCode.MalformedMessage, `summary: ${parsed.issues[0]?.message ?? 'invalid'}`));
  const signed = parsed.output as SignedSummary;
  if (signed.signer !== partnerKey) return err(protocolError(ErrorCode.AssignmentForged, 'summary signed by another key'));
  if (!(await verify(partnerKey, summaryMessage(signed.summary), hexToBytes(signed.sig)))) {
    return err(protocolError(ErrorCode.AssignmentForged, 'bad summary signature'));
  }
  const differs = Object.keys(ours).filter((k) => canonicalize(ours[k as keyof AssignmentSummary]) !== canonicalize(signed.summary[k as keyof AssignmentSummary]));
  if (differs.length > 0) return err(protocolError(ErrorCode.AssignmentMismatch, `summaries differ in ${differs.join(', ')}`));
  return ok(signed);
}

import type { OrgFingerprint } from '../core/ids.js';
import type { AssignRule } from './assignment.js';
import type { ListId } from './list.js';
import type { AssignmentSummary, SignedSummary } from './summary.js';

/**
 * D5: the audit trail. Who ran what, when, with which protocol and rule, the counts, and both signed
 * summaries of an agreed pair. Deliberately absent: any partner data (no contact, no value, no key):
 * a summary holds only counts and hashes.
 */
export const AUDIT_KINDS = ['list-created', 'round-planned', 'pair-agreed', 'pair-failed', 'pair-skipped', 'pair-undone', 'round-finished'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

export interface AuditEntry {
  readonly id: string;
  /** ISO 8601, this device's clock. */
  readonly at: string;
  readonly kind: AuditKind;
  readonly listId: ListId;
  readonly roundId: string;
  /** Who ran it on this side: the organisation's name as set in its profile, and its fingerprint. */
  readonly by: string;
  readonly partner: OrgFingerprint | null;
  readonly protocol: 'psi-v2' | null;
  readonly rule: AssignRule | null;
  /** Outcome counts (a pair) or member counts (a list, a round). */
  readonly counts: Readonly<Record<string, number>>;
  /** An error code when the pair failed or was skipped. */
  readonly code: string | null;
  readonly ours: SignedSummary | null;
  readonly theirs: SignedSummary | null;
}

export const AUDIT_COLUMNS = ['at', 'kind', 'list_id', 'round_id', 'by', 'partner', 'protocol', 'rule', 'counts', 'code', 'assignment_hash', 'our_signature', 'their_signature'] as const;

/** Counts as "key=value" pairs separated by ';', keys sorted, so a spreadsheet shows them in one cell. */
export const countsText = (counts: Readonly<Record<string, number>>): string =>
  Object.keys(counts)
    .sort()
    .map((k) => `${k}=${counts[k]}`)
    .join(';');

/** The counts an agreed pair records: groups served by each side, by reason. */
export function pairCounts(summary: AssignmentSummary, me: OrgFingerprint): Record<string, number> {
  const mine = summary.orgs[0] === me ? 0 : 1;
  return { shared: summary.groups, we_serve: summary.served[mine], they_serve: summary.served[1 - mine]!, ...summary.reasons };
}

/** D5: one row per entry, in AUDIT_COLUMNS order, oldest first; the app writes them as CSV. */
export function auditRows(entries: readonly AuditEntry[]): string[][] {
  return [...entries]
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    .map((e) => [e.at, e.kind, e.listId, e.roundId, e.by, e.partner ?? '', e.protocol ?? '', e.rule ?? '', countsText(e.counts), e.code ?? '', e.ours?.summary.assignmentHash ?? '', e.ours?.sig ?? '', e.theirs?.sig ?? '']);
}

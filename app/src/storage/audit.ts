import type { CheckAuditEntry, CheckId, CheckResultStore } from '@ihyid/shared';

/**
 * A10: a check that ended unfinished after we had sent the partner something it can learn from (a
 * psi-v2 round, uscadi answers) leaves one entry: who, when, which protocol, and at most how many of
 * its entries it may have learned we hold. Never partner data, and nothing of the check itself.
 */
export async function recordExposure(checks: CheckResultStore, entry: { checkId: CheckId; partnerName: string; partnerFingerprint: string | null; protocol: string; upTo: number; at: Date }): Promise<void> {
  const row: CheckAuditEntry = {
    id: `exposed:${entry.checkId}`,
    kind: 'check-exposed',
    checkId: entry.checkId,
    partnerName: entry.partnerName,
    partnerFingerprint: entry.partnerFingerprint,
    protocol: entry.protocol,
    upTo: entry.upTo,
    at: entry.at.toISOString(),
  };
  await checks.addAudit(row);
}

/** The sentence for an entry, in English (the `messages` catalog's `exposed`; localizeMessage translates it). */
export function auditSentence(e: CheckAuditEntry): string {
  return `${e.partnerName} may have learned whether you hold up to ${e.upTo} of its entries (shared contacts): the ${e.protocol} check of ${e.at.slice(0, 10)} stopped before it finished, and nothing of it was saved here.`;
}

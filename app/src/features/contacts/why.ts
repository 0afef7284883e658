import { MATCH_KEY_REASONS, matchKeyKind } from '@ihyid/shared';

/**
 * R8: why two records look alike, as the caseworker reads it: one phrase per kind of shared match
 * key, and the seed's phonetic id when that is the same too.
 */
export function whyAlike(keys: readonly string[], samePhoneticId: string | null): string[] {
  const kinds = new Set(keys.map(matchKeyKind).filter((k) => k !== null));
  const reasons = [...kinds].map((k) => MATCH_KEY_REASONS[k]);
  if (samePhoneticId) reasons.push(`same seed phonetic id ${samePhoneticId}`);
  return reasons;
}

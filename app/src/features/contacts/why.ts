import i18next from 'i18next';
import { keyKindOf } from '@ihyid/shared';

/**
 * R8: why two records look alike, as the caseworker reads it: one phrase per kind of shared match
 * key (v1 or v2), and the seed's phonetic id when that is the same too.
 */
export function whyAlike(keys: readonly string[], samePhoneticId: string | null): string[] {
  const kinds = new Set(keys.map(keyKindOf).filter((k) => k !== null));
  const reasons = [...kinds].map((k) => i18next.t(`contacts.reason-${k}`));
  if (samePhoneticId) reasons.push(i18next.t('contacts.reasonPhoneticId'));
  return reasons;
}

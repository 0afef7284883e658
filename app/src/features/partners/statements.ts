import i18next from 'i18next';
import type { CheckProtocol, Sizes } from '@ihyid/shared';

/**
 * A6, A9: what each protocol reveals, in plain words, for the side that asks and the side that answers.
 * Every sentence must hold for the code: a partner can put any entries it likes into a check, so what
 * bounds what it learns about our list is the number of entries it announced (enforced by the flows).
 * The sentences live in the `partners` catalog (English and Arabic): `label-`, `asker-` and
 * `answerer-` followed by the protocol.
 */
export function protocolStatement(protocol: CheckProtocol, part: 'label' | 'asker'): string {
  return i18next.t(`partners.${part}-${protocol}`);
}

/** What the answering side reads: what `partner`, with the entries it announced, can learn. */
export function answererStatement(protocol: CheckProtocol, partner: string, theirs: Sizes): string {
  return i18next.t(`partners.answerer-${protocol}`, { partner, items: theirs.items });
}

/** A6: the warning an administrator reads before turning a uscadi protocol on. */
export const uscadiWarning = (): string => i18next.t('partners.uscadiWarning');

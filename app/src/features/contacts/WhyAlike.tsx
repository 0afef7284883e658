import { useTranslation } from 'react-i18next';
import { whyAlike } from './why';

/**
 * R8: why two records look alike, in plain words; the phonetic code behind one reason is kept
 * under "Details" for whoever wants it (#12: no jargon up front). No shared key: the pair was found
 * by a blocking term and shown on the scorer's word (#15), which the evidence beside it gives.
 */
export function WhyAlike({ keys, samePhoneticId }: { keys: readonly string[]; samePhoneticId: string | null }) {
  const { t } = useTranslation();
  const reasons = whyAlike(keys, samePhoneticId);
  return (
    <>
      <p>{reasons.length > 0 ? t('contacts.why', { reasons: reasons.join(t('contacts.reasonSeparator')) }) : t('contacts.foundByBlocking')}</p>
      {samePhoneticId && (
        <details>
          <summary>{t('common.details')}</summary>
          <p className="hint">
            {t('contacts.phoneticCode')}
            <bdi dir="ltr" className="mono">
              {samePhoneticId}
            </bdi>
          </p>
        </details>
      )}
    </>
  );
}

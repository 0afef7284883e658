import { useTranslation } from 'react-i18next';
import { whyAlike } from './why';

/**
 * R8: why two records look alike, in plain words; the phonetic code behind one reason is kept
 * under "Details" for whoever wants it (#12: no jargon up front).
 */
export function WhyAlike({ keys, samePhoneticId }: { keys: readonly string[]; samePhoneticId: string | null }) {
  const { t } = useTranslation();
  return (
    <>
      <p>{t('contacts.why', { reasons: whyAlike(keys, samePhoneticId).join(t('contacts.reasonSeparator')) })}</p>
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

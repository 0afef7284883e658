import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import { slot, withSlots } from '../../i18n/bidi';
import type { Exposure } from '../../storage/witness-db';

/** W6: one alert per day of exposure. The day is shown, never the hour (the device does not keep it). */
export function ExposureAlerts({ exposures, onDismiss }: { exposures: readonly Exposure[]; onDismiss(id: string): void }) {
  const { t } = useTranslation();
  if (exposures.length === 0) return null;
  return (
    <>
      {exposures.map((exposure) => (
        <div key={exposure.id} className="warning" role="alert">
          <h2>
            {withSlots(t('witness.exposureOn', { day: slot(0) }), [
              <time key="d" dateTime={exposure.day}>
                {formatDay(exposure.day)}
              </time>,
            ])}
          </h2>
          <p>{t('witness.exposureExplain')}</p>
          <p>{t('witness.whatToDo')}</p>
          <ul>
            <li>{t('witness.adviceWatch')}</li>
            <li>{t('witness.adviceMask')}</li>
            <li>{t('witness.adviceGuidance')}</li>
          </ul>
          <button type="button" className="secondary" onClick={() => onDismiss(exposure.id)}>
            {t('witness.dismiss')}
          </button>
        </div>
      ))}
    </>
  );
}

/** 'YYYY-MM-DD' as a long date in the reader's language, read as a calendar day (no time zone shift). */
export function formatDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(Date.UTC(y!, m! - 1, d!));
  return new Intl.DateTimeFormat(i18next.resolvedLanguage, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(date);
}

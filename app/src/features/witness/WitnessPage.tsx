import { use, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/format';
import { localizeMessage } from '../../i18n/messages';
import { useDeps } from '../../context/deps';
import { DeclarePanel } from './DeclarePanel';
import { ExposureAlerts } from './ExposureAlerts';
import { WitnessService, type WitnessSnapshot } from './service';

/**
 * The exposure witness screen (W1–W6): consent and witness mode, what this device holds, the
 * declaration, and exposure alerts. Witness mode keeps running while the user is on other screens.
 */
export function WitnessPage() {
  const { t } = useTranslation();
  const deps = useDeps();
  // The one service of this app start (AppDeps.witness), loaded with this screen's code; Suspense waits.
  const service = use(deps.witness.load());
  if (!(service instanceof WitnessService)) throw new Error('AppDeps.witness holds no WitnessService');
  const snapshot = useSyncExternalStore(service.subscribe, service.getSnapshot);

  return (
    <>
      <h1>{t('witness.title')}</h1>
      <ExposureAlerts exposures={snapshot.exposures} onDismiss={(id) => void service.dismiss(id)} />
      <p>{t('witness.intro')}</p>
      <WitnessMode snapshot={snapshot} service={service} />
      <section aria-labelledby="held-title">
        <h2 id="held-title">{t('witness.onDevice')}</h2>
        <p>{t('witness.tokens', { count: formatNumber(snapshot.tokens) })}</p>
        <p className="hint">{t('witness.alerts', { count: formatNumber(snapshot.alerts) })}</p>
      </section>
      <DeclarePanel tokens={snapshot.tokens} declaration={snapshot.declaration} onDeclare={() => void service.declare()} />
    </>
  );
}

function WitnessMode({ snapshot, service }: { snapshot: WitnessSnapshot; service: WitnessService }) {
  const { t } = useTranslation();
  const [consent, setConsent] = useState(false);
  return (
    <section aria-labelledby="mode-title">
      <h2 id="mode-title">{t('witness.modeTitle')}</h2>
      {snapshot.problem && (
        <p className="error-box" role="alert">
          {localizeMessage(snapshot.problem)}
        </p>
      )}
      {snapshot.mode === 'off' ? (
        <>
          <p className="hint">{t('witness.modeExplain')}</p>
          <label className="inline">
            <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.currentTarget.checked)} />{' '}
            {t('witness.agree')}
          </label>
          <button type="button" disabled={!consent} onClick={() => service.turnOn()}>
            {t('witness.turnOn')}
          </button>
        </>
      ) : (
        <>
          <p role="status">{snapshot.mode === 'on' ? t('witness.isOn') : t('witness.starting')}</p>
          <button type="button" className="secondary" onClick={() => service.turnOff()}>
            {t('witness.turnOff')}
          </button>
        </>
      )}
    </section>
  );
}

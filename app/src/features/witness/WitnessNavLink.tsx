import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeps } from '../../context/deps';
import type { WitnessServiceLike } from '../../context/witness';
import { holdsWitnessData } from '../../storage/witness-db';

/**
 * The witness entry in the main navigation. It is also how witness mode starts with the app: on a
 * device that holds witness data, it loads the service at start (W1 ids, W4 sweep, alerts from the
 * server), after the first paint. Elsewhere nothing is loaded until the witness screen is opened.
 */
export function WitnessNavLink({ current }: { current: boolean }) {
  const { t } = useTranslation();
  const deps = useDeps();
  const [alerted, setAlerted] = useState(false);

  useEffect(() => {
    let cancelled = false;
    let unsubscribe = (): void => {};
    const follow = (service: WitnessServiceLike): void => {
      unsubscribe();
      const update = () => setAlerted(service.getSnapshot().exposures.length > 0);
      unsubscribe = service.subscribe(update);
      update();
    };
    const stopWaiting = deps.witness.onLoaded((service) => {
      if (!cancelled) follow(service);
    });
    if (!deps.witness.current()) {
      void (async () => {
        const holds = await holdsWitnessData().catch(() => false);
        if (holds && !cancelled) await deps.witness.load().catch(() => undefined);
      })();
    }
    return () => {
      cancelled = true;
      stopWaiting();
      unsubscribe();
    };
  }, [deps]);

  return (
    <a href="#/witness" aria-current={current ? 'page' : undefined}>
      {t('common.navWitness')}
      {alerted ? (
        <span className="badge" aria-label={t('common.exposureAlert')}>
          {' '}
          !
        </span>
      ) : null}
    </a>
  );
}

import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { PartnerConnection } from './connection';
import { ConsentPrompt } from './ConsentPrompt';

/** The pending request of the live connection, if any; focus moves to it once, so it is seen and heard. */
export function LiveConsent({ connection }: { connection: PartnerConnection }) {
  const { t } = useTranslation();
  const view = useSyncExternalStore(connection.subscribe, connection.snapshot);
  const region = useRef<HTMLDivElement>(null);
  const checkId = view.consent?.checkId;
  useEffect(() => {
    if (checkId) region.current?.focus();
  }, [checkId]);
  if (!view.consent) return null;
  return (
    <div ref={region} tabIndex={-1} className="incoming-check" role="region" aria-label={t('partners.incomingLabel')}>
      <ConsentPrompt view={view} onAccept={connection.accept} onDecline={connection.decline} />
    </div>
  );
}

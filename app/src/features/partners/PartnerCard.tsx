import { useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Bdi } from '../../i18n/bidi';
import { ConnectionPanel } from './ConnectionPanel';
import type { PartnerEntry } from './directory';

/**
 * #12: one bound partner, once, under its name: where its connection stands (connected, waiting for
 * it to come online, trying again by itself…) and, once connected, the check and the session's news.
 */
export function PartnerCard({ entry }: { entry: PartnerEntry }) {
  const { t } = useTranslation();
  const view = useSyncExternalStore(entry.connection.subscribe, entry.connection.snapshot);
  return (
    <li className="card" aria-label={t('partners.partnerEntry', { name: entry.name })}>
      <p>
        <strong>
          <Bdi>{entry.name}</Bdi>
        </strong>{' '}
        · <code className="mono" dir="ltr">{entry.fingerprint.slice(0, 8)}</code>
      </p>
      {view.status === 'idle' ? (
        <>
          <p className="muted">{t('partners.statusPaused')}</p>
          <div className="actions">
            <button type="button" onClick={entry.connection.reconnect}>
              {t('partners.connectTo', { name: entry.name })}
            </button>
          </div>
        </>
      ) : (
        <ConnectionPanel view={view} connection={entry.connection} nested />
      )}
    </li>
  );
}

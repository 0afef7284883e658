import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import { useDeps } from '../../context/deps';
import { localizeMessage } from '../../i18n/messages';
import { auditSentence } from '../../storage/audit';

/** A10: checks that stopped after a partner may have learned something from us, newest first. */
export function AuditList() {
  const { t } = useTranslation();
  const { stores } = useDeps();
  const entries = useLiveQuery(() => stores.checks.recentAudit(50), [stores]);
  if (!entries || entries.length === 0) return null;
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t('partners.auditTitle')}</h2>
      <ul className="list" aria-label={t('partners.auditEntries')}>
        {entries.map((e) => (
          <li key={e.id} className="card">
            {localizeMessage(auditSentence(e))}
          </li>
        ))}
      </ul>
    </section>
  );
}

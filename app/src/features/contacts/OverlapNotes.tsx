import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { CheckProtocol } from '@ihyid/shared';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { formatDay } from '../../i18n/format';
import { useDeps } from '../../context/deps';

/** A5: what past overlap checks found about this contact, kept up to date while a check runs. */
export function OverlapNotes({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const { stores } = useDeps();
  const rows = useLiveQuery(() => stores.checks.overlapsFor([contactId]), [stores, contactId]);
  if (!rows || rows.length === 0) return null;
  return (
    <section aria-labelledby="contact-overlaps-heading">
      <h2 id="contact-overlaps-heading">{t('contacts.overlapChecks')}</h2>
      <ul>
        {rows.map((r) => (
          <li key={r.id}>
            {withSlots(t('contacts.overlapRow', { partner: slot(0), date: formatDay(r.checkedAt), protocol: slot(1) }), [<Bdi key="p">{r.partnerName}</Bdi>, <Bdi key="r">{t(`partners.short-${r.protocol as CheckProtocol}`, { defaultValue: r.protocol })}</Bdi>])}
          </li>
        ))}
      </ul>
    </section>
  );
}

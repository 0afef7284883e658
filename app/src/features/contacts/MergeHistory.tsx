import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { Contact } from '@ihyid/shared';
import { useDeps } from '../../context/deps';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { formatDay } from '../../i18n/format';
import { mergeHistory } from '../../storage/duplicates';
import { contactName } from './format';
import { AliasName, PersonFacts } from './PersonFacts';

/**
 * R8 "keeping both histories", shown on the contact: its other names (aliases, which search and the
 * duplicate check use) and each record merged into it as it was, with when and by whom.
 */
export function MergeHistory({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const { stores } = useDeps();
  const merged = useLiveQuery(() => mergeHistory(stores.contacts, contact.id), [stores, contact.id]);
  const aliases = contact.aliases ?? [];
  const sep = t('contacts.summarySeparator');
  return (
    <>
      {aliases.length > 0 && (
        <section aria-labelledby="contact-aliases-heading">
          <h2 id="contact-aliases-heading">{t('contacts.otherNames')}</h2>
          <p className="muted">{t('contacts.otherNamesExplain')}</p>
          <ul aria-labelledby="contact-aliases-heading">
            {aliases.map((a, i) => (
              <li key={i}>
                <AliasName alias={a} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {merged && merged.length > 0 && (
        <section aria-labelledby="contact-merged-heading">
          <h2 id="contact-merged-heading">{t('contacts.mergedRecords')}</h2>
          <ul aria-labelledby="contact-merged-heading">
            {merged.map(({ id, record: r, mergedAt, mergedBy }) => (
              <li key={id}>
                <strong>
                  <Bdi>{contactName(r)}</Bdi>
                </strong>
                {sep}
                <PersonFacts person={r} />
                <div className="muted">
                  {withSlots(t('contacts.mergedRecordWhen', { date: formatDay(mergedAt), name: slot(0) }), [<Bdi key="by">{mergedBy}</Bdi>])}
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { ContactId } from '@ihyid/shared';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { formatDay } from '../../i18n/format';
import { useDeps } from '../../context/deps';

/** D4, D6: the distribution lists this contact is on, and who serves it on each. */
export function ListNotes({ contactId }: { contactId: string }) {
  const { t } = useTranslation();
  const { lists } = useDeps();
  const rows = useLiveQuery(async () => {
    const all = await lists.allLists();
    const byList = new Map((await lists.assignmentsForContact(contactId as ContactId)).map((a) => [a.listId, a]));
    return all.filter((l) => l.members.some((m) => m.contactId === contactId)).map((l) => ({ list: l, a: byList.get(l.id) }));
  }, [lists, contactId]);
  if (!rows || rows.length === 0) return null;
  return (
    <section aria-labelledby="contact-lists-heading">
      <h2 id="contact-lists-heading">{t('lists.title')}</h2>
      <ul>
        {rows.map(({ list, a }) => (
          <li key={list.id}>
            {a && a.server === a.partner
              ? withSlots(t('lists.onListServedBy', { list: slot(0), org: slot(1), reason: t(`lists.reason-${a.reason}`), date: formatDay(a.at) }), [
                  <Bdi key="l">{list.name}</Bdi>,
                  <Bdi key="o">{a.serverName}</Bdi>,
                ])
              : withSlots(t('lists.onListYou', { list: slot(0) }), [<Bdi key="l">{list.name}</Bdi>])}
          </li>
        ))}
      </ul>
    </section>
  );
}

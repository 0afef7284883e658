import { useLiveQuery } from 'dexie-react-hooks';
import { REASON_WORDS, type ContactId } from '@ihyid/shared';
import { useDeps } from '../../context/deps';
import { isoDay } from './format';

/** D4, D6: the distribution lists this contact is on, and who serves it on each. */
export function ListNotes({ contactId }: { contactId: string }) {
  const { lists } = useDeps();
  const rows = useLiveQuery(async () => {
    const all = await lists.allLists();
    const byList = new Map((await lists.assignmentsForContact(contactId as ContactId)).map((a) => [a.listId, a]));
    return all.filter((l) => l.members.some((m) => m.contactId === contactId)).map((l) => ({ list: l, a: byList.get(l.id) }));
  }, [lists, contactId]);
  if (!rows || rows.length === 0) return null;
  return (
    <section aria-labelledby="contact-lists-heading">
      <h2 id="contact-lists-heading">Distribution lists</h2>
      <ul>
        {rows.map(({ list, a }) => (
          <li key={list.id}>
            On list {list.name}: {a && a.server === a.partner ? `served by ${a.serverName} (${REASON_WORDS[a.reason]}, ${isoDay(a.at)})` : 'served by you'}
          </li>
        ))}
      </ul>
    </section>
  );
}

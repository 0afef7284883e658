import { useLiveQuery } from 'dexie-react-hooks';
import { useDeps } from '../../context/deps';
import { overlapsForContacts } from '../../storage/contacts';
import { isoDay } from './format';

/** A5: what past overlap checks found about this contact, kept up to date while a check runs. */
export function OverlapNotes({ contactId }: { contactId: string }) {
  const { db } = useDeps();
  const rows = useLiveQuery(() => overlapsForContacts(db, [contactId]), [db, contactId]);
  if (!rows || rows.length === 0) return null;
  return (
    <section aria-labelledby="contact-overlaps-heading">
      <h2 id="contact-overlaps-heading">Overlap checks</h2>
      <ul>
        {rows.map((r) => (
          <li key={r.id}>
            Also known to {r.partnerName} — check of {isoDay(r.checkedAt)}, protocol {r.protocol}
          </li>
        ))}
      </ul>
    </section>
  );
}

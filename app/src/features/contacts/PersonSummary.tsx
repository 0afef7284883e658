import type { Contact } from '@ihyid/shared';
import { contactName } from './format';
import { PersonFacts } from './PersonFacts';

/** One person in a pair or beside a held row; `link: false` for a row not stored as a contact (yet). */
export function PersonSummary({ contact: c, link = true }: { contact: Contact; link?: boolean }) {
  const name = (
    <strong>
      <bdi>{contactName(c)}</bdi>
    </strong>
  );
  return (
    <div>
      {link ? <a href={`#/contacts/${encodeURIComponent(c.id)}`}>{name}</a> : name}
      <div className="muted">
        <PersonFacts person={c} />
      </div>
    </div>
  );
}

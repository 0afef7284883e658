import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useId, useState } from 'react';
import type { Contact } from '@ihyid/shared';
import { useDeps } from '../../context/deps';
import { countContacts, overlapsForContacts, searchContacts } from '../../storage/contacts';
import { clearNotice, contactName, formatBirth, peekNotice, plural } from './format';

/** How many rows the list renders; searching reaches the others (R3: search works offline). */
const LIST_LIMIT = 100;

export function ContactsList() {
  const { db } = useDeps();
  const searchId = useId();
  const [query, setQuery] = useState('');
  const [notice] = useState(peekNotice);
  useEffect(clearNotice, []);

  const total = useLiveQuery(() => countContacts(db), [db]);
  const contacts = useLiveQuery(() => searchContacts(db, query, LIST_LIMIT), [db, query]);
  const visibleIds = (contacts ?? []).map((c) => c.id);
  const idsKey = visibleIds.join(',');
  const partnersById = useLiveQuery(
    async () => {
      const rows = await overlapsForContacts(db, visibleIds);
      const byId = new Map<string, string[]>();
      for (const row of rows) {
        const names = byId.get(row.contactId) ?? [];
        if (!names.includes(row.partnerName)) names.push(row.partnerName);
        byId.set(row.contactId, names);
      }
      return byId;
    },
    // visibleIds is a new array each render; its joined key says when it really changed.
    [db, idsKey],
  );

  const searching = query.trim() !== '';

  // The page appears with its data, so that whoever sees the heading also sees the list (a reader,
  // or a test that finds the heading first). useLiveQuery keeps the last result while a new query
  // runs, so this shows only on the first load and the search field never loses focus.
  if (total === undefined || contacts === undefined) {
    return (
      <p className="muted" role="status">
        Loading contacts…
      </p>
    );
  }

  return (
    <>
      <h1>Contacts</h1>
      {notice && (
        <p className="success" role="status">
          {notice}
        </p>
      )}
      <label htmlFor={searchId}>Search contacts</label>
      <input
        id={searchId}
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder="First or last name"
        autoComplete="off"
        enterKeyHint="search"
      />
      <p className="muted" aria-live="polite">
        {searching ? `${plural(contacts.length, 'match', 'matches')} · ${plural(total, 'contact', 'contacts')}` : plural(total, 'contact', 'contacts')}
        {!searching && total > contacts.length && ` · showing the ${contacts.length} most recent; search to find others`}
      </p>
      {contacts.length === 0 ? (
        <EmptyState searching={searching} query={query.trim()} />
      ) : (
        <ul className="list">
          {contacts.map((c) => (
            <ContactRow key={c.id} contact={c} partners={partnersById?.get(c.id) ?? []} />
          ))}
        </ul>
      )}
      <a className="button fab" href="#/contacts/new">
        New contact
      </a>
    </>
  );
}

function ContactRow({ contact, partners }: { contact: Contact; partners: readonly string[] }) {
  return (
    <li>
      <a href={`#/contacts/${encodeURIComponent(contact.id)}`}>
        <strong>{contactName(contact)}</strong>
        <span className="muted"> · born {formatBirth(contact.birth)}</span>
        {partners.length > 0 && (
          <div>
            {partners.map((p) => (
              <span key={p} className="badge">
                Also known to {p}
              </span>
            ))}
          </div>
        )}
      </a>
    </li>
  );
}

function EmptyState({ searching, query }: { searching: boolean; query: string }) {
  return searching ? (
    <p className="muted">No contact has a first or last name starting with “{query}”.</p>
  ) : (
    <p className="muted">No contacts yet. Use “New contact” to register the first person.</p>
  );
}

import { useLiveQuery } from 'dexie-react-hooks';
import { Fragment, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import type { Contact } from '@ihyid/shared';
import { useDeps } from '../../context/deps';
import { clearNotice, contactName, formatBirth, peekNotice } from './format';

/** How many rows the list renders; searching reaches the others (R3: search works offline). */
const LIST_LIMIT = 100;

export function ContactsList() {
  const { t } = useTranslation();
  const { stores } = useDeps();
  const searchId = useId();
  const [query, setQuery] = useState('');
  const [notice] = useState(peekNotice);
  useEffect(clearNotice, []);

  const total = useLiveQuery(() => stores.contacts.count(), [stores]);
  const contacts = useLiveQuery(() => stores.contacts.search(query, LIST_LIMIT), [stores, query]);
  const visibleIds = (contacts ?? []).map((c) => c.id);
  const idsKey = visibleIds.join(',');
  const partnersById = useLiveQuery(
    async () => {
      const rows = await stores.checks.overlapsFor(visibleIds);
      const byId = new Map<string, string[]>();
      for (const row of rows) {
        const names = byId.get(row.contactId) ?? [];
        if (!names.includes(row.partnerName)) names.push(row.partnerName);
        byId.set(row.contactId, names);
      }
      return byId;
    },
    // visibleIds is a new array each render; its joined key says when it really changed.
    [stores, idsKey],
  );

  const searching = query.trim() !== '';

  // The page appears with its data, so that whoever sees the heading also sees the list (a reader,
  // or a test that finds the heading first). useLiveQuery keeps the last result while a new query
  // runs, so this shows only on the first load and the search field never loses focus.
  if (total === undefined || contacts === undefined) {
    return (
      <p className="muted" role="status">
        {t('contacts.loadingContacts')}
      </p>
    );
  }

  return (
    <>
      <h1>{t('contacts.title')}</h1>
      {notice && (
        <p className="success" role="status">
          {notice}
        </p>
      )}
      <label htmlFor={searchId}>{t('contacts.search')}</label>
      <input
        id={searchId}
        type="search"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        placeholder={t('contacts.searchPlaceholder')}
        dir="auto"
        autoComplete="off"
        enterKeyHint="search"
      />
      <p className="muted" aria-live="polite">
        {searching ? `${t('contacts.matches', { count: contacts.length })} · ${t('contacts.count', { count: total })}` : t('contacts.count', { count: total })}
        {!searching && total > contacts.length && t('contacts.showingRecent', { count: contacts.length })}
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
        {t('contacts.newContact')}
      </a>
    </>
  );
}

function ContactRow({ contact, partners }: { contact: Contact; partners: readonly string[] }) {
  const { t } = useTranslation();
  return (
    <li>
      <a href={`#/contacts/${encodeURIComponent(contact.id)}`}>
        <strong>
          <bdi>{contactName(contact)}</bdi>
        </strong>
        <span className="muted">{t('contacts.born', { date: formatBirth(contact.birth) })}</span>
        <OtherNames contact={contact} />
        {partners.length > 0 && (
          <div>
            {partners.map((p) => (
              <span key={p} className="badge">
                {withSlots(t('contacts.alsoKnownTo', { partner: slot(0) }), [<Bdi key="p">{p}</Bdi>])}
              </span>
            ))}
          </div>
        )}
      </a>
    </li>
  );
}

/** R8: the other spellings merges left, so a search by one of them shows why this row matched. */
function OtherNames({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  const own = contactName(contact);
  const names = [...new Set((contact.aliases ?? []).map(contactName))].filter((n) => n !== own);
  if (names.length === 0) return null;
  const list = names.map((n, i) => (
    <Fragment key={n}>
      {i > 0 && t('contacts.summarySeparator')}
      <Bdi>{n}</Bdi>
    </Fragment>
  ));
  return <span className="muted">{withSlots(t('contacts.alsoCalled', { names: slot(0) }), [list])}</span>;
}

function EmptyState({ searching, query }: { searching: boolean; query: string }) {
  const { t } = useTranslation();
  return searching ? (
    <p className="muted">{withSlots(t('contacts.noMatch', { query: slot(0) }), [<Bdi key="q">{query}</Bdi>])}</p>
  ) : (
    <p className="muted">{t('contacts.empty')}</p>
  );
}

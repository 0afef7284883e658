import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mergeMembers, type ContactId, type ListMember } from '@ihyid/shared';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { formatNumber } from '../../i18n/format';
import { useDeps } from '../../context/deps';
import { ImportMembers } from './ImportMembers';

const SHOWN = 200;

/** D1: members from the contacts, by search and multi-select, from an import or a previous list; "already serving" per member (D3 keeps). */
export function MemberPicker({ members, onChange }: { members: readonly ListMember[]; onChange(members: ListMember[]): void }) {
  const { t } = useTranslation();
  const { stores, lists } = useDeps();
  const [query, setQuery] = useState('');
  const previous = useLiveQuery(() => lists.allLists(), [lists]) ?? [];
  const [from, setFrom] = useState('');
  const found = useLiveQuery(() => stores.contacts.search(query, SHOWN), [stores, query]) ?? [];
  const selected = new Map(members.map((m) => [m.contactId, m]));
  const toggle = (id: ContactId, on: boolean) => onChange(on ? [...members, { contactId: id, alreadyServing: false }] : members.filter((m) => m.contactId !== id));
  const serving = (id: ContactId, on: boolean) => onChange(members.map((m) => (m.contactId === id ? { ...m, alreadyServing: on } : m)));
  const addAll = () => onChange([...members, ...found.filter((c) => !selected.has(c.id)).map((c) => ({ contactId: c.id, alreadyServing: false }))]);
  // D1: a previous list's members, "already serving" included, each contact once.
  const source = previous.find((l) => l.id === from) ?? previous[0];
  const addPrevious = () => source && onChange(mergeMembers(members, source.members));
  return (
    <fieldset>
      <legend>{t('lists.members', { n: formatNumber(members.length) })}</legend>
      <label>
        {t('lists.search')}
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
      </label>
      <div className="actions">
        <button type="button" className="secondary" onClick={addAll}>
          {t('lists.selectShown', { n: formatNumber(found.length) })}
        </button>
        <button type="button" className="secondary" onClick={() => onChange([])}>
          {t('lists.clearSelection')}
        </button>
      </div>
      {source && (
        <div className="actions">
          <label>
            {t('lists.previousList')}
            <select value={source.id} onChange={(e) => setFrom(e.target.value)}>
              {previous.map((l) => (
                <option key={l.id} value={l.id}>
                  {t('lists.listOption', { name: l.name, round: l.round, count: l.members.length })}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="secondary" onClick={addPrevious}>
            {t('lists.addPrevious')}
          </button>
        </div>
      )}
      <ImportMembers members={members} onChange={onChange} />
      <ul className="plain" aria-label={t('lists.choose')}>
        {found.map((c) => (
          <li key={c.id}>
            <label className="inline">
              <input type="checkbox" checked={selected.has(c.id)} onChange={(e) => toggle(c.id, e.target.checked)} />
              <Bdi>
                {c.firstName} {c.lastName}
              </Bdi>
            </label>
            {selected.has(c.id) && (
              <label className="inline muted">
                <input type="checkbox" checked={selected.get(c.id)!.alreadyServing} onChange={(e) => serving(c.id, e.target.checked)} />
                <span>{withSlots(t('lists.alreadyServing', { name: slot(0) }), [<Bdi key="n">{c.firstName}</Bdi>])}</span>
              </label>
            )}
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { validateListFields, type ListFieldErrors, type ListMember } from '@ihyid/shared';
import { localizeMessage } from '../../i18n/messages';
import { useDeps } from '../../context/deps';
import { MemberPicker } from './MemberPicker';

const EMPTY = { name: '', programme: '', sector: '', round: '', startDate: '', endDate: '', transferValue: '', currency: 'USD', capacity: '' };
type Draft = typeof EMPTY;

/** D1: a new distribution list: its fields, validated field by field, and its members. */
export function ListForm({ onCreated }: { onCreated(id: string): void }) {
  const { t } = useTranslation();
  const { lists } = useDeps();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [members, setMembers] = useState<ListMember[]>([]);
  const [errors, setErrors] = useState<ListFieldErrors>({});
  const save = async () => {
    const fields = validateListFields({
      ...draft,
      transferValue: draft.transferValue.trim() === '' ? Number.NaN : Number(draft.transferValue),
      capacity: draft.capacity.trim() === '' ? null : Number(draft.capacity),
    });
    if (!fields.ok) return setErrors(fields.error);
    setErrors({});
    const list = await lists.createList(fields.value, members);
    setDraft(EMPTY);
    setMembers([]);
    onCreated(list.id);
  };
  return (
    <section className="card" aria-labelledby="new-list-title">
      <h2 id="new-list-title">{t('lists.newTitle')}</h2>
      <div className="grid">
        {(Object.keys(EMPTY) as (keyof Draft)[]).map((key) => (
          <label key={key}>
            {t(`lists.field-${key}`)}
            <input
              type={key.endsWith('Date') ? 'date' : key === 'transferValue' || key === 'capacity' ? 'number' : 'text'}
              value={draft[key]}
              aria-invalid={errors[key] ? true : undefined}
              aria-describedby={errors[key] ? `list-error-${key}` : undefined}
              onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
            />
            {errors[key] && (
              <span className="field-error" id={`list-error-${key}`}>
                {localizeMessage(errors[key])}
              </span>
            )}
          </label>
        ))}
      </div>
      <MemberPicker members={members} onChange={setMembers} />
      <div className="actions">
        <button type="button" onClick={() => void save()}>
          {t('lists.create', { count: members.length })}
        </button>
      </div>
    </section>
  );
}

import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mergeMembers, type ListMember } from '@ihyid/shared';
import { formatDay } from '../../i18n/format';
import { useDeps } from '../../context/deps';

/**
 * D1: members from an import: the people its file listed (the contacts it created, and those its
 * held rows were merged into), each once among the members already chosen. Only this device's
 * imports are offered: import jobs do not replicate (X4), while the list made here does.
 */
export function ImportMembers({ members, onChange }: { members: readonly ListMember[]; onChange(members: ListMember[]): void }) {
  const { t } = useTranslation();
  const { stores } = useDeps();
  const sources = useLiveQuery(() => stores.imports.sources(), [stores]) ?? [];
  const [from, setFrom] = useState('');
  const [busy, setBusy] = useState(false);
  const source = sources.find((s) => s.id === from) ?? sources[0];
  if (!source) return null;
  const add = () => {
    setBusy(true);
    void stores.imports
      .people(source.id)
      .then((ids) => onChange(mergeMembers(members, ids.map((contactId) => ({ contactId, alreadyServing: false })))))
      .finally(() => setBusy(false));
  };
  return (
    <div className="actions">
      <label>
        {t('lists.fromImport')}
        <select value={source.id} onChange={(e) => setFrom(e.target.value)}>
          {sources.map((s) => (
            <option key={s.id} value={s.id}>
              {t('lists.importOption', { file: s.fileName, date: formatDay(s.createdAt), count: s.people })}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="secondary" disabled={busy} onClick={add}>
        {t('lists.addImport')}
      </button>
      {source.held > 0 && <p className="hint">{t('lists.importHeld', { count: source.held })}</p>}
    </div>
  );
}

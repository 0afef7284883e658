import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ListId } from '@ihyid/shared';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { formatDay, formatNumber } from '../../i18n/format';
import { useDeps } from '../../context/deps';
import { saveFile } from '../../storage/download';
import { auditCsv } from './list-csv';
import { ListForm } from './ListForm';
import { ListResults } from './ListResults';
import { RoundsCard } from './RoundsCard';

/** D1–D6: the distribution lists of this organisation, a new one, and one list's results. */
export function ListsPage() {
  const { t } = useTranslation();
  const deps = useDeps();
  const all = useLiveQuery(() => deps.lists.allLists(), [deps.lists]) ?? [];
  const [open, setOpen] = useState<ListId | null>(null);
  const today = deps.now().toISOString().slice(0, 10);
  return (
    <>
      <h1>{t('lists.title')}</h1>
      <p className="hint">{t('lists.intro')}</p>
      <section className="card" aria-labelledby="lists-title">
        <h2 id="lists-title">{t('lists.yourLists')}</h2>
        {all.length === 0 ? (
          <p>{t('lists.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t('lists.colName')}</th>
                <th>{t('lists.colProgramme')}</th>
                <th>{t('lists.colRound')}</th>
                <th>{t('lists.colDates')}</th>
                <th>{t('lists.colPeople')}</th>
                <th>{t('lists.colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {all.map((l) => (
                <tr key={l.id}>
                  <td>
                    <Bdi>{l.name}</Bdi>
                  </td>
                  <td>
                    <Bdi>{l.programme}</Bdi>
                  </td>
                  <td>
                    <Bdi>{l.round}</Bdi>
                  </td>
                  <td>{t('lists.dates', { start: formatDay(l.startDate), end: formatDay(l.endDate) })}</td>
                  <td>{formatNumber(l.members.length)}</td>
                  <td>
                    <button type="button" className="secondary" onClick={() => setOpen(l.id)}>
                      {withSlots(t('lists.open', { name: slot(0) }), [<Bdi key="n">{l.name}</Bdi>])}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="actions">
          <button type="button" className="secondary" onClick={() => void auditCsv(deps.lists).then((csv) => saveFile(`ihyid-list-audit-${today}.csv`, csv))}>
            {t('lists.exportAudit')}
          </button>
        </div>
      </section>
      {open && <ListResults listId={open} />}
      {open && <RoundsCard listId={open} />}
      <ListForm onCreated={(id) => setOpen(id as ListId)} />
    </>
  );
}

import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { ListId } from '@ihyid/shared';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { formatDay, formatNumber } from '../../i18n/format';
import { useDeps } from '../../context/deps';
import { saveFile } from '../../storage/download';
import { finalListCsv, finalRows, servedElsewhere } from './list-csv';

/** D4, D6: each member of one list: "Serve", or "Served by Org Y (coin, 2026-12-04)"; the final list as CSV. */
export function ListResults({ listId }: { listId: ListId }) {
  const { t } = useTranslation();
  const deps = useDeps();
  const rows = useLiveQuery(() => finalRows(deps.stores.contacts, deps.lists, listId), [deps.stores, deps.lists, listId]);
  if (!rows) return null;
  const { list } = rows;
  const agreed = rows.rows.filter((r) => r.assignment).length;
  return (
    <section className="card" aria-labelledby="list-results-title">
      <h2 id="list-results-title">
        <Bdi>{list.name}</Bdi>
      </h2>
      <p>
        <Bdi>{list.programme}</Bdi> · <Bdi>{list.sector}</Bdi> · <Bdi>{list.round}</Bdi> · {t('lists.perPerson', { value: formatNumber(list.transferValue), currency: list.currency })} ·{' '}
        {t('lists.agreedCount', { count: rows.rows.length, agreed: formatNumber(agreed) })}
      </p>
      <table aria-label={t('lists.membersOf', { name: list.name })}>
        <thead>
          <tr>
            <th>{t('lists.colName')}</th>
            <th>{t('lists.colWho')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.rows.map((r) => (
            <tr key={r.contactId}>
              <td>
                <Bdi>{r.name ?? t('lists.removedContact')}</Bdi>
              </td>
              <td>
                {!servedElsewhere(r.assignment)
                  ? t('lists.serve')
                  : withSlots(t('lists.servedBy', { org: slot(0), reason: t(`lists.reason-${r.assignment.reason}`), date: formatDay(r.assignment.at) }), [
                      <Bdi key="o">{r.assignment.serverName}</Bdi>,
                    ])}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => saveFile(`ihyid-list-${list.round}-${deps.now().toISOString().slice(0, 10)}.csv`, finalListCsv(rows))}>
          {t('lists.exportList')}
        </button>
      </div>
    </section>
  );
}

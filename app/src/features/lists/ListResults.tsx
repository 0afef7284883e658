import { useLiveQuery } from 'dexie-react-hooks';
import { REASON_WORDS, type ListId } from '@ihyid/shared';
import { useDeps } from '../../context/deps';
import { saveFile } from '../../storage/download';
import { finalListCsv, finalRows, servedElsewhere } from './list-csv';

/** D4, D6: each member of one list: "Serve", or "Served by Org Y (coin, 2026-12-04)"; the final list as CSV. */
export function ListResults({ listId }: { listId: ListId }) {
  const deps = useDeps();
  const rows = useLiveQuery(() => finalRows(deps.db, deps.lists, listId), [deps.db, deps.lists, listId]);
  if (!rows) return null;
  const served = rows.rows.filter((r) => r.assignment).length;
  return (
    <section className="card" aria-labelledby="list-results-title">
      <h2 id="list-results-title">{rows.list.name}</h2>
      <p>
        {rows.list.programme} · {rows.list.sector} · {rows.list.round} · {rows.list.transferValue} {rows.list.currency} per person · {rows.rows.length} people, {served} agreed with a partner.
      </p>
      <table aria-label={`Members of ${rows.list.name}`}>
        <thead>
          <tr>
            <th>Name</th>
            <th>Who serves</th>
          </tr>
        </thead>
        <tbody>
          {rows.rows.map((r) => (
            <tr key={r.contactId}>
              <td>{r.name}</td>
              <td>
                {!servedElsewhere(r.assignment)
                  ? 'Serve'
                  : `Served by ${r.assignment.serverName} (${REASON_WORDS[r.assignment.reason]}, ${r.assignment.at.slice(0, 10)})`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => saveFile(`ihyid-list-${rows.list.round}-${deps.now().toISOString().slice(0, 10)}.csv`, finalListCsv(rows))}>
          Export this list (CSV)
        </button>
      </div>
    </section>
  );
}

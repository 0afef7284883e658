import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { ListId } from '@ihyid/shared';
import { useDeps } from '../../context/deps';
import { saveFile } from '../../storage/download';
import { auditCsv } from './list-csv';
import { ListForm } from './ListForm';
import { ListResults } from './ListResults';

/** D1–D6: the distribution lists of this organisation, a new one, and one list's results. */
export function ListsPage() {
  const deps = useDeps();
  const all = useLiveQuery(() => deps.lists.allLists(), [deps.lists]) ?? [];
  const [open, setOpen] = useState<ListId | null>(null);
  const today = deps.now().toISOString().slice(0, 10);
  return (
    <>
      <h1>Distribution lists</h1>
      <p className="hint">
        A list is the people receiving one round of a programme. Share it with a partner under Partners: a private check finds the people you both list, and both sides compute, each on its own, who serves each of them.
      </p>
      <section className="card" aria-labelledby="lists-title">
        <h2 id="lists-title">Your lists</h2>
        {all.length === 0 ? (
          <p>No list yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Programme</th>
                <th>Round</th>
                <th>Dates</th>
                <th>People</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {all.map((l) => (
                <tr key={l.id}>
                  <td>{l.name}</td>
                  <td>{l.programme}</td>
                  <td>{l.round}</td>
                  <td>
                    {l.startDate} – {l.endDate}
                  </td>
                  <td>{l.members.length}</td>
                  <td>
                    <button type="button" className="secondary" onClick={() => setOpen(l.id)}>
                      Open {l.name}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="actions">
          <button type="button" className="secondary" onClick={() => void auditCsv(deps.lists).then((csv) => saveFile(`ihyid-list-audit-${today}.csv`, csv))}>
            Export audit trail (CSV)
          </button>
        </div>
      </section>
      {open && <ListResults listId={open} />}
      <ListForm onCreated={(id) => setOpen(id as ListId)} />
    </>
  );
}

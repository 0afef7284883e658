import { useLiveQuery } from 'dexie-react-hooks';
import { useDeps } from '../../context/deps';
import { auditSentence } from '../../storage/audit';

/** A10: checks that stopped after a partner may have learned something from us, newest first. */
export function AuditList() {
  const { db } = useDeps();
  const entries = useLiveQuery(() => db.checkAudit.orderBy('at').reverse().limit(50).toArray(), [db]);
  if (!entries || entries.length === 0) return null;
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Check audit</h2>
      <ul className="list" aria-label="Check audit entries">
        {entries.map((e) => (
          <li key={e.id} className="card">
            {auditSentence(e)}
          </li>
        ))}
      </ul>
    </section>
  );
}

import type { Contact } from '@ihyid/shared';
import { contactName, formatBirth } from './format';

/**
 * R8: shown instead of saving when another contact has the same phonetic id. It says why the
 * records look alike and lets the caseworker decide; nothing is stored until they choose.
 */
export function DuplicateWarning({
  matches,
  busy,
  onSaveAnyway,
  onOpen,
}: {
  matches: readonly Contact[];
  busy: boolean;
  onSaveAnyway(): void;
  onOpen(id: string): void;
}) {
  const [first, ...others] = matches;
  if (!first) return null;
  return (
    <div className="warning" role="alert">
      <p>
        <strong>Likely duplicate:</strong> {contactName(first)}, born {formatBirth(first.birth)}
        {first.fatherName && `, father ${first.fatherName}`}
        {first.motherName && `, mother ${first.motherName}`} — same phonetic id {first.phoneticIdV0}.
      </p>
      {others.length > 0 && (
        <>
          <p>Other contacts with the same phonetic id:</p>
          <ul>
            {others.map((c) => (
              <li key={c.id}>
                <a href={`#/contacts/${encodeURIComponent(c.id)}`}>
                  {contactName(c)}, born {formatBirth(c.birth)}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="muted">If this is a different person, save anyway. If it is the same person, open the existing record.</p>
      <div className="actions">
        <button type="button" onClick={onSaveAnyway} disabled={busy}>
          Save anyway
        </button>
        <button type="button" className="secondary" onClick={() => onOpen(first.id)}>
          Open existing
        </button>
      </div>
    </div>
  );
}

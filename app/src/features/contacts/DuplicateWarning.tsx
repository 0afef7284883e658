import type { Contact } from '@ihyid/shared';
import type { Candidate } from '../../storage/duplicates';
import { contactName, formatBirth } from './format';
import { whyAlike } from './why';

/**
 * R8: shown instead of saving when other contacts share a match key (or the seed's phonetic id).
 * It says who and why, and lets the caseworker decide; nothing is stored until they choose.
 */
export function DuplicateWarning({
  candidates,
  busy,
  onSaveAnyway,
  onMerge,
  onOpen,
}: {
  candidates: readonly Candidate[];
  busy: boolean;
  onSaveAnyway(): void;
  onMerge(keep: Contact): void;
  onOpen(id: string): void;
}) {
  const [first, ...others] = candidates;
  if (!first) return null;
  const c = first.contact;
  const reasons = whyAlike(first.keys, first.samePhoneticId ? c.phoneticIdV0 : null);
  return (
    <div className="warning" role="alert">
      <p>
        <strong>Likely duplicate:</strong> {contactName(c)}, born {formatBirth(c.birth)}
        {c.fatherName && `, father ${c.fatherName}`}
        {c.motherName && `, mother ${c.motherName}`}
        {c.phone && `, phone ${c.phone}`}.
      </p>
      <p>Why: {reasons.join('; ')}.</p>
      {others.length > 0 && (
        <>
          <p>Other contacts that look alike:</p>
          <ul>
            {others.map((o) => (
              <li key={o.contact.id}>
                <a href={`#/contacts/${encodeURIComponent(o.contact.id)}`}>
                  {contactName(o.contact)}, born {formatBirth(o.contact.birth)}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      <p className="muted">
        If this is a different person, save anyway: this pair will not be flagged again. If it is the same person, merge:
        both records are kept in its history.
      </p>
      <div className="actions">
        <button type="button" onClick={onSaveAnyway} disabled={busy}>
          Save anyway
        </button>
        <button type="button" className="secondary" onClick={() => onMerge(c)} disabled={busy}>
          Same person: merge
        </button>
        <button type="button" className="secondary" onClick={() => onOpen(c.id)}>
          Open existing
        </button>
      </div>
    </div>
  );
}

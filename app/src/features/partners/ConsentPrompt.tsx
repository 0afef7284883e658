import { useState } from 'react';
import type { ConnectionView } from './connection';
import { PROTOCOL_STATEMENTS } from './statements';

/**
 * A4: the invited side sees who asks, with which protocol, for how many contacts, and decides. The
 * partner's name is what it typed: signed identities (I8, full form) and attestations (I7) will show
 * here once they exist, and standing rules will then be tied to a verified key.
 */
export function ConsentPrompt({ view, onAccept, onDecline }: { view: ConnectionView; onAccept(always: boolean): void; onDecline(): void }) {
  const [always, setAlways] = useState(false);
  const consent = view.consent;
  if (!consent) return null;
  return (
    <section className="warning" role="dialog" aria-modal="false" aria-labelledby="consent-title">
      <h2 id="consent-title">Check request from {view.partnerName}</h2>
      <p>
        <strong>{view.partnerName}</strong> asks to check {consent.count} contacts against yours, using the protocol <strong>{consent.protocol}</strong>.
      </p>
      <p className="hint">The organisation name is the one the partner typed; it is not yet verified by a signed identity.</p>
      <p>{PROTOCOL_STATEMENTS[consent.protocol].answerer}</p>
      {consent.protocol === 'psi-v1' && (
        <label className="inline">
          <input type="checkbox" checked={always} onChange={(e) => setAlways(e.target.checked)} /> Always accept psi-v1 checks from {view.partnerName}
        </label>
      )}
      <div className="actions">
        <button type="button" onClick={() => onAccept(always)}>
          Accept
        </button>
        <button type="button" className="secondary" onClick={onDecline}>
          Decline
        </button>
      </div>
    </section>
  );
}

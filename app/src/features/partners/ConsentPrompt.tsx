import type { ConnectionView } from './connection';
import { PROTOCOL_STATEMENTS } from './statements';

/** A4: the invited side sees who asks, with which protocol, for how many contacts, and decides. */
export function ConsentPrompt({ view, onAccept, onDecline }: { view: ConnectionView; onAccept(): void; onDecline(): void }) {
  const consent = view.consent;
  if (!consent) return null;
  return (
    <section className="warning" role="dialog" aria-modal="false" aria-labelledby="consent-title">
      <h2 id="consent-title">Check request from {view.partnerName}</h2>
      <p>
        <strong>{view.partnerName}</strong> asks to check {consent.count} contacts against yours, using the protocol <strong>{consent.protocol}</strong>.
      </p>
      <p>{PROTOCOL_STATEMENTS[consent.protocol].answerer}</p>
      <div className="actions">
        <button type="button" onClick={onAccept}>
          Accept
        </button>
        <button type="button" className="secondary" onClick={onDecline}>
          Decline
        </button>
      </div>
    </section>
  );
}

import { formatFingerprint } from '@ihyid/shared';
import type { RequestRow } from '../../identity/db';
import { answerPresentationRequest, decideAndAnswer } from '../../identity/live-actions';
import type { IdentityService, PresentationRequest } from '../../identity/service';
import type { HeldView } from '../../identity/views';

/**
 * I7: requests to attest that wait for our user (IPv8's "outstanding attestations"), and the
 * attestations this organisation holds about itself. Attesting signs a statement about the
 * partner's value: the user sees the exact value first.
 */
export function AttestationRequests({
  incoming,
  presentRequests,
  held,
  service,
}: {
  incoming: RequestRow[];
  presentRequests: PresentationRequest[];
  held: HeldView[];
  service: IdentityService;
}) {
  return (
    <>
      <section aria-labelledby="attestation-requests">
        <h2 id="attestation-requests">Attestation requests waiting for me</h2>
        {incoming.length === 0 ? (
          <p className="muted">No requests.</p>
        ) : (
          <ul className="list">
            {incoming.map((r) => (
              <li key={r.requestId} className="card" aria-label={`Request from ${r.peerName}`}>
                <p>
                  <strong>{r.peerName}</strong> asks you to confirm its <em>{r.name}</em>: “{r.value}” (until {new Date(r.expires).toISOString().slice(0, 10)}).
                </p>
                <div className="actions">
                  <button type="button" onClick={() => void decideAndAnswer(service, r.requestId, true, r.peer)}>
                    Attest
                  </button>
                  <button type="button" onClick={() => void decideAndAnswer(service, r.requestId, false, r.peer)}>
                    Refuse
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      {presentRequests.length > 0 && (
        <section aria-labelledby="present-requests">
          <h2 id="present-requests">Partners asking to see our attestations</h2>
          <ul className="list">
            {presentRequests.map((r) => (
              <li key={r.message.requestId} className="card" aria-label={`Presentation request from ${r.peerName}`}>
                <p>
                  <strong>{r.peerName}</strong> asks to see our attestations ({r.message.names.join(', ')}). Showing them reveals the attested values.
                </p>
                <div className="actions">
                  <button type="button" onClick={() => void answerPresentationRequest(service, r.message.requestId, true)}>
                    Show them
                  </button>
                  <button type="button" className="secondary" onClick={() => void answerPresentationRequest(service, r.message.requestId, false)}>
                    Refuse
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="held-attestations">
        <h2 id="held-attestations">Attestations about us</h2>
        {held.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <ul className="list">
            {held.map((h) => (
              <li key={h.attestationId} className="card">
                {h.name}: “{h.value}” · by <code className="mono">{formatFingerprint(h.attesterFingerprint)}</code> · {h.standing}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

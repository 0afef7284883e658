import { useState, useSyncExternalStore } from 'react';
import { formatFingerprint } from '@ihyid/shared';
import { useDeps } from '../../context/deps';
import type { ConnectionView } from './connection';
import { trustedAttributes } from './check-settings';
import { PROTOCOL_STATEMENTS } from './statements';

/**
 * A4: the invited side sees who asks (its typed name, its key fingerprint verified by the I8
 * handshake, its balance and attestation badges from our ledger), with which protocol, for how many
 * contacts and entries it announced (A9: the most it can test against our list), and decides. A standing rule is tied to the verified key and to an attestation of it by
 * an attester we trust ("an attested partner"): without one, the prompt says how to get one.
 */
export function ConsentPrompt({ view, onAccept, onDecline }: { view: ConnectionView; onAccept(always: boolean, attribute: string | undefined): void; onDecline(): void }) {
  const [always, setAlways] = useState(false);
  const { identity } = useDeps();
  const partners = useSyncExternalStore(identity.subscribe, () => identity.getSnapshot().partners);
  const consent = view.consent;
  if (!consent) return null;
  const partner = partners.find((p) => p.key === view.partnerKey) ?? null;
  const [attribute] = [...trustedAttributes(partner?.badges ?? [], Date.now())].sort();
  return (
    <section className="warning" role="dialog" aria-modal="false" aria-labelledby="consent-title">
      <h2 id="consent-title">Check request from {view.partnerName}</h2>
      <p>
        <strong>{view.partnerName}</strong> asks to check its {consent.theirs.count} contacts ({consent.theirs.items} entries) against yours, using the protocol{' '}
        <strong>{consent.protocol}</strong>.
      </p>
      <p aria-label="Your side of the check">
        {consent.ours ? `Your side: ${consent.ours.count} contacts (${consent.ours.items} entries).` : 'Counting your contacts…'}
      </p>
      {view.partnerFingerprint && (
        <dl>
          <dt>Key fingerprint</dt>
          <dd>
            <code className="mono" style={{ wordBreak: 'normal' }} aria-label="Requester's key fingerprint">
              {formatFingerprint(view.partnerFingerprint)}
            </code>
          </dd>
          <dt>Reputation</dt>
          <dd aria-label="Requester's balance">{partner?.record ? partner.record.balance : 'not registered'}</dd>
          <dt>Attestations</dt>
          <dd aria-label="Requester's attestations">
            {partner && partner.badges.length > 0
              ? partner.badges.map((b) => `${b.name} (${b.trusted ? 'verified by' : 'vouched for by, not trusted:'} ${b.attesterName ?? b.attesterFingerprint.slice(0, 8)})`).join('; ')
              : 'none'}
          </dd>
        </dl>
      )}
      <p className="hint">The name is the one the partner typed; the key fingerprint is the one its app proved to hold. Compare it with the partner by phone if in doubt.</p>
      <p>{PROTOCOL_STATEMENTS[consent.protocol].answerer(view.partnerName ?? 'The partner', consent.theirs)}</p>
      {consent.protocol === 'psi-v1' &&
        (attribute !== undefined ? (
          <label className="inline">
            <input type="checkbox" checked={always} onChange={(e) => setAlways(e.target.checked)} /> Always accept psi-v1 checks from {view.partnerName} while
            its “{attribute}” attestation holds
          </label>
        ) : (
          <p className="hint">A standing rule needs an attestation of this partner by an organisation you trust (see Identity).</p>
        ))}
      <div className="actions">
        <button type="button" onClick={() => onAccept(always, attribute)}>
          Accept
        </button>
        <button type="button" className="secondary" onClick={onDecline}>
          Decline
        </button>
      </div>
    </section>
  );
}

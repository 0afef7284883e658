import { fingerprintOf, formatFingerprint, type PublicKeyHex } from '@ihyid/shared';
import { useProfile } from '../../context/deps';
import { askForAttestations, askToAttestOurName } from '../../identity/live-actions';
import type { IdentityService, ShownAttestations } from '../../identity/service';
import type { PartnerView } from '../../identity/views';
import { formatWhen } from './format';

/** I4, I6, I7: the partners this installation knows, their standing and who vouches for them. */
export function PartnerIdentities({
  partners,
  connected,
  shown,
  service,
  now,
}: {
  partners: PartnerView[];
  connected: string[];
  shown: ShownAttestations[];
  service: IdentityService;
  now: number;
}) {
  const { orgName } = useProfile();
  return (
    <section aria-labelledby="partner-identities">
      <h2 id="partner-identities">Partners</h2>
      {partners.length === 0 ? (
        <p className="muted">No partner identities yet. They appear after a first connection with a partner.</p>
      ) : (
        <ul className="list" aria-label="Partner identities">
          {partners.map((p) => (
            <li key={p.key} className="card" aria-label={p.orgName ?? formatFingerprint(p.fingerprint)}>
              <strong>{p.orgName ?? 'Unnamed organisation'}</strong>
              <div>
                <span className="muted">Fingerprint: </span>
                <code className="mono" style={{ wordBreak: 'normal' }}>
                  {formatFingerprint(p.fingerprint)}
                </code>
              </div>
              <div>{standing(p)}</div>
              <div className="muted">Last seen: {formatWhen(p.lastSeen, now)}</div>
              {p.badges.length > 0 && (
                <div aria-label="Attestations">
                  {p.badges.map((b) => (
                    <span key={b.attestationId} className="badge" title={`Attested by ${formatFingerprint(b.attesterFingerprint)}`}>
                      {b.name} · {b.trusted ? 'verified by' : 'vouched for by (not trusted)'} {b.attesterName ?? b.attesterFingerprint.slice(0, 8)}
                    </span>
                  ))}
                </div>
              )}
              <Shown answer={shown.find((s) => s.peer === p.key)} partners={partners} self={service.signer.publicKey} />
              {connected.includes(p.key) && (
                <div className="actions">
                  <button type="button" className="secondary" onClick={() => void askToAttestOurName(service, p.key, orgName)}>
                    Ask {p.orgName ?? 'this partner'} to attest our name
                  </button>
                  <button type="button" className="secondary" onClick={() => askForAttestations(service, p.key)}>
                    Ask {p.orgName ?? 'this partner'} to show its attestations
                  </button>
                </div>
              )}
              <label>
                <input
                  type="checkbox"
                  checked={p.trustedAsAttester}
                  onChange={(e) => void service.setTrusted(p.key, e.target.checked, p.orgName ?? p.fingerprint)}
                />{' '}
                Trust this organisation's attestations
              </label>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** I7: what the partner showed when asked, each value checked against its signed hash here. */
function Shown({ answer, partners, self }: { answer: ShownAttestations | undefined; partners: PartnerView[]; self: PublicKeyHex }) {
  if (!answer) return null;
  if (answer.refused) return <div aria-label="Shown attestations">Refused to show its attestations.</div>;
  if (answer.items.length === 0) return <div aria-label="Shown attestations">Has no attestations to show.</div>;
  const attesterName = (key: PublicKeyHex | null) =>
    key === null ? 'unknown' : key === self ? 'us' : (partners.find((p) => p.key === key)?.orgName ?? formatFingerprint(fingerprintOf(key)));
  return (
    <ul aria-label="Shown attestations">
      {answer.items.map((item, i) => (
        <li key={i}>
          {item.name}: “{item.value}” ·{' '}
          {item.status === 'trusted'
            ? `verified, signed by ${attesterName(item.attester)}`
            : item.status === 'untrusted-attester'
              ? `signed by ${attesterName(item.attester)}, whom you do not trust`
              : `not valid (${item.problem ?? 'unknown'})`}
        </li>
      ))}
    </ul>
  );
}

function standing(p: PartnerView): string {
  if (!p.record) return 'Not registered: checks are refused until it registers.';
  if (p.record.status === 'revoked') return 'Revoked: checks are refused.';
  return `Registered · balance ${p.record.balance}`;
}

import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import { fingerprintOf, formatFingerprint, type PublicKeyHex } from '@ihyid/shared';
import { formatNumber } from '../../i18n/format';
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
  const { t } = useTranslation();
  const { orgName } = useProfile();
  return (
    <section aria-labelledby="partner-identities">
      <h2 id="partner-identities">{t('identity.partners')}</h2>
      {partners.length === 0 ? (
        <p className="muted">{t('identity.noPartners')}</p>
      ) : (
        <ul className="list" aria-label={t('identity.partnerIdentities')}>
          {partners.map((p) => (
            <li key={p.key} className="card" aria-label={p.orgName ?? formatFingerprint(p.fingerprint)}>
              <strong>
                <bdi>{p.orgName ?? t('identity.unnamed')}</bdi>
              </strong>
              <div>
                <span className="muted">{t('identity.fingerprint')}</span>
                <code className="mono" dir="ltr" style={{ wordBreak: 'normal' }}>
                  {formatFingerprint(p.fingerprint)}
                </code>
              </div>
              <div>{standing(p)}</div>
              <div className="muted">{t('identity.lastSeen', { when: formatWhen(p.lastSeen, now) })}</div>
              {p.badges.length > 0 && (
                <div aria-label={t('identity.attestations')}>
                  {p.badges.map((b) => (
                    <span key={b.attestationId} className="badge" title={t('identity.attestedBy', { fingerprint: formatFingerprint(b.attesterFingerprint) })}>
                      {t('identity.badge', {
                        name: b.name,
                        how: b.trusted ? t('identity.verifiedBy') : t('identity.vouchedUntrusted'),
                        attester: b.attesterName ?? b.attesterFingerprint.slice(0, 8),
                      })}
                    </span>
                  ))}
                </div>
              )}
              <Shown answer={shown.find((s) => s.peer === p.key)} partners={partners} self={service.signer.publicKey} />
              {connected.includes(p.key) && (
                <div className="actions">
                  <button type="button" className="secondary" onClick={() => void askToAttestOurName(service, p.key, orgName)}>
                    {t('identity.askAttest', { partner: p.orgName ?? t('identity.thisPartner') })}
                  </button>
                  <button type="button" className="secondary" onClick={() => askForAttestations(service, p.key)}>
                    {t('identity.askShow', { partner: p.orgName ?? t('identity.thisPartner') })}
                  </button>
                </div>
              )}
              <label className="inline">
                <input
                  type="checkbox"
                  checked={p.trustedAsAttester}
                  onChange={(e) => void service.setTrusted(p.key, e.target.checked, p.orgName ?? p.fingerprint)}
                />{' '}
                {t('identity.trustAttester')}
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
  const { t } = useTranslation();
  if (!answer) return null;
  if (answer.refused) return <div aria-label={t('identity.shownLabel')}>{t('identity.shownRefused')}</div>;
  if (answer.items.length === 0) return <div aria-label={t('identity.shownLabel')}>{t('identity.shownNone')}</div>;
  const attesterName = (key: PublicKeyHex | null) =>
    key === null ? t('identity.attesterUnknown') : key === self ? t('identity.attesterUs') : (partners.find((p) => p.key === key)?.orgName ?? formatFingerprint(fingerprintOf(key)));
  return (
    <ul aria-label={t('identity.shownLabel')}>
      {answer.items.map((item, i) => (
        <li key={i}>
          {item.name}: “{item.value}” ·{' '}
          {item.status === 'trusted'
            ? t('identity.shownTrusted', { attester: attesterName(item.attester) })
            : item.status === 'untrusted-attester'
              ? t('identity.shownUntrusted', { attester: attesterName(item.attester) })
              : t('identity.shownInvalid', { problem: item.problem ?? t('identity.attesterUnknown') })}
        </li>
      ))}
    </ul>
  );
}

function standing(p: PartnerView): string {
  if (!p.record) return i18next.t('identity.standingNotRegistered');
  if (p.record.status === 'revoked') return i18next.t('identity.standingRevoked');
  return i18next.t('identity.standingRegistered', { balance: formatNumber(p.record.balance) });
}

import { useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { formatNumber } from '../../i18n/format';
import { formatFingerprint, Role } from '@ihyid/shared';
import { useIdentityService, useRole } from '../../context/deps';
import type { ConnectionView } from './connection';
import { trustedAttributes } from './check-settings';
import { answererStatement } from './statements';

/**
 * A4: the invited side sees who asks (its typed name, its key fingerprint verified by the I8
 * handshake, its balance and attestation badges from our ledger), with which protocol, for how many
 * contacts and entries it announced (A9: the most it can test against our list), and decides. A standing rule is tied to the verified key and to an attestation of it by
 * an attester we trust ("an attested partner"): without one, the prompt says how to get one.
 */
export function ConsentPrompt({ view, onAccept, onDecline }: { view: ConnectionView; onAccept(always: boolean, attribute: string | undefined): void; onDecline(): void }) {
  const { t } = useTranslation();
  const [always, setAlways] = useState(false);
  const identity = useIdentityService();
  const role = useRole();
  const partners = useSyncExternalStore(identity.subscribe, () => identity.getSnapshot().partners);
  const consent = view.consent;
  if (!consent) return null;
  const partner = partners.find((p) => p.key === view.partnerKey) ?? null;
  const [attribute] = [...trustedAttributes(partner?.badges ?? [], Date.now())].sort();
  return (
    <section className="warning" role="dialog" aria-modal="false" aria-labelledby="consent-title">
      <h2 id="consent-title">{t('partners.consentTitle', { partner: view.partnerName })}</h2>
      <p>
        {withSlots(t('partners.consentAsks', { count: consent.theirs.count, items: consent.theirs.items, partner: slot(0), protocol: slot(1) }), [
          <strong key="p">
            <bdi>{view.partnerName}</bdi>
          </strong>,
          <strong key="r" dir="ltr">
            {consent.protocol}
          </strong>,
        ])}
      </p>
      <p aria-label={t('partners.yourSideLabel')}>
        {consent.ours ? t('partners.yourSide', { count: consent.ours.count, items: consent.ours.items }) : t('partners.countingYours')}
      </p>
      {view.partnerFingerprint && (
        <dl>
          <dt>{t('partners.keyFingerprint')}</dt>
          <dd>
            <code className="mono" dir="ltr" style={{ wordBreak: 'normal' }} aria-label={t('partners.requesterFingerprint')}>
              {formatFingerprint(view.partnerFingerprint)}
            </code>
          </dd>
          <dt>{t('partners.reputation')}</dt>
          <dd aria-label={t('partners.requesterBalance')}>{partner?.record ? formatNumber(partner.record.balance) : t('partners.notRegistered')}</dd>
          <dt>{t('partners.attestations')}</dt>
          <dd aria-label={t('partners.requesterAttestations')}>
            {partner && partner.badges.length > 0
              ? partner.badges
                  .map((b) =>
                    t(b.trusted ? 'partners.badgeTrusted' : 'partners.badgeUntrusted', { name: b.name, attester: b.attesterName ?? b.attesterFingerprint.slice(0, 8) }),
                  )
                  .join(t('contacts.reasonSeparator'))
              : t('partners.none')}
          </dd>
        </dl>
      )}
      <p className="hint">{t('partners.consentHint')}</p>
      <p>{answererStatement(consent.protocol, view.partnerName ?? t('messages.thePartner'), consent.theirs)}</p>
      {/* A4, X1: a standing rule is a protocol setting: an admin's. */}
      {consent.protocol === 'psi-v2' && role === Role.Admin &&
        (attribute !== undefined ? (
          <label className="inline">
            <input type="checkbox" checked={always} onChange={(e) => setAlways(e.target.checked)} />
            {/* One span: in the flex label, each bare text run and <bdi> would be its own item, splitting the sentence (and its accessible name) apart. */}
            <span>{withSlots(t('partners.alwaysAccept', { partner: slot(0), attribute: slot(1) }), [<Bdi key="p">{view.partnerName}</Bdi>, <Bdi key="a">{attribute}</Bdi>])}</span>
          </label>
        ) : (
          <p className="hint">{t('partners.ruleNeedsAttestation')}</p>
        ))}
      <div className="actions">
        <button type="button" onClick={() => onAccept(always, attribute)}>
          {t('partners.accept')}
        </button>
        <button type="button" className="secondary" onClick={onDecline}>
          {t('partners.decline')}
        </button>
      </div>
    </section>
  );
}

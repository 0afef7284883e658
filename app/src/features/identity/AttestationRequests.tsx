import { useTranslation } from 'react-i18next';
import { formatFingerprint } from '@ihyid/shared';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { formatDay } from '../../i18n/format';
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
  const { t } = useTranslation();
  return (
    <>
      <section aria-labelledby="attestation-requests">
        <h2 id="attestation-requests">{t('identity.requestsTitle')}</h2>
        {incoming.length === 0 ? (
          <p className="muted">{t('identity.noRequests')}</p>
        ) : (
          <ul className="list">
            {incoming.map((r) => (
              <li key={r.requestId} className="card" aria-label={t('identity.requestFrom', { peer: r.peerName })}>
                <p>
                  {withSlots(t('identity.asksConfirm', { peer: slot(0), name: slot(1), value: slot(2), date: formatDay(new Date(r.expires).toISOString()) }), [
                    <strong key="p">
                      <bdi>{r.peerName}</bdi>
                    </strong>,
                    <em key="n">{r.name}</em>,
                    <Bdi key="v">{r.value}</Bdi>,
                  ])}
                </p>
                <div className="actions">
                  <button type="button" onClick={() => void decideAndAnswer(service, r.requestId, true, r.peer)}>
                    {t('identity.attest')}
                  </button>
                  <button type="button" onClick={() => void decideAndAnswer(service, r.requestId, false, r.peer)}>
                    {t('identity.refuse')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      {presentRequests.length > 0 && (
        <section aria-labelledby="present-requests">
          <h2 id="present-requests">{t('identity.presentTitle')}</h2>
          <ul className="list">
            {presentRequests.map((r) => (
              <li key={r.message.requestId} className="card" aria-label={t('identity.presentFrom', { peer: r.peerName })}>
                <p>
                  {withSlots(t('identity.asksToSee', { peer: slot(0), names: r.message.names.join(', ') }), [
                    <strong key="p">
                      <bdi>{r.peerName}</bdi>
                    </strong>,
                  ])}
                </p>
                <div className="actions">
                  <button type="button" onClick={() => void answerPresentationRequest(service, r.message.requestId, true)}>
                    {t('identity.showThem')}
                  </button>
                  <button type="button" className="secondary" onClick={() => void answerPresentationRequest(service, r.message.requestId, false)}>
                    {t('identity.refuse')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="held-attestations">
        <h2 id="held-attestations">{t('identity.heldTitle')}</h2>
        {held.length === 0 ? (
          <p className="muted">{t('identity.noneYet')}</p>
        ) : (
          <ul className="list">
            {held.map((h) => (
              <li key={h.attestationId} className="card">
                {withSlots(t('identity.heldRow', { name: h.name, value: slot(0), attester: slot(1), standing: t(`identity.standing-${h.standing}`) }), [
                  <Bdi key="v">{h.value}</Bdi>,
                  <code key="a" className="mono" dir="ltr">
                    {formatFingerprint(h.attesterFingerprint)}
                  </code>,
                ])}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

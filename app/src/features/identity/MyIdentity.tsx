import { useTranslation } from 'react-i18next';
import { fingerprintQrText, formatFingerprint } from '@ihyid/shared';
import { formatNumber } from '../../i18n/format';
import { localizeMessage } from '../../i18n/messages';
import type { IdentityService, IdentitySnapshot } from '../../identity/service';
import { formatCount, progressShare } from './format';
import { QrCode } from '../../ui/QrCode';

/** I1, I2, I4: this installation's fingerprint (to compare by voice or QR), registration and balance. */
export function MyIdentity({ service, snapshot }: { service: IdentityService; snapshot: IdentitySnapshot }) {
  const { t } = useTranslation();
  const { fingerprint, registration } = snapshot;
  if (!fingerprint) return <p role="status">{t('identity.preparingKey')}</p>;
  return (
    <section aria-labelledby="my-identity" className="card">
      <h2 id="my-identity">{t('identity.myIdentity')}</h2>
      <p>{t('identity.compareIntro')}</p>
      <p>
        <span className="muted">{t('identity.keyFingerprint')}</span>
        {/* Break only between groups of four: a group split across lines is misread aloud. */}
        <code className="mono" style={{ wordBreak: 'normal' }} dir="ltr" aria-label={t('identity.keyFingerprintLabel')} data-fingerprint={fingerprint}>
          {formatFingerprint(fingerprint)}
        </code>
      </p>
      <QrCode text={fingerprintQrText(fingerprint)} label={t('identity.qrLabel', { fingerprint: formatFingerprint(fingerprint) })} />
      {registration.phase === 'unregistered' && (
        <div>
          <p>{t('identity.unregistered')}</p>
          {registration.error && (
            <p className="error-box" role="alert">
              {localizeMessage(registration.error)}
            </p>
          )}
          <button type="button" onClick={() => void service.register()}>
            {t('identity.register')}
          </button>
        </div>
      )}
      {registration.phase === 'solving' && (
        <div role="status">
          <p>{t('identity.registering', { tried: formatCount(registration.progress.tried), expected: formatCount(registration.progress.expected) })}</p>
          <progress aria-label={t('identity.registrationProgress')} max={1} value={progressShare(registration.progress)} />
          <div className="actions">
            <button type="button" onClick={() => service.cancelRegistration()}>
              {t('identity.cancelRegistration')}
            </button>
          </div>
        </div>
      )}
      {(registration.phase === 'registered' || registration.phase === 'revoked') && (
        <>
          <dl>
            <dt>{t('identity.status')}</dt>
            <dd>{registration.phase === 'registered' ? t('identity.registered') : t('identity.revoked')}</dd>
          </dl>
          <p>{registration.phase === 'registered' ? t('identity.standingGood') : t('identity.selfStandingRevoked')}</p>
          {/* #12: the numbers behind the standing, explained, for whoever wants them. */}
          <details>
            <summary>{t('common.details')}</summary>
            <dl>
              <dt>{t('identity.balance')}</dt>
              <dd aria-label={t('identity.balance')}>{formatNumber(registration.record.balance)}</dd>
              <dt>{t('identity.challenges')}</dt>
              <dd>{t('identity.challengeCounts', { solved: formatNumber(registration.record.solved), ignored: formatNumber(registration.record.ignored) })}</dd>
            </dl>
            <p className="hint">{t('identity.balanceExplain')}</p>
          </details>
        </>
      )}
      {snapshot.invalidOnLoad > 0 && (
        <p className="warning">{t('identity.invalidOnLoad', { count: snapshot.invalidOnLoad })}</p>
      )}
    </section>
  );
}

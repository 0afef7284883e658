import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import i18next from 'i18next';
import { formatNumber } from '../../i18n/format';
import { localizeMessage } from '../../i18n/messages';
import { allows, formatFingerprint, Permission, type CheckProtocol } from '@ihyid/shared';
import { FingerprintScan } from './FingerprintScan';
import { useDeps, useRole } from '../../context/deps';
import { loadCheckSettings } from './check-settings';
import { ListPairPanel } from './ListPairPanel';
import type { ConnectionView, PartnerConnection } from './connection';
import { protocolStatement } from './statements';

const STATUS_KEY = {
  idle: 'partners.statusIdle',
  joining: 'partners.statusJoining',
  waiting: 'partners.statusWaiting',
  connecting: 'partners.statusConnecting',
  verifying: 'partners.statusVerifying',
  connected: 'partners.statusConnected',
  retrying: 'partners.statusRetrying',
  closed: 'partners.statusClosed',
} as const satisfies Record<ConnectionView['status'], string>;

/** The live connection: status, consent, the check button, progress and the last outcome. */
export function ConnectionPanel({ view, connection, nested = false }: { view: ConnectionView; connection: PartnerConnection; nested?: boolean }) {
  const { t } = useTranslation();
  const { stores } = useDeps();
  const role = useRole();
  const enabled = useLiveQuery(() => loadCheckSettings(stores.settings).then((s) => s.enabled), [stores]) ?? ['psi-v2'];
  const [picked, setPicked] = useState<CheckProtocol>('psi-v2');
  const protocol = enabled.includes(picked) ? picked : 'psi-v2';
  const titleId = useId();
  if (view.status === 'idle') return null;
  const connected = view.status === 'connected';
  // A partner's own card (#12) holds its panel one heading level down.
  const Heading = nested ? 'h3' : 'h2';
  // I9: a bound partner is not opening a link: we wait for it to come online.
  const status = connected
    ? t('partners.connectedDirect', { partner: view.partnerName })
    : view.bound && view.status === 'waiting' && view.partnerName
      ? t('partners.statusWaitingPartner', { partner: view.partnerName })
      : t(STATUS_KEY[view.status]);
  return (
    <section className="card" aria-labelledby={titleId}>
      <Heading id={titleId}>{connected ? t('partners.connectedTo', { partner: view.partnerName }) : t('partners.connection')}</Heading>
      <p role="status">{status}</p>
      {view.error && (
        <div className="error-box" role="alert">
          {localizeMessage(view.error)}
        </div>
      )}
      {connected && view.partnerFingerprint && (
        <p>
          <span className="muted">{t('partners.partnerFingerprint')}</span>
          <code className="mono" dir="ltr" style={{ wordBreak: 'normal' }} aria-label={t('partners.partnerFingerprintLabel')}>
            {formatFingerprint(view.partnerFingerprint)}
          </code>
        </p>
      )}
      {connected && view.partnerFingerprint && <FingerprintScan verified={view.partnerFingerprint} partner={view.partnerName ?? ''} />}
      {/* The consent prompt is shown by the shell on every screen (IncomingCheck), this one included. */}
      {connected && !view.consent && (
        <>
          {enabled.length > 1 && (
            <fieldset>
              <legend>{t('partners.protocol')}</legend>
              {enabled.map((p) => (
                <label key={p} className="inline">
                  <input type="radio" name="check-protocol" value={p} checked={protocol === p} onChange={() => setPicked(p)} /> {protocolStatement(p, 'label')}
                </label>
              ))}
            </fieldset>
          )}
          <p className="hint">{protocolStatement(protocol, 'asker')}</p>
          <div className="actions">
            <button type="button" disabled={view.checkRunning} onClick={() => void connection.requestCheck(protocol)}>
              {t('partners.checkOverlap', { partner: view.partnerName })}
            </button>
            {view.checkRunning && (
              <button type="button" className="secondary" onClick={connection.cancel}>
                {t('partners.cancelCheck')}
              </button>
            )}
          </div>
        </>
      )}
      {!view.consent && allows(role, Permission.ReadContacts) && <ListPairPanel view={view} connection={connection} />}
      {view.progress && (
        <label>
          {t('partners.progress', { phase: progressLabel(view.progress.phase), done: formatNumber(view.progress.done), total: formatNumber(view.progress.total) })}
          <progress max={view.progress.total || 1} value={view.progress.done} />
        </label>
      )}
      {view.notice && (
        <p className="success" role="status" aria-live="polite">
          {localizeMessage(view.notice)}
        </p>
      )}
      <div className="actions">
        {view.status === 'retrying' && (
          <button type="button" onClick={connection.reconnect}>
            {t('partners.tryNow')}
          </button>
        )}
        {view.status === 'closed' && view.secret && (
          <button type="button" onClick={() => void connection.open(view.secret!, view.expected)}>
            {t('partners.connectAgain')}
          </button>
        )}
        <button type="button" className="secondary" onClick={connection.leave}>
          {view.status === 'closed' ? t('partners.close') : t('partners.disconnect')}
        </button>
      </div>
    </section>
  );
}

function progressLabel(phase: string): string {
  switch (phase) {
    case 'hashing':
      return i18next.t('partners.phaseHashing');
    case 'blinding':
      return i18next.t('partners.phaseBlinding');
    case 'sending':
      return i18next.t('partners.phaseSending');
    case 'receiving':
      return i18next.t('partners.phaseReceiving');
    case 'matching':
      return i18next.t('partners.phaseMatching');
    default:
      return i18next.t('partners.phaseAnswering');
  }
}

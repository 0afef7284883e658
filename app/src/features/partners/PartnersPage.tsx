import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { allows, Permission, Role, type CheckProtocol, type OrgFingerprint } from '@ihyid/shared';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { formatDay, formatNumber } from '../../i18n/format';
import { useDeps, useIdentityService, useRole } from '../../context/deps';
import { AuditList } from './AuditList';
import { CheckSettings } from './CheckSettings';
import { ConnectionPanel } from './ConnectionPanel';
import { saveFile } from '../../storage/download';
import { overlapResultsCsv } from './export-csv';
import { createInvitation, INVITATION_DAYS, invitationLink, invitationState, invitationStatusText, parseInvitation } from './invitations';
import { PartnerCard } from './PartnerCard';
import { usePartnerDirectory } from './use-partner-directory';

export function PartnersPage({ joinSecret }: { joinSecret?: string }) {
  const { t } = useTranslation();
  const deps = useDeps();
  const role = useRole();
  const [directoryView, directory] = usePartnerDirectory();
  const connection = directoryView.invite;
  const view = useSyncExternalStore(connection.subscribe, connection.snapshot);
  const invitations = useLiveQuery(() => deps.stores.invitations.list(), [deps.stores]);
  const checks = useLiveQuery(() => deps.stores.checks.recentChecks(20), [deps.stores]);
  const [copied, setCopied] = useState(false);
  const [days, setDays] = useState(INVITATION_DAYS);
  const identity = useIdentityService();
  const fingerprint = useSyncExternalStore(identity.subscribe, () => identity.getSnapshot().fingerprint);

  useEffect(() => {
    if (!joinSecret) return;
    // A link without the inviter's fingerprint is refused (invalid-invitation): I8 needs it.
    const invite = parseInvitation(joinSecret) ?? { secret: joinSecret, fingerprint: null, expiresAt: null };
    if (view.secret !== invite.secret) void directory.openLink(invite.fingerprint ? invite.secret : '', invite.fingerprint, invite.expiresAt);
    // Only a new link (a new secret) starts a new join; status changes must not re-join.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [joinSecret, directory]);

  async function invite() {
    const invitation = await createInvitation(deps.stores.invitations, deps.randomBytes, deps.now(), days);
    setCopied(false);
    void connection.open(invitation.secret);
  }

  const hosted = !joinSecret && view.secret !== null ? (invitations ?? []).find((i) => i.secret === view.secret) : undefined;
  const now = deps.now();
  const link = hosted && hosted.expiresAt && fingerprint && invitationState(hosted, now) === 'open' ? invitationLink(window.location.origin, hosted.secret, fingerprint, hosted.expiresAt) : null;

  return (
    <>
      <h1>{t('partners.title')}</h1>
      {joinSecret ? (
        <p>{t('partners.joined')}</p>
      ) : (
        <section aria-labelledby="invite-title">
          <h2 id="invite-title">{t('partners.inviteTitle')}</h2>
          <p className="hint">{t('partners.inviteHint')}</p>
          <label htmlFor="invitation-days">{t('partners.linkValidFor')}</label>
          <select id="invitation-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {[1, 7, 30].map((d) => (
              <option key={d} value={d}>
                {t('partners.days', { count: d })}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => void invite()}>
            {t('partners.createInvitation')}
          </button>
          {link && (
            <>
              <label htmlFor="invitation-link">{t('partners.invitationLink')}</label>
              <input id="invitation-link" className="mono" dir="ltr" readOnly value={link} onFocus={(e) => e.currentTarget.select()} />
              <div className="actions">
                <button
                  type="button"
                  className="secondary"
                  onClick={() => void navigator.clipboard?.writeText(link).then(() => setCopied(true), () => setCopied(false))}
                >
                  {copied ? t('partners.copied') : t('partners.copyLink')}
                </button>
              </div>
            </>
          )}
        </section>
      )}
      <ConnectionPanel view={view} connection={connection} />
      {directoryView.partners.length > 0 && (
        <section aria-labelledby="bonds-title">
          <h2 id="bonds-title">{t('partners.yourPartners')}</h2>
          <p className="hint">{t('partners.yourPartnersHint')}</p>
          <ul className="list">
            {directoryView.partners.map((entry) => (
              <PartnerCard key={entry.fingerprint} entry={entry} />
            ))}
          </ul>
        </section>
      )}
      {!joinSecret && (invitations?.length ?? 0) > 0 && (
        <section aria-labelledby="invitations-title">
          <h2 id="invitations-title">{t('partners.yourInvitations')}</h2>
          <ul className="list">
            {invitations!.map((i) => (
              <li key={i.id} className="card" aria-label={i.partnerName ? t('partners.invitationUsedBy', { partner: i.partnerName }) : t('partners.invitationOf', { date: formatDay(i.createdAt) })}>
                {i.partnerName ? <Bdi>{i.partnerName}</Bdi> : t('partners.invitationOf', { date: formatDay(i.createdAt) })} · {invitationStatusText(i, now)}{' '}
                {invitationState(i, now) === 'open' && (
                  <>
                    <button type="button" className="secondary" disabled={view.secret === i.secret && view.status !== 'closed'} onClick={() => void connection.open(i.secret)}>
                      {t('partners.open')}
                    </button>
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => {
                        if (view.secret === i.secret) connection.leave();
                        // I9: its room is then closed on the server, so the link says "revoked" at once.
                        void deps.stores.invitations.revoke(i.id).then(() => directory.closeRooms());
                      }}
                    >
                      {t('partners.revoke')}
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {(checks?.length ?? 0) > 0 && (
        <section aria-labelledby="checks-title">
          <h2 id="checks-title">{t('partners.pastChecks')}</h2>
          {/* X1: the results name contacts; a checker sees the counts below only. */}
          {allows(role, Permission.ReadContacts) && (
            <div className="actions">
              <button type="button" className="secondary" onClick={() => void overlapResultsCsv(deps.stores).then((csv) => saveFile(`ihyid-overlaps-${deps.now().toISOString().slice(0, 10)}.csv`, csv))}>
                {t('partners.exportResults')}
              </button>
            </div>
          )}
          <ul className="list">
            {checks!.map((c) => (
              <li key={c.id} className="card">
                {withSlots(
                  t('partners.checkRow', {
                    who: t(c.role === 'asked' ? 'partners.youAsked' : 'partners.theyAsked', { partner: slot(0) }),
                    protocol: slot(1),
                    date: formatDay(c.checkedAt),
                    known: formatNumber(c.known),
                    sent: formatNumber(c.sent),
                  }),
                  [
                    <Bdi key="p">{c.partnerName}</Bdi>,
                    <Bdi key="r">{t(`partners.short-${c.protocol as CheckProtocol}`, { defaultValue: c.protocol })}</Bdi>,
                  ],
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      <AuditList />
      {role === Role.Admin && <CheckSettings />}
    </>
  );
}

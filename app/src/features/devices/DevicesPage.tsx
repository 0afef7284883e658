import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { base64UrlFromBytes, DEVICE_ROLES, isErrorCode, pairingFragment, revokeDevice, type DeviceCert, type DeviceRole, type PublicKeyHex } from '@ihyid/shared';
import { useDeps, useProfile } from '../../context/deps';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { formatDay } from '../../i18n/format';
import { readPolicy } from '../../storage/settings';
import { QrCode } from '../../ui/QrCode';
import { DeviceSyncError, syncWithDevice, type DeviceSyncResult } from './device-sync';
import { canPair, hostPairing, newPairing } from './pairing-flow';
import { deviceIdentity, markRevoked, PAIRED_DEVICES, pairedDevices, recordPaired } from './device-settings';
import { useAutoSync } from './sync-context';

/**
 * X4, I10: the Devices screen of a protected device: sync with another device of the organisation,
 * pair a new one (link, QR code, six-digit code to compare), and the devices paired from here.
 */
export function DevicesPage() {
  const { t } = useTranslation();
  const { atRest, stores } = useDeps();
  return (
    <>
      <h1>{t('devices.title')}</h1>
      {!atRest.keys || !stores.sync ? (
        <p>
          {t('devices.needsProtection')} <a href="#/security">{t('common.navSecurity')}</a>
        </p>
      ) : (
        <AdminDevicePanels />
      )}
    </>
  );
}

/**
 * I10, X1: pairing and revoking are an admin device's (the organisation's first device, or one
 * paired as admin); a caseworker's or checker's device syncs and says who may pair.
 */
function AdminDevicePanels() {
  const { t } = useTranslation();
  const deps = useDeps();
  // This device's chain is set once, when it was paired: read once.
  const [own, setOwn] = useState<readonly DeviceCert[] | null>(null);
  useEffect(() => {
    let live = true;
    void deviceIdentity(deps).then((self) => live && setOwn(self.chain));
    return () => void (live = false);
  }, [deps]);
  if (own === null) return <SyncPanel />;
  return (
    <>
      <SyncPanel />
      {canPair(own) ? (
        <>
          <PairPanel chain={own} />
          <PairedList />
        </>
      ) : (
        <p>{t('devices.notAdminDevice', { role: t(`devices.role-${own[0]!.body.role}`) })}</p>
      )}
    </>
  );
}

type SyncState = { kind: 'idle' } | { kind: 'waiting' } | { kind: 'syncing' } | { kind: 'done'; result: DeviceSyncResult } | { kind: 'failed'; code: string };

function SyncPanel() {
  const { t } = useTranslation();
  // Revocation between devices has its own sentences; other codes read as everywhere else.
  const failureReason = (code: string): string =>
    code === 'identity-revoked' ? t('devices.peerRevoked') : code === 'self-revoked' ? t('devices.selfRevoked') : isErrorCode(code) ? t(`messages.error-${code}` as 'messages.error-internal') : code;
  const deps = useDeps();
  const [state, setState] = useState<SyncState>({ kind: 'idle' });
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  const start = () => {
    const controller = new AbortController();
    abort.current = controller;
    setState({ kind: 'syncing' });
    void (async () => {
      const identity = await deps.identity();
      return syncWithDevice({ ...deps, verify: identity.deps.verify }, deps.atRest.keys!, await deviceIdentity(deps), controller.signal, () => setState({ kind: 'waiting' }));
    })().then(
      async (result) => {
        await deps.stores.sync?.markSynced(deps.now());
        setState({ kind: 'done', result });
      },
      (error: unknown) => setState(controller.signal.aborted ? { kind: 'idle' } : { kind: 'failed', code: error instanceof DeviceSyncError ? error.code : 'internal' }),
    );
  };
  const busy = state.kind === 'waiting' || state.kind === 'syncing';
  const [auto, syncer] = useAutoSync();
  if (auto && syncer)
    return (
      <section aria-labelledby="sync-title">
        <h2 id="sync-title">{t('devices.syncTitle')}</h2>
        <p className="muted">{t('devices.autoIntro')}</p>
        <button type="button" onClick={() => syncer.syncNow()} disabled={auto.status === 'revoked'}>
          {t('devices.syncAllNow')}
        </button>
      </section>
    );
  return (
    <section aria-labelledby="sync-title">
      <h2 id="sync-title">{t('devices.syncTitle')}</h2>
      <p className="muted">{t('devices.syncIntro')}</p>
      {busy ? (
        <>
          <p role="status">{state.kind === 'waiting' ? t('devices.syncWaiting') : t('devices.syncing')}</p>
          <button type="button" className="secondary" onClick={() => abort.current?.abort()}>
            {t('devices.cancel')}
          </button>
        </>
      ) : (
        <button type="button" onClick={start}>
          {t('devices.syncNow')}
        </button>
      )}
      {state.kind === 'done' && (
        <p role="status" data-sent-chars={state.result.chars.sent} data-received-chars={state.result.chars.received}>
          {t('devices.syncDone', { received: state.result.received, sent: state.result.sent })}
          {state.result.flagged > 0 && <> {t('devices.syncFlagged', { count: state.result.flagged })}</>}
        </p>
      )}
      {state.kind === 'failed' && <p role="alert">{t('devices.syncFailed', { reason: failureReason(state.code) })}</p>}
    </section>
  );
}

type PairState = { kind: 'idle' } | { kind: 'showing'; link: string } | { kind: 'compare'; link: string; label: string; code: string; answer: (role: DeviceRole | null) => void };

function PairPanel({ chain }: { chain: readonly DeviceCert[] }) {
  const { t } = useTranslation();
  const deps = useDeps();
  const profile = useProfile();
  const [state, setState] = useState<PairState>({ kind: 'idle' });
  const [notice, setNotice] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  const start = async () => {
    const identity = await deps.identity();
    await identity.load();
    const host = {
      chain,
      openSignaling: deps.openSignaling,
      openLink: deps.openLink,
      signer: identity.signer,
      verify: identity.deps.verify,
      now: () => deps.now().getTime(),
      randomBytes: deps.randomBytes,
      payload: async () => {
        // Read when a device joins, so a policy changed while the code was showing goes as it is then.
        const policy = await readPolicy(deps.stores.settings);
        const dataKey = deps.atRest.keys!.dataKeyCopy();
        try {
          return { dataKey: base64UrlFromBytes(dataKey), orgName: profile.orgName, defaultCountry: profile.defaultCountry, policy };
        } finally {
          dataKey.fill(0);
        }
      },
    };
    const { pending, org } = newPairing(host);
    const link = `${window.location.origin}${window.location.pathname}#/pair/${pairingFragment(pending.secret, org, pending.expiresAt)}`;
    const controller = new AbortController();
    abort.current = controller;
    setNotice(null);
    setState({ kind: 'showing', link });
    void hostPairing(
      host,
      pending,
      {
        onJoin: ({ label, code }, answer) =>
          setState({
            kind: 'compare',
            link,
            label,
            code,
            answer: (role) => {
              setState({ kind: 'showing', link });
              answer(role);
            },
          }),
        onPaired: ({ key, label, cert, chain: granted }) => {
          void recordPaired(deps.stores.settings, { key, label, role: cert.body.role, pairedAt: deps.now().toISOString(), cert: cert as DeviceCert }, deps.now());
          // X4: every device of the organisation learns of the new one, to meet it (auto-sync.ts).
          void deps.stores.sync?.addDevice(key, granted);
          setNotice(t('devices.paired', { label }));
        },
        onRefused: (reason) => setNotice(t(`devices.refused-${reason}`)),
      },
      controller.signal,
    );
  };
  return (
    <section aria-labelledby="pair-title">
      <h2 id="pair-title">{t('devices.pairTitle')}</h2>
      {state.kind === 'idle' ? (
        <button type="button" onClick={() => void start()}>
          {t('devices.pairStart')}
        </button>
      ) : (
        <>
          <p>{t('devices.pairIntro')}</p>
          <QrCode text={state.link} label={t('devices.pairQr')} />
          <p>
            <code dir="ltr" aria-label={t('devices.pairLink')} style={{ wordBreak: 'break-all' }}>
              {state.link}
            </code>
          </p>
          {state.kind === 'compare' ? (
            <CompareCodes label={state.label} code={state.code} answer={state.answer} />
          ) : (
            <p role="status">{t('devices.pairWaiting')}</p>
          )}
        </>
      )}
      {notice && <p role="status">{notice}</p>}
    </section>
  );
}

/** The code to compare, and the role the new device gets once the admin confirms (X1; a caseworker's by default). */
function CompareCodes({ label, code, answer }: { label: string; code: string; answer: (role: DeviceRole | null) => void }) {
  const { t } = useTranslation();
  const [role, setRole] = useState<DeviceRole>('caseworker');
  return (
    <div role="group" aria-label={t('devices.pairTitle')}>
      <p>{withSlots(t('devices.pairCompare', { label: slot(0), code }), [<Bdi key="label">{label}</Bdi>])}</p>
      <label>
        {t('devices.pairRole')}{' '}
        <select value={role} onChange={(e) => setRole(e.target.value as DeviceRole)}>
          {DEVICE_ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`devices.role-${r}`)}
            </option>
          ))}
        </select>
      </label>
      <p className="muted">{t('devices.pairRoleHelp')}</p>
      <button type="button" onClick={() => answer(role)}>
        {t('devices.codesMatch')}
      </button>{' '}
      <button type="button" className="secondary" onClick={() => answer(null)}>
        {t('devices.codesDiffer')}
      </button>
    </div>
  );
}

function PairedList() {
  const { t } = useTranslation();
  const deps = useDeps();
  const { stores } = deps;
  const devices = useLiveQuery(() => pairedDevices(stores.settings), [stores]);
  // I10: a signed revocation, replicated with the records; every device that holds it refuses the key.
  const revoke = async (key: PublicKeyHex) => {
    const self = await deviceIdentity(deps);
    const signed = await revokeDevice(self.signer, { org: self.org, device: key, at: deps.now().getTime(), reason: 'lost' }, self.chain.length ? self.chain : undefined);
    await stores.sync!.addRevocation(key, signed);
    await markRevoked(stores.settings, key, deps.now());
  };
  return (
    <section aria-labelledby="paired-title">
      <h2 id="paired-title">{t('devices.pairedList')}</h2>
      {devices && devices.length === 0 && <p className="muted">{t('devices.noPaired')}</p>}
      <ul aria-label={t('devices.pairedList')} data-setting={PAIRED_DEVICES}>
        {devices?.map((d) => (
          <li key={d.key}>
            <bdi>{t('devices.deviceRow', { label: d.label, role: t(`devices.role-${d.role}`), date: formatDay(d.pairedAt) })}</bdi>{' '}
            {d.revokedAt ? (
              <strong>{t('devices.revoked')}</strong>
            ) : (
              <button type="button" className="secondary" aria-label={t('devices.revokeLabel', { label: d.label })} onClick={() => void revoke(d.key)}>
                {t('devices.revoke')}
              </button>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { bytesFromBase64Url } from '@ihyid/shared';
import { useDeps } from '../../context/deps';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { MIN_PASSPHRASE } from '../../storage/at-rest/keyring';
import { adoptPolicy } from '../../storage/settings';
import { OWN_CHAIN } from './device-settings';
import { joinPairing } from './pairing-flow';

type State = { kind: 'form' } | { kind: 'joining'; code: string | null } | { kind: 'done'; org: string } | { kind: 'failed'; reason: string };

/**
 * I10, X4 on the new device: opened from the admin's pairing link before any first-run setup. The
 * device is named, its passphrase chosen, the code compared; what the admin sends (certificate,
 * data key, profile) is stored only once all of it checked out, and the data key only wrapped
 * under the passphrase. The page then reloads into the unlock screen.
 */
export function PairJoinPage({ fragment }: { fragment: string }) {
  const { t } = useTranslation();
  const deps = useDeps();
  const ids = [useId(), useId(), useId(), useId()] as const;
  const [label, setLabel] = useState('');
  const [userName, setUserName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [state, setState] = useState<State>({ kind: 'form' });
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  async function join(e: FormEvent) {
    e.preventDefault();
    if (passphrase.length < MIN_PASSPHRASE) return setProblem(t('security.tooShort', { min: MIN_PASSPHRASE }));
    if (passphrase !== repeat) return setProblem(t('security.differ'));
    // X1: the user name is this device's first user, an admin.
    if (!userName.trim()) return setProblem(t('security.account-name-invalid'));
    setProblem(null);
    if (await deps.atRest.vault.exists()) return setState({ kind: 'failed', reason: t('common.alreadyMember') });
    setState({ kind: 'joining', code: null });
    const identity = await deps.identity();
    await identity.load();
    const controller = new AbortController();
    abort.current = controller;
    const joined = await joinPairing(
      { openSignaling: deps.openSignaling, openLink: deps.openLink, signer: identity.signer, verify: identity.deps.verify, now: () => deps.now().getTime() },
      fragment,
      label.trim(),
      (code) => setState({ kind: 'joining', code }),
      controller.signal,
    );
    if (!joined.ok) return setState({ kind: 'failed', reason: t(`devices.join-${joined.reason}`) });
    const dataKey = bytesFromBase64Url(joined.payload.dataKey)!;
    await deps.atRest.vault.adopt(dataKey, userName.trim(), passphrase);
    dataKey.fill(0);
    const now = deps.now();
    // Written in the clear for now; the first unlock seals them with everything else (migrate.ts).
    await deps.stores.profile.save({ orgName: joined.payload.orgName, userName: userName.trim(), defaultCountry: joined.payload.defaultCountry }, now);
    await deps.stores.settings.update(OWN_CHAIN, () => joined.chain, now);
    await adoptPolicy(deps.stores.settings, joined.payload.policy, now);
    setState({ kind: 'done', org: joined.payload.orgName });
  }

  return (
    <main className="page">
      <h1>{t('devices.joinTitle')}</h1>
      {state.kind === 'form' && (
        <>
          <p>{t('devices.joinIntro')}</p>
          <form onSubmit={(e) => void join(e)}>
            <label htmlFor={ids[0]}>{t('devices.deviceLabel')}</label>
            <input id={ids[0]} value={label} maxLength={64} onChange={(e) => setLabel(e.target.value)} required />
            <label htmlFor={ids[1]}>{t('devices.userName')}</label>
            <input id={ids[1]} value={userName} maxLength={80} onChange={(e) => setUserName(e.target.value)} required />
            <label htmlFor={ids[2]}>{t('security.newPassphrase')}</label>
            <input id={ids[2]} type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} required />
            <label htmlFor={ids[3]}>{t('security.repeatPassphrase')}</label>
            <input id={ids[3]} type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
            {problem && <p role="alert">{problem}</p>}
            <button type="submit">{t('devices.join')}</button>
          </form>
        </>
      )}
      {state.kind === 'joining' && <p role="status">{state.code ? t('devices.joinCompare', { code: state.code }) : t('devices.joining')}</p>}
      {state.kind === 'done' && (
        <>
          <p role="status">{withSlots(t('devices.joinDone', { org: slot(0) }), [<Bdi key="org">{state.org}</Bdi>])}</p>
          <button
            type="button"
            onClick={() => {
              window.location.hash = '#/devices';
              window.location.reload();
            }}
          >
            {t('security.unlock')}
          </button>
        </>
      )}
      {state.kind === 'failed' && <p role="alert">{state.reason}</p>}
    </main>
  );
}

import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Role } from '@ihyid/shared';
import { useDeps, useProfile, useRole } from '../../context/deps';
import { FIRST_ADMIN } from '../../storage/at-rest/vault';
import { MIN_PASSPHRASE } from '../../storage/at-rest/keyring';
import { BackupPanel } from './BackupPanel';
import { UsersPanel } from './UsersPanel';
import { LOCK_CHOICES, loadLockMinutes, setLockMinutes } from './idle-lock';

/**
 * X1, X2: protect this device with a passphrase (every personal record is then sealed at rest; its
 * first user is an admin), or, once protected, lock it now; an admin also sets the lock time,
 * manages the users and makes backups.
 */
export function SecurityPage() {
  const { t } = useTranslation();
  const { atRest, stores, now } = useDeps();
  const lockId = useId();
  const lockMinutes = useLiveQuery(() => loadLockMinutes(stores.settings), [stores]);
  const role = useRole();
  const profile = useProfile();
  const [first, second, nameId] = [useId(), useId(), useId()];
  const [adminName, setAdminName] = useState(profile.userName.trim() || FIRST_ADMIN);
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (atRest.keys) {
    const { user } = atRest;
    return (
      <>
        <h1>{t('security.title')}</h1>
        <p>{t('security.protectedIntro')}</p>
        {user && (
          <p>
            {t('security.signedInAs', { role: t(`security.role-${user.role}`) })} <bdi>{user.name}</bdi>
          </p>
        )}
        <button type="button" onClick={() => window.location.reload()}>
          {t('security.lockNow')}
        </button>
        {role === Role.Admin && (
          <>
            <label htmlFor={lockId}>{t('security.lockAfter')}</label>
            <select id={lockId} value={lockMinutes ?? ''} disabled={lockMinutes === undefined} onChange={(e) => void setLockMinutes(stores.settings, Number(e.target.value), now())}>
              {LOCK_CHOICES.map((m) => (
                <option key={m} value={m}>
                  {t('security.minutes', { count: m })}
                </option>
              ))}
            </select>
            <UsersPanel />
            <BackupPanel />
          </>
        )}
      </>
    );
  }

  async function protect(e: FormEvent) {
    e.preventDefault();
    if (passphrase.length < MIN_PASSPHRASE) return setProblem(t('security.tooShort', { min: MIN_PASSPHRASE }));
    if (passphrase !== repeat) return setProblem(t('security.differ'));
    if (!adminName.trim()) return setProblem(t('security.account-name-invalid'));
    setBusy(true);
    await atRest.vault.create(adminName, passphrase);
    // The page reloads into the unlock screen; the first unlock seals what is stored (migrate.ts).
    window.location.reload();
  }

  return (
    <>
      <h1>{t('security.title')}</h1>
      <p>{t('security.protectIntro')}</p>
      <p className="warning">{t('security.forgottenWarning')}</p>
      <form onSubmit={(e) => void protect(e)}>
        <label htmlFor={nameId}>{t('security.adminName')}</label>
        <input id={nameId} dir="auto" value={adminName} maxLength={80} onChange={(e) => setAdminName(e.target.value)} required />
        <label htmlFor={first}>{t('security.newPassphrase')}</label>
        <input id={first} type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} required />
        <label htmlFor={second}>{t('security.repeatPassphrase')}</label>
        <input id={second} type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
        {problem && <p role="alert">{problem}</p>}
        <button type="submit" disabled={busy}>
          {busy ? t('security.protecting') : t('security.protect')}
        </button>
      </form>
      <BackupPanel />
    </>
  );
}

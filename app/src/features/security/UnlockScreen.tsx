import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { UnlockError, type LocalUser, type Unlocked, type Vault } from '../../storage/at-rest/vault';

/**
 * X1, X2: the only screen of a protected device until a user gives their passphrase. The users are
 * picked by name (the names never leave the device). A wrong passphrase shows nothing but the
 * message; repeated failures wait longer each time, whichever user was tried (vault.ts); nothing is wiped.
 */
export function UnlockScreen({ vault, onUnlocked }: { vault: Vault; onUnlocked(unlocked: Unlocked): void }) {
  const { t } = useTranslation();
  const [userId, passId] = [useId(), useId()];
  const [users, setUsers] = useState<LocalUser[]>([]);
  const [name, setName] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  useEffect(() => {
    void vault.users().then((list) => {
      setUsers(list);
      setName((current) => current || (list[0]?.name ?? ''));
    });
  }, [vault]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const result = await vault.unlock(name, passphrase);
      if (result.ok) return onUnlocked(result.value);
      const wait = Math.ceil((result.error.waitMs ?? 0) / 1000);
      setPassphrase('');
      setMessage(
        result.error.code === UnlockError.TooSoon
          ? t('security.tooSoon', { count: wait })
          : wait > 0
            ? t('security.wrongWait', { count: wait })
            : t('security.wrong'),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="page">
      <h1>{t('security.unlockTitle')}</h1>
      <p className="muted">{t('security.unlockIntro')}</p>
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor={userId}>{t('security.user')}</label>
        <select id={userId} value={name} onChange={(e) => setName(e.target.value)} required>
          {users.map((u) => (
            <option key={u.name} value={u.name}>
              {u.name}
            </option>
          ))}
        </select>
        <label htmlFor={passId}>{t('security.passphrase')}</label>
        <input id={passId} type="password" autoComplete="current-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} required />
        <button type="submit" disabled={busy || !name}>
          {busy ? t('security.unlocking') : t('security.unlock')}
        </button>
        {message && <p role="alert">{message}</p>}
      </form>
    </main>
  );
}

import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordKeys } from '../../storage/at-rest/keyring';
import { UnlockError, type Vault } from '../../storage/at-rest/vault';

/**
 * X2: the only screen of a protected device until the passphrase is given. A wrong passphrase
 * shows nothing but the message; repeated failures wait longer each time (vault.ts), nothing is wiped.
 */
export function UnlockScreen({ vault, onUnlocked }: { vault: Vault; onUnlocked(keys: RecordKeys): void }) {
  const { t } = useTranslation();
  const id = useId();
  const [passphrase, setPassphrase] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const result = await vault.unlock(passphrase);
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
        <label htmlFor={id}>{t('security.passphrase')}</label>
        <input id={id} type="password" autoComplete="current-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} required />
        <button type="submit" disabled={busy}>
          {busy ? t('security.unlocking') : t('security.unlock')}
        </button>
        {message && <p role="alert">{message}</p>}
      </form>
    </main>
  );
}

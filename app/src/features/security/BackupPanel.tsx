import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeps } from '../../context/deps';
import { saveFile } from '../../storage/download';
import { MIN_PASSPHRASE } from '../../storage/at-rest/keyring';

/**
 * X3: one encrypted file with every record of this device, under a backup passphrase of its own (the
 * only way back after a lost device or the last admin's forgotten passphrase).
 */
export function BackupPanel() {
  const { t } = useTranslation();
  const { backup, now } = useDeps();
  const [first, second] = [useId(), useId()];
  const [passphrase, setPassphrase] = useState('');
  const [repeat, setRepeat] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function download(e: FormEvent) {
    e.preventDefault();
    if (passphrase.length < MIN_PASSPHRASE) return setMessage({ ok: false, text: t('security.tooShort', { min: MIN_PASSPHRASE }) });
    if (passphrase !== repeat) return setMessage({ ok: false, text: t('security.differ') });
    setBusy(true);
    setMessage(null);
    try {
      const file = await backup.make(passphrase);
      saveFile(`ihyid-backup-${now().toISOString().slice(0, 10)}.json`, file, 'application/json');
      setPassphrase('');
      setRepeat('');
      setMessage({ ok: true, text: t('security.backupDone') });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="backup-title">
      <h2 id="backup-title">{t('security.backupTitle')}</h2>
      <p>{t('security.backupIntro')}</p>
      <form onSubmit={(e) => void download(e)}>
        <label htmlFor={first}>{t('security.backupPassphrase')}</label>
        <input id={first} type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} required />
        <label htmlFor={second}>{t('security.backupRepeat')}</label>
        <input id={second} type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
        {message && (
          <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'success' : undefined}>
            {message.text}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? t('security.backupMaking') : t('security.backupMake')}
        </button>
      </form>
    </section>
  );
}

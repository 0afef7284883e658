import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ERROR_MESSAGES } from '@ihyid/shared';
import { useDeps } from '../../context/deps';
import { loadRestOfCatalog } from '../../i18n';
import { localizeMessage } from '../../i18n/messages';

/**
 * X3, on a fresh device: put a backup back (every record, decision, result, list, the profile and
 * the signing key). A wrong passphrase, a changed or cut file changes nothing and says so.
 */
export function RestorePanel() {
  const { t } = useTranslation();
  const { backup } = useDeps();
  const [fileId, passId] = [useId(), useId()];
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function restore(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setProblem(null);
    try {
      const result = await backup.restore(await file.text(), passphrase);
      if (!result.ok) {
        // The error sentences are in the part of the catalog that loads after the first paint.
        await loadRestOfCatalog();
        return setProblem(localizeMessage(ERROR_MESSAGES[result.error]));
      }
      // The restored profile, identity and records are read by a fresh start of the app.
      window.location.hash = '#/contacts';
      window.location.reload();
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="restore-title">
      <h2 id="restore-title">{t('security.restoreTitle')}</h2>
      <p>{t('security.restoreIntro')}</p>
      <form onSubmit={(e) => void restore(e)}>
        <label htmlFor={fileId}>{t('security.restoreFile')}</label>
        <input id={fileId} type="file" accept="application/json,.json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} required />
        <label htmlFor={passId}>{t('security.backupPassphrase')}</label>
        <input id={passId} type="password" autoComplete="off" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} required />
        {problem && <p role="alert">{problem}</p>}
        <button type="submit" disabled={busy || !file}>
          {busy ? t('security.restoring') : t('security.restore')}
        </button>
      </form>
    </section>
  );
}

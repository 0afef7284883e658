import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeps } from '../../context/deps';
import { saveFile } from '../../storage/download';
import { dataWorker } from '../data/data-client';

/** R5: contacts and duplicate decisions as CSV, built in the data worker and saved by the browser. */
export function ExportPage() {
  const { t } = useTranslation();
  const { now } = useDeps();
  const [busy, setBusy] = useState<string | null>(null);

  async function download(kind: 'contacts' | 'decisions') {
    setBusy(kind);
    try {
      const blob = kind === 'contacts' ? await dataWorker().exportContacts() : await dataWorker().exportDecisions();
      saveFile(`ihyid-${kind}-${now().toISOString().slice(0, 10)}.csv`, blob);
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <h1>{t('importExport.exportTitle')}</h1>
      <p className="muted">{t('importExport.exportHint')}</p>
      <div className="actions">
        <button type="button" disabled={busy !== null} onClick={() => void download('contacts')}>
          {t('importExport.exportContacts')}
        </button>
        <button type="button" disabled={busy !== null} onClick={() => void download('decisions')}>
          {t('importExport.exportDecisions')}
        </button>
      </div>
      {busy && (
        <p role="status" className="muted">
          {busy === 'contacts' ? t('importExport.preparingContacts') : t('importExport.preparingDecisions')}
        </p>
      )}
    </>
  );
}

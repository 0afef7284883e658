import { useState } from 'react';
import { useDeps } from '../../context/deps';
import { dataWorker } from '../data/data-client';

/** R5: contacts and duplicate decisions as CSV, built in the data worker and saved by the browser. */
export function ExportPage() {
  const { now } = useDeps();
  const [busy, setBusy] = useState<string | null>(null);

  async function download(kind: 'contacts' | 'decisions') {
    setBusy(kind);
    try {
      const blob = kind === 'contacts' ? await dataWorker().exportContacts() : await dataWorker().exportDecisions();
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `ihyid-${kind}-${now().toISOString().slice(0, 10)}.csv`;
      a.click();
      // The browser has started the download; the URL can go once this task is done.
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      <h1>Export</h1>
      <p className="muted">CSV files (UTF-8) that open in any spreadsheet. Per-contact secrets never leave this device.</p>
      <div className="actions">
        <button type="button" disabled={busy !== null} onClick={() => void download('contacts')}>
          Export contacts (CSV)
        </button>
        <button type="button" disabled={busy !== null} onClick={() => void download('decisions')}>
          Export duplicate decisions (CSV)
        </button>
      </div>
      {busy && (
        <p role="status" className="muted">
          Preparing the {busy} file…
        </p>
      )}
    </>
  );
}

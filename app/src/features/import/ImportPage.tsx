import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useState, type ChangeEvent } from 'react';
import { uuidV4 } from '@ihyid/shared';
import { useDeps, useProfile } from '../../context/deps';
import type { ImportJob } from '../../storage/db';
import { dataWorker, progressCallback } from '../data/data-client';
import type { SheetSummary } from '../data/data.worker';
import type { ImportProgress } from './import-run';
import { MappingStep } from './MappingStep';
import type { ColumnMapping } from './mapping';

type Step =
  | { name: 'choose'; error?: string }
  | { name: 'reading'; fileName: string }
  | { name: 'mapping'; file: File; summary: SheetSummary; mapping: ColumnMapping }
  | { name: 'running'; progress: ImportProgress }
  | { name: 'report'; jobId: string };

/**
 * R4: import CSV or XLSX (KoboToolbox exports included). Choose a file, match the columns with a
 * preview, import with a progress bar and a cancel button, read the report. The work happens in
 * the data worker; this page only shows where it stands. An import cut short by a reload is
 * offered again here, and resumes after its last saved batch.
 */
export function ImportPage() {
  const deps = useDeps();
  const profile = useProfile();
  const fileId = useId();
  const [step, setStep] = useState<Step>({ name: 'choose' });
  const interrupted = useLiveQuery(() => deps.db.importJobs.where('status').equals('running').first(), [deps.db]);

  // One Comlink proxy per run (a proxy holds a message port until the run ends).
  const progressTo = () =>
    progressCallback((p: ImportProgress) => setStep(p.status === 'running' ? { name: 'running', progress: p } : { name: 'report', jobId: p.id }));

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    setStep({ name: 'reading', fileName: file.name });
    try {
      const summary = await dataWorker().inspect(file, file.name);
      if (summary.headers.length === 0) return setStep({ name: 'choose', error: 'This file has no rows.' });
      setStep({ name: 'mapping', file, summary, mapping: summary.saved ?? summary.suggested });
    } catch (e) {
      console.error(e);
      setStep({ name: 'choose', error: 'This file could not be read. Save it as CSV (UTF-8) or XLSX and try again.' });
    }
  }

  async function follow(run: Promise<ImportProgress | undefined>, jobId: string) {
    await run;
    setStep({ name: 'report', jobId });
  }

  function start(file: File, summary: SheetSummary, mapping: ColumnMapping) {
    const jobId = uuidV4(deps.randomBytes);
    const options = { jobId, fileName: file.name, mapping, userName: profile.userName, defaultCountry: profile.defaultCountry };
    setStep({ name: 'running', progress: { id: jobId, nextRow: 0, totalRows: summary.totalRows, imported: 0, duplicates: 0, rejected: 0, status: 'running' } });
    void follow(dataWorker().start(file, options, progressTo()), jobId);
  }

  function resume(job: ImportJob) {
    setStep({ name: 'running', progress: job });
    void follow(dataWorker().resume(job.id, profile.userName, profile.defaultCountry, progressTo()), job.id);
  }

  return (
    <>
      <h1>Import contacts</h1>
      {step.name === 'choose' && (
        <>
          {interrupted && (
            <div className="warning" role="alert">
              <p>
                The import of {interrupted.fileName} stopped at row {interrupted.nextRow} of {interrupted.totalRows}. Nothing was lost; it can go on
                where it stopped.
              </p>
              <div className="actions">
                <button type="button" onClick={() => resume(interrupted)}>
                  Resume import
                </button>
                <button type="button" className="secondary" onClick={() => void dataWorker().cancel(interrupted.id)}>
                  Stop import
                </button>
              </div>
            </div>
          )}
          <p className="muted">CSV or XLSX, for example a KoboToolbox export. The first row must hold the column names.</p>
          <label htmlFor={fileId}>Spreadsheet file (CSV or XLSX)</label>
          <input id={fileId} type="file" accept=".csv,.xlsx,text/csv" onChange={(e) => void choose(e)} />
          {step.error && (
            <p className="error-box" role="alert">
              {step.error}
            </p>
          )}
        </>
      )}
      {step.name === 'reading' && (
        <p role="status" className="muted">
          Reading {step.fileName}…
        </p>
      )}
      {step.name === 'mapping' && (
        <MappingStep
          summary={step.summary}
          mapping={step.mapping}
          onChange={(mapping) => setStep({ ...step, mapping })}
          onStart={() => start(step.file, step.summary, step.mapping)}
          onBack={() => setStep({ name: 'choose' })}
        />
      )}
      {step.name === 'running' && <Running progress={step.progress} onCancel={() => void dataWorker().cancel(step.progress.id)} />}
      {step.name === 'report' && <ImportReport jobId={step.jobId} onAgain={() => setStep({ name: 'choose' })} />}
    </>
  );
}

function Running({ progress, onCancel }: { progress: ImportProgress; onCancel(): void }) {
  return (
    <section aria-label="Import running">
      <progress aria-label="Import progress" max={Math.max(1, progress.totalRows)} value={progress.nextRow} />
      <p aria-live="polite">
        Row {progress.nextRow} of {progress.totalRows}: {progress.imported} imported, {progress.duplicates} likely duplicates, {progress.rejected}{' '}
        rejected.
      </p>
      <button type="button" className="secondary" onClick={onCancel}>
        Cancel import
      </button>
    </section>
  );
}

function ImportReport({ jobId, onAgain }: { jobId: string; onAgain(): void }) {
  const { db } = useDeps();
  const job = useLiveQuery(() => db.importJobs.get(jobId), [db, jobId]);
  if (!job) return null;
  return (
    <section aria-labelledby="import-report">
      <h2 id="import-report">Import report</h2>
      {job.status === 'cancelled' && <p role="status">Cancelled after row {job.nextRow} of {job.totalRows}. The rows before it were imported.</p>}
      <ul className="report" aria-label="Import counts">
        <li>Imported: {job.imported}</li>
        <li>Likely duplicates: {job.duplicates}</li>
        <li>Rejected: {job.rejected}</li>
      </ul>
      {job.duplicates > 0 && <a href="#/duplicates">Review likely duplicates</a>}
      {job.errors.length > 0 && (
        <>
          <h3>Rejected rows</h3>
          <ul aria-label="Rejected rows">
            {job.errors.slice(0, 200).map((e, i) => (
              <li key={i}>
                Row {e.row}: {e.message}
              </li>
            ))}
          </ul>
          {job.rejected > 200 && <p className="muted">The first 200 errors are shown.</p>}
        </>
      )}
      <button type="button" className="secondary" onClick={onAgain}>
        Import another file
      </button>
    </section>
  );
}

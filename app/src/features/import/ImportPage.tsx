import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useState, type ChangeEvent } from 'react';
import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { formatNumber } from '../../i18n/format';
import { uuidV4 } from '@ihyid/shared';
import { useDeps, useProfile } from '../../context/deps';
import type { ImportJob } from '../../storage/records';
import { dataWorker, progressCallback } from '../data/data-client';
import type { SheetSummary } from '../data/data.worker';
import type { ImportProgress } from './import-run';
import { DuplicateChoice, holdDuplicates } from './DuplicateChoice';
import { ImportReport } from './ImportReport';
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
  const { t } = useTranslation();
  const deps = useDeps();
  const profile = useProfile();
  const fileId = useId();
  const [step, setStep] = useState<Step>({ name: 'choose' });
  const interrupted = useLiveQuery(() => deps.stores.imports.running(), [deps.stores]);

  // One Comlink proxy per run (a proxy holds a message port until the run ends).
  const progressTo = () =>
    progressCallback((p: ImportProgress) => setStep(p.status === 'running' ? { name: 'running', progress: p } : { name: 'report', jobId: p.id }));

  async function choose(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    if (!file) return;
    setStep({ name: 'reading', fileName: file.name });
    try {
      const summary = await dataWorker().inspect(file, file.name);
      if (summary.headers.length === 0) return setStep({ name: 'choose', error: i18next.t('importExport.noRows') });
      setStep({ name: 'mapping', file, summary, mapping: summary.saved ?? summary.suggested });
    } catch (e) {
      console.error(e);
      setStep({ name: 'choose', error: i18next.t('importExport.unreadable') });
    }
  }

  async function follow(run: Promise<ImportProgress | undefined>, jobId: string) {
    await run;
    setStep({ name: 'report', jobId });
  }

  async function start(file: File, summary: SheetSummary, mapping: ColumnMapping) {
    const jobId = uuidV4(deps.randomBytes);
    const hold = await holdDuplicates(deps.stores.settings);
    const options = { jobId, fileName: file.name, mapping, userName: profile.userName, defaultCountry: profile.defaultCountry, hold };
    setStep({ name: 'running', progress: { id: jobId, nextRow: 0, totalRows: summary.totalRows, imported: 0, duplicates: 0, held: 0, hold, rejected: 0, status: 'running' } });
    void follow(dataWorker().start(file, options, progressTo()), jobId);
  }

  function resume(job: ImportJob) {
    setStep({ name: 'running', progress: job });
    void follow(dataWorker().resume(job.id, profile.userName, profile.defaultCountry, progressTo()), job.id);
  }

  return (
    <>
      <h1>{t('importExport.importTitle')}</h1>
      {step.name === 'choose' && (
        <>
          {interrupted && (
            <div className="warning" role="alert">
              <p>
                {withSlots(t('importExport.interrupted', { file: slot(0), row: formatNumber(interrupted.nextRow), total: formatNumber(interrupted.totalRows) }), [
                  <Bdi key="f">{interrupted.fileName}</Bdi>,
                ])}
              </p>
              <div className="actions">
                <button type="button" onClick={() => resume(interrupted)}>
                  {t('importExport.resume')}
                </button>
                <button type="button" className="secondary" onClick={() => void dataWorker().cancel(interrupted.id)}>
                  {t('importExport.stop')}
                </button>
              </div>
            </div>
          )}
          <p className="muted">{t('importExport.fileHint')}</p>
          <label htmlFor={fileId}>{t('importExport.fileLabel')}</label>
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
          {withSlots(t('importExport.reading', { file: slot(0) }), [<Bdi key="f">{step.fileName}</Bdi>])}
        </p>
      )}
      {step.name === 'mapping' && (
        <MappingStep
          summary={step.summary}
          mapping={step.mapping}
          onChange={(mapping) => setStep({ ...step, mapping })}
          onStart={() => void start(step.file, step.summary, step.mapping)}
          onBack={() => setStep({ name: 'choose' })}
          choice={<DuplicateChoice />}
        />
      )}
      {step.name === 'running' && <Running progress={step.progress} onCancel={() => void dataWorker().cancel(step.progress.id)} />}
      {step.name === 'report' && <ImportReport jobId={step.jobId} onAgain={() => setStep({ name: 'choose' })} />}
    </>
  );
}

function Running({ progress, onCancel }: { progress: ImportProgress; onCancel(): void }) {
  const { t } = useTranslation();
  const n = formatNumber;
  return (
    <section aria-label={t('importExport.running')}>
      <progress aria-label={t('importExport.progressLabel')} max={Math.max(1, progress.totalRows)} value={progress.nextRow} />
      <p aria-live="polite">
        {progress.hold
          ? t('importExport.progressHeld', { row: n(progress.nextRow), total: n(progress.totalRows), imported: n(progress.imported), held: n(progress.held ?? 0), rejected: n(progress.rejected) })
          : t('importExport.progress', { row: n(progress.nextRow), total: n(progress.totalRows), imported: n(progress.imported), duplicates: n(progress.duplicates), rejected: n(progress.rejected) })}
      </p>
      <button type="button" className="secondary" onClick={onCancel}>
        {t('importExport.cancel')}
      </button>
    </section>
  );
}

import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useState, type ChangeEvent } from 'react';
import i18next from 'i18next';
import { useTranslation } from 'react-i18next';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { formatNumber } from '../../i18n/format';
import { localizeMessage } from '../../i18n/messages';
import { uuidV4, type ContactField } from '@ihyid/shared';
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
  const { t } = useTranslation();
  const n = formatNumber;
  return (
    <section aria-label={t('importExport.running')}>
      <progress aria-label={t('importExport.progressLabel')} max={Math.max(1, progress.totalRows)} value={progress.nextRow} />
      <p aria-live="polite">
        {t('importExport.progress', { row: n(progress.nextRow), total: n(progress.totalRows), imported: n(progress.imported), duplicates: n(progress.duplicates), rejected: n(progress.rejected) })}
      </p>
      <button type="button" className="secondary" onClick={onCancel}>
        {t('importExport.cancel')}
      </button>
    </section>
  );
}

function ImportReport({ jobId, onAgain }: { jobId: string; onAgain(): void }) {
  const { t } = useTranslation();
  const { stores } = useDeps();
  const job = useLiveQuery(() => stores.imports.get(jobId), [stores, jobId]);
  if (!job) return null;
  return (
    <section aria-labelledby="import-report">
      <h2 id="import-report">{t('importExport.reportTitle')}</h2>
      {job.status === 'cancelled' && <p role="status">{t('importExport.cancelledAt', { row: job.nextRow, total: job.totalRows })}</p>}
      <ul className="report" aria-label={t('importExport.counts')}>
        <li>{t('importExport.imported', { count: job.imported })}</li>
        <li>{t('importExport.duplicates', { count: job.duplicates })}</li>
        <li>{t('importExport.rejected', { count: job.rejected })}</li>
      </ul>
      {job.duplicates > 0 && <a href="#/duplicates">{t('importExport.reviewDuplicates')}</a>}
      {job.errors.length > 0 && (
        <>
          <h3>{t('importExport.rejectedRows')}</h3>
          <ul aria-label={t('importExport.rejectedRows')}>
            {job.errors.slice(0, 200).map((e, i) => (
              <li key={i}>
                <RejectedRow error={e} />
              </li>
            ))}
          </ul>
          {job.rejected > 200 && <p className="muted">{t('importExport.first200')}</p>}
        </>
      )}
      <button type="button" className="secondary" onClick={onAgain}>
        {t('importExport.again')}
      </button>
    </section>
  );
}

/** #12: a rejected row says what was read in it, and what is wrong with which column. */
function RejectedRow({ error: e }: { error: ImportJob['errors'][number] }) {
  const { t } = useTranslation();
  if (e.value === undefined) return <>{t('importExport.rowError', { row: e.row, message: localizeMessage(e.message) })}</>;
  const field = t(`importExport.field-${e.field as ContactField}`, { defaultValue: e.field });
  return (
    <>
      {withSlots(t('importExport.rowRead', { row: e.row, summary: slot(0) }), [<Bdi key="s">{e.summary ?? ''}</Bdi>])}
      {e.value.trim() === ''
        ? t('importExport.cellEmpty', { field })
        : withSlots(t('importExport.cellValue', { field, value: slot(0), message: localizeMessage(e.message) }), [<Bdi key="v">{e.value}</Bdi>])}
    </>
  );
}

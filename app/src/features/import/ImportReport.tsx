import { useLiveQuery } from 'dexie-react-hooks';
import { useTranslation } from 'react-i18next';
import type { ContactField } from '@ihyid/shared';
import { useDeps } from '../../context/deps';
import { Bdi, slot, withSlots } from '../../i18n/bidi';
import { localizeMessage } from '../../i18n/messages';
import type { ImportJob } from '../../storage/records';

/**
 * R4: the import's report: what was imported, held for review (#12) or flagged, and rejected, with
 * each rejected row as it was read. Held rows are reviewed on the Duplicates screen, where every
 * likely duplicate waits (it survives a reload, and other imports' held rows are there too).
 */
export function ImportReport({ jobId, onAgain }: { jobId: string; onAgain(): void }) {
  const { t } = useTranslation();
  const { stores } = useDeps();
  const job = useLiveQuery(() => stores.imports.get(jobId), [stores, jobId]);
  if (!job) return null;
  const held = job.held ?? 0;
  return (
    <section aria-labelledby="import-report">
      <h2 id="import-report">{t('importExport.reportTitle')}</h2>
      {job.status === 'cancelled' && <p role="status">{t('importExport.cancelledAt', { row: job.nextRow, total: job.totalRows })}</p>}
      <ul className="report" aria-label={t('importExport.counts')}>
        <li>{t('importExport.imported', { count: job.imported })}</li>
        {job.hold ? <li>{t('importExport.held', { count: held })}</li> : <li>{t('importExport.duplicates', { count: job.duplicates })}</li>}
        <li>{t('importExport.rejected', { count: job.rejected })}</li>
      </ul>
      {held > 0 && (
        <p>
          {t('importExport.heldHint')} <a href="#/duplicates">{t('importExport.reviewHeld')}</a>
        </p>
      )}
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

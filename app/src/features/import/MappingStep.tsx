import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactField } from '@ihyid/shared';
import type { SheetSummary } from '../data/data.worker';
import { IMPORT_FIELDS, rowToInput, type ColumnMapping } from './mapping';

/**
 * R4: the mapping step. One select per contact field, pre-set from a saved mapping or from the
 * headers (Kobo XML names, labels, Arabic labels), and a preview of the first rows as they will be
 * read, so the caseworker sees a wrong column before anything is imported.
 */
export function MappingStep({
  summary,
  mapping,
  onChange,
  onStart,
  onBack,
  choice,
}: {
  summary: SheetSummary;
  mapping: ColumnMapping;
  onChange(mapping: ColumnMapping): void;
  onStart(): void;
  onBack(): void;
  /** What to do with likely duplicates (#12), asked before the import starts. */
  choice?: ReactNode;
}) {
  const { t } = useTranslation();
  const id = useId();
  const set = (field: ContactField, value: string) => {
    const next = { ...mapping };
    if (value === '') delete next[field];
    else next[field] = Number(value);
    onChange(next);
  };
  const mapped = IMPORT_FIELDS.filter((f) => mapping[f.field] !== undefined);
  const preview = summary.preview.map((cells) => rowToInput(cells, mapping));
  const ready = mapping.firstName !== undefined && mapping.lastName !== undefined && mapping.birthDate !== undefined;

  return (
    <section aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('importExport.matchTitle')}</h2>
      <p className="muted">
        {t('importExport.rows', { count: summary.totalRows })} {summary.saved ? t('importExport.savedMapping') : t('importExport.guessedMapping')}
      </p>
      <div className="grid2">
        {IMPORT_FIELDS.map(({ field }) => (
          <div key={field} className="field">
            <label htmlFor={`${id}-${field}`}>{t('importExport.column', { field: t(`importExport.field-${field}`) })}</label>
            <select id={`${id}-${field}`} value={mapping[field] ?? ''} onChange={(e) => set(field, e.target.value)}>
              <option value="">{t('importExport.notImported')}</option>
              {summary.headers.map((h, i) => (
                <option key={i} value={i}>
                  {h || t('importExport.columnN', { n: i + 1 })}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
      <h3>{t('importExport.preview')}</h3>
      {/* X7: a region that scrolls sideways takes keyboard focus, so the preview can be read without a mouse. */}
      <div className="table-scroll" tabIndex={0} role="region" aria-label={t('importExport.preview')}>
        <table aria-label={t('importExport.previewLabel')}>
          <thead>
            <tr>
              {mapped.map((f) => (
                <th key={f.field} scope="col">
                  {t(`importExport.field-${f.field}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.map((row, r) => (
              <tr key={r}>
                {mapped.map((f) => (
                  <td key={f.field} dir="auto">
                    {row[f.field]}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!ready && (
        <p className="error-box" role="alert">
          {t('importExport.required')}
        </p>
      )}
      {choice}
      <div className="actions">
        <button type="button" onClick={onStart} disabled={!ready}>
          {t('importExport.importRows', { count: summary.totalRows })}
        </button>
        <button type="button" className="secondary" onClick={onBack}>
          {t('importExport.another')}
        </button>
      </div>
    </section>
  );
}

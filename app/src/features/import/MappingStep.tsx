import { useId } from 'react';
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
}: {
  summary: SheetSummary;
  mapping: ColumnMapping;
  onChange(mapping: ColumnMapping): void;
  onStart(): void;
  onBack(): void;
}) {
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
      <h2 id={`${id}-h`}>Match the columns</h2>
      <p className="muted">
        {summary.totalRows} rows. {summary.saved ? 'The mapping saved for sheets with these columns is applied.' : 'Columns were matched from their names; check them.'}
      </p>
      <div className="grid2">
        {IMPORT_FIELDS.map(({ field, label }) => (
          <div key={field} className="field">
            <label htmlFor={`${id}-${field}`}>{label} column</label>
            <select id={`${id}-${field}`} value={mapping[field] ?? ''} onChange={(e) => set(field, e.target.value)}>
              <option value="">(not imported)</option>
              {summary.headers.map((h, i) => (
                <option key={i} value={i}>
                  {h || `Column ${i + 1}`}
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
      <h3>Preview</h3>
      <div className="table-scroll">
        <table aria-label="Preview of the first rows">
          <thead>
            <tr>
              {mapped.map((f) => (
                <th key={f.field} scope="col">
                  {f.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {preview.map((row, r) => (
              <tr key={r}>
                {mapped.map((f) => (
                  <td key={f.field}>{row[f.field]}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!ready && (
        <p className="error-box" role="alert">
          Choose the columns for first name, last name and date of birth: they are required (R2).
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={onStart} disabled={!ready}>
          Import {summary.totalRows} rows
        </button>
        <button type="button" className="secondary" onClick={onBack}>
          Choose another file
        </button>
      </div>
    </section>
  );
}

import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { conflictFields, MERGE_FIELDS, type Contact, type MergeField, type RecordKey, type VersionId } from '@ihyid/shared';
import { useDeps } from '../../context/deps';
import type { ConflictView } from '../../storage/sync-store';
import type { DexieSyncStore } from '../../storage/sync-store';
import { FIELD_LABEL, showField } from './fields';
import { contactName } from './format';
import { keysWithAliases } from './keys';

const PAGE = 20;

/** The fields a caseworker compares (the merge's); ids, secrets, keys, aliases and times follow from the choice. */
const comparable = (c: Contact): Record<string, unknown> => Object.fromEntries(MERGE_FIELDS.map((f) => [f, c[f]]));

/**
 * X4: records two devices changed while apart. Every version is kept; the caseworker picks each
 * field that differs (fields only one device changed are taken as they are), or keeps a deletion
 * or merge made on one device. The answer is a new version replacing every head, which replicates.
 */
export function SyncConflicts({ sync }: { sync: DexieSyncStore }) {
  const { t } = useTranslation();
  const records = useLiveQuery(() => sync.conflicts(PAGE), [sync]);
  if (!records || records.length === 0) return null;
  return (
    <section aria-labelledby="sync-conflicts">
      <h2 id="sync-conflicts">{t('contacts.conflictsTitle')}</h2>
      <p className="muted">{t('contacts.conflictsExplain')}</p>
      <ul className="list" aria-label={t('contacts.conflictsList')}>
        {records.map((record) => (
          <ConflictCard key={record} sync={sync} record={record} />
        ))}
      </ul>
    </section>
  );
}

function ConflictCard({ sync, record }: { sync: DexieSyncStore; record: RecordKey }) {
  const view = useLiveQuery(() => sync.conflictView(record), [sync, record]);
  if (!view) return null;
  return <ConflictForm sync={sync} view={view} />;
}

function ConflictForm({ sync, view }: { sync: DexieSyncStore; view: ConflictView }) {
  const { t } = useTranslation();
  const deps = useDeps();
  const [picked, setPicked] = useState<Record<string, number>>({});
  const [busy, setBusy] = useState(false);
  const live = view.heads.filter((h): h is typeof h & { contact: Contact } => h.contact !== null);
  const gone = view.heads.find((h) => h.contact === null);
  const newest = live[0];
  if (!newest) return null;
  const { merged, choices } = conflictFields(
    view.base ? comparable(view.base) : null,
    live.map((h) => ({ id: h.id as VersionId, fields: comparable(h.contact) })),
  );
  const title = t('contacts.conflictTitle', { name: contactName(newest.contact) });

  const keep = () => {
    setBusy(true);
    void (async () => {
      const chosen: Record<string, unknown> = { ...merged };
      for (const c of choices) chosen[c.field] = c.options[picked[c.field] ?? 0]!.value;
      // D1: the imports are not a caseworker's choice: the record keeps every file either device saw it in.
      const imports = [...new Set(live.flatMap((h) => h.contact.imports ?? []))];
      const fields = { ...newest.contact, ...chosen, ...(imports.length > 0 ? { imports } : {}) } as Contact;
      // R9: the keys of the chosen values and of the aliases, from the domain worker, as a save computes them.
      const keys = await keysWithAliases(deps.worker, fields, fields.aliases);
      const contact: Contact = { ...fields, ...keys, updatedAt: deps.now().toISOString() };
      await sync.resolve(view.record, contact);
    })().finally(() => setBusy(false));
  };
  const remove = () => {
    setBusy(true);
    void sync.resolve(view.record, null).finally(() => setBusy(false));
  };

  return (
    <li>
      <article className="pair" aria-label={title}>
        <h3>
          <bdi>{contactName(newest.contact)}</bdi>
        </h3>
        {gone && <p>{gone.mergedInto ? t('contacts.conflictMergedAway') : t('contacts.conflictDeletedAway')}</p>}
        {choices.map((c) => (
          <fieldset key={c.field}>
            <legend>{t(FIELD_LABEL[c.field as MergeField])}</legend>
            {c.options.map((o, i) => (
              <label key={i}>
                <input type="radio" name={`${view.record}-${c.field}`} checked={(picked[c.field] ?? 0) === i} onChange={() => setPicked((p) => ({ ...p, [c.field]: i }))} />{' '}
                <bdi>{showField(c.field, o.value)}</bdi>
              </label>
            ))}
          </fieldset>
        ))}
        <div className="actions">
          <button type="button" disabled={busy} onClick={keep}>
            {t('contacts.conflictKeep')}
          </button>
          {gone && (
            <button type="button" className="secondary" disabled={busy} onClick={remove}>
              {gone.mergedInto ? t('contacts.conflictKeepMerge') : t('contacts.conflictKeepDelete')}
            </button>
          )}
        </div>
      </article>
    </li>
  );
}

import { useLiveQuery } from 'dexie-react-hooks';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDeps } from '../../context/deps';
import type { SettingsStore } from '../../storage/settings';

/**
 * #12: what an import does with a row that looks like someone already registered (or like an
 * earlier row of the file): hold it for review (the default) or import it as a new contact, flagged.
 * Remembered on this device (settings), so each caseworker's phone keeps its own habit.
 */
export const IMPORT_DUPLICATES = 'import-duplicates';

/** The stored choice: anything but 'flag' (unset, odd values) means hold. */
export async function holdDuplicates(settings: SettingsStore): Promise<boolean> {
  return (await settings.get(IMPORT_DUPLICATES)) !== 'flag';
}

export function DuplicateChoice() {
  const { t } = useTranslation();
  const deps = useDeps();
  const id = useId();
  const stored = useLiveQuery(() => holdDuplicates(deps.stores.settings), [deps.stores]);
  // Shown at once; the stored choice follows (an import started next reads it after this write: IndexedDB orders them).
  const [picked, setPicked] = useState<boolean | null>(null);
  const hold = picked ?? stored;
  if (hold === undefined) return null;
  const choose = (value: 'hold' | 'flag') => {
    setPicked(value === 'hold');
    void deps.stores.settings.update(IMPORT_DUPLICATES, () => value, deps.now());
  };
  return (
    <fieldset>
      <legend>{t('importExport.duplicateChoice')}</legend>
      <label className="inline">
        <input type="radio" name={`${id}-dup`} checked={hold} onChange={() => choose('hold')} aria-describedby={`${id}-hold`} />
        {t('importExport.holdDuplicates')}
      </label>
      <p id={`${id}-hold`} className="hint">
        {t('importExport.holdHint')}
      </p>
      <label className="inline">
        <input type="radio" name={`${id}-dup`} checked={!hold} onChange={() => choose('flag')} aria-describedby={`${id}-flag`} />
        {t('importExport.flagDuplicates')}
      </label>
      <p id={`${id}-flag`} className="hint">
        {t('importExport.flagHint')}
      </p>
    </fieldset>
  );
}

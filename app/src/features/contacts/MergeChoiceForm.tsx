import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { chooseFields, mergeDifferences, type MergeChoices, type MergeField, type MergeFields, type MergeSide } from '@ihyid/shared';
import { useDeps } from '../../context/deps';
import { Bdi } from '../../i18n/bidi';
import { FIELD_LABEL, showField } from './fields';
import { keysWithAliases } from './keys';
import { AliasName } from './PersonFacts';

/**
 * R8 "same person", field by field: each field where the two records differ, with both values as
 * radio choices. A known value is chosen by default (a known sex over "unknown", a full date over a
 * year, a phone over none), so nothing known is lost unless the caseworker says so. The names not
 * kept stay as other names of the contact (aliases), so that spelling still finds it.
 */
export function MergeChoiceForm({
  kept,
  merged,
  mergedLabel,
  busy,
  onConfirm,
  onCancel,
}: {
  kept: MergeFields;
  merged: MergeFields;
  /** How the other record is called: "this registration" (the editor) or "the newer record" (review). */
  mergedLabel: string;
  busy: boolean;
  onConfirm(choices: MergeChoices): void;
  onCancel(): void;
}) {
  const { t } = useTranslation();
  const deps = useDeps();
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const differences = mergeDifferences(kept, merged);
  const [sides, setSides] = useState<Partial<Record<MergeField, MergeSide>>>(() => Object.fromEntries(differences.map((d) => [d.field, d.side])));
  const [working, setWorking] = useState(false);
  const [failed, setFailed] = useState(false);

  // Keyboard and screen-reader users land on the choice they just opened, and on Cancel go back to
  // the button that opened it (the caller keeps it mounted, hidden).
  const opener = useRef<Element | null>(null);
  useEffect(() => {
    opener.current = document.activeElement;
    heading.current?.focus();
  }, []);
  const cancel = () => {
    onCancel();
    requestAnimationFrame(() => (opener.current instanceof HTMLElement ? opener.current.focus() : undefined));
  };

  const confirm = () => {
    setWorking(true);
    setFailed(false);
    const result = chooseFields(kept, merged, sides);
    // R9: the keys of the chosen record and of every alias, in the worker, as a save computes them.
    void keysWithAliases(deps.worker, result, result.aliases)
      .then((keys) => onConfirm({ fields: sides, ...keys }))
      .catch((e: unknown) => {
        console.error(e);
        setFailed(true);
      })
      .finally(() => setWorking(false));
  };

  const aliases = chooseFields(kept, merged, sides).aliases ?? [];
  return (
    <section className="merge-choice" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
        {t('contacts.mergeTitle')}
      </h2>
      <p className="muted">{differences.length > 0 ? t('contacts.mergeExplain') : t('contacts.mergeNoDifferences')}</p>
      {differences.map(({ field }) => (
        <fieldset key={field}>
          <legend>{t(FIELD_LABEL[field])}</legend>
          {(['kept', 'merged'] as const).map((side) => (
            <label key={side}>
              <input
                type="radio"
                name={`${id}-${field}`}
                value={side}
                checked={sides[field] === side}
                onChange={() => setSides((prev) => ({ ...prev, [field]: side }))}
              />{' '}
              <Bdi ltr={field === 'phone'}>{showField(field, (side === 'kept' ? kept : merged)[field])}</Bdi>{' '}
              <span className="muted">{side === 'kept' ? t('contacts.mergeFromKept') : mergedLabel}</span>
            </label>
          ))}
        </fieldset>
      ))}
      {aliases.length > 0 && (
        <>
          <p id={`${id}-aliases`}>{t('contacts.mergeAliases')}</p>
          <ul aria-labelledby={`${id}-aliases`}>
            {aliases.map((a, i) => (
              <li key={i}>
                <AliasName alias={a} />
              </li>
            ))}
          </ul>
        </>
      )}
      {failed && (
        <p className="error-box" role="alert">
          {t('contacts.mergeFailed')}
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={confirm} disabled={busy || working}>
          {t('contacts.mergeConfirm')}
        </button>
        <button type="button" className="secondary" onClick={cancel} disabled={busy || working}>
          {t('contacts.mergeCancel')}
        </button>
      </div>
    </section>
  );
}

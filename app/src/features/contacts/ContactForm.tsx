import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { normaliseLocalDate } from '../../i18n/dates';
import { regionName, spelledDay } from '../../i18n/format';
import { localizeMessage } from '../../i18n/messages';
import type { ContactField, ContactInput, FieldErrors } from '@ihyid/shared';

/** R1 fields in screen (DOM) order; the first invalid one in this order gets the focus (X7). */
export const FIELD_ORDER: readonly ContactField[] = [
  'firstName',
  'lastName',
  'fatherName',
  'motherName',
  'birthDate',
  'sex',
  'phone',
  'householdSize',
  'documentType',
  'documentNumber',
  'location',
  'notes',
];

export const fieldId = (field: ContactField): string => `contact-${field}`;

/** Suggestions only: the stored value is what was typed, so each language suggests its own words. */
const DOCUMENT_TYPES = ['docNationalId', 'docPassport', 'docUnhcr', 'docResidence', 'docBirthCertificate', 'docFamilyBooklet'] as const;

export interface ContactFormFieldsProps {
  input: ContactInput;
  errors: FieldErrors;
  onChange(field: ContactField, value: string): void;
  /** Lets the editor move the focus to the first invalid field. */
  fieldRef(field: ContactField): (el: HTMLElement | null) => void;
  /** Shown under Phone: which country a number without a prefix belongs to. */
  defaultCountry: string;
}

/**
 * The R1 fields, one column on a phone and two (`grid2`) on wider screens. Labels are exact:
 * end-to-end tests and screen readers find the fields by them (X7).
 */
export function ContactFormFields({ input, errors, onChange, fieldRef, defaultCountry }: ContactFormFieldsProps) {
  const { t } = useTranslation();
  const control = (field: ContactField, hint?: string) => {
    const id = fieldId(field);
    const error = errors[field];
    const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
    return {
      id,
      name: field,
      value: input[field],
      ref: fieldRef(field),
      'aria-invalid': error ? true : undefined,
      'aria-describedby': describedBy || undefined,
      // X6: Arabic typed into a field reads right to left whatever the interface language.
      dir: 'auto',
      onChange: (e: { target: { value: string } }) => onChange(field, e.target.value),
    };
  };
  const field = (name: ContactField, label: string, child: ReactNode, hint?: string) => (
    <Field id={fieldId(name)} label={label} hint={hint} error={errors[name]}>
      {child}
    </Field>
  );

  // #12: a date typed as 12/03/1985 is read day first, and said back in words so a slip shows.
  const typed = input.birthDate.trim();
  const read = typed && normaliseLocalDate(typed) !== typed ? spelledDay(normaliseLocalDate(typed)) : null;
  const birthHint = read ? `${t('contacts.birthHint')} ${t('contacts.readAs', { date: read })}` : t('contacts.birthHint');
  const phoneHint = t('contacts.phoneHint', { country: regionName(defaultCountry) });

  return (
    <>
      <div className="grid2">
        {field('firstName', t('contacts.firstName'), <input {...control('firstName')} autoComplete="off" required />)}
        {field('lastName', t('contacts.lastName'), <input {...control('lastName')} autoComplete="off" required />)}
        {field('fatherName', t('contacts.fatherName'), <input {...control('fatherName')} autoComplete="off" />)}
        {field('motherName', t('contacts.motherName'), <input {...control('motherName')} autoComplete="off" />)}
      </div>
      <div className="grid2">
        {field(
          'birthDate',
          t('contacts.birthDate'),
          // A text input, not type=date: a year alone must be typeable (R1, approximate birth).
          <input {...control('birthDate', birthHint)} type="text" inputMode="numeric" autoComplete="off" required />,
          birthHint,
        )}
        {field(
          'sex',
          t('contacts.sex'),
          <select {...control('sex')} value={input.sex || 'unknown'}>
            <option value="unknown">{t('contacts.sexUnknown')}</option>
            <option value="female">{t('contacts.sexFemale')}</option>
            <option value="male">{t('contacts.sexMale')}</option>
            <option value="other">{t('contacts.sexOther')}</option>
          </select>,
        )}
        {field('phone', t('contacts.phone'), <input {...control('phone', phoneHint)} dir="ltr" type="tel" inputMode="tel" autoComplete="off" />, phoneHint)}
        {field(
          'householdSize',
          t('contacts.householdSize'),
          <input {...control('householdSize')} type="text" inputMode="numeric" autoComplete="off" />,
        )}
      </div>
      <div className="grid2">
        {field(
          'documentType',
          t('contacts.documentType'),
          <>
            <input {...control('documentType')} list="contact-document-types" autoComplete="off" />
            <datalist id="contact-document-types">
              {DOCUMENT_TYPES.map((d) => (
                <option key={d} value={t(`contacts.${d}`)} />
              ))}
            </datalist>
          </>,
        )}
        {field('documentNumber', t('contacts.documentNumber'), <input {...control('documentNumber')} autoComplete="off" />)}
      </div>
      {field('location', t('contacts.location'), <input {...control('location')} autoComplete="off" />)}
      {field('notes', t('contacts.notes'), <textarea {...control('notes')} rows={3} />)}
    </>
  );
}

function Field(props: { id: string; label: string; hint?: string | undefined; error?: string | undefined; children: ReactNode }) {
  return (
    <div>
      <label htmlFor={props.id}>{props.label}</label>
      {props.hint && (
        <p className="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.children}
      {props.error && (
        <p className="field-error" id={`${props.id}-error`}>
          {localizeMessage(props.error)}
        </p>
      )}
    </div>
  );
}

import type { ReactNode } from 'react';
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

const DOCUMENT_TYPES = ['National ID', 'Passport', 'UNHCR registration', 'Residence permit', 'Birth certificate', 'Family booklet'];

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
      onChange: (e: { target: { value: string } }) => onChange(field, e.target.value),
    };
  };
  const field = (name: ContactField, label: string, child: ReactNode, hint?: string) => (
    <Field id={fieldId(name)} label={label} hint={hint} error={errors[name]}>
      {child}
    </Field>
  );

  const birthHint = 'YYYY-MM-DD, or just the year if unsure';
  const phoneHint = `Without a country code, the number is read as a number in ${countryName(defaultCountry)}.`;

  return (
    <>
      <div className="grid2">
        {field('firstName', 'First name', <input {...control('firstName')} autoComplete="off" required />)}
        {field('lastName', 'Last name', <input {...control('lastName')} autoComplete="off" required />)}
        {field('fatherName', "Father's first name", <input {...control('fatherName')} autoComplete="off" />)}
        {field('motherName', "Mother's first name", <input {...control('motherName')} autoComplete="off" />)}
      </div>
      <div className="grid2">
        {field(
          'birthDate',
          'Date of birth',
          // A text input, not type=date: a year alone must be typeable (R1, approximate birth).
          <input {...control('birthDate', birthHint)} type="text" inputMode="numeric" autoComplete="off" required />,
          birthHint,
        )}
        {field(
          'sex',
          'Sex',
          <select {...control('sex')} value={input.sex || 'unknown'}>
            <option value="unknown">Unknown</option>
            <option value="female">Female</option>
            <option value="male">Male</option>
            <option value="other">Other</option>
          </select>,
        )}
        {field('phone', 'Phone', <input {...control('phone', phoneHint)} type="tel" inputMode="tel" autoComplete="off" />, phoneHint)}
        {field(
          'householdSize',
          'Household size',
          <input {...control('householdSize')} type="text" inputMode="numeric" autoComplete="off" />,
        )}
      </div>
      <div className="grid2">
        {field(
          'documentType',
          'Identity document type',
          <>
            <input {...control('documentType')} list="contact-document-types" autoComplete="off" />
            <datalist id="contact-document-types">
              {DOCUMENT_TYPES.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
          </>,
        )}
        {field('documentNumber', 'Identity document number', <input {...control('documentNumber')} autoComplete="off" />)}
      </div>
      {field('location', 'Location', <input {...control('location')} autoComplete="off" />)}
      {field('notes', 'Notes', <textarea {...control('notes')} rows={3} />)}
    </>
  );
}

/** 'LB' → 'Lebanon' where the browser knows region names; the code itself otherwise. */
function countryName(code: string): string {
  try {
    return new Intl.DisplayNames(['en'], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
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
          {props.error}
        </p>
      )}
    </div>
  );
}

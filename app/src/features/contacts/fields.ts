import i18next from 'i18next';
import type { Contact, MergeField } from '@ihyid/shared';
import { formatNumber } from '../../i18n/format';
import { formatBirth } from './format';

/** Each compared field's label (merge and sync-conflict choices): the form's own. */
export const FIELD_LABEL = {
  firstName: 'contacts.firstName',
  lastName: 'contacts.lastName',
  fatherName: 'contacts.fatherName',
  motherName: 'contacts.motherName',
  birth: 'contacts.birthDate',
  sex: 'contacts.sex',
  phone: 'contacts.phone',
  documentType: 'contacts.documentType',
  documentNumber: 'contacts.documentNumber',
  location: 'contacts.location',
  householdSize: 'contacts.householdSize',
  notes: 'contacts.notes',
} as const satisfies Record<MergeField, string>;

export const SEX_LABEL = { unknown: 'contacts.sexUnknown', female: 'contacts.sexFemale', male: 'contacts.sexMale', other: 'contacts.sexOther' } as const satisfies Record<
  Contact['sex'],
  string
>;

/** A field's value as a caseworker reads it; an empty or missing one says so rather than showing nothing. */
export function showField(field: string, value: unknown): string {
  if (value === undefined || value === null || value === '') return i18next.t('contacts.conflictEmpty');
  if (field === 'birth') return formatBirth(value as Contact['birth']);
  if (field === 'sex') return i18next.t(SEX_LABEL[value as Contact['sex']]);
  if (field === 'householdSize' && typeof value === 'number') return formatNumber(value);
  return String(value);
}

import { normaliseLocalDate } from '../../i18n/dates';
import type { ContactField, ContactInput } from '@ihyid/shared';

/**
 * R4: which column of a sheet feeds which contact field. KoboToolbox exports name columns by XML
 * name (`group_person/first_name`) or by label ("First name", "الاسم الأول"), with the group
 * prefixes before a '/'; other spreadsheets use their own words. Headers are normalised (group
 * prefix dropped, case, accents, spaces and punctuation removed, Arabic hamza seats folded) and
 * compared with the words below, so most sheets map themselves and the caseworker only checks.
 */

export const IMPORT_FIELDS: readonly { field: ContactField; label: string }[] = [
  { field: 'firstName', label: 'First name' },
  { field: 'lastName', label: 'Last name' },
  { field: 'fatherName', label: "Father's first name" },
  { field: 'motherName', label: "Mother's first name" },
  { field: 'birthDate', label: 'Date of birth' },
  { field: 'sex', label: 'Sex' },
  { field: 'phone', label: 'Phone' },
  { field: 'documentType', label: 'Document type' },
  { field: 'documentNumber', label: 'Document number' },
  { field: 'location', label: 'Location' },
  { field: 'householdSize', label: 'Household size' },
  { field: 'notes', label: 'Notes' },
];

/** Field → column index; a field left out is imported empty. */
export type ColumnMapping = Partial<Record<ContactField, number>>;

export function normaliseHeader(header: string): string {
  const last = header.split('/').pop() ?? header;
  return last
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[أإآ]/g, 'ا')
    .replace(/ة/g, 'ه')
    .replace(/ى/g, 'ي')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** More specific fields first: "father_first_name" is the father's, not the first name. */
const WORDS: readonly [ContactField, readonly string[]][] = [
  ['fatherName', ['fathername', 'father', 'fathersname', 'fathersfirstname', 'nomdupere', 'pere', 'اسمالاب', 'الاب']],
  ['motherName', ['mothername', 'mother', 'mothersname', 'mothersfirstname', 'nomdelamere', 'mere', 'اسمالام', 'الام']],
  ['documentNumber', ['documentnumber', 'docnumber', 'idnumber', 'nationalid', 'casenumber', 'رقمالمستند', 'رقمالوثيقه', 'رقمالهويه']],
  ['documentType', ['documenttype', 'doctype', 'idtype', 'typeofid', 'نوعالمستند', 'نوعالوثيقه']],
  ['householdSize', ['householdsize', 'familysize', 'hhsize', 'membersnumber', 'numberofmembers', 'عددافرادالاسره', 'حجمالاسره']],
  ['birthDate', ['dateofbirth', 'birthdate', 'dob', 'birthday', 'datedenaissance', 'datenaissance', 'yearofbirth', 'birthyear', 'born', 'تاريخالولاده', 'تاريخالميلاد', 'سنهالولاده']],
  ['firstName', ['firstname', 'givenname', 'first', 'given', 'prenom', 'الاسمالاول', 'الاسم', 'اسم']],
  ['lastName', ['lastname', 'surname', 'familyname', 'family', 'nom', 'nomdefamille', 'اسمالعائله', 'العائله', 'الشهره', 'الكنيه']],
  ['sex', ['sex', 'gender', 'sexe', 'genre', 'الجنس']],
  ['phone', ['phone', 'phonenumber', 'mobile', 'mobilenumber', 'telephone', 'tel', 'cellphone', 'الهاتف', 'رقمالهاتف', 'الجوال', 'رقمالجوال', 'الخليوي']],
  ['location', ['location', 'address', 'village', 'town', 'city', 'area', 'place', 'district', 'locality', 'governorate', 'المكان', 'العنوان', 'البلده', 'القريه', 'المنطقه', 'مكانالسكن']],
  ['notes', ['notes', 'note', 'comments', 'comment', 'remarks', 'ملاحظات']],
];

/** The words go through the same normalisation as headers (NFD splits ئ into ي and a hamza). */
const SYNONYMS = WORDS.map(([field, words]) => [field, words.map(normaliseHeader)] as const);

/** A guess for each field, from the headers; the caseworker confirms it in the mapping step. */
export function suggestMapping(headers: readonly string[]): ColumnMapping {
  const normal = headers.map(normaliseHeader);
  const mapping: ColumnMapping = {};
  const used = new Set<number>();
  // Exact matches first, then headers that contain a field's word ("respondent_phone").
  for (const exact of [true, false]) {
    for (const [field, words] of SYNONYMS) {
      if (mapping[field] !== undefined) continue;
      const i = normal.findIndex(
        (h, i) => !used.has(i) && !headers[i]!.startsWith('_') && h !== '' && words.some((w) => (exact ? h === w : w.length >= 4 && h.includes(w))),
      );
      if (i >= 0) {
        mapping[field] = i;
        used.add(i);
      }
    }
  }
  return mapping;
}

/** Sheets with the same headers get the same saved mapping (R4). */
export function headerSignature(headers: readonly string[]): string {
  return headers.map(normaliseHeader).join('|');
}

/** Dates as sheets write them: read like the form reads them (i18n/dates.ts). */
export const normaliseDateCell = normaliseLocalDate;

const SEX_WORDS: Record<string, string> = { m: 'male', male: 'male', h: 'male', homme: 'male', ذكر: 'male', f: 'female', female: 'female', femme: 'female', انثى: 'female', أنثى: 'female', انثي: 'female' };

export function normaliseSexCell(raw: string): string {
  const text = raw.trim().toLowerCase();
  return SEX_WORDS[text] ?? text;
}

/** One sheet row → the raw strings the validator expects (R2 then checks them). */
export function rowToInput(cells: readonly string[], mapping: ColumnMapping): ContactInput {
  const cell = (field: ContactField): string => {
    const i = mapping[field];
    return i === undefined ? '' : (cells[i] ?? '').trim();
  };
  return {
    firstName: cell('firstName'),
    lastName: cell('lastName'),
    fatherName: cell('fatherName'),
    motherName: cell('motherName'),
    birthDate: normaliseDateCell(cell('birthDate')),
    sex: normaliseSexCell(cell('sex')),
    phone: cell('phone'),
    documentType: cell('documentType'),
    documentNumber: cell('documentNumber'),
    location: cell('location'),
    householdSize: cell('householdSize').replace(/\.0+$/, ''),
    notes: cell('notes'),
  };
}

export function isBlankRow(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

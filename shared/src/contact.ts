import type { ContactId, PhoneticIdV0 } from './ids.js';

/** R1: how a birth date is known. A year alone is flagged approximate. */
export type BirthDate =
  | { readonly kind: 'date'; readonly date: string /* YYYY-MM-DD */ }
  | { readonly kind: 'year'; readonly year: number; readonly approximate: true };

export const SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type Sex = (typeof SEXES)[number];

/** R1: a registered person. Stored as is in IndexedDB; every field is plain data. */
export interface Contact {
  readonly id: ContactId;
  readonly firstName: string;
  readonly lastName: string;
  readonly fatherName: string;
  readonly motherName: string;
  readonly birth: BirthDate;
  readonly sex: Sex;
  /** E.164 ('+9613123456') or '' when unknown. */
  readonly phone: string;
  readonly documentType: string;
  readonly documentNumber: string;
  readonly location: string;
  readonly householdSize: number | null;
  readonly notes: string;
  /** A1: 32 random bytes, lowercase hex, made once per contact and never shown. */
  readonly secretHex: string;
  /** R6: null when the seed's phonetic id cannot be formed (a parent's name is missing). */
  readonly phoneticIdV0: PhoneticIdV0 | null;
  readonly createdAt: string; // ISO 8601
  readonly updatedAt: string; // ISO 8601
  readonly createdBy: string;
}

/** What a form or an import row provides: raw strings, as typed. */
export interface ContactInput {
  firstName: string;
  lastName: string;
  fatherName: string;
  motherName: string;
  /** 'YYYY-MM-DD' or 'YYYY'. */
  birthDate: string;
  sex: string;
  phone: string;
  documentType: string;
  documentNumber: string;
  location: string;
  householdSize: string;
  notes: string;
}

export type ContactField = keyof ContactInput;

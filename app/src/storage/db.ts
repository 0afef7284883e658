import Dexie, { type EntityTable } from 'dexie';
import type { CheckId, Contact, ContactId } from '@ihyid/shared';

/** The organisation this installation belongs to, set on first run. One row, key 'self'. */
export interface Profile {
  key: 'self';
  orgName: string;
  userName: string;
  /** ISO 3166 alpha-2 country used for phone numbers typed without a prefix (R1). */
  defaultCountry: string;
  createdAt: string;
}

/** An invitation this organisation created; the secret stays on this device and in the link. */
export interface Invitation {
  id: string;
  /** base64url of 32 random bytes; only its HMAC (the room id) reaches the server (I8). */
  secret: string;
  createdAt: string;
  label: string;
}

/** A5: one row per contact found in a partner's list by one completed check. */
export interface OverlapResult {
  id: string;
  contactId: ContactId;
  checkId: CheckId;
  partnerName: string;
  protocol: string;
  checkedAt: string;
}

/** A completed check, stored in the same transaction as its per-contact results (A8). */
export interface CheckRecord {
  id: CheckId;
  partnerName: string;
  protocol: string;
  role: 'asked' | 'answered';
  checkedAt: string;
  sent: number;
  known: number;
}

/** Device-wide settings an admin changes (A6 protocol switches, A4 standing rules, …), one row per key. */
export interface Setting {
  key: string;
  value: unknown;
  updatedAt: string;
}

export type IhyidDb = Dexie & {
  contacts: EntityTable<Contact, 'id'>;
  profile: EntityTable<Profile, 'key'>;
  invitations: EntityTable<Invitation, 'id'>;
  overlaps: EntityTable<OverlapResult, 'id'>;
  checks: EntityTable<CheckRecord, 'id'>;
  settings: EntityTable<Setting, 'key'>;
};

/**
 * The versioned schema. Never edit a published version: add `db.version(n + 1)` with an upgrade.
 * Indexes are what queries need, nothing more: no full scans on the duplicate path (R8).
 */
export function openDb(name = 'ihyid'): IhyidDb {
  const db = new Dexie(name) as IhyidDb;
  db.version(1).stores({
    contacts: 'id, phoneticIdV0, lastName, firstName, updatedAt',
    profile: 'key',
    invitations: 'id, createdAt',
    overlaps: 'id, contactId, checkId',
    checks: 'id, checkedAt',
  });
  db.version(2).stores({ settings: 'key' });
  return db;
}

import type {
  AssignReason,
  Contact,
  ContactId,
  ListId,
  OrgFingerprint,
  PairResult,
  RecordKey,
  RoundPlan,
  VersionBody,
  VersionId,
} from '@ihyid/shared';
import type { HashedKeys } from './key-hashes';

/*
 * The records the organisation's database stores, apart from the database itself (db.ts): features
 * read and write them through the stores and may name these types, never the database (the layering
 * rule features-never-see-the-database).
 */
export type { Bond, CheckAuditEntry, CheckRecord, DuplicatePair, Invitation, MergedContact, OverlapResult } from '@ihyid/shared';

/** The organisation this installation belongs to, set on first run. One row, key 'self'. */
export interface Profile {
  key: 'self';
  orgName: string;
  userName: string;
  /** ISO 3166 alpha-2 country used for phone numbers typed without a prefix (R1). */
  defaultCountry: string;
  createdAt: string;
}

/** Device-wide settings an admin changes (A6 protocol switches, A4 standing rules, …), one row per key. */
export interface Setting {
  key: string;
  value: unknown;
  updatedAt: string;
}

/**
 * R4: an import, written in the same transaction as each batch of its rows, so a reload in the
 * middle resumes after the last committed batch: no row is lost or imported twice.
 */
export interface ImportJob {
  id: string;
  fileName: string;
  createdAt: string;
  createdBy: string;
  /** Contact field → column index in the sheet. */
  mapping: Record<string, number>;
  headerRow: number;
  totalRows: number;
  /** Rows [0, nextRow) are done. */
  nextRow: number;
  imported: number;
  duplicates: number;
  /** #12: rows held for review instead of imported (absent on jobs made before v10: none). */
  held?: number;
  /** #12: hold rows that match a contact or an earlier row (true) or import them flagged (absent: flag, as before v10). */
  hold?: boolean;
  rejected: number;
  /** Per-row errors, at most IMPORT_ERRORS_KEPT of them (the count above is complete). */
  /** `value` is the rejected cell and `summary` the row's names and birth date, so the report shows what was read (#12). */
  errors: { row: number; field: string; message: string; value?: string; summary?: string }[];
  status: 'running' | 'paused' | 'cancelled' | 'done';
  finishedAt?: string;
}

/**
 * R4: an import's file, kept until the job ends so that a reload resumes without asking again. X2:
 * its bytes are held as base64 text (`data`), so the seal can encrypt them like any other field (a
 * Blob does not survive JSON); `blob` is how versions before that stored it, in the clear.
 */
export interface ImportFile {
  id: string;
  type?: string;
  data?: string;
  blob?: Blob;
}

/**
 * #12, R4, R8: a row an import held back because it shares a match key with a contact (or with an
 * earlier row of its file), kept with the contacts it matched until someone decides: merged into one
 * of them, or imported as a new contact recorded as different from them (import-held.ts).
 */
export interface HeldRow {
  /** `${jobId}:${row, 8 digits}`: the same row of the same job is always the same held row. */
  id: string;
  jobId: string;
  /** The row's number in the sheet (the header is row 1). */
  row: number;
  /** The row as it would have been imported: validated, keyed, with its own id. */
  contact: Contact;
  /** The contacts it matched and the keys it shares with each, most shared keys first. */
  candidates: { id: string; keys: string[] }[];
  status: 'held' | 'merged' | 'imported';
  heldAt: string;
  decidedAt?: string;
  decidedBy?: string;
  /** merged: the contact it went into; imported: the new contact's id. */
  intoId?: string;
}

/** R4: a column mapping remembered for sheets with the same headers. */
export interface SavedMapping {
  /** The normalised headers joined: the same form exports the same headers. */
  id: string;
  mapping: Record<string, number>;
  savedAt: string;
}

/** D3, D4: the outcome of one member of one list, as agreed with one partner. */
export interface ListAssignment {
  /** `${listId}:${contactId}` */
  id: string;
  listId: ListId;
  contactId: ContactId;
  server: OrgFingerprint;
  /** The partner's name as its hello gave it, for the people who read the list. */
  serverName: string;
  partner: OrgFingerprint;
  reason: AssignReason;
  roundId: string;
  checkId: string;
  at: string;
}

/** D4: a round this organisation takes part in: the plan, the list it brings, how each of its pairs ended. */
export interface ListRound {
  roundId: string;
  listId: ListId;
  plan: RoundPlan;
  /** planHash(plan): a later proposal of the same round must carry the same plan. */
  planHash: string;
  /** This side's pairs that ended (agreed or skipped), in the order they ended. */
  results: PairResult[];
  createdAt: string;
}

/** X4: a stored version (sync-store.ts): its body as on the wire, with the clear fields the indexes read. */
export interface SyncVersionRow {
  id: VersionId;
  /** The HLC's physical part: `[ts+id]` is the reconciliation order (store.ts `items`). */
  ts: number;
  record: RecordKey;
  body: VersionBody;
  /** I10: the hops the version came by (shared version.ts `via`); absent for this device's own. */
  via?: string[];
  /** `via` with each time zero-padded to 15 digits, for the `*viaHops` index: a revocation finds the hops after it by range. */
  viaHops?: string[];
}

/** A record whose heads disagree (merge.ts `conflict`). */
export interface SyncConflictRow {
  record: RecordKey;
}

/**
 * X4, #16: record versions stored a pack to a row (held-versions.ts): a row of IndexedDB costs about as much
 * whether it holds one version or a hundred, so a sync of 100,000 versions writes a thousand rows, not 100,000.
 */
export interface VersionPackRow {
  pack: number;
  rows: SyncVersionRow[];
}

/** What a page keeps in memory of one pack (held-versions.ts): every version's id, timestamp, record and hops, a field to a list. */
export interface VersionKeysRow {
  pack: number;
  ids: VersionId[];
  ts: number[];
  records: RecordKey[];
  hops: string[][];
}

/**
 * `syncMeta`'s rows: the versions' stamp (X4, held-versions.ts) and the contacts' (contact-packs.ts), each random
 * and new with every write of its table.
 */
export interface SyncMetaRow {
  key: 'versions' | 'contacts';
  stamp: string;
}

/** #14, #16: up to 100 contacts to a row, each as the seal stored it (contact-packs.ts). */
export interface ContactPackRow {
  pack: number;
  rows: Record<string, unknown>[];
}

/** What a connection keeps in memory of one pack of contacts: their ids and `updatedAt`, a field to a list. */
export interface ContactKeysRow {
  pack: number;
  ids: string[];
  updatedAt: string[];
}

/** A contact as stored: the domain record plus the hashes its duplicate index reads (key-hashes.ts). */
export type StoredContact = Contact & HashedKeys;

import Dexie, { type DexieOptions, type EntityTable } from 'dexie';
import {
  IHYID_ROWS,
  matchKeys,
  matchKeysV1,
  type AssignReason,
  type AuditEntry,
  type CheckId,
  type CheckRecord,
  type Contact,
  type ContactId,
  type DistributionList,
  type DuplicatePair,
  type Invitation,
  type ListId,
  type MergedContact,
  type OrgFingerprint,
  type OverlapResult,
  type PairResult,
  type RecordKey,
  type RoundPlan,
  type Role,
  type VersionBody,
  type VersionId,
} from '@ihyid/shared';
import { sealMiddleware } from './at-rest/seal-middleware';
import { rowSchemasMiddleware } from './row-schemas';
import type { RecordKeys } from './at-rest/keyring';
import { roleMiddleware } from './role-middleware';
import { keyHash, keyHashes, keyHashesMiddleware, nameTermHashes, type HashedKeys, type TermHash } from './key-hashes';

export type { CheckRecord, DuplicatePair, Invitation, MergedContact, OverlapResult };

/** The organisation this installation belongs to, set on first run. One row, key 'self'. */
export interface Profile {
  key: 'self';
  orgName: string;
  userName: string;
  /** ISO 3166 alpha-2 country used for phone numbers typed without a prefix (R1). */
  defaultCountry: string;
  createdAt: string;
}

/**
 * A10: what the user should know about a check that did not finish: a partner may have learned
 * something from us. Never partner data. One row per event (id `exposed:<checkId>`).
 */
export interface CheckAuditEntry {
  id: string;
  kind: 'check-exposed';
  checkId: CheckId;
  partnerName: string;
  /** The partner's verified key fingerprint (I8), when the session had one. */
  partnerFingerprint: string | null;
  protocol: string;
  /** At most how many of the partner's entries it may have learned we hold. */
  upTo: number;
  at: string;
}

/**
 * I9: a partner organisation this one is bound to through a used invitation. Both sides keep the pair
 * secret and meet again under it (its own room id and link key), each expecting the other's key.
 */
export interface Bond {
  /** The partner's verified key fingerprint. */
  fingerprint: string;
  name: string;
  /** base64url of the 32-byte pair secret. */
  pairSecret: string;
  boundAt: string;
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
}

/** A record whose heads disagree (merge.ts `conflict`). */
export interface SyncConflictRow {
  record: RecordKey;
}

/** A contact as stored: the domain record plus the hashes its duplicate index reads (key-hashes.ts). */
export type StoredContact = Contact & HashedKeys;

export type IhyidDb = Dexie & {
  /** How this connection hashes index terms: keyed under X2 (`RecordKeys.indexHash`). */
  termHash: TermHash;
  contacts: EntityTable<StoredContact, 'id'>;
  profile: EntityTable<Profile, 'key'>;
  invitations: EntityTable<Invitation, 'id'>;
  overlaps: EntityTable<OverlapResult, 'id'>;
  checks: EntityTable<CheckRecord, 'id'>;
  settings: EntityTable<Setting, 'key'>;
  pairs: EntityTable<DuplicatePair, 'id'>;
  merged: EntityTable<MergedContact, 'id'>;
  importJobs: EntityTable<ImportJob, 'id'>;
  importFiles: EntityTable<ImportFile, 'id'>;
  mappings: EntityTable<SavedMapping, 'id'>;
  importHeld: EntityTable<HeldRow, 'id'>;
  // D1–D5, reached only through storage/lists.ts (ListStore).
  lists: EntityTable<DistributionList, 'id'>;
  listAssignments: EntityTable<ListAssignment, 'id'>;
  listAudit: EntityTable<AuditEntry, 'id'>;
  checkAudit: EntityTable<CheckAuditEntry, 'id'>;
  bonds: EntityTable<Bond, 'fingerprint'>;
  syncVersions: EntityTable<SyncVersionRow, 'id'>;
  syncConflicts: EntityTable<SyncConflictRow, 'record'>;
  listRounds: EntityTable<ListRound, 'roundId'>;
};

/** X4: the tables one materialising write of the sync store touches (sync-store.ts). */
export const syncTables = (db: IhyidDb) => [db.syncVersions, db.syncConflicts, db.contacts];

/**
 * The versioned schema. Never edit a published version: add `db.version(n + 1)` with an upgrade.
 * Indexes are what queries need, nothing more: no full scans on the duplicate path (R8).
 */
export function openDb(name = 'ihyid', options?: DexieOptions, onStale?: () => void, atRest?: { keys: () => RecordKeys; role?: () => Role | null }): IhyidDb {
  const db = new Dexie(name, options) as IhyidDb;
  // X2: with keys, every personal record is sealed and every index term hashed under the data key
  // (at-rest/); `keys()` throws while locked.
  const termHash: TermHash = atRest ? (term) => atRest.keys().indexHash(term) : keyHash;
  db.termHash = termHash;
  db.use(keyHashesMiddleware(termHash));
  // #11: every row read is checked against its table's schema, after the seal has opened it.
  db.use(rowSchemasMiddleware(name, IHYID_ROWS));
  if (atRest) db.use(sealMiddleware(atRest.keys));
  // X1: the page's connection of a protected device refuses a checker the contact tables.
  if (atRest?.role) db.use(roleMiddleware(atRest.role));
  // A newer app version (another tab, after an update) upgrades the schema, or the database is
  // deleted: this connection's code is stale. Dexie would close and reopen it at a schema this code
  // does not know (patching indexes back, writing records without what the new version derives), so
  // it closes for good instead; the page reloads into the new version (`onStale`).
  // Returning false keeps Dexie's own handler (close and reopen on demand) from running after this one.
  db.on('versionchange', () => {
    db.close({ disableAutoOpen: true });
    onStale?.();
    return false;
  });
  db.version(1).stores({
    contacts: 'id, phoneticIdV0, lastName, firstName, updatedAt',
    profile: 'key',
    invitations: 'id, createdAt',
    overlaps: 'id, contactId, checkId',
    checks: 'id, checkedAt',
  });
  db.version(2).stores({ settings: 'key' });
  // R8: a multi-entry index on each contact's match keys, so a duplicate check is one index lookup.
  // Contacts saved before v3 get their keys here, once; afterwards keys come from the worker (R9).
  db.version(3)
    .stores({
      contacts: 'id, phoneticIdV0, lastName, firstName, updatedAt, *matchKeys',
      pairs: 'id, a, b, status, foundAt',
      merged: 'id, intoId',
      importJobs: 'id, status, createdAt',
      importFiles: 'id',
      mappings: 'id',
    })
    .upgrade((tx) =>
      tx
        .table('contacts')
        .toCollection()
        .modify((c: Contact & { matchKeys?: string[] }) => {
          c.matchKeys = matchKeysV1(c);
        }),
    );
  // R8 at scale: the index holds 53-bit hashes of the keys, not the keys (key-hashes.ts). The
  // phonetic id is no longer indexed: duplicates are found by match keys, and the seed id only
  // adds to an explanation (each index entry costs an import of 100,000 rows about a second).
  db.version(4)
    .stores({ contacts: 'id, lastName, firstName, updatedAt, *keyHashes' })
    .upgrade((tx) =>
      tx
        .table('contacts')
        .toCollection()
        .modify((c: StoredContact) => {
          c.keyHashes = keyHashes(c.matchKeys, termHash);
        }),
    );
  // R7: match keys v2. v1 and v2 keys never compare equal, so every stored record is keyed again
  // here, at once, rather than lazily: a lazily re-keyed store would miss every duplicate between a
  // record keyed before and one keyed after. The middleware derives keyHashes from the new keys.
  db.version(5)
    .stores({})
    .upgrade((tx) =>
      tx
        .table('contacts')
        .toCollection()
        .modify((c: Contact & { matchKeys?: string[] }) => {
          c.matchKeys = matchKeys(c);
        }),
    );
  // D1–D5: distribution lists, who serves each member, and the audit trail.
  db.version(6).stores({ lists: 'id, updatedAt', listAssignments: 'id, listId, contactId', listAudit: 'id, at, listId' });
  // A10: the check audit (storage/audit.ts); I9: partners bound through a used invitation.
  db.version(7).stores({ checkAudit: 'id, at', bonds: 'fingerprint' });
  // X8, X2: search through the hashes of name terms (name-search.ts), so any spelling the duplicate
  // check would match finds a person; the firstName and lastName indexes, which held names in the
  // clear, are gone.
  db.version(8)
    .stores({ contacts: 'id, updatedAt, *keyHashes, *nameTerms' })
    .upgrade((tx) =>
      tx
        .table('contacts')
        .toCollection()
        .modify((c: StoredContact) => {
          c.nameTerms = nameTermHashes(c, termHash);
        }),
    );
  // X4: the record versions devices of one organisation replicate (sync-store.ts), in
  // reconciliation order `[ts+id]` and by record; and the records whose versions conflict.
  db.version(9).stores({ syncVersions: 'id, [ts+id], record', syncConflicts: 'record' });
  // D4: the rounds this organisation coordinates or joins.
  db.version(10).stores({ listRounds: 'roundId, listId' });
  // #12: rows an import held for review (import-held.ts), by job and by whether they wait for a decision.
  db.version(11).stores({ importHeld: 'id, jobId, status' });
  return db;
}

import Dexie, { type DexieOptions, type EntityTable } from 'dexie';
import {
  contactBlockingTerms,
  IHYID_ROWS,
  matchKeys,
  matchKeysV1,
  type AuditEntry,
  type Bond,
  type CheckAuditEntry,
  type CheckRecord,
  type Contact,
  type DistributionList,
  type DuplicatePair,
  type Invitation,
  type MergedContact,
  type OverlapResult,
  type Role,
} from '@ihyid/shared';
import { presealRows } from './at-rest/seal-middleware';
import { checkAndSeal } from './checked-db';
import type { RecordKeys } from './at-rest/keyring';
import { roleMiddleware } from './role-middleware';
import { keyHash, keyHashes, nameTermHashes, type TermHash } from './key-hashes';
import { keysOfPack, newStamp, PACK_SIZE } from './version-packs';
import { CONTACT_PACK_SIZE, contactKeysOf, contactPacksMiddleware, laneOf, newContactsStamp, packContacts } from './contact-packs';
import { prepareTerms, TermIndex, termsMiddleware, termsRow, type TermsRow } from './term-index';
import type { ContactKeysRow, ContactPackRow, HeldRow, ImportFile, ImportJob, ListAssignment, ListRound, Profile, SavedMapping, Setting, StoredContact, SyncConflictRow, SyncMetaRow, SyncVersionRow, VersionKeysRow, VersionPackRow } from './records';

export type * from './records';

export type IhyidDb = Dexie & {
  /** How this connection hashes index terms: keyed under X2 (`RecordKeys.indexHash`). */
  termHash: TermHash;
  /** R8, X8, D1: the contacts' term lookups, from the `terms` table (term-index.ts). */
  termIndex: TermIndex;
  /**
   * R9: seals these contacts (X2, on a protected device) and derives their index terms ahead of their
   * write, outside its transaction, for a writer that has time then (an import, while its previous
   * batch is written): the write of these very objects stores what was computed here. They must not
   * change in between (seal-middleware.ts `presealRows`, term-index.ts `prepareTerms`).
   */
  prepareContacts(contacts: readonly Contact[], terms?: number[][][]): void;
  terms: EntityTable<TermsRow, 'seq'>;
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
  versionPacks: EntityTable<VersionPackRow, 'pack'>;
  versionKeys: EntityTable<VersionKeysRow, 'pack'>;
  // #14, #16: where `contacts` rests, reached only by contact-packs.ts's middleware.
  contactPacks: EntityTable<ContactPackRow, 'pack'>;
  contactKeys: EntityTable<ContactKeysRow, 'pack'>;
  syncConflicts: EntityTable<SyncConflictRow, 'record'>;
  syncMeta: EntityTable<SyncMetaRow, 'key'>;
  listRounds: EntityTable<ListRound, 'roundId'>;
};

/** X4: the tables that hold the record versions and their stamp (held-versions.ts). */
export const versionTables = (db: IhyidDb) => [db.versionPacks, db.versionKeys, db.syncMeta];

/** X4: the tables one materialising write of the sync store touches (sync-store.ts). */
export const syncTables = (db: IhyidDb) => [...versionTables(db), db.syncConflicts, db.contacts, db.terms];

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
  db.termIndex = new TermIndex(db);
  // `terms`: each contact's terms as term-index.ts `contactTerms` derives them under this connection's key, derived elsewhere (a worker).
  db.prepareContacts = (contacts, terms) => {
    prepareTerms(contacts, termHash, terms);
    if (atRest) presealRows(atRest.keys(), 'contacts', contacts as unknown as Record<string, unknown>[]);
  };
  db.use(termsMiddleware(termHash));
  // #11, X2: every row read is checked against its table's schema, after the seal has opened it.
  checkAndSeal(db, IHYID_ROWS, atRest);
  // #14, #16: the contacts rest a hundred to a row, below the seal (contact-packs.ts).
  db.use(contactPacksMiddleware());
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
  // R8, #15 item 2: the keyed hashes of each contact's blocking terms (the birth date alone, the
  // phone, first + family name…), in an index of their own, so the duplicate check also finds the
  // re-registration no match key catches (a mistyped family name) and lets the scorer decide.
  db.version(12)
    .stores({ contacts: 'id, updatedAt, *keyHashes, *nameTerms, *blockTerms' })
    .upgrade((tx) =>
      tx
        .table('contacts')
        .toCollection()
        .modify((c: StoredContact) => {
          c.blockTerms = keyHashes(contactBlockingTerms(c), termHash);
        }),
    );
  // D1: the keyed hashes of the imports that listed each contact (`Contact.imports`, key-hashes.ts
  // `importTerm`), so a list adds an import's people through the index, without opening the caseload.
  // No upgrade pass: contacts stored before v13 carry no import (imports did not record it), so they
  // have no entry to derive, and every record stays as it is (a pass would open and reseal them all).
  db.version(13).stores({ contacts: 'id, updatedAt, *keyHashes, *nameTerms, *blockTerms, *importTerms' });
  // I10, X4: received versions carry the hops they came by (`via`); a revocation finds those handed on
  // by the revoked device after it by one range of `*viaHops` (sync-store.ts `purgeRevoked`). No upgrade
  // pass: versions stored before v14 have no hops, so no entry.
  db.version(14).stores({ syncVersions: 'id, [ts+id], record, *viaHops' });
  // #14, #16: the four multi-entry indexes of the contacts table give way to the `terms` table, one
  // row per write (term-index.ts): about 24 index entries a contact made an import or a first sync of
  // 100,000 contacts spend 30 s in index writes alone. The upgrade writes one row with every
  // contact's terms; the old index fields left on stored rows are dropped at their next write.
  db.version(15)
    .stores({ contacts: 'id, updatedAt', terms: 'seq' })
    .upgrade(async (tx) => {
      const contacts = (await tx.table('contacts').toArray()) as Contact[];
      // The steps before this one may have written rows as they rewrote contacts: this one voids them.
      await tx.table('terms').clear();
      await tx.table('terms').add(termsRow(Date.now(), contacts, [], termHash, true));
    });
  // X4, #16: the stamp every writer of `syncVersions` changes in the same transaction (held-versions.ts), so
  // that a page can tell from one read that what it holds in memory is the table as it stands.
  db.version(16).stores({ syncMeta: 'key' });
  // X4, #16: the versions a pack of 100 to a row, with their keys in a row of their own (held-versions.ts):
  // one row and four index entries per version made a first sync of 100,000 contacts spend about 24 s
  // writing versions and 7 s reading them (bench/idb-versions.mjs); a hundred to a row, 2.3 s and 2.2 s.
  // A page keeps every version's keys in memory, so no index is left. The next version drops `syncVersions`.
  db.version(17)
    .stores({ versionPacks: 'pack', versionKeys: 'pack' })
    .upgrade(async (tx) => {
      // In reconciliation order, a pack at a time: 100,000 versions are about 150 MB, not to be held at once on a phone.
      let rows: SyncVersionRow[] = [];
      let pack = 0;
      const flush = () => {
        const row = { pack: ++pack, rows };
        rows = [];
        void tx.table('versionPacks').put(row);
        void tx.table('versionKeys').put(keysOfPack(row));
      };
      await tx
        .table('syncVersions')
        .orderBy('[ts+id]')
        .each((row: SyncVersionRow) => {
          rows.push(row);
          if (rows.length === PACK_SIZE) flush();
        });
      if (rows.length > 0) flush();
      // Whatever a page held of the old table is not these packs.
      await tx.table('syncMeta').put(newStamp());
    });
  db.version(18).stores({ syncVersions: null });
  // #14, #15, #16: the contacts a pack of 100 to a row, their ids and times in a row of their own
  // (contact-packs.ts): one row per contact made an import or a first sync of 100,000 contacts spend
  // 16 s in IndexedDB's per-row work, a hundred to a row 4.2 s (bench/idb-cost.mjs). The `contacts`
  // store stays, empty, for the table the app reads and writes. The rows move as stored (sealed ones
  // sealed), by IndexedDB's own requests: the seal above would open and seal them again, which a
  // locked database cannot.
  db.version(19)
    .stores({ contactPacks: 'pack', contactKeys: 'pack' })
    .upgrade((tx) => moveContactsIntoPacks(tx.idbtrans));
  return db;
}

/** v19: the contacts store's rows into packs, each lane's in id order, then the store emptied and a new stamp (contact-packs.ts). */
function moveContactsIntoPacks(idb: IDBTransaction): Promise<void> {
  return new Dexie.Promise<void>((resolve, reject) => {
    const store = idb.objectStore('contacts');
    const packs = idb.objectStore('contactPacks');
    const keys = idb.objectStore('contactKeys');
    const after = new Map<number, number>();
    let rows: Record<string, unknown>[] = [];
    const flush = () => {
      for (const row of packContacts(rows, after)) {
        packs.put(row);
        keys.put(contactKeysOf(row));
        after.set(laneOf(row.rows[0]!.id as string), row.pack);
      }
      rows = [];
    };
    const cursor = store.openCursor();
    cursor.onerror = () => reject(cursor.error);
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (at) {
        // In id order, so a lane's rows come together: a pack is cut at 100 rows or where the lane changes.
        const row = at.value as Record<string, unknown>;
        if (rows.length === CONTACT_PACK_SIZE || (rows.length > 0 && laneOf(rows[0]!.id as string) !== laneOf(row.id as string))) flush();
        rows.push(row);
        at.continue();
        return;
      }
      if (rows.length > 0) flush();
      const cleared = store.clear();
      idb.objectStore('syncMeta').put(newContactsStamp());
      cleared.onsuccess = () => resolve();
      cleared.onerror = () => reject(cleared.error);
    };
  });
}

import type { Contact } from '../contact/contact.js';
import type { MergeChoices } from '../contact/merge-fields.js';
import type { Result } from '../core/result.js';
import type { Bond, CheckAuditEntry, CheckRecord, Decider, DuplicatePair, Invitation, MergedContact, OverlapResult } from './records.js';

/**
 * The seam between features and the organisation's data (X2 sits behind it): every read and write
 * of contacts and of the duplicate decisions about them goes through a `ContactStore`. The app's
 * implementation is Dexie (`app/src/storage/contacts.ts`); `MemoryContactStore` serves tests. One
 * contract suite (`app/src/storage/contact-store-contract.ts`) holds both to the same behaviour.
 */
export const ContactStoreError = {
  NotFound: 'contact-not-found',
} as const;
export type ContactStoreError = (typeof ContactStoreError)[keyof typeof ContactStoreError];

export interface ContactStore {
  /** Adds new contacts in one transaction; an id already stored fails the whole call (nothing stored). */
  add(contacts: readonly Contact[]): Promise<void>;
  /** Read, change and write one contact in one transaction. */
  update(id: string, change: (existing: Contact) => Contact): Promise<Result<Contact, ContactStoreError>>;
  get(id: string): Promise<Contact | undefined>;
  /** In the order asked; undefined where no contact has that id. */
  getMany(ids: readonly string[]): Promise<(Contact | undefined)[]>;
  count(): Promise<number>;
  /** Every contact's id (the primary keys alone: no contact is read). */
  ids(): Promise<string[]>;
  /** The most recently updated contacts, newest first. */
  recent(limit: number): Promise<Contact[]>;
  /** Name search (contacts/search.ts says what matches), newest first; '' lists `recent`. */
  search(query: string, limit: number): Promise<Contact[]>;
  /**
   * R8: the contacts sharing at least one of these match keys, compared on the real keys. Through
   * an index, never a scan of the contacts.
   */
  withMatchKeys(keys: readonly string[]): Promise<Contact[]>;
  /**
   * R8, X4: which contacts hold these match keys, from the index alone (no contact is read): each
   * contact's id with the keys of `keys` it holds. For checks of many contacts at once (a sync), where
   * reading every contact that shares a key would cost more than the check.
   */
  idsWithMatchKeys(keys: readonly string[]): Promise<Map<string, string[]>>;
  /**
   * R8, #15: the contacts sharing at least one of these blocking terms (`blockingTerms`, aliases'
   * included), compared on the real terms; a term shared by more than `cap` contacts finds no one.
   * Through an index, never a scan. Candidates only: the local scorer decides which are a pair.
   */
  withBlockingTerms(terms: readonly string[], cap: number): Promise<Contact[]>;
  /**
   * Contacts in id order after `after` (null: from the start), up to and including `upTo` when given,
   * at most `limit`: checks and exports read pages (a check reads several id ranges at once).
   */
  page(after: string | null, limit: number, upTo?: string): Promise<Contact[]>;

  /** R8 decisions, in the order asked. */
  pairs(ids: readonly string[]): Promise<(DuplicatePair | undefined)[]>;
  /** Stores pending pairs, keeping any pair already known (pending or decided). */
  addPendingPairs(pairs: readonly DuplicatePair[]): Promise<void>;
  /** Records a decided pair ('different'), replacing what was there. */
  putPair(pair: DuplicatePair): Promise<void>;
  /** "Same person" in one transaction (`planMerge`, with the caseworker's `choices`); false when either contact is gone. */
  merge(keepId: string, mergeId: string, who: Decider, choices?: MergeChoices): Promise<boolean>;
  /** Pending pairs, in pair-id order. */
  pendingPairs(limit: number): Promise<DuplicatePair[]>;
  countPending(): Promise<number>;
  /** Every pair, oldest first (the decisions export). */
  allPairs(): Promise<DuplicatePair[]>;
  /** Merged records by the id they had, in the order asked. */
  mergedRecords(ids: readonly string[]): Promise<(MergedContact | undefined)[]>;
  /** R8: the records merged into this contact, oldest merge first (its history), through the `intoId` index. */
  mergedInto(id: string): Promise<MergedContact[]>;
}

/** A5: completed checks and their per-contact results. */
export interface CheckResultStore {
  /** The check and its rows in one transaction (A8). */
  addCheck(record: CheckRecord, rows: readonly OverlapResult[]): Promise<void>;
  /** The most recent checks, newest first. */
  recentChecks(limit: number): Promise<CheckRecord[]>;
  /** Results for these contacts, newest first. */
  overlapsFor(contactIds: readonly string[]): Promise<OverlapResult[]>;
  /** Every result, oldest first. */
  allOverlaps(): Promise<OverlapResult[]>;
  /** A10: records a check that ended unfinished, replacing an entry with the same id. */
  addAudit(entry: CheckAuditEntry): Promise<void>;
  /** A10: the most recent entries, newest first. */
  recentAudit(limit: number): Promise<CheckAuditEntry[]>;
}

/** I8, I9: the invitations this organisation made, and the partners they bound. */
export interface InvitationStore {
  add(invitation: Invitation): Promise<void>;
  /** Newest first. */
  list(): Promise<Invitation[]>;
  /** The invitation whose link carries this secret (the inviter's own), if any. */
  bySecret(secret: string): Promise<Invitation | undefined>;
  /** The link no longer works; nothing happens for an id not stored. */
  revoke(id: string): Promise<void>;
  /**
   * I9: keeps the bond (replacing one with the same partner) and, in the same transaction, marks the
   * invitation with `invitationSecret` (null on the invitee's side) used by that partner at `usedAt`.
   */
  bind(bond: Bond, invitationSecret: string | null, usedAt: string): Promise<void>;
  bond(fingerprint: string): Promise<Bond | undefined>;
  /** Every bound partner, by name. */
  bonds(): Promise<Bond[]>;
  countBonds(): Promise<number>;
  /**
   * I9: the used or revoked links whose room the server has not yet confirmed closed, oldest first:
   * each still owes a `close-room` (close-rooms.ts).
   */
  closesOwed(): Promise<Invitation[]>;
  /** I9: the server confirmed the close of the room of the link with this secret: nothing more is owed. */
  markRoomClosed(secret: string): Promise<void>;
}

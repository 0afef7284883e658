import { allows, Permission, RoleForbiddenError, type CheckResultStore, type ContactStore, type InvitationStore, type Role } from '@ihyid/shared';
import type { HeldRowStore } from './import-held';
import type { ImportJobStore } from './import-jobs';
import type { ListStore } from './lists';
import type { ProfileStore } from './profile';
import type { SettingsStore } from './settings';
import type { Stores } from './stores';

/** Every method of a store interface, each with the permission it needs: a method added later without a rule does not compile. */
type Rules<T> = { [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]-?: Permission };

const { Counts, ReadContacts: Read, WriteContacts: Write, Check, Admin } = Permission;

/** X1: what each ContactStore method needs. A checker keeps the counts and nothing else. */
const CONTACTS: Rules<ContactStore> = {
  add: Write,
  update: Write,
  get: Read,
  getMany: Read,
  count: Counts,
  ids: Read,
  recent: Read,
  search: Read,
  withMatchKeys: Read,
  idsWithMatchKeys: Read,
  withBlockingTerms: Read,
  page: Read,
  pairs: Read,
  addPendingPairs: Write,
  putPair: Write,
  merge: Write,
  pendingPairs: Read,
  countPending: Counts,
  allPairs: Read,
  mergedRecords: Read,
  mergedInto: Read,
};
/**
 * A checker runs checks and sees their counts; the per-contact results name contacts, so they are Read.
 * A10: the check audit names partners and counts, never a contact: whoever runs checks records and reads it.
 */
const CHECKS: Rules<CheckResultStore> = { addCheck: Check, recentChecks: Check, overlapsFor: Read, allOverlaps: Read, addAudit: Check, recentAudit: Check };
/** I8, I9: inviting, binding and meeting partners is check work (a checker's too); nothing here names a contact. */
const INVITATIONS: Rules<InvitationStore> = { add: Check, list: Check, bySecret: Check, revoke: Check, bind: Check, bond: Check, bonds: Check, countBonds: Check, closesOwed: Check, markRoomClosed: Check };
/** Every session reads settings (protocol switches to answer a check, the lock time); only an admin changes them. */
const SETTINGS: Rules<SettingsStore> = { get: Check, update: Admin };
const PROFILE: Rules<ProfileStore> = { load: Counts, save: Admin };
const IMPORTS: Rules<ImportJobStore> = {
  create: Write,
  savedMapping: Read,
  saveMapping: Write,
  get: Read,
  running: Read,
  file: Read,
  finish: Write,
  cancel: Write,
  commitBatch: Write,
  // D1: an import's people are contacts: reading them is a caseworker's, as adding them to a list is.
  sources: Read,
  people: Read,
};
/** #12: rows an import held for review are contacts not yet stored: a caseworker's, like the contacts. */
const HELD: Rules<HeldRowStore> = {
  pending: Read,
  countPending: Counts,
  get: Read,
  candidatesOf: Read,
  merge: Write,
  importAsNew: Write,
};
const LISTS: Rules<ListStore> = {
  createList: Write,
  setMembers: Write,
  getList: Read,
  allLists: Read,
  // D4 rounds: planning, joining and skipping a pair are list work (a caseworker's or an admin's); reading them is reading lists.
  planRound: Write,
  joinRound: Write,
  getRound: Read,
  roundsOf: Read,
  allRounds: Read,
  skipPair: Write,
  pairSink: Check,
  assignmentsOf: Read,
  assignmentsForContact: Read,
  audit: Read,
};

/**
 * `target` as `role` may use it: an allowed method is the target's own, a forbidden one returns a
 * promise rejected with RoleForbiddenError (every guarded method is asynchronous) and never reaches
 * the target.
 */
export function guard<T extends object>(target: T, name: string, role: Role, rules: Rules<T>): T {
  const table = rules as Record<string | symbol, Permission | undefined>;
  return new Proxy(target, {
    get(t, prop) {
      const value: unknown = Reflect.get(t, prop, t);
      if (typeof value !== 'function') return value;
      const permission = table[prop];
      // A method with no rule (a class's private helper seen through the proxy) is refused: closed by default.
      if (permission !== undefined && allows(role, permission)) return (value as (...args: unknown[]) => unknown).bind(t);
      return () => Promise.reject(new RoleForbiddenError(role, `${name}.${String(prop)}`));
    },
  });
}

/**
 * X1: the stores of an unlocked session, for its user's role. Built once per unlock in main.tsx;
 * features receive only these. A checker gets no sync store (device sync moves contacts).
 */
export function storesForRole(stores: Stores, role: Role): Stores {
  return {
    contacts: guard(stores.contacts, 'contacts', role, CONTACTS),
    checks: guard(stores.checks, 'checks', role, CHECKS),
    invitations: guard(stores.invitations, 'invitations', role, INVITATIONS),
    settings: guard(stores.settings, 'settings', role, SETTINGS),
    imports: guard(stores.imports, 'imports', role, IMPORTS),
    held: guard(stores.held, 'held', role, HELD),
    profile: guard(stores.profile, 'profile', role, PROFILE),
    sync: allows(role, Permission.ReadContacts) ? stores.sync : null,
  };
}

/** D1–D5 for `role`: the list screens are a caseworker's; a pair negotiation's sink stores only for them. */
export function listsForRole(lists: ListStore, role: Role): ListStore {
  const guarded = guard(lists, 'lists', role, LISTS);
  return new Proxy(guarded, {
    get(t, prop) {
      if (prop !== 'pairSink') return Reflect.get(t, prop, t);
      return (meta: Parameters<ListStore['pairSink']>[0]) => guard(lists.pairSink(meta), 'pair-sink', role, { savePair: Write, heldWith: Read, undoPairs: Write });
    },
  });
}

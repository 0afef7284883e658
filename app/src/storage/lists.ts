import {
  pairCounts,
  uuidV4,
  type AgreedPair,
  type AgreedPairSink,
  type AuditEntry,
  type ContactId,
  type DistributionList,
  type ListFields,
  type ListId,
  type ListMember,
  type OrgFingerprint,
} from '@ihyid/shared';
import type { IhyidDb, ListAssignment } from './db';

export type { ListAssignment };

/**
 * D1–D5 storage: lists, who serves each member (one row per list and contact, the latest agreed pair
 * wins) and the audit trail. Every feature reaches these tables only through `ListStore`, so that
 * the encrypted ContactStore (#14) can wrap them in one place.
 */

/** What each side knows of the pair when it stores it. */
export interface PairMeta {
  self: OrgFingerprint;
  selfName: string;
  partnerName: string;
  at: Date;
}

export interface ListStore {
  createList(fields: ListFields, members: readonly ListMember[]): Promise<DistributionList>;
  setMembers(listId: ListId, members: readonly ListMember[]): Promise<void>;
  getList(listId: ListId): Promise<DistributionList | undefined>;
  allLists(): Promise<DistributionList[]>;
  /** The sink a pair negotiation stores into: the pair's rows and its audit entry, in one transaction. */
  pairSink(meta: () => PairMeta): AgreedPairSink;
  recordAudit(entry: Omit<AuditEntry, 'id'>): Promise<void>;
  assignmentsOf(listId: ListId): Promise<ListAssignment[]>;
  assignmentsForContact(contactId: ContactId): Promise<ListAssignment[]>;
  audit(): Promise<AuditEntry[]>;
}

export function dexieListStore(db: IhyidDb, randomBytes: (n: number) => Uint8Array, now: () => Date): ListStore {
  return {
    async createList(fields, members) {
      const at = now().toISOString();
      const list: DistributionList = { ...fields, id: uuidV4(randomBytes) as ListId, members: [...members], createdAt: at, updatedAt: at };
      await db.transaction('rw', db.lists, db.listAudit, async () => {
        await db.lists.add(list);
        await db.listAudit.add(auditEntry(randomBytes, { at, kind: 'list-created', listId: list.id, roundId: '', by: '', partner: null, protocol: null, rule: null, counts: { members: members.length }, code: null, ours: null, theirs: null }));
      });
      return list;
    },
    async setMembers(listId, members) {
      await db.lists.update(listId, { members: [...members], updatedAt: now().toISOString() });
    },
    getList: (listId) => db.lists.get(listId),
    allLists: () => db.lists.orderBy('updatedAt').reverse().toArray(),
    pairSink: (meta) => ({
      async savePair(pair: AgreedPair) {
        const m = meta();
        const at = m.at.toISOString();
        const { ctx } = pair;
        const rows: ListAssignment[] = [...pair.outcomes].map(([contactId, o]) => ({
          id: `${ctx.listId}:${contactId}`,
          listId: ctx.listId,
          contactId,
          server: o.server,
          serverName: o.server === m.self ? m.selfName : m.partnerName,
          partner: ctx.partner,
          reason: o.reason,
          roundId: ctx.roundId,
          checkId: ctx.checkId,
          at,
        }));
        const entry = auditEntry(randomBytes, {
          at, kind: 'pair-agreed', listId: ctx.listId, roundId: ctx.roundId, by: m.selfName, partner: ctx.partner, protocol: 'psi-v2', rule: ctx.rule,
          counts: pairCounts(pair.ours.summary, m.self), code: null, ours: pair.ours, theirs: pair.theirs,
        });
        // D3: the whole pair or nothing (A8): rows and audit entry in one transaction.
        await db.transaction('rw', db.listAssignments, db.listAudit, async () => {
          await db.listAssignments.bulkPut(rows);
          await db.listAudit.add(entry);
        });
      },
    }),
    async recordAudit(entry) {
      await db.listAudit.add(auditEntry(randomBytes, entry));
    },
    assignmentsOf: (listId) => db.listAssignments.where('listId').equals(listId).toArray(),
    assignmentsForContact: (contactId) => db.listAssignments.where('contactId').equals(contactId).toArray(),
    audit: () => db.listAudit.orderBy('at').toArray(),
  };
}

function auditEntry(randomBytes: (n: number) => Uint8Array, entry: Omit<AuditEntry, 'id'>): AuditEntry {
  return { id: uuidV4(randomBytes), ...entry };
}

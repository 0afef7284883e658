import {
  uuidV4,
  type AgreedPair,
  type AgreedPairSink,
  type AssignRule,
  type AuditEntry,
  type HeldPair,
  type ContactId,
  type DistributionList,
  type ListFields,
  type ListId,
  type ListMember,
  type OrgFingerprint,
  type PairResult,
  type RoundPlan,
} from '@ihyid/shared';
import type { IhyidDb, ListAssignment, ListRound } from './db';

type Rounds = typeof import('./list-rounds');
// Loaded by each write that needs it, before its transaction opens (an import inside one would let it commit).
const rounds = (): Promise<Rounds> => import('./list-rounds');

export type { ListAssignment, ListRound };

/**
 * D1–D5 storage: lists, who serves each member (one row per list and contact, the latest agreed pair
 * wins), the rounds this organisation takes part in, and the audit trail. Every feature reaches these
 * tables only through `ListStore`, so that the encrypted ContactStore (#14) can wrap them in one place.
 */

/** Who we are, as a pair or a round records it. */
export interface SelfMeta {
  self: OrgFingerprint;
  selfName: string;
}

/** What each side knows of the pair when it stores it. */
export interface PairMeta extends SelfMeta {
  partnerName: string;
  at: Date;
}

export interface ListStore {
  createList(fields: ListFields, members: readonly ListMember[]): Promise<DistributionList>;
  setMembers(listId: ListId, members: readonly ListMember[]): Promise<void>;
  getList(listId: ListId): Promise<DistributionList | undefined>;
  allLists(): Promise<DistributionList[]>;
  /** D4: a new round on our list `listId`, participants in this order (we coordinate, so we are among them). */
  planRound(listId: ListId, me: SelfMeta, participants: readonly OrgFingerprint[], rule: AssignRule): Promise<ListRound>;
  /** D2, D4: a partner's round we join with our list `listId`; the stored round if we hold it already. */
  joinRound(listId: ListId, plan: RoundPlan, me: SelfMeta): Promise<ListRound>;
  getRound(roundId: string): Promise<ListRound | undefined>;
  roundsOf(listId: ListId): Promise<ListRound[]>;
  allRounds(): Promise<ListRound[]>;
  /** D4: our pair `index` of the round is skipped, `absent` being offline for it; the round reports it. */
  skipPair(roundId: string, index: number, absent: OrgFingerprint, me: SelfMeta): Promise<void>;
  /** The sink a pair negotiation stores into: the pair's rows, its round result and audit entries, in one transaction. */
  pairSink(meta: () => PairMeta): AgreedPairSink;
  assignmentsOf(listId: ListId): Promise<ListAssignment[]>;
  assignmentsForContact(contactId: ContactId): Promise<ListAssignment[]>;
  audit(): Promise<AuditEntry[]>;
}

type Entry = Omit<AuditEntry, 'id'>;
const NO_PAIR = { partner: null, protocol: null, rule: null, code: null, ours: null, theirs: null } as const;

export function dexieListStore(db: IhyidDb, randomBytes: (n: number) => Uint8Array, now: () => Date): ListStore {
  const entry = (e: Entry): AuditEntry => ({ id: uuidV4(randomBytes), ...e });

  /** Adds a result to a stored round, and the round's end to the audit trail once all our pairs ended. Inside a transaction. */
  async function addResult(r: Rounds, round: ListRound, result: PairResult, self: OrgFingerprint, by: string, at: string): Promise<void> {
    if (round.results.some((r) => r.index === result.index)) return;
    const results = [...round.results, result];
    await db.listRounds.update(round.roundId, { results });
    if (r.nextPair(round.plan, self, results) !== null) return;
    const report = r.reportRound(round.plan, results);
    await db.listAudit.add(entry({ ...NO_PAIR, at, kind: 'round-finished', listId: round.listId, roundId: round.roundId, by, rule: round.plan.rule, counts: { agreed: report.agreed, failed: report.failed, skipped: report.skipped.length } }));
  }

  async function storeRound(r: Rounds, listId: ListId, plan: RoundPlan, me: SelfMeta): Promise<ListRound> {
    const at = now().toISOString();
    const round: ListRound = { roundId: plan.roundId, listId, plan, planHash: r.planHash(plan), results: [], createdAt: at };
    const coordinator = plan.coordinator === me.self ? null : plan.coordinator;
    await db.transaction('rw', db.listRounds, db.listAudit, async () => {
      await db.listRounds.add(round);
      await db.listAudit.add(entry({ ...NO_PAIR, at, kind: 'round-planned', listId, roundId: plan.roundId, by: me.selfName, partner: coordinator, rule: plan.rule, counts: { participants: plan.participants.length, pairs: r.roundPairs(plan).length } }));
    });
    return round;
  }

  return {
    async createList(fields, members) {
      const at = now().toISOString();
      const list: DistributionList = { ...fields, id: uuidV4(randomBytes) as ListId, members: [...members], createdAt: at, updatedAt: at };
      await db.transaction('rw', db.lists, db.listAudit, async () => {
        await db.lists.add(list);
        await db.listAudit.add(entry({ ...NO_PAIR, at, kind: 'list-created', listId: list.id, roundId: '', by: '', counts: { members: members.length } }));
      });
      return list;
    },
    async setMembers(listId, members) {
      await db.lists.update(listId, { members: [...members], updatedAt: now().toISOString() });
    },
    getList: (listId) => db.lists.get(listId),
    allLists: () => db.lists.orderBy('updatedAt').reverse().toArray(),
    async planRound(listId, me, participants, rule) {
      const r = await rounds();
      const list = await db.lists.get(listId);
      if (!list) throw new Error('no such list');
      const plan = r.makeRoundPlan(randomBytes, me.self, participants, rule, { name: list.name, programme: list.programme, round: list.round, members: list.members.length });
      if (!plan.ok) throw new Error(plan.error);
      return storeRound(r, listId, plan.value, me);
    },
    async joinRound(listId, plan, me) {
      const r = await rounds();
      return (await db.listRounds.get(plan.roundId)) ?? storeRound(r, listId, plan, me);
    },
    getRound: (roundId) => db.listRounds.get(roundId),
    roundsOf: (listId) => db.listRounds.where('listId').equals(listId).sortBy('createdAt'),
    allRounds: () => db.listRounds.toArray(),
    async skipPair(roundId, index, absent, me) {
      const r = await rounds();
      const at = now().toISOString();
      await db.transaction('rw', db.listRounds, db.listAudit, async () => {
        const round = await db.listRounds.get(roundId);
        if (!round || round.results.some((r) => r.index === index)) return;
        await db.listAudit.add(entry({ ...NO_PAIR, at, kind: 'pair-skipped', listId: round.listId, roundId, by: me.selfName, partner: absent, rule: round.plan.rule, counts: { pair: index + 1 }, code: 'partner-offline' }));
        await addResult(r, round, { index, status: 'skipped', absent }, me.self, me.selfName, at);
      });
    },
    pairSink: (meta) => ({
      async savePair(pair: AgreedPair) {
        const m = meta();
        const r = await rounds();
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
        const agreed = entry({
          at, kind: 'pair-agreed', listId: ctx.listId, roundId: ctx.roundId, by: m.selfName, partner: ctx.partner, protocol: 'psi-v2', rule: ctx.rule,
          counts: r.pairCounts(pair.ours.summary, m.self), code: null, ours: pair.ours, theirs: pair.theirs,
        });
        // D3: the whole pair or nothing (A8): rows, the round's result and the audit entries in one transaction.
        await db.transaction('rw', db.listAssignments, db.listAudit, db.listRounds, async () => {
          await db.listAssignments.bulkPut(rows);
          await db.listAudit.add(agreed);
          const round = await db.listRounds.get(ctx.roundId);
          const index = round && r.roundPairs(round.plan).find((p) => new Set([p.a, p.b, ctx.self, ctx.partner]).size === 2)?.index;
          if (round && index !== undefined) await addResult(r, round, { index, status: 'agreed', summary: pair.ours.summary }, m.self, m.selfName, at);
        });
      },
      async heldWith(partner) {
        const self = meta().self;
        const r = await rounds();
        const stored = await db.listRounds.toArray();
        stored.sort((x, y) => (x.createdAt < y.createdAt ? 1 : x.createdAt > y.createdAt ? -1 : 0));
        return stored.flatMap((round) => {
          const pairs = r.roundPairs(round.plan);
          return round.results.flatMap((result) => {
            const p = pairs[result.index];
            return result.status === 'agreed' && p && new Set([p.a, p.b, self, partner]).size === 2 ? [{ roundId: round.roundId, checkId: result.summary.checkId }] : [];
          });
        });
      },
      async undoPairs(partner, pairs) {
        const m = meta();
        const at = m.at.toISOString();
        // §7.8: the pair's outcomes still from its check, its round result and an audit entry, in one transaction.
        await db.transaction('rw', db.listAssignments, db.listAudit, db.listRounds, async () => {
          for (const pair of pairs) {
            const round = await db.listRounds.get(pair.roundId);
            if (!round) continue;
            const undone = round.results.filter((r) => r.status === 'agreed' && r.summary.checkId === pair.checkId);
            if (undone.length === 0) continue;
            await db.listRounds.update(round.roundId, { results: round.results.filter((r) => !undone.includes(r)) });
            const rows = (await db.listAssignments.where('listId').equals(round.listId).toArray()).filter((a) => a.roundId === pair.roundId && a.checkId === pair.checkId);
            await db.listAssignments.bulkDelete(rows.map((a) => a.id));
            await db.listAudit.add(entry({ ...NO_PAIR, at, kind: 'pair-undone', listId: round.listId, roundId: round.roundId, by: m.selfName, partner, rule: round.plan.rule, counts: { pair: undone[0]!.index + 1, contacts: rows.length }, code: 'not-confirmed' }));
          }
        });
      },
    }),
    assignmentsOf: (listId) => db.listAssignments.where('listId').equals(listId).toArray(),
    assignmentsForContact: (contactId) => db.listAssignments.where('contactId').equals(contactId).toArray(),
    audit: () => db.listAudit.orderBy('at').toArray(),
  };
}

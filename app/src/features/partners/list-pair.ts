import {
  ERROR_MESSAGES,
  nextPair,
  pairsOf,
  partnerIn,
  type AssignRule,
  type CheckItem,
  type ContactId,
  type ListId,
  type OrgFingerprint,
  type PairSide,
  type PeerSession,
  type RoundPair,
  type RoundPlan,
} from '@ihyid/shared';
import type { IdentityService } from '../../identity/service';
import type { ListStore, ListRound } from '../../storage/lists';

/** D2: a partner proposes one pair of a round on its list; our user chooses which list to bring. */
export interface PairProposal {
  pairId: string;
  plan: RoundPlan;
  pair: RoundPair;
  planHash: string;
}

/** What the list actions need from the partner connection that runs them. */
export interface PairHost {
  readonly lists: ListStore;
  readonly identity: IdentityService;
  readonly orgName: string;
  session(): PeerSession | null;
  partner(): { fingerprint: OrgFingerprint | null; name: string | null };
  proposal(): PairProposal | null;
  update(patch: { checkRunning?: boolean; progress?: null; notice?: string | null; pairProposal?: PairProposal | null }): void;
  loadItems(): Promise<CheckItem[]>;
}

/**
 * D3, D4: the side each organisation brings to a pair: the members of one of its lists, as check
 * items, with "already serving" and its capacity. Members already assigned away on this list by an
 * earlier pair are not offered again, and those assigned to us are stated bound (D4).
 */
export async function pairSide(store: ListStore, listId: ListId, self: OrgFingerprint, loadItems: () => Promise<CheckItem[]>): Promise<PairSide | null> {
  const list = await store.getList(listId);
  if (!list) return null;
  const earlier = new Map((await store.assignmentsOf(listId)).map((a) => [a.contactId, a.server]));
  const offered = new Set(list.members.filter((m) => (earlier.get(m.contactId) ?? self) === self).map((m) => m.contactId));
  const serving = new Set(list.members.filter((m) => m.alreadyServing).map((m) => m.contactId));
  const items = (await loadItems()).filter((i) => offered.has(i.contactId) && i.keys.length > 0);
  return {
    listId,
    items,
    flags: { serving: (id: ContactId) => serving.has(id), bound: (id: ContactId) => earlier.get(id) === self },
    capacity: list.capacity,
  };
}

/** Our pairs of a round before `index` that have no result yet: bringing our list to pair `index` skips them. */
export function earlierOpenPairs(plan: RoundPlan, self: OrgFingerprint, results: ListRound['results'], index: number): RoundPair[] {
  const done = new Set(results.map((r) => r.index));
  return pairsOf(plan, self).filter((p) => p.index < index && !done.has(p.index));
}

/** D4: the round whose next pair of ours is with `partner` and ours to propose, if any. */
export function runnableWith(rounds: readonly ListRound[], self: OrgFingerprint, partner: OrgFingerprint): { round: ListRound; pair: RoundPair }[] {
  return rounds.flatMap((round) => {
    const pair = nextPair(round.plan, self, round.results);
    return pair && pair.a === self && pair.b === partner ? [{ round, pair }] : [];
  });
}

const me = (host: PairHost) => {
  const self = host.identity.getSnapshot().fingerprint;
  return self ? { self, selfName: host.orgName } : null;
};

async function propose(host: PairHost, round: ListRound, pair: RoundPair): Promise<void> {
  const session = host.session();
  const m = me(host);
  if (!session || !m) return;
  const side = await pairSide(host.lists, round.listId, m.self, () => host.loadItems());
  if (!side) return;
  const started = session.proposePair(round.plan, pair.index, side);
  if (!started.ok) return host.update({ notice: ERROR_MESSAGES[started.error.code] });
  host.update({ checkRunning: true, progress: null, notice: `Waiting for ${host.partner().name} to choose its list for "${round.plan.list.name}".` });
}

/** D3: a round of two, this connection's partner and us, on our list `listId`. */
export async function proposeList(host: PairHost, listId: ListId, rule: AssignRule): Promise<void> {
  const m = me(host);
  const partner = host.partner().fingerprint;
  if (!m || !partner || !host.session()) return;
  const round = await host.lists.planRound(listId, m, [m.self, partner], rule);
  await propose(host, round, { index: 0, a: m.self, b: partner });
}

/** D4: our next pair of a stored round, with this connection's partner. */
export async function runRoundPair(host: PairHost, roundId: string): Promise<void> {
  const m = me(host);
  const partner = host.partner().fingerprint;
  const round = await host.lists.getRound(roundId);
  if (!m || !partner || !round) return;
  const [runnable] = runnableWith([round], m.self, partner);
  if (runnable) await propose(host, round, runnable.pair);
}

/**
 * D2, D4: we bring our list `listId` (or, in a round we hold already, the list we brought before).
 * A plan that differs from the one this round had is declined. Our earlier pairs of the round that
 * did not run are recorded as skipped, their other participant absent (the round reports it).
 */
export async function acceptList(host: PairHost, listId: ListId): Promise<void> {
  const proposal = host.proposal();
  const session = host.session();
  const m = me(host);
  if (!proposal || !session || !m) return;
  const round = await host.lists.joinRound(listId, proposal.plan, m);
  if (round.planHash !== proposal.planHash) {
    session.declinePair(proposal.pairId);
    return host.update({ pairProposal: null, notice: `${host.partner().name} sent a different plan for a round already under way. The pair was declined.` });
  }
  for (const p of earlierOpenPairs(round.plan, m.self, round.results, proposal.pair.index)) await host.lists.skipPair(round.roundId, p.index, partnerIn(p, m.self), m);
  const side = await pairSide(host.lists, round.listId, m.self, () => host.loadItems());
  if (!side) return;
  session.acceptPair(proposal.pairId, side);
  host.update({ pairProposal: null, checkRunning: true, progress: null, notice: null });
}

export function declineList(host: PairHost): void {
  const proposal = host.proposal();
  if (!proposal) return;
  host.session()?.declinePair(proposal.pairId);
  host.update({ pairProposal: null, notice: `You declined ${host.partner().name}'s list.` });
}

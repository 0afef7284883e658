import { uuidV4, type AssignRule, type CheckItem, type ContactId, type ListId, type OrgFingerprint, type PairSide, type RoundPlan } from '@ihyid/shared';
import type { ListStore } from '../../storage/lists';

/**
 * D3 between the two organisations of this connection: a one-pair plan (the proposer first, so the
 * pair is its to propose), and the side each brings: the members of one of its lists, as check
 * items, with "already serving" and its capacity. Members already assigned away on this list by an
 * earlier pair are not offered again, and those assigned to us are stated bound (D4).
 */
export function pairPlan(random: (n: number) => Uint8Array, self: OrgFingerprint, partner: OrgFingerprint, rule: AssignRule, list: { name: string; programme: string; round: string; members: number }): RoundPlan {
  return { v: 1, roundId: uuidV4(random), coordinator: self, participants: [self, partner], rule, list };
}

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

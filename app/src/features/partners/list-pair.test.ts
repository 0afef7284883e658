import { describe, expect, it } from 'vitest';
import { makeRoundPlan, seededBytes, type OrgFingerprint, type RoundPlan } from '@ihyid/shared';
import type { ListRound } from '../../storage/lists';
import { earlierOpenPairs, runnableWith } from './list-pair';

const [A, B, C] = ['A', 'B', 'C'].map((x) => x.repeat(32) as OrgFingerprint) as [OrgFingerprint, OrgFingerprint, OrgFingerprint];
const plan = (): RoundPlan => {
  const made = makeRoundPlan(seededBytes(5), A, [A, B, C], 'coin', { name: 'Winter', programme: 'MPCA', round: 'Round 1', members: 3 });
  if (!made.ok) throw new Error(made.error);
  return made.value;
};
const round = (results: ListRound['results']): ListRound => ({ roundId: 'r', listId: 'l' as ListRound['listId'], plan: plan(), planHash: 'h', results, createdAt: '2026-12-05T00:00:00Z' });

describe('D4 pairs of a round as the partner screen offers them', () => {
  it('[D4] a pair is offered to run only to its first participant, with its second connected, once the earlier pairs of that participant ended', () => {
    // Pairs in plan order: 0 A–B, 1 A–C, 2 B–C.
    expect(runnableWith([round([])], A, B).map((x) => x.pair.index)).toEqual([0]);
    expect(runnableWith([round([])], A, C)).toEqual([]);
    expect(runnableWith([round([])], B, A)).toEqual([]);
    expect(runnableWith([round([{ index: 0, status: 'skipped', absent: B }])], A, C).map((x) => x.pair.index)).toEqual([1]);
    expect(runnableWith([round([])], B, C)).toEqual([]);
    expect(runnableWith([round([{ index: 0, status: 'skipped', absent: A }])], B, C).map((x) => x.pair.index)).toEqual([2]);
  });

  it('[D4] bringing a list to a later pair names the earlier pairs of ours it skips', () => {
    expect(earlierOpenPairs(plan(), C, [], 2).map((p) => p.index)).toEqual([1]);
    expect(earlierOpenPairs(plan(), C, [{ index: 1, status: 'skipped', absent: A }], 2)).toEqual([]);
    expect(earlierOpenPairs(plan(), B, [], 0)).toEqual([]);
  });
});

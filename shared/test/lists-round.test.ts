import { describe, expect, it } from 'vitest';
import type { ContactId, OrgFingerprint } from '../src/core/ids.js';
import {
  auditRows,
  boundIn,
  finalMarks,
  makeRoundPlan,
  mergeMembers,
  nextPair,
  offeredMembers,
  pairCounts,
  parseDistributionList,
  partnerIn,
  planHash,
  reportRound,
  roundPairs,
  RoundPlanSchema,
  validateListFields,
  withPair,
  type AssignRule,
  type ListMember,
  type PairResult,
  type RoundLedger,
  type RoundPlan,
} from '../src/lists/index.js';
import * as v from 'valibot';
import { seededBytes } from '../src/testing/seeded.js';
import { negotiate, simOrg, simShared, type SimOrg } from './support/lists-sim.js';

const ROUND = '00000000-0000-4000-8000-0000000000aa';
const cid = (org: string, person: number) => `${org}-${person}` as ContactId;

/** An organisation holding `people`, each as one contact keyed by the person's two keys. */
function holder(label: 'A' | 'B' | 'C' | 'D', people: number[]): SimOrg {
  return simOrg(label, new Map(people.map((p) => [cid(label, p), [`n${p}`, `d${p}`]])));
}
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

function plan(orgs: SimOrg[], rule: AssignRule = 'coin'): RoundPlan {
  return v.parse(RoundPlanSchema, {
    v: 1, roundId: ROUND, coordinator: orgs[0]!.fp, participants: orgs.map((o) => o.fp), rule,
    list: { name: 'Winter cash', programme: 'MPCA', round: 'Round 3', members: orgs[0]!.contacts.size },
  });
}

/** Every participant runs its own pairs in plan order, the offline ones none (D4). */
async function runRound(orgs: SimOrg[], offline: Set<OrgFingerprint> = new Set(), rule: AssignRule = 'coin') {
  const p = plan(orgs, rule);
  const members = new Map(orgs.map((o) => [o.fp, [...o.contacts.keys()].map((contactId): ListMember => ({ contactId, alreadyServing: false }))]));
  const ledgers = new Map<OrgFingerprint, RoundLedger>(orgs.map((o) => [o.fp, new Map()]));
  const results = new Map<OrgFingerprint, PairResult[]>(orgs.map((o) => [o.fp, []]));
  const byFp = new Map(orgs.map((o) => [o.fp, o]));
  for (const pair of roundPairs(p)) {
    const [a, b] = [byFp.get(pair.a)!, byFp.get(pair.b)!];
    // Each side's next pair is this one: the plan order holds for both.
    expect(nextPair(p, a.fp, results.get(a.fp)!)?.index).toBe(pair.index);
    expect(nextPair(p, b.fp, results.get(b.fp)!)?.index).toBe(pair.index);
    const absent = offline.has(a.fp) ? a.fp : offline.has(b.fp) ? b.fp : null;
    if (absent) {
      for (const o of [a, b]) results.get(o.fp)!.push({ index: pair.index, status: 'skipped', absent });
      continue;
    }
    const offered = (o: SimOrg) => new Set(offeredMembers(members.get(o.fp)!, ledgers.get(o.fp)!, o.fp).map((m) => m.contactId));
    const [offA, offB] = [offered(a), offered(b)];
    const r = await negotiate(
      { org: a, shared: simShared(a, b, (x) => offA.has(x), (x) => offB.has(x)), flags: { bound: boundIn(ledgers.get(a.fp)!, a.fp) } },
      { org: b, shared: simShared(b, a, (x) => offB.has(x), (x) => offA.has(x)), flags: { bound: boundIn(ledgers.get(b.fp)!, b.fp) } },
      rule, ROUND,
    );
    expect(r.doneA.ok && r.doneB.ok).toBe(true);
    ledgers.set(a.fp, withPair(ledgers.get(a.fp)!, pair.index, r.a.outcomes));
    ledgers.set(b.fp, withPair(ledgers.get(b.fp)!, pair.index, r.b.outcomes));
    for (const [o, mine] of [[a, r.a], [b, r.b]] as const) results.get(o.fp)!.push({ index: pair.index, status: 'agreed', summary: mine.ours.summary });
  }
  const marks = new Map(orgs.map((o) => [o.fp, finalMarks(members.get(o.fp)!, ledgers.get(o.fp)!, o.fp)]));
  return { p, marks, results };
}

/** For each person: who each holder says serves it. Exactly one server, named the same by every holder. */
function expectOneServerEach(orgs: SimOrg[], marks: Awaited<ReturnType<typeof runRound>>['marks'], people: number) {
  let sharedByAll = 0;
  for (let person = 0; person < people; person++) {
    const holders = orgs.filter((o) => o.contacts.has(cid(o.label, person)));
    if (holders.length === 0) continue;
    if (holders.length === orgs.length) sharedByAll++;
    const named = holders.map((o) => {
      const m = marks.get(o.fp)!.get(cid(o.label, person))!;
      return m.serve ? o.fp : m.servedBy;
    });
    const servers = holders.filter((o) => marks.get(o.fp)!.get(cid(o.label, person))!.serve);
    expect(servers, `person ${person}`).toHaveLength(1);
    expect(new Set(named), `person ${person}`).toEqual(new Set([servers[0]!.fp]));
  }
  return sharedByAll;
}

describe('D4 rounds of more than two organisations', () => {
  it('[D4] a new plan keeps the coordinator\'s order and a fresh round id, and a plan no participant would accept is refused', () => {
    const [a, b, c] = ['A', 'B', 'C'].map((x) => x.repeat(32) as OrgFingerprint) as [OrgFingerprint, OrgFingerprint, OrgFingerprint];
    const list = { name: 'Winter', programme: 'MPCA', round: 'Round 1', members: 3 };
    const random = seededBytes(3);
    const plan = makeRoundPlan(random, a, [a, c, b], 'coin', list);
    const other = makeRoundPlan(random, a, [a, c, b], 'coin', list);
    expect(plan.ok && other.ok && plan.value.roundId !== other.value.roundId).toBe(true);
    expect(plan.ok && roundPairs(plan.value).map((p) => [p.a, p.b])).toEqual([[a, c], [a, b], [c, b]]);
    expect(makeRoundPlan(random, a, [a, b, b], 'coin', list).ok).toBe(false);
    expect(makeRoundPlan(random, a, [b, c], 'coin', list).ok).toBe(false);
    expect(makeRoundPlan(random, a, [a], 'coin', list).ok).toBe(false);
  });

  const a = holder('A', range(0, 200));
  const b = holder('B', range(100, 300));
  const c = holder('C', [...range(0, 50), ...range(150, 250)]);

  it('[D4] the plan fixes the pair order everyone sees, and its hash is what participants compare', () => {
    const p = plan([a, b, c]);
    expect(roundPairs(p).map((x) => [x.a, x.b])).toEqual([[a.fp, b.fp], [a.fp, c.fp], [b.fp, c.fp]]);
    expect(planHash(p)).toMatch(/^[0-9a-f]{64}$/);
    expect(planHash({ ...p, participants: [a.fp, c.fp, b.fp] })).not.toBe(planHash(p));
    expect(partnerIn(roundPairs(p)[2]!, c.fp)).toBe(b.fp);
    expect(v.safeParse(RoundPlanSchema, { ...p, participants: [a.fp, a.fp] }).success).toBe(false);
    expect(v.safeParse(RoundPlanSchema, { ...p, coordinator: simOrg('D').fp }).success).toBe(false);
  }, 300_000);

  for (const rule of ['coin', 'capacity'] as AssignRule[]) {
    it(`[D4] three organisations, some people shared by all three (rule ${rule}): every person ends with exactly one server, the same on every side`, async () => {
      const { marks, results, p } = await runRound([a, b, c], new Set(), rule);
      expect(expectOneServerEach([a, b, c], marks, 300)).toBe(50);
      expect(reportRound(p, results.get(a.fp)!)).toEqual({ roundId: ROUND, agreed: 2, failed: 0, skipped: [] });
      // The later pairs saw bound contacts: some outcomes are "round".
      expect([...marks.get(c.fp)!.values()].some((m) => !m.serve && m.reason === 'round')).toBe(true);
    }, 300_000);
  }

  it('[D4] a contact given away in an earlier pair is not offered again', () => {
    const members = [0, 1, 2].map((i): ListMember => ({ contactId: cid('A', i), alreadyServing: false }));
    const ledger: RoundLedger = new Map([[cid('A', 0), { server: b.fp, reason: 'coin', pair: 0 }], [cid('A', 1), { server: a.fp, reason: 'coin', pair: 0 }]]);
    expect(offeredMembers(members, ledger, a.fp).map((m) => m.contactId)).toEqual([cid('A', 1), cid('A', 2)]);
    expect(boundIn(ledger, a.fp)(cid('A', 1))).toBe(true);
    expect(boundIn(ledger, a.fp)(cid('A', 2))).toBe(false);
  }, 300_000);

  it('[D4] a participant offline for its turns is skipped and reported; the others still agree', async () => {
    const { marks, results, p } = await runRound([a, b, c], new Set([c.fp]));
    expect(reportRound(p, results.get(a.fp)!)).toEqual({ roundId: ROUND, agreed: 1, failed: 0, skipped: [c.fp] });
    expect(reportRound(p, results.get(b.fp)!).skipped).toEqual([c.fp]);
    expectOneServerEach([a, b], new Map([...marks].filter(([fp]) => fp !== c.fp)), 300);
    expect([...marks.get(c.fp)!.values()].every((m) => m.serve)).toBe(true);
  }, 300_000);
});

describe('D1 lists and D5 audit rows', () => {
  const fields = { name: 'Winter cash', programme: 'MPCA', sector: 'Basic needs', round: 'Round 3', startDate: '2026-12-01', endDate: '2027-02-28', transferValue: 120, currency: 'usd', capacity: 500 };

  it('[D1] a list\'s fields validate, the currency is upper-cased, and each bad field gets its own sentence', () => {
    const good = validateListFields(fields);
    expect(good.ok && good.value.currency).toBe('USD');
    const bad = validateListFields({ ...fields, name: ' ', endDate: '2026-11-30', currency: 'dollars', capacity: 1.5, transferValue: -1 });
    expect(bad.ok ? null : Object.keys(bad.error).sort()).toEqual(['capacity', 'currency', 'endDate', 'name', 'transferValue']);
    expect(bad.ok ? null : bad.error.endDate).toBe('The end date is before the start date.');
    expect(validateListFields({ ...fields, startDate: '2026-02-30' }).ok).toBe(false);
  }, 300_000);

  it('[D1] a stored list parses from unknown; a contact twice is refused; members merge from several sources', () => {
    const member = (i: number, alreadyServing = false): ListMember => ({ contactId: `00000000-0000-4000-8000-00000000000${i}` as ContactId, alreadyServing });
    const list = { ...fields, currency: 'USD', id: ROUND, members: [member(1), member(2)], createdAt: '2026-12-04T10:00:00.000Z', updatedAt: '2026-12-04T10:00:00.000Z' };
    expect(parseDistributionList(list).ok).toBe(true);
    expect(parseDistributionList({ ...list, members: [member(1), member(1)] }).ok).toBe(false);
    expect(parseDistributionList({ ...list, extra: true }).ok).toBe(false);
    expect(mergeMembers([member(1), member(2)], [member(2, true), member(3)])).toEqual([member(1), member(2, true), member(3)]);
  }, 300_000);

  it('[D5] an audit row of an agreed pair carries counts, hashes and signatures, and no contact or shared value', async () => {
    const x = holder('A', range(0, 20));
    const y = holder('B', range(10, 30));
    const r = await negotiate({ org: x, shared: simShared(x, y) }, { org: y, shared: simShared(y, x) }, 'coin');
    const counts = pairCounts(r.a.ours.summary, x.fp);
    expect(counts.shared).toBe(10);
    expect(counts.we_serve + counts.they_serve).toBe(10);
    const rows = auditRows([
      { id: '1', at: '2026-12-04T10:00:00.000Z', kind: 'pair-agreed', listId: ROUND as never, roundId: ROUND, by: 'Org A', partner: y.fp, protocol: 'psi-v2', rule: 'coin', counts, code: null, ours: r.a.ours, theirs: r.b.ours },
    ]);
    const text = JSON.stringify(rows);
    expect(rows[0]).toContain(r.a.ours.summary.assignmentHash);
    for (const [contact] of x.contacts) expect(text).not.toContain(contact);
    for (const values of r.a.shared.values()) for (const value of values) expect(text).not.toContain(value);
  }, 300_000);
});

import { describe, expect, it } from 'vitest';
import type { ContactId } from '../src/core/ids.js';
import { mulberry32 } from '../src/testing/synthetic.js';
import { coinBit, coinHash, groupsOf, orgPair, type AssignRule, type ContactOutcome } from '../src/lists/index.js';
import { negotiate, simOrg, simShared, simValue, type SimOrg } from './support/lists-sim.js';

const id = (org: string, i: number) => `${org}-${i}` as ContactId;

/**
 * Random overlapping lists: people with 1–4 keys each; each organisation holds some of them, some
 * twice (a duplicate of its own), each copy with a random non-empty subset of the person's keys, and
 * now and then a key of another person (a match that is not transitive).
 */
function randomOrgs(seed: number, people: number) {
  const rnd = mulberry32(seed);
  const keysOf = Array.from({ length: people }, (_, p) => Array.from({ length: 1 + Math.floor(rnd() * 4) }, (_, k) => `p${p}:k${k}`));
  const fill = (org: SimOrg, prefix: string) => {
    let n = 0;
    for (let p = 0; p < people; p++) {
      if (rnd() < 0.4) continue;
      const copies = rnd() < 0.15 ? 2 : 1;
      for (let c = 0; c < copies; c++) {
        const keys = keysOf[p]!.filter(() => rnd() < 0.7);
        if (keys.length === 0) keys.push(keysOf[p]![0]!);
        if (rnd() < 0.05) keys.push(keysOf[Math.floor(rnd() * people)]![0]!);
        org.contacts.set(id(prefix, n++), keys);
      }
    }
    return org;
  };
  return [fill(simOrg('A'), 'a'), fill(simOrg('B'), 'b')] as const;
}

/** D3's invariant: any two contacts, one on each side, that share a key get the same server. */
function expectSameServer(a: SimOrg, b: SimOrg, outA: Map<ContactId, ContactOutcome>, outB: Map<ContactId, ContactOutcome>) {
  const byValue = new Map<string, ContactId[]>();
  for (const [cid, keys] of b.contacts) for (const k of keys) byValue.set(k, [...(byValue.get(k) ?? []), cid]);
  let pairs = 0;
  for (const [cid, keys] of a.contacts) {
    for (const k of keys) {
      for (const other of byValue.get(k) ?? []) {
        pairs++;
        expect(outA.get(cid), `${cid} ~ ${other}`).toBeDefined();
        expect(outB.get(other)?.server, `${cid} ~ ${other}`).toBe(outA.get(cid)!.server);
      }
    }
  }
  return pairs;
}

describe('D3 who serves whom: the same assignment on both sides', () => {
  for (const rule of ['coin', 'keeps', 'capacity'] as AssignRule[]) {
    it(`[D3] random sets with duplicates and non-transitive matches, rule ${rule}: both sides agree contact by contact and sign equal summaries`, async () => {
      for (let seed = 1; seed <= 12; seed++) {
        const [a, b] = randomOrgs(seed, 300);
        const serving = (s: number) => (cid: ContactId) => mulberry32(s + cid.length + Number(cid.slice(2)))() < 0.3;
        const r = await negotiate(
          { org: a, shared: simShared(a, b), flags: { serving: serving(seed) }, capacity: 120 },
          { org: b, shared: simShared(b, a), flags: { serving: serving(seed + 99) }, capacity: 60 },
          rule,
        );
        expect(r.doneA.ok && r.doneB.ok).toBe(true);
        expect(r.a.ours.summary).toEqual(r.b.ours.summary);
        expect(expectSameServer(a, b, r.a.outcomes, r.b.outcomes)).toBeGreaterThan(50);
      }
    }, 300_000);
  }

  it('[D3] a contact sharing several keys takes the coin of its group\'s smallest value, and a partner contact holding only one of them follows it', async () => {
    // a-0 holds k1 and k2; on B, b-0 holds k1 and b-1 holds k2: one person for A, two contacts for B.
    let split = 0;
    for (let i = 0; i < 200; i++) {
      const a = simOrg('A', new Map([[id('a', 0), [`k1-${i}`, `k2-${i}`]]]));
      const b = simOrg('B', new Map([[id('b', 0), [`k1-${i}`]], [id('b', 1), [`k2-${i}`]]]));
      const r = await negotiate({ org: a, shared: simShared(a, b) }, { org: b, shared: simShared(b, a) }, 'coin');
      const values = [simValue(`k1-${i}`), simValue(`k2-${i}`)].sort();
      const expected = coinBit(coinHash(values[0]!, orgPair(a.fp, b.fp))) === 0 ? orgPair(a.fp, b.fp)[0] : orgPair(a.fp, b.fp)[1];
      expect(r.a.outcomes.get(id('a', 0))!.server).toBe(expected);
      expect(r.b.outcomes.get(id('b', 0))!.server).toBe(expected);
      expect(r.b.outcomes.get(id('b', 1))!.server).toBe(expected);
      // Without A's link, B would have tossed the two values separately: count how often they differ.
      if (coinBit(coinHash(values[0]!, orgPair(a.fp, b.fp))) !== coinBit(coinHash(values[1]!, orgPair(a.fp, b.fp)))) split++;
    }
    expect(split).toBeGreaterThan(50);
  }, 300_000);

  it('[D3] many-to-one: two contacts of one side matching one of the other, and a chain across both sides, form one group', async () => {
    const a = simOrg('A', new Map([[id('a', 0), ['x']], [id('a', 1), ['x']], [id('a', 2), ['k1', 'k2']], [id('a', 3), ['k3', 'k4']]]));
    const b = simOrg('B', new Map([[id('b', 0), ['x']], [id('b', 1), ['k2', 'k3']], [id('b', 2), ['k4']]]));
    const r = await negotiate({ org: a, shared: simShared(a, b) }, { org: b, shared: simShared(b, a) }, 'coin');
    expect(r.a.groups.map((g) => g.members.length).sort()).toEqual([1, 3]);
    expect(r.a.outcomes.get(id('a', 0))!.server).toBe(r.a.outcomes.get(id('a', 1))!.server);
    expect(r.b.outcomes.get(id('b', 0))!.server).toBe(r.a.outcomes.get(id('a', 0))!.server);
    const chain = [r.a.outcomes.get(id('a', 2)), r.a.outcomes.get(id('a', 3)), r.b.outcomes.get(id('b', 1)), r.b.outcomes.get(id('b', 2))];
    expect(new Set(chain.map((o) => o!.server)).size).toBe(1);
    expect(r.a.outcomes.has(id('a', 2)) && !r.a.outcomes.has('a-9' as ContactId)).toBe(true);
  }, 300_000);

  it('[D3] groups are the components of both sides\' links, each rooted at its smallest position', () => {
    const empty = { serving: [], bound: [], capacity: null };
    expect(groupsOf(6, { ...empty, links: [[1, 4]] }, { ...empty, links: [[0, 4], [2, 5]] })).toEqual([[0, 1, 4], [2, 5], [3]]);
  }, 300_000);
});

describe('D3 rules: the outcome distributions', () => {
  function bigPair(n: number) {
    const keys = Array.from({ length: n }, (_, i) => [`person-${i}`]);
    const a = simOrg('A', new Map(keys.map((k, i) => [id('a', i), k])));
    const b = simOrg('B', new Map(keys.map((k, i) => [id('b', i), k])));
    return [a, b] as const;
  }

  it('[D3] a fair coin: about half of 10,000 shared contacts each way (within 2%)', async () => {
    const [a, b] = bigPair(10_000);
    const r = await negotiate({ org: a, shared: simShared(a, b) }, { org: b, shared: simShared(b, a) }, 'coin');
    const [lower, higher] = r.a.ours.summary.served;
    expect(lower + higher).toBe(10_000);
    expect(Math.abs(lower - 5000)).toBeLessThan(200);
    expect(r.a.ours.summary.reasons.coin).toBe(10_000);
  }, 300_000);

  it('[D3] capacity split: each side serves its capacity\'s share of 10,000 shared contacts, within 1%', async () => {
    const [a, b] = bigPair(10_000);
    for (const [capA, capB, wantA] of [[3000, 7000, 3000], [2000, 6000, 2500], [null, 2500, 8000], [12_000, 0, 10_000]] as const) {
      const r = await negotiate({ org: a, shared: simShared(a, b), capacity: capA }, { org: b, shared: simShared(b, a), capacity: capB }, 'capacity');
      const servedA = [...r.a.outcomes.values()].filter((o) => o.server === a.fp).length;
      const servedB = [...r.b.outcomes.values()].filter((o) => o.server === b.fp).length;
      expect(Math.abs(servedA - wantA), `${capA}/${capB}`).toBeLessThanOrEqual(100);
      expect(servedA + servedB).toBe(10_000);
    }
  }, 300_000);

  it('[D3] already serving keeps it; a tie (both or neither) falls to the coin', async () => {
    const [a, b] = bigPair(400);
    const n = (cid: ContactId) => Number(cid.slice(2));
    const r = await negotiate(
      { org: a, shared: simShared(a, b), flags: { serving: (c) => n(c) < 100 || n(c) >= 300 } },
      { org: b, shared: simShared(b, a), flags: { serving: (c) => n(c) >= 100 && n(c) < 200 || n(c) >= 300 } },
      'keeps',
    );
    for (let i = 0; i < 400; i++) {
      const o = r.a.outcomes.get(id('a', i))!;
      if (i < 100) expect(o).toEqual({ server: a.fp, reason: 'keeps' });
      else if (i < 200) expect(o).toEqual({ server: b.fp, reason: 'keeps' });
      else expect(o.reason).toBe('coin');
    }
    expect(r.a.ours.summary.reasons).toEqual({ round: 0, keeps: 200, coin: 200, capacity: 0 });
  }, 300_000);
});

import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { auditRows, seededBytes, type AgreedPair, type AssignmentSummary, type ContactId, type ListFields, type ListId, type OrgFingerprint, type PublicKeyHex } from '@ihyid/shared';
import { testDbs } from './test-dbs';
import { dexieListStore } from './lists';

const random = seededBytes(7);
/** Every call gives the same bytes, so every id made from them collides: a write that must fail. */
const stuck = (n: number) => new Uint8Array(n).fill(0x42);
const now = () => new Date('2026-12-05T08:00:00Z');
const SELF = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' as OrgFingerprint;
const PARTNER = 'BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB' as OrgFingerprint;
const THIRD = 'CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC' as OrgFingerprint;
const ME = { self: SELF, selfName: 'Org A' };
const FIELDS: ListFields = { name: 'Winter', programme: 'MPCA', sector: 'Basic needs', round: 'Round 1', startDate: '2026-12-01', endDate: '2027-01-31', transferValue: 120, currency: 'USD', capacity: null };
const c = (i: number) => `c${i}` as ContactId;

const dbs = testDbs('lists');
const freshDb = dbs.open;
afterEach(dbs.closeAll);

function agreedPair(listId: ListId, servers: [ContactId, OrgFingerprint][], roundId = 'round-1', partner = PARTNER): AgreedPair {
  const summary: AssignmentSummary = {
    v: 1, alg: 'ihyid-assign-v1', rule: 'coin', checkId: 'check-1', roundId, orgs: [SELF, partner], shared: servers.length, sharedHash: '0'.repeat(64),
    groups: servers.length, served: [servers.filter(([, s]) => s === SELF).length, servers.filter(([, s]) => s === partner).length],
    reasons: { round: 0, keeps: 0, coin: servers.length, capacity: 0 }, assignmentHash: 'a'.repeat(64),
  };
  return {
    ctx: { listId, roundId, checkId: 'check-1', self: SELF, partner, rule: 'coin' },
    outcomes: new Map(servers.map(([id, server]) => [id, { server, reason: 'coin' as const }])),
    ours: { summary, signer: 'ab'.repeat(32) as PublicKeyHex, sig: '1'.repeat(128) },
    theirs: { summary, signer: 'cd'.repeat(32) as PublicKeyHex, sig: '2'.repeat(128) },
  };
}

describe('ListStore over Dexie (fake-indexeddb)', () => {
  it('[D1][D5] a new list is stored with its members, and its creation is in the audit trail', async () => {
    const store = dexieListStore(freshDb(), random, now);
    const list = await store.createList(FIELDS, [{ contactId: c(1), alreadyServing: true }, { contactId: c(2), alreadyServing: false }]);
    expect(await store.getList(list.id)).toEqual(list);
    expect((await store.allLists()).map((l) => l.name)).toEqual(['Winter']);
    const audit = await store.audit();
    expect(audit.map((e) => [e.kind, e.listId, e.counts])).toEqual([['list-created', list.id, { members: 2 }]]);
  });

  it('[D3][D4] an agreed pair stores one row per shared member, named by server, and an audit entry with both signatures', async () => {
    const store = dexieListStore(freshDb(), random, now);
    const list = await store.createList(FIELDS, [1, 2, 3].map((i) => ({ contactId: c(i), alreadyServing: false })));
    const sink = store.pairSink(() => ({ self: SELF, selfName: 'Org A', partnerName: 'Org B', at: now() }));
    await sink.savePair(agreedPair(list.id, [[c(1), SELF], [c(2), PARTNER]]));
    const rows = await store.assignmentsOf(list.id);
    expect(rows.map((r) => [r.contactId, r.serverName, r.reason]).sort()).toEqual([['c1', 'Org A', 'coin'], ['c2', 'Org B', 'coin']]);
    expect((await store.assignmentsForContact(c(2))).map((r) => r.server)).toEqual([PARTNER]);
    const pair = (await store.audit()).find((e) => e.kind === 'pair-agreed')!;
    expect(pair.counts).toMatchObject({ shared: 2, we_serve: 1, they_serve: 1 });
    expect(auditRows([pair])[0]!.slice(-2)).toEqual(['1'.repeat(128), '2'.repeat(128)]);
  });

  it('[D3] a pair whose audit entry cannot be written stores none of its rows (one transaction)', async () => {
    const db = freshDb();
    const store = dexieListStore(db, stuck, now);
    const list = await store.createList(FIELDS, [{ contactId: c(1), alreadyServing: false }]);
    const sink = store.pairSink(() => ({ self: SELF, selfName: 'Org A', partnerName: 'Org B', at: now() }));
    // The pair's audit id equals the list's creation entry's: the add fails inside the transaction.
    await expect(sink.savePair(agreedPair(list.id, [[c(1), PARTNER]]))).rejects.toThrow();
    expect(await db.listAssignments.count()).toBe(0);
    expect((await store.audit()).map((e) => e.kind)).toEqual(['list-created']);
  });

  it('[D1][R8] opening a database of schema v5 adds the list and round tables and keeps every contact', async () => {
    const name = `lists-upgrade-${Math.random()}`;
    const v5 = new Dexie(name);
    v5.version(5).stores({ contacts: 'id, lastName, firstName, updatedAt, *keyHashes', profile: 'key' });
    await v5.table('contacts').add({ id: 'c5', firstName: 'Houman', lastName: 'Haddad', updatedAt: 'x', matchKeys: [], keyHashes: [] });
    v5.close();
    const db = freshDb(name);
    // v6 added the list tables; later versions (v7: the check audit and bonds; v8: hashed name terms) keep them.
    expect(db.verno).toBeGreaterThanOrEqual(6);
    expect(await db.contacts.count()).toBe(1);
    const store = dexieListStore(db, random, now);
    expect(await store.allLists()).toEqual([]);
    await store.createList(FIELDS, [{ contactId: 'c5' as ContactId, alreadyServing: false }]);
    expect((await store.allLists())[0]!.members).toHaveLength(1);
  });

  it('[D4][D5] a planned round is stored with its plan and its order, and the audit trail shows it', async () => {
    const store = dexieListStore(freshDb(), random, now);
    const list = await store.createList(FIELDS, []);
    const round = await store.planRound(list.id, ME, [SELF, PARTNER, THIRD], 'keeps');
    expect(round.plan.participants).toEqual([SELF, PARTNER, THIRD]);
    expect(round.plan.list).toEqual({ name: 'Winter', programme: 'MPCA', round: 'Round 1', members: 0 });
    expect((await store.roundsOf(list.id)).map((r) => r.roundId)).toEqual([round.roundId]);
    const planned = (await store.audit()).find((e) => e.kind === 'round-planned')!;
    expect([planned.roundId, planned.rule, planned.counts]).toEqual([round.roundId, 'keeps', { participants: 3, pairs: 3 }]);
    // A plan no participant would accept (the coordinator twice) is refused and nothing is stored.
    await expect(store.planRound(list.id, ME, [SELF, SELF], 'coin')).rejects.toThrow();
    expect(await store.allRounds()).toHaveLength(1);
  });

  it('[D4] the round records each pair of ours as it ends: agreed with the pair itself, skipped with who was absent, then its end', async () => {
    let tick = 0;
    const ticking = () => new Date(Date.UTC(2026, 11, 5, 8, 0, tick++));
    const store = dexieListStore(freshDb(), random, ticking);
    const list = await store.createList(FIELDS, [1, 2].map((i) => ({ contactId: c(i), alreadyServing: false })));
    const round = await store.planRound(list.id, ME, [SELF, PARTNER, THIRD], 'coin');
    const sink = store.pairSink(() => ({ ...ME, partnerName: 'Org B', at: ticking() }));
    await sink.savePair(agreedPair(list.id, [[c(1), PARTNER]], round.roundId));
    expect((await store.getRound(round.roundId))!.results.map((r) => [r.index, r.status])).toEqual([[0, 'agreed']]);
    await store.skipPair(round.roundId, 1, THIRD, ME);
    await store.skipPair(round.roundId, 1, THIRD, ME);
    const stored = (await store.getRound(round.roundId))!;
    expect(stored.results).toEqual([expect.objectContaining({ index: 0, status: 'agreed' }), { index: 1, status: 'skipped', absent: THIRD }]);
    // The round's end is written with the result that ended it, at the same time: compared unordered.
    const kinds = (await store.audit()).filter((e) => e.roundId === round.roundId);
    expect(kinds.map((e) => [e.kind, e.partner, e.code]).sort()).toEqual([
      ['pair-agreed', PARTNER, null],
      ['pair-skipped', THIRD, 'partner-offline'],
      ['round-finished', null, null],
      ['round-planned', null, null],
    ]);
    expect(kinds.find((e) => e.kind === 'round-finished')!.counts).toEqual({ agreed: 1, failed: 0, skipped: 1 });
  });

  it('[D2][D4] joining a round keeps the list brought first: a later proposal of the same round returns the stored one', async () => {
    const store = dexieListStore(freshDb(), random, now);
    const first = await store.createList(FIELDS, []);
    const second = await store.createList({ ...FIELDS, name: 'Other' }, []);
    const partnerStore = dexieListStore(freshDb(), random, now);
    const theirs = await partnerStore.planRound((await partnerStore.createList(FIELDS, [])).id, { self: PARTNER, selfName: 'Org B' }, [PARTNER, SELF, THIRD], 'coin');
    const joined = await store.joinRound(first.id, theirs.plan, ME);
    const again = await store.joinRound(second.id, theirs.plan, ME);
    expect([joined.listId, again.listId, again.planHash]).toEqual([first.id, first.id, theirs.planHash]);
    expect((await store.audit()).filter((e) => e.kind === 'round-planned').map((e) => e.partner)).toEqual([PARTNER]);
  });

  it('[D4] a pair the partner never stored is named by heldWith and undone whole: its rows, its round result, with an audit entry; other pairs stay', async () => {
    const store = dexieListStore(freshDb(), random, now);
    const list = await store.createList(FIELDS, [1, 2, 3].map((i) => ({ contactId: c(i), alreadyServing: false })));
    const round = await store.planRound(list.id, ME, [SELF, PARTNER, THIRD], 'coin');
    const sink = store.pairSink(() => ({ ...ME, partnerName: 'Org B', at: now() }));
    await sink.savePair(agreedPair(list.id, [[c(1), PARTNER], [c(2), SELF]], round.roundId));
    const withThird = agreedPair(list.id, [[c(3), THIRD]], round.roundId, THIRD);
    await sink.savePair({ ...withThird, ctx: { ...withThird.ctx, checkId: 'check-2' }, ours: { ...withThird.ours, summary: { ...withThird.ours.summary, checkId: 'check-2' } } });
    expect(await sink.heldWith(PARTNER)).toEqual([{ roundId: round.roundId, checkId: 'check-1' }]);
    expect(await sink.heldWith(THIRD)).toEqual([{ roundId: round.roundId, checkId: 'check-2' }]);

    await sink.undoPairs(PARTNER, [{ roundId: round.roundId, checkId: 'check-1' }]);
    expect(await sink.heldWith(PARTNER)).toEqual([]);
    expect((await store.assignmentsOf(list.id)).map((r) => r.contactId)).toEqual([c(3)]);
    expect((await store.getRound(round.roundId))!.results.map((r) => r.index)).toEqual([1]);
    const undone = (await store.audit()).filter((e) => e.kind === 'pair-undone');
    expect(undone.map((e) => [e.partner, e.code, e.counts])).toEqual([[PARTNER, 'not-confirmed', { pair: 1, contacts: 2 }]]);
    // Undoing it again (the message repeated) changes nothing more.
    await sink.undoPairs(PARTNER, [{ roundId: round.roundId, checkId: 'check-1' }]);
    expect((await store.audit()).filter((e) => e.kind === 'pair-undone')).toHaveLength(1);
  });
});

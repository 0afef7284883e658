import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { HlcClock, inMemorySyncLink, makeVersion, pairId, runSync, type RecordKey } from '@ihyid/shared';
import { saveNewContact } from './contacts';
import { contactFields } from './contact-store.contract';
import type { IhyidDb } from './db';
import { storedVersions, syncDevice } from './test-dbs';
import { DexieSettingsStore, LOCK_KEY, OWN_CHAIN, PROTOCOLS_KEY } from './settings';
import { SyncDataError } from './sync-store';
import { REPLICATED_TABLES, replicatedRows, tableRecord } from './synced-tables';

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const opened: IhyidDb[] = [];
const AT = '2026-12-05T08:00:00.000Z';

afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await db.delete();
  }
});

/** One device of an organisation (test-dbs.ts `syncDevice`). */
const device = (node: string, dataKey: Uint8Array, now = () => Date.parse(AT)) => syncDevice(opened, node, dataKey, now);

/** Each captures what changed, then one sync between them. */
async function syncPair(a: ReturnType<typeof device>, b: ReturnType<typeof device>) {
  await a.sync.tables.capture();
  await b.sync.tables.capture();
  const link = inMemorySyncLink();
  const [x, y] = await Promise.all([runSync({ transport: link.ends[0], store: a.sync, initiator: true }), runSync({ transport: link.ends[1], store: b.sync, initiator: false })]);
  expect([x, y]).toMatchObject([{ ok: true }, { ok: true }]);
}

const uuid = () => crypto.randomUUID();

/** Every replicated table's rows, sorted, as JSON: what two devices must agree on. */
async function rowsOf(db: IhyidDb): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of REPLICATED_TABLES) out[t.table] = replicatedRows(t, (await db.table(t.table).toArray()) as Record<string, unknown>[]).map((r) => JSON.stringify(r, Object.keys(r).sort())).sort();
  return out;
}

describe('replicated tables (X4, #16 item 2)', () => {
  it('[X4] lists with assignments and rounds, their audit, check results, the check audit and duplicate decisions reach the other device sealed; a row deleted on one is deleted on the other', async () => {
    const key = random(32);
    const a = device('a', key);
    const b = device('b', key);
    const listId = uuid();
    const contactId = uuid();
    const checkId = uuid();
    await a.db.table('lists').put({ id: listId, name: 'Winter kits', members: [{ contactId, alreadyServing: false }], startDate: '2026-12-01', endDate: '2026-12-31', createdAt: AT, updatedAt: AT });
    const assignment = { id: uuid(), listId, contactId, server: 'us', serverName: 'One Relief', partner: 'ab'.repeat(16), reason: 'coin', roundId: '', checkId, at: AT };
    await a.db.table('listAssignments').put(assignment);
    await a.db.table('listAudit').put({ id: uuid(), at: AT, kind: 'pair-agreed', listId, roundId: '', by: 'amal', counts: { served: 1 } });
    await b.db.table('checks').put({ id: checkId, partnerName: 'Hope Aid', protocol: 'psi-v2', role: 'asked', checkedAt: AT, sent: 3, known: 1 });
    await b.db.table('overlaps').put({ id: uuid(), contactId, checkId, partnerName: 'Hope Aid', protocol: 'psi-v2', checkedAt: AT });
    await b.db.table('checkAudit').put({ id: uuid(), kind: 'check-exposed', checkId, partnerName: 'Hope Aid', partnerFingerprint: null, protocol: 'psi-v2', upTo: 3, at: AT });
    const [x, y] = [uuid(), uuid()];
    await b.db.table('pairs').put({ id: pairId(x, y), a: x < y ? x : y, b: x < y ? y : x, keys: ['k1'], status: 'different', foundAt: AT, foundBy: 'sync', decidedAt: AT, decidedBy: 'sami' });
    await syncPair(a, b);
    expect(await rowsOf(b.db)).toEqual(await rowsOf(a.db));
    expect((await a.db.table('pairs').get(pairId(x, y)))?.status).toBe('different');
    // Sealed: no list name, partner name or person id in any version's clear fields or data.
    const raw = JSON.stringify(await storedVersions(a.db));
    for (const secret of ['Winter kits', 'Hope Aid', contactId]) expect(raw).not.toContain(secret);

    await a.db.table('listAssignments').delete(assignment.id);
    await syncPair(a, b);
    expect(await b.db.table('listAssignments').get(assignment.id)).toBeUndefined();
    expect(await rowsOf(b.db)).toEqual(await rowsOf(a.db));
  });

  it('[X4] a merge made on one device shows its merge history on the other', async () => {
    const key = random(32);
    const a = device('a', key);
    const b = device('b', key);
    const meta = { createdBy: 'amal', now: new Date(AT), randomBytes: random };
    const keep = await saveNewContact(a.contacts, contactFields({ firstName: 'Fatima', lastName: 'Haddad' }), meta);
    const drop = await saveNewContact(a.contacts, contactFields({ firstName: 'Fatma', lastName: 'Haddad' }), meta);
    expect(await a.contacts.merge(keep.id, drop.id, { by: 'amal', at: new Date(AT) })).toBe(true);
    await syncPair(a, b);
    const history = await b.contacts.mergedInto(keep.id);
    expect(history.map((m) => [m.id, m.record.firstName, m.mergedBy])).toEqual([[drop.id, 'Fatma', 'amal']]);
    expect((await b.contacts.mergedRecords([drop.id]))[0]?.intoId).toBe(keep.id);
    expect(await b.contacts.get(drop.id)).toBeUndefined();
  });

  it('[X4] one decision changed on both devices apart ends the same on both; a change made while versions arrive is kept and wins', async () => {
    const key = random(32);
    let t = Date.parse(AT);
    const a = device('a', key, () => t);
    const b = device('b', key, () => t);
    const [x, y] = [uuid(), uuid()].sort() as [string, string];
    const pair = { id: pairId(x, y), a: x, b: y, keys: ['k1'], status: 'pending', foundAt: AT, foundBy: 'sync' };
    await a.db.table('pairs').put(pair);
    await syncPair(a, b);
    await a.db.table('pairs').put({ ...pair, status: 'same', decidedAt: AT, decidedBy: 'amal' });
    t += 1000;
    await b.db.table('pairs').put({ ...pair, status: 'different', decidedAt: AT, decidedBy: 'sami' });
    await syncPair(a, b);
    const [onA, onB] = [await a.db.table('pairs').get(pair.id), await b.db.table('pairs').get(pair.id)];
    expect(onA).toEqual(onB);
    expect(onA.status).toBe('different'); // the newer stamp
    // Changed on A and not yet captured when B's next version arrives: A's row stays, and its capture wins on both.
    t += 1000;
    await b.db.table('pairs').put({ ...pair, status: 'pending' });
    await b.sync.tables.capture();
    await a.db.table('pairs').put({ ...pair, status: 'same', decidedAt: AT, decidedBy: 'amal' });
    const link = inMemorySyncLink();
    await Promise.all([runSync({ transport: link.ends[0], store: a.sync, initiator: true }), runSync({ transport: link.ends[1], store: b.sync, initiator: false })]);
    expect((await a.db.table('pairs').get(pair.id)).status).toBe('same');
    await syncPair(a, b);
    expect((await b.db.table('pairs').get(pair.id)).status).toBe('same');
  });

  it('[X4] a received row that is not a row of its table (or names another record) is refused with its whole batch', async () => {
    const key = random(32);
    const a = device('a', key);
    const listId = uuid();
    const record = tableRecord(REPLICATED_TABLES.find((t) => t.table === 'lists')!, listId);
    const bad = makeVersion(new HlcClock('x', () => Date.parse(AT)), { record, parents: [], op: 'put', data: a.sync.sealer.sealValue(record, { id: listId, name: 42 }) });
    const moved = makeVersion(new HlcClock('x', () => Date.parse(AT)), { record: `lists/${uuid()}` as RecordKey, parents: [], op: 'put', data: a.sync.sealer.sealValue(record, { id: listId, name: 'x', members: [], startDate: '', endDate: '', createdAt: AT, updatedAt: AT }) });
    for (const version of [bad, moved]) await expect(a.sync.put([version])).rejects.toBeInstanceOf(SyncDataError);
    expect(await storedVersions(a.db)).toHaveLength(0);
    expect(await a.db.table('lists').count()).toBe(0);
  });

  it('[X4][X2] an admin\'s policy change after pairing (the lock time, the check protocols) reaches the other device; a device\'s own settings stay its own', async () => {
    const key = random(32);
    const a = device('a', key);
    const b = device('b', key);
    const settingsA = new DexieSettingsStore(a.db);
    const settingsB = new DexieSettingsStore(b.db);
    await settingsB.update(LOCK_KEY, () => 5, new Date(AT));
    await settingsB.update(OWN_CHAIN, () => ['b-chain'], new Date(AT));
    await syncPair(a, b);
    await settingsA.update(LOCK_KEY, () => 15, new Date('2026-12-05T09:00:00Z'));
    await settingsA.update(PROTOCOLS_KEY, () => ['uscadi-v1'], new Date('2026-12-05T09:00:00Z'));
    await settingsA.update(OWN_CHAIN, () => ['a-chain'], new Date('2026-12-05T09:00:00Z'));
    await syncPair(a, b);
    expect(await settingsB.get(LOCK_KEY)).toBe(15);
    expect(await settingsB.get(PROTOCOLS_KEY)).toEqual(['uscadi-v1']);
    expect(await settingsB.get(OWN_CHAIN)).toEqual(['b-chain']);
    expect(await settingsA.get(OWN_CHAIN)).toEqual(['a-chain']);
    // And back: B's admin shortens it again; A takes that.
    await settingsB.update(LOCK_KEY, () => 2, new Date('2026-12-05T10:00:00Z'));
    await syncPair(a, b);
    expect(await settingsA.get(LOCK_KEY)).toBe(2);
  });

  it('[X4] a received policy record carrying a setting that is not policy (a device\'s own chain) is refused, and nothing is stored', async () => {
    const a = device('a', random(32));
    const policy = REPLICATED_TABLES.find((t) => t.table === 'settings')!;
    const record = tableRecord(policy, OWN_CHAIN);
    const forged = makeVersion(new HlcClock('x', () => Date.parse(AT)), { record, parents: [], op: 'put', data: a.sync.sealer.sealValue(record, { key: OWN_CHAIN, value: ['forged'], updatedAt: AT }) });
    await expect(a.sync.put([forged])).rejects.toBeInstanceOf(SyncDataError);
    expect(await storedVersions(a.db)).toHaveLength(0);
    expect(await new DexieSettingsStore(a.db).get(OWN_CHAIN)).toBeUndefined();
  });
});

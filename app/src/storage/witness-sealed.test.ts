import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { witnessToken, type WitnessToken } from '@ihyid/shared';
import { RecordKeys } from './at-rest/keyring';
import { rawDump } from './at-rest/raw-dump';
import { holdsWitnessData, openWitnessDb, sealWitnessInPlace, type WitnessDb } from './witness-db';
import { localDay, WitnessStore } from './witness-store';

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
const A = '6f1c2a4e-8b3d-4c5a-9e7f-0a1b2c3d4e5f';
const B = '1e2d3c4b-5a69-4788-97a6-b5c4d3e2f100';
const C = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const MET = new Date('2026-11-21T14:00:00Z');
const MET_DAY = localDay(MET);
const LATER = new Date('2026-11-24T09:00:00Z');
const EXPIRY = Date.parse('2026-12-07T03:00:00Z');

const opened: WitnessDb[] = [];
afterEach(async () => {
  const dbs = opened.splice(0);
  for (const db of dbs) db.close();
  for (const name of new Set(dbs.map((db) => db.name))) await Dexie.delete(name);
});

function open(name: string, keys?: { current: RecordKeys | null }): WitnessDb {
  const db = openWitnessDb(
    name,
    keys && {
      keys: () => {
        if (!keys.current) throw new Error('locked');
        return keys.current;
      },
    },
  );
  opened.push(db);
  return db;
}

/** Version 1 of the witness database, as an older app wrote it: tokens as primary keys, in the clear. */
async function versionOne(name: string, tokens: string[], alerts: string[], days: string[]): Promise<void> {
  const old = new Dexie(name);
  old.version(1).stores({ tokens: 'token, expiresAt', alerts: 'token, expiresAt', exposures: '++id' });
  await old.table('tokens').bulkAdd(tokens.map((token) => ({ token, expiresAt: EXPIRY, day: MET_DAY })));
  await old.table('alerts').bulkAdd(alerts.map((token) => ({ token, expiresAt: EXPIRY })));
  await old.table('exposures').bulkAdd(days.map((day) => ({ day })));
  old.close();
}

describe('X2: the witness database at rest', () => {
  it('[X2][W3][W5][W6] sealed under the data key: tokens, alerts and exposures work, and a raw dump shows no token, no meeting day and no token as a key', async () => {
    const name = `witness-sealed-${Math.random()}`;
    const clock = { now: MET };
    const db = open(name, { current: new RecordKeys(random(32), random) });
    const store = new WitnessStore(db, () => clock.now);
    const [mine, other] = [witnessToken(A, B), witnessToken(A, C)];
    expect(await store.vault.add(mine)).toBe(true);
    expect(await store.vault.add(mine)).toBe(false);
    expect(await store.vault.add(other)).toBe(true);
    expect(await store.vault.has(mine)).toBe(true);
    const heard = { token: 'e'.repeat(64) as WitnessToken, expiresAt: EXPIRY };
    clock.now = LATER;
    expect(await store.receiveAlerts([heard, { token: mine, expiresAt: EXPIRY }])).toMatchObject([{ day: MET_DAY }]);
    expect(await store.vault.has(mine)).toBe(false);
    expect((await store.exposures()).map((e) => e.day)).toEqual([MET_DAY]);
    expect(await store.tokensToDeclare()).toEqual([{ token: other, expiresAt: EXPIRY }]);
    expect((await store.heldAlerts()).map((a) => a.token).sort()).toEqual([heard.token, mine].sort());

    const dump = await rawDump(name);
    expect(dump).toContain('table:ownTokens');
    for (const s of [mine, other, heard.token, MET_DAY, mine.slice(0, 16)]) expect(dump.includes(s), s).toBe(false);
    // A held token's expiry dates the meeting: it is sealed too; an alert's (public) expiry is not.
    const raw = new Dexie(name);
    await raw.open();
    const own = (await raw.table('ownTokens').toArray()) as Record<string, unknown>[];
    expect(own.map((r) => Object.keys(r).sort())).toEqual([['$x', 'id']]);
    expect(own[0]!.id).toMatch(/^[0-9a-f]{32}$/);
    expect(((await raw.table('exposureDays').toArray()) as Record<string, unknown>[]).map((r) => Object.keys(r).sort())).toEqual([['$x', 'id']]);
    raw.close();

    // Dismissed, the exposure is gone; swept at expiry, so are the token and the alerts.
    await store.dismissExposure((await store.exposures())[0]!.id);
    expect(await store.exposures()).toEqual([]);
    clock.now = new Date(EXPIRY);
    expect(await store.sweep()).toBe(3);
    expect(await store.counts()).toEqual({ tokens: 0, alerts: 0 });
  });

  it('[X2] another data key names the same token differently, and opens nothing; while locked nothing is read or written', async () => {
    const name = `witness-keys-${Math.random()}`;
    const keys = { current: new RecordKeys(random(32), random) as RecordKeys | null };
    const token = witnessToken(A, B);
    const store = new WitnessStore(open(name, keys), () => MET);
    await store.vault.add(token);
    const other = open(name, { current: new RecordKeys(random(32), random) });
    expect(other.idOf('ownTokens', token)).not.toBe(opened[0]!.idOf('ownTokens', token));
    await expect(other.ownTokens.toArray()).rejects.toThrow();
    const held = keys.current;
    keys.current = null;
    await expect(store.vault.has(token)).rejects.toThrow('locked');
    await expect(store.vault.add(witnessToken(A, C))).rejects.toThrow('locked');
    keys.current = held;
    expect(await store.vault.has(token)).toBe(true);
  });

  it('[X2] an older plaintext database opened on a protected device is upgraded straight to keyed, sealed rows', async () => {
    const name = `witness-v1-protected-${Math.random()}`;
    const token = witnessToken(A, B);
    const alert = 'f'.repeat(64);
    await versionOne(name, [token], [alert], [MET_DAY, MET_DAY]);
    expect(await holdsWitnessData(name)).toBe(true);
    const store = new WitnessStore(open(name, { current: new RecordKeys(random(32), random) }), () => MET);
    expect(await store.vault.has(token)).toBe(true);
    expect((await store.heldAlerts()).map((a) => a.token)).toEqual([alert]);
    expect((await store.exposures()).map((e) => e.day)).toEqual([MET_DAY]);
    const dump = await rawDump(name);
    for (const s of [token, alert, MET_DAY]) expect(dump.includes(s), s).toBe(false);
    expect(dump).not.toContain('table:tokens');
  });

  it('[X2] the first unlock gives an unprotected device\'s rows keyed ids and seals them; they still work', async () => {
    const name = `witness-unprotected-${Math.random()}`;
    const token = witnessToken(A, B);
    const plain = open(name);
    const before = new WitnessStore(plain, () => MET);
    await before.vault.add(token);
    await before.receiveAlerts([{ token: 'e'.repeat(64) as WitnessToken, expiresAt: EXPIRY }]);
    expect(await plain.ownTokens.get(token)).toMatchObject({ token });
    expect(await rawDump(name)).toContain(token);
    plain.close();

    const db = open(name, { current: new RecordKeys(random(32), random) });
    expect(await sealWitnessInPlace(db)).toBe(2);
    const dump = await rawDump(name);
    for (const s of [token, 'e'.repeat(64), MET_DAY]) expect(dump.includes(s), s).toBe(false);
    const after = new WitnessStore(db, () => LATER);
    expect(await after.vault.has(token)).toBe(true);
    expect(await after.counts()).toEqual({ tokens: 1, alerts: 1 });
    expect(await after.receiveAlerts([{ token, expiresAt: EXPIRY }])).toMatchObject([{ day: MET_DAY }]);
    // Idempotent: sealed rows are only sealed again.
    expect(await sealWitnessInPlace(db)).toBe(3);
    expect(await after.counts()).toEqual({ tokens: 0, alerts: 2 });
  });
});

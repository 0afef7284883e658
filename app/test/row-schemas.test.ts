import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { openIdentityDb } from '../src/identity/db';
import { openWitnessDb, type WitnessDb } from '../src/storage/witness-db';
import { StoredRowError } from '../src/storage/row-schemas';
import { openDb } from '../src/storage/db';
import { testContact } from '@ihyid/shared';
import { rawConnection } from '../src/storage/raw-rows';

const TOKEN = 'ab'.repeat(32);
const opened: Dexie[] = [];
let n = 0;
afterEach(async () => {
  for (const db of opened.splice(0)) db.close();
});

/** The same database opened without the checks, as a bug, an old build or a hand edit would write to it. */
function rawOpen(name: string, stores: Record<string, string>, version = 1): Dexie {
  const raw = new Dexie(name);
  raw.version(version).stores(stores);
  opened.push(raw);
  return raw;
}

/** At the witness database's current schema (version 2), so opening it upgrades nothing. */
async function witnessWith(rows: { tokens?: unknown[]; alerts?: unknown[] }): Promise<WitnessDb> {
  const name = `rows-witness-${n++}`;
  const raw = rawOpen(name, { ownTokens: 'id', heldAlerts: 'id, expiresAt', exposureDays: 'id' }, 2);
  await raw.table('ownTokens').bulkAdd(rows.tokens ?? []);
  await raw.table('heldAlerts').bulkAdd(rows.alerts ?? []);
  raw.close();
  const db = openWitnessDb(name);
  opened.push(db);
  return db;
}

describe('[#11] every row read from IndexedDB goes through its table schema', () => {
  it('[W4] well-formed rows read as before, through get, bulkGet, where, toArray and each', async () => {
    const row = { id: TOKEN, token: TOKEN, expiresAt: 1_800_000_000_000, day: '2026-12-05' };
    const alert = { id: TOKEN, token: TOKEN, expiresAt: 1_800_000_000_000 };
    const db = await witnessWith({ tokens: [row], alerts: [alert] });
    expect(await db.ownTokens.get(TOKEN)).toEqual(row);
    expect(await db.ownTokens.bulkGet([TOKEN, 'cd'.repeat(32)])).toEqual([row, undefined]);
    expect(await db.heldAlerts.where('expiresAt').above(0).toArray()).toEqual([alert]);
    const seen: string[] = [];
    await db.ownTokens.each((r) => void seen.push(r.day));
    expect(seen).toEqual(['2026-12-05']);
    // Reads that return only keys or counts have no row to check.
    expect(await db.ownTokens.count()).toBe(1);
    expect(await db.ownTokens.toCollection().primaryKeys()).toEqual([TOKEN]);
  });

  it('[W1] a row in another shape is refused with its table, on every kind of read, and is left as it was', async () => {
    // A meeting time where only the day may be kept (W1), and an expiry as text.
    const bad = { id: TOKEN, token: TOKEN, expiresAt: '1800000000000', day: '2026-12-05T14:03' };
    const db = await witnessWith({ tokens: [bad] });
    for (const read of [() => db.ownTokens.get(TOKEN), () => db.ownTokens.bulkGet([TOKEN]), () => db.ownTokens.toArray(), () => db.ownTokens.each(() => {}), () => db.ownTokens.filter(() => true).first()]) {
      const error = await read().then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(StoredRowError);
      expect(error).toMatchObject({ table: 'ownTokens', database: expect.stringMatching(/^rows-witness-/) });
    }
    expect(await db.ownTokens.count()).toBe(1);
    // The other tables stay readable.
    expect(await db.heldAlerts.toArray()).toEqual([]);
  });

  it('[I3] an identity event whose stored body is not a ledger event is refused', async () => {
    const name = `rows-identity-${n++}`;
    const raw = rawOpen(name, { keys: 'id', events: 'id, kind, author, at', requests: 'requestId, direction, status', held: 'attestationId', trust: 'key', peers: 'key, lastSeen' });
    const author = '11'.repeat(32);
    await raw.table('events').add({ id: 'ee'.repeat(32), kind: 'register', author, at: 5, body: { kind: 'register', v: 1, author, at: 5, seed: 'x', nonce: 1 }, sig: 'ff'.repeat(64) });
    await raw.table('trust').add({ key: author, label: 'Caritas', addedAt: 7 });
    raw.close();
    const db = openIdentityDb(name);
    opened.push(db);
    await expect(db.events.toArray()).rejects.toBeInstanceOf(StoredRowError);
    expect(await db.trust.toArray()).toEqual([{ key: author, label: 'Caritas', addedAt: 7 }]);
  });

  it('[R1][R8] the organisation database: contacts, pairs and lists in another shape are refused with their table; good rows read', async () => {
    const name = `rows-ihyid-${n++}`;
    const made = openDb(name);
    await made.open();
    made.close();
    // Written past the app, at the schema the app made: a contact whose birth is text, a pair with an unknown status.
    const raw = rawConnection(name);
    opened.push(raw);
    await raw.open();
    const good = testContact('c-good', 'Rami', { matchKeys: [] });
    await raw.table('contacts').bulkAdd([good, { ...testContact('c-bad', 'Samir'), birth: '1990-01-01' }]);
    await raw.table('pairs').add({ id: 'c-bad|c-good', a: 'c-bad', b: 'c-good', keys: [], status: 'maybe', foundAt: '2026-12-05T00:00:00.000Z', foundBy: 'save' });
    raw.close();
    const db = openDb(name);
    opened.push(db);
    expect(await db.contacts.get('c-good')).toMatchObject({ id: 'c-good', firstName: 'Rami' });
    await expect(db.contacts.get('c-bad')).rejects.toMatchObject({ name: 'StoredRowError', table: 'contacts', database: name });
    await expect(db.contacts.toArray()).rejects.toBeInstanceOf(StoredRowError);
    await expect(db.pairs.toArray()).rejects.toMatchObject({ table: 'pairs' });
    expect(await db.contacts.count()).toBe(2);
  });
});

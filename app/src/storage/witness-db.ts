import Dexie, { type EntityTable } from 'dexie';
import { WITNESS_ROWS } from '@ihyid/shared';
import type { RecordKeys } from './at-rest/keyring';
import { WITNESS_SEALED_TABLES } from './at-rest/seal-middleware';
import { checkAndSeal } from './checked-db';

/**
 * The witness feature's own IndexedDB database, apart from the organisation's data (storage/db.ts):
 * it holds nothing about contacts, and deleting it loses no record. On a protected device (X2) every
 * row is sealed under the data key and named by a keyed id (WITNESS_SEALED_TABLES), so a raw dump
 * shows no token, no meeting day and no exposure.
 *
 * Never stored here (W1): the session id and the contact id, which live in memory for one app start.
 * Never stored anywhere: positions, or when during the day a meeting happened.
 */
export interface HeldToken {
  /** `idOf('ownTokens', token)`. */
  id: string;
  token: string;
  /** ms since the epoch, always the deletion hour (W4), so it does not date the meeting finely. */
  expiresAt: number;
  /** The local calendar day of the meeting, 'YYYY-MM-DD': what an exposure alert shows (W6), never the hour. */
  day: string;
}

/** A declared token learnt from the server or a peer, kept and passed on until it expires (W5). */
export interface HeldAlert {
  /** `idOf('heldAlerts', token)`. */
  id: string;
  token: string;
  expiresAt: number;
}

/** W6: an exposure the user has not dismissed yet, one per day (`idOf('exposureDays', day)`). */
export interface Exposure {
  id: string;
  day: string;
}

export type WitnessTable = 'ownTokens' | 'heldAlerts' | 'exposureDays';

export type WitnessDb = Dexie & {
  /**
   * The primary key of the row of `table` that holds `value` (a token, or an exposure's day): under X2
   * a keyed id (`RecordKeys.keyedId`), so no token is a key in the clear; the value itself on a device
   * without a passphrase, which keeps everything in the clear.
   */
  idOf(table: WitnessTable, value: string): string;
  ownTokens: EntityTable<HeldToken, 'id'>;
  heldAlerts: EntityTable<HeldAlert, 'id'>;
  exposureDays: EntityTable<Exposure, 'id'>;
};

export const WITNESS_DB_NAME = 'ihyid-witness';

/**
 * The versioned schema. Never edit a published version: add `db.version(n + 1)` with an upgrade.
 * With `atRest` (a protected device, unlocked) rows are sealed and named by keyed ids; `keys()`
 * throws while locked.
 */
export function openWitnessDb(name = WITNESS_DB_NAME, atRest?: { keys: () => RecordKeys }): WitnessDb {
  const db = new Dexie(name) as WitnessDb;
  db.idOf = atRest ? (table, value) => atRest.keys().keyedId(`${table}\u0000${value}`) : (_table, value) => value;
  checkAndSeal(db, WITNESS_ROWS, atRest, WITNESS_SEALED_TABLES);
  db.version(1).stores({
    tokens: 'token, expiresAt',
    alerts: 'token, expiresAt',
    exposures: '++id',
  });
  // X2: a primary key cannot change, so the tables whose key was the token (or an auto-increment,
  // which a seal cannot bind to its row before it exists) are replaced by tables keyed by `idOf`.
  // A held token is found by its id only: its expiry is sealed with it (WITNESS_SEALED_TABLES).
  db.version(2)
    .stores({ tokens: null, alerts: null, exposures: null, ownTokens: 'id', heldAlerts: 'id, expiresAt', exposureDays: 'id' })
    .upgrade(async (tx) => {
      const tokens = (await tx.table('tokens').toArray()) as Omit<HeldToken, 'id'>[];
      const alerts = (await tx.table('alerts').toArray()) as Omit<HeldAlert, 'id'>[];
      const exposures = (await tx.table('exposures').toArray()) as { day: string }[];
      await tx.table('ownTokens').bulkPut(tokens.map((t) => ({ id: db.idOf('ownTokens', t.token), token: t.token, expiresAt: t.expiresAt, day: t.day })));
      await tx.table('heldAlerts').bulkPut(alerts.map((a) => ({ id: db.idOf('heldAlerts', a.token), token: a.token, expiresAt: a.expiresAt })));
      await tx.table('exposureDays').bulkPut(exposures.map((e) => ({ id: db.idOf('exposureDays', e.day), day: e.day })));
    });
  return db;
}

/**
 * X2, issue #14 item 6: the first unlock after a passphrase is set names every row by its keyed id
 * and seals it (`db` is opened with the keys). A row of a device without a passphrase is named by its
 * token or day and stored in the clear; each is read (taken as it is when it has no seal), and put
 * back under its keyed id, which the seal middleware seals. Idempotent.
 */
export async function sealWitnessInPlace(db: WitnessDb): Promise<number> {
  let rewritten = 0;
  const valueOf = { ownTokens: (r: HeldToken) => r.token, heldAlerts: (r: HeldAlert) => r.token, exposureDays: (r: Exposure) => r.day };
  for (const name of Object.keys(valueOf) as WitnessTable[]) {
    const table = db.table<HeldToken | HeldAlert | Exposure, string>(name);
    rewritten += await db.transaction('rw', table, async () => {
      const rows = await table.toArray();
      const renamed = rows.map((row) => ({ ...row, id: db.idOf(name, (valueOf[name] as (r: typeof row) => string)(row)) }));
      await table.bulkDelete(rows.flatMap((row, i) => (row.id === renamed[i]!.id ? [] : [row.id])));
      await table.bulkPut(renamed);
      return rows.length;
    });
  }
  return rewritten;
}

/** Whether the witness database exists on this device at all (a partner's alerts list nothing without it, and create nothing). */
export const witnessDbExists = (name = WITNESS_DB_NAME): Promise<boolean> => Dexie.exists(name);

/**
 * Whether this device takes part in witnessing at all: only then is the witness code loaded at start.
 * A device that never used witness mode does not even get an empty database. The database is opened
 * as it is, without a schema (so neither upgraded nor created here), and only its row counts are read:
 * that needs no key.
 */
export async function holdsWitnessData(name = WITNESS_DB_NAME): Promise<boolean> {
  if (!(await witnessDbExists(name))) return false;
  const db = new Dexie(name);
  try {
    await db.open();
    const held = db.tables.filter((t) => ['ownTokens', 'exposureDays', 'tokens', 'exposures'].includes(t.name));
    const counts = await Promise.all(held.map((t) => t.count()));
    return counts.some((n) => n > 0);
  } finally {
    db.close();
  }
}

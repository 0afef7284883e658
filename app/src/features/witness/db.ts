import Dexie, { type EntityTable } from 'dexie';
import { WITNESS_ROWS } from '@ihyid/shared';
import { rowSchemasMiddleware } from '../../storage/row-schemas';

/**
 * The witness feature's own IndexedDB database, apart from the organisation's data (storage/db.ts):
 * it holds nothing about contacts, and deleting it loses no record.
 *
 * Never stored here (W1): the session id and the contact id, which live in memory for one app start.
 * Never stored anywhere: positions, or when during the day a meeting happened.
 */
export interface HeldToken {
  token: string;
  /** ms since the epoch, always the deletion hour (W4), so it does not date the meeting finely. */
  expiresAt: number;
  /** The local calendar day of the meeting, 'YYYY-MM-DD': what an exposure alert shows (W6), never the hour. */
  day: string;
}

/** A declared token learnt from the server or a peer, kept and passed on until it expires (W5). */
export interface HeldAlert {
  token: string;
  expiresAt: number;
}

/** W6: an exposure the user has not dismissed yet. */
export interface Exposure {
  id?: number;
  day: string;
}

export type WitnessDb = Dexie & {
  tokens: EntityTable<HeldToken, 'token'>;
  alerts: EntityTable<HeldAlert, 'token'>;
  exposures: EntityTable<Exposure, 'id'>;
};

export const WITNESS_DB_NAME = 'ihyid-witness';

/** The versioned schema. Never edit a published version: add `db.version(n + 1)` with an upgrade. */
export function openWitnessDb(name = WITNESS_DB_NAME): WitnessDb {
  const db = new Dexie(name) as WitnessDb;
  db.use(rowSchemasMiddleware(name, WITNESS_ROWS));
  db.version(1).stores({
    tokens: 'token, expiresAt',
    alerts: 'token, expiresAt',
    exposures: '++id',
  });
  return db;
}

/**
 * Whether this device takes part in witnessing at all: only then is the witness code loaded at start.
 * A device that never used witness mode does not even get an empty database.
 */
export async function holdsWitnessData(name = WITNESS_DB_NAME): Promise<boolean> {
  if (!(await Dexie.exists(name))) return false;
  const db = openWitnessDb(name);
  try {
    const [tokens, exposures] = await Promise.all([db.tokens.count(), db.exposures.count()]);
    return tokens + exposures > 0;
  } finally {
    db.close();
  }
}

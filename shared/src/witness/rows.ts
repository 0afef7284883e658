import * as v from 'valibot';
import { rowChecks, StoredDay, StoredTime } from '../core/rows.js';
import { WITNESS_TOKEN_PATTERN } from './token.js';

const Token = v.pipe(v.string(), v.regex(WITNESS_TOKEN_PATTERN));

/**
 * The witness database's rows (W1, W4, W6): a token with its expiry and the meeting's day, an alert
 * with its expiry, an exposure's day. Objects, not strict objects: a later schema version may add a
 * column that an older reader ignores.
 */
export const WITNESS_ROWS = rowChecks({
  tokens: v.object({ token: Token, expiresAt: StoredTime, day: StoredDay }),
  alerts: v.object({ token: Token, expiresAt: StoredTime }),
  exposures: v.object({ id: v.pipe(v.number(), v.safeInteger()), day: StoredDay }),
});

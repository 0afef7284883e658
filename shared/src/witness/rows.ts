import * as v from 'valibot';
import { rowChecks, StoredDay, StoredTime } from '../core/rows.js';
import { WITNESS_TOKEN_PATTERN } from './token.js';

const Token = v.pipe(v.string(), v.regex(WITNESS_TOKEN_PATTERN));

/** A row's name: a keyed id of its token or day under X2, the token or day itself on a device without a passphrase. */
const RowId = v.pipe(v.string(), v.minLength(1), v.maxLength(128));

/**
 * The witness database's rows (W1, W4, W6), as read after the seal opened them (X2): a token with
 * its expiry and the meeting's day, an alert with its expiry, an exposure's day. Objects, not strict
 * objects: a later schema version may add a column that an older reader ignores.
 */
export const WITNESS_ROWS = rowChecks({
  ownTokens: v.object({ id: RowId, token: Token, expiresAt: StoredTime, day: StoredDay }),
  heldAlerts: v.object({ id: RowId, token: Token, expiresAt: StoredTime }),
  exposureDays: v.object({ id: RowId, day: StoredDay }),
});

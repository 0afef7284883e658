import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { ContactId } from '../core/ids.js';

/**
 * W3, W4: the witness token two nearby devices share, and when it must be forgotten.
 *
 * The token is FANNY's: lowercase hex SHA-256 of the UTF-8 bytes of both contact ids, sorted and
 * concatenated with nothing between them. Contact ids are lowercase UUID v4 strings, so sorting by
 * UTF-16 code units (JavaScript's default) is the same as sorting by their ASCII bytes.
 */
export type WitnessToken = string & { readonly __brand: 'WitnessToken' };

export const WITNESS_TOKEN_PATTERN = /^[0-9a-f]{64}$/;

export function isWitnessToken(value: unknown): value is WitnessToken {
  return typeof value === 'string' && WITNESS_TOKEN_PATTERN.test(value);
}

export function witnessToken(contactIdA: ContactId | string, contactIdB: ContactId | string): WitnessToken {
  const [first, second] = contactIdA <= contactIdB ? [contactIdA, contactIdB] : [contactIdB, contactIdA];
  return bytesToHex(sha256(utf8ToBytes(first + second))) as WitnessToken;
}

/** FANNY's incubation window: a token lives at least this long. */
export const WITNESS_TOKEN_LIFETIME_DAYS = 15;
export const DEFAULT_DELETION_HOUR_UTC = 3;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * W4: the first `deletionHourUtc`:00:00.000 UTC at or after `createdAt` + 15 days. Every token made on
 * one (UTC-shifted) day expires at the same instant, so neither its expiry nor the moment it disappears
 * tells when the meeting happened, only roughly on which day.
 */
export function witnessTokenExpiry(createdAt: Date, deletionHourUtc: number = DEFAULT_DELETION_HOUR_UTC): Date {
  if (!Number.isInteger(deletionHourUtc) || deletionHourUtc < 0 || deletionHourUtc > 23) {
    throw new RangeError(`deletion hour must be a whole hour 0-23 UTC, got ${deletionHourUtc}`);
  }
  const created = createdAt.getTime();
  if (!Number.isFinite(created)) throw new RangeError('invalid creation date');
  const earliest = created + WITNESS_TOKEN_LIFETIME_DAYS * DAY_MS;
  const offset = deletionHourUtc * HOUR_MS;
  // Deletion instants are offset + k·DAY_MS (UTC has no daylight saving): take the first one ≥ earliest.
  let expiry = Math.floor((earliest - offset) / DAY_MS) * DAY_MS + offset;
  if (expiry < earliest) expiry += DAY_MS;
  return new Date(expiry);
}

/** Whether `at` is a whole hour in UTC, as every expiry this protocol makes or accepts is. */
export function isWholeUtcHour(at: Date): boolean {
  const t = at.getTime();
  return Number.isFinite(t) && t % HOUR_MS === 0;
}

export { DAY_MS as WITNESS_DAY_MS, HOUR_MS as WITNESS_HOUR_MS };

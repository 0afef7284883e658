import { isWholeUtcHour, isWitnessToken, WITNESS_DAY_MS, WITNESS_TOKEN_LIFETIME_DAYS, type WitnessToken } from './token.js';

/**
 * W5, W6: alert tokens (tokens someone declared) travel from device to device until they expire, so a
 * device that was offline when a declaration went through the server still learns it from the next
 * device it meets. Two devices first tell each other what they hold, as short prefixes, then each
 * sends only the alerts the other lacks.
 */
export interface WitnessAlert {
  readonly token: WitnessToken;
  /** Milliseconds since the epoch; always a whole UTC hour (the deletion hour), so it dates nothing finely. */
  readonly expiresAt: number;
}

/**
 * 16 hex characters (64 bits) stand for a token in the "what I hold" list. Two different tokens share a
 * prefix with probability about n²/2^65: for 100,000 held alerts, 3·10^-10. The cost of a clash is one
 * alert not passed on over that one connection; the next device passes it.
 */
export const ALERT_PREFIX_CHARS = 16;
/** A device holds at most this many alerts; beyond it the ones expiring soonest give way. */
export const MAX_HELD_ALERTS = 100_000;
/** Clock skew tolerated between devices when judging whether an expiry is plausible. */
export const ALERT_CLOCK_SKEW_MS = WITNESS_DAY_MS;
/** No honest expiry lies further ahead: 15 days, up to one more day to reach the deletion hour, plus skew. */
export const MAX_ALERT_HORIZON_MS = (WITNESS_TOKEN_LIFETIME_DAYS + 1) * WITNESS_DAY_MS + ALERT_CLOCK_SKEW_MS;

export const alertPrefix = (token: WitnessToken | string): string => token.slice(0, ALERT_PREFIX_CHARS);

/** What this device tells a peer it holds: the sorted prefixes of its alerts (sorted so order says nothing). */
export function alertHaveList(alerts: Iterable<WitnessAlert>): string[] {
  return [...new Set([...alerts].map((a) => alertPrefix(a.token)))].sort();
}

/** The alerts a peer lacks, given the prefixes it said it holds. */
export function alertsLacking(mine: Iterable<WitnessAlert>, theirPrefixes: Iterable<string>): WitnessAlert[] {
  const theirs = new Set(theirPrefixes);
  const out: WitnessAlert[] = [];
  for (const alert of mine) if (!theirs.has(alertPrefix(alert.token))) out.push(alert);
  return out;
}

/**
 * Whether an alert received from a peer or the server is worth keeping at `now`: a well-formed token,
 * not yet expired, and an expiry on a whole hour no further ahead than an honest token could have. A
 * hostile peer thus cannot plant alerts that live for ever.
 */
export function isAcceptableAlert(alert: { token: unknown; expiresAt: unknown }, now: number): alert is WitnessAlert {
  const { token, expiresAt } = alert;
  if (!isWitnessToken(token) || typeof expiresAt !== 'number' || !Number.isSafeInteger(expiresAt)) return false;
  return expiresAt > now && expiresAt - now <= MAX_ALERT_HORIZON_MS && isWholeUtcHour(new Date(expiresAt));
}

/** The received alerts to store: acceptable at `now`, not already held, each token once. */
export function newAlerts(received: Iterable<WitnessAlert>, held: ReadonlySet<string>, now: number): WitnessAlert[] {
  const seen = new Set<string>();
  const out: WitnessAlert[] = [];
  for (const alert of received) {
    if (held.has(alert.token) || seen.has(alert.token) || !isAcceptableAlert(alert, now)) continue;
    seen.add(alert.token);
    out.push(alert);
  }
  return out;
}

/** W6: the device's own tokens that some alert names. The comparison happens only here, on the device. */
export function exposedTokens(own: Iterable<WitnessToken>, alerts: Iterable<WitnessAlert>): WitnessToken[] {
  const alerted = new Set<string>();
  for (const alert of alerts) alerted.add(alert.token);
  return [...own].filter((token) => alerted.has(token));
}

/** When over MAX_HELD_ALERTS, which alerts to drop: the ones expiring soonest (they matter for least long). */
export function alertsOverCapacity(alerts: readonly WitnessAlert[], capacity = MAX_HELD_ALERTS): WitnessAlert[] {
  if (alerts.length <= capacity) return [];
  return [...alerts].sort((a, b) => a.expiresAt - b.expiresAt).slice(0, alerts.length - capacity);
}

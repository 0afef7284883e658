/**
 * The numbers of SPEC I2, I4 and I5 (anonity's constants). A verifier always uses its own
 * `LedgerRules`: a difficulty or an expiry carried in a message is never read.
 */
export const REGISTRATION_BITS = 20;
export const CHALLENGE_BITS = 14;

export const START_BALANCE = 100;
export const SOLVE_REWARD = 10;
export const IGNORE_PENALTY = 15;
/** Above START_BALANCE only; soft decay never takes a balance below it. */
export const DECAY_PER_HOUR = 2;
export const HOUR_MS = 3_600_000;
/** Authenticated while balance ≥ 1; below 1 a key is revoked for good. */
export const AUTH_THRESHOLD = 1;

export const CHALLENGE_INTERVAL_MS = 120_000;
export const CHALLENGE_EXPIRY_MS = 300_000;

/**
 * How far in the future an event's time may be when it is received or loaded. Phones' clocks
 * drift by minutes, not hours; five minutes refuses forged future events without refusing them.
 */
export const MAX_CLOCK_SKEW_MS = 300_000;

export interface LedgerRules {
  registrationBits: number;
  challengeBits: number;
  challengeExpiryMs: number;
  maxClockSkewMs: number;
}

export const DEFAULT_LEDGER_RULES: LedgerRules = Object.freeze({
  registrationBits: REGISTRATION_BITS,
  challengeBits: CHALLENGE_BITS,
  challengeExpiryMs: CHALLENGE_EXPIRY_MS,
  maxClockSkewMs: MAX_CLOCK_SKEW_MS,
});

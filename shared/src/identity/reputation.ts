import { verifyPow } from './pow.js';
import { challengePrefixOf } from './challenges.js';
import {
  AUTH_THRESHOLD,
  DECAY_PER_HOUR,
  DEFAULT_LEDGER_RULES,
  HOUR_MS,
  IGNORE_PENALTY,
  SOLVE_REWARD,
  START_BALANCE,
  type LedgerRules,
} from './constants.js';
import type { BodyOf, LedgerEvent } from './events.js';
import type { AttestationRecord, ChallengeRecord, IdentityRecord, LedgerState, VoidReason } from './state.js';
import { fingerprintOf, type PublicKeyHex } from './keys.js';
import { ledgerOrder } from './ledger.js';

/**
 * I4: reputation is a pure function of the ledger and a time. `foldLedger(events, now)` replays
 * the events in one fixed order (time, kind, id), whatever order they arrived in, and every
 * installation holding the same events computes the same balances.
 *
 * Where anonity trusted a message or its own memory, the fold checks the ledger instead:
 * - an ignore counts only when signed by the key that issued that challenge, which the ledger holds;
 * - a solution is re-verified (target, expiry, proof of work at the local difficulty) on every fold;
 * - a revoked key stays revoked: its second registration is void;
 * - an event seen twice counts once (ids are content hashes);
 * - a node has at most one open challenge per target, so it cannot stack penalties.
 * Each event that does not count gets a reason in `voided`, for tests and for the curious.
 */

/** Fold-internal index: the latest counted challenge per issuer>target pair. */
const latestByPair = new WeakMap<LedgerState, Map<string, ChallengeRecord>>();

export function foldLedger(events: readonly LedgerEvent[], now: number, rules: LedgerRules = DEFAULT_LEDGER_RULES): LedgerState {
  const state: LedgerState = { now, identities: new Map(), challenges: new Map(), attestations: new Map(), voided: new Map() };
  latestByPair.set(state, new Map());
  const seen = new Set<string>();
  // Events stamped after `now` have not happened yet in this view of the ledger.
  for (const event of events.filter((e) => e.body.at <= now).sort(ledgerOrder)) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    const reason = apply(state, event, rules);
    if (reason) state.voided.set(event.id, reason);
  }
  for (const record of state.identities.values()) settle(record, now);
  return state;
}

function apply(state: LedgerState, event: LedgerEvent, rules: LedgerRules): VoidReason | null {
  const body = event.body;
  switch (body.kind) {
    case 'register': {
      const existing = state.identities.get(body.author);
      if (existing) return existing.status === 'revoked' ? 'revoked-key' : 'already-registered';
      state.identities.set(body.author, {
        key: body.author,
        fingerprint: fingerprintOf(body.author),
        registrationId: event.id,
        registeredAt: body.at,
        balance: START_BALANCE,
        status: 'authenticated',
        revokedAt: null,
        solved: 0,
        ignored: 0,
        lastSeen: body.at,
        chargedHours: 0,
      });
      return null;
    }
    case 'challenge':
      return applyChallenge(state, event.id, body, rules);
    case 'solution':
      return applySolution(state, body, event.id, rules);
    case 'ignore':
      return applyIgnore(state, body, event.id);
    case 'attest': {
      const author = authorProblem(state, body.author);
      if (author) return author;
      const { author: attester, subject, name, schema, valueHash, at, expires } = body;
      state.attestations.set(event.id, { id: event.id, attester, subject, name, schema, valueHash, issuedAt: at, expires, revokedAt: null });
      return null;
    }
    case 'revoke-attestation': {
      // Withdrawing an attestation is always allowed to its attester, even a revoked one: it only ever removes trust.
      const attestation = state.attestations.get(body.attestation);
      if (!attestation) return 'unknown-attestation';
      if (attestation.attester !== body.author) return 'not-the-attester';
      if (attestation.revokedAt !== null) return 'already-revoked';
      attestation.revokedAt = body.at;
      return null;
    }
  }
}

function authorProblem(state: LedgerState, key: PublicKeyHex): VoidReason | null {
  const record = state.identities.get(key);
  return !record ? 'author-unregistered' : record.status === 'revoked' ? 'author-revoked' : null;
}

function applyChallenge(state: LedgerState, id: string, body: BodyOf<'challenge'>, rules: LedgerRules): VoidReason | null {
  const author = authorProblem(state, body.author);
  if (author) return author;
  const target = state.identities.get(body.target);
  if (!target) return 'target-unregistered';
  if (target.status === 'revoked') return 'target-revoked';
  // Only the latest counted challenge of a pair can still be open: one lookup, not a scan.
  const pairs = latestByPair.get(state)!;
  const pair = `${body.author}>${body.target}`;
  const latest = pairs.get(pair);
  if (latest && latest.status === 'open' && body.at < latest.expiresAt) return 'challenge-already-open';
  const record: ChallengeRecord = {
    id,
    issuer: body.author,
    target: body.target,
    issuedAt: body.at,
    expiresAt: body.at + rules.challengeExpiryMs,
    prefix: challengePrefixOf(body),
    status: 'open',
    closedBy: null,
  };
  state.challenges.set(id, record);
  pairs.set(pair, record);
  present(state.identities.get(body.author)!, body.at);
  return null;
}

function applySolution(state: LedgerState, body: BodyOf<'solution'>, id: string, rules: LedgerRules): VoidReason | null {
  const challenge = state.challenges.get(body.challenge);
  if (!challenge) return 'unknown-challenge';
  if (body.author !== challenge.target) return 'not-the-target';
  if (challenge.status !== 'open') return 'challenge-closed';
  if (body.at > challenge.expiresAt) return 'solution-late';
  // The local difficulty, never one from a message (anonity read `bits` from the transaction).
  if (!verifyPow(challenge.prefix, body.nonce, rules.challengeBits)) return 'insufficient-work';
  const target = state.identities.get(body.author)!;
  if (target.status === 'revoked') return 'author-revoked';
  settle(target, body.at);
  target.balance += SOLVE_REWARD;
  target.solved += 1;
  present(target, body.at);
  challenge.status = 'solved';
  challenge.closedBy = id;
  return null;
}

function applyIgnore(state: LedgerState, body: BodyOf<'ignore'>, id: string): VoidReason | null {
  const challenge = state.challenges.get(body.challenge);
  if (!challenge) return 'unknown-challenge';
  // anonity accepted an ignore signed by anyone: here only the challenge's issuer may report it.
  if (body.author !== challenge.issuer) return 'not-the-issuer';
  // A solution made in time closed the challenge already (it sorts first: its time ≤ expiry ≤ ours).
  if (challenge.status !== 'open') return 'challenge-closed';
  if (body.at < challenge.expiresAt) return 'ignore-early';
  const author = authorProblem(state, body.author);
  if (author) return author;
  const target = state.identities.get(challenge.target)!;
  if (target.status === 'authenticated') {
    settle(target, body.at);
    target.balance = Math.max(0, target.balance - IGNORE_PENALTY);
    target.ignored += 1;
    if (target.balance < AUTH_THRESHOLD) {
      target.status = 'revoked';
      target.revokedAt = body.at;
    }
  }
  challenge.status = 'ignored';
  challenge.closedBy = id;
  present(state.identities.get(body.author)!, body.at);
  return null;
}

/** Soft decay up to time t: −2 per whole hour of absence, only above 100 and never below it. */
function settle(record: IdentityRecord, t: number): void {
  if (record.status === 'revoked') return;
  const hours = Math.floor((t - record.lastSeen) / HOUR_MS);
  const fresh = hours - record.chargedHours;
  if (fresh <= 0) return;
  if (record.balance > START_BALANCE) record.balance = Math.max(START_BALANCE, record.balance - DECAY_PER_HOUR * fresh);
  record.chargedHours = hours;
}

/** The key did something that counted at time t: its absence starts again. */
function present(record: IdentityRecord, t: number): void {
  settle(record, t);
  record.lastSeen = t;
  record.chargedHours = 0;
}

/** Convenience for the UI and gating: the record of one key at `state.now`, if registered. */
export function identityOf(state: LedgerState, key: PublicKeyHex): IdentityRecord | undefined {
  return state.identities.get(key);
}

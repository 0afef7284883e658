import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes } from '../core/hex.js';
import { randomBelow, type RandomBytes } from '../core/random.js';
import { DEFAULT_LEDGER_RULES, type LedgerRules } from './constants.js';
import { signEvent, type BodyOf, type LedgerEvent } from './events.js';
import type { PublicKeyHex, Signer } from './keys.js';
import type { ChallengeRecord, LedgerState } from './state.js';

/**
 * I5: reputation challenges. Every 120 s an online node challenges one connected, registered peer,
 * never itself and never a peer it already has an open challenge for, chosen with weight
 * `maxBalance − balance + 1` (anonity's inverse-balance choice: newcomers are asked more often).
 * Everything here is a pure function of its inputs; the clock and the randomness are passed in.
 */

/** SHA-256(target key ‖ rand16 ‖ issued-at as 8 bytes big-endian whole seconds), as anonity. */
export function challengePrefix(target: PublicKeyHex, randHex: string, issuedAtMs: number): Uint8Array {
  const message = new Uint8Array(32 + 16 + 8);
  message.set(hexToBytes(target), 0);
  message.set(hexToBytes(randHex), 32);
  const seconds = Math.floor(issuedAtMs / 1000);
  const view = new DataView(message.buffer);
  view.setUint32(48, Math.floor(seconds / 0x1_0000_0000));
  view.setUint32(52, seconds >>> 0);
  return sha256(message);
}

export const challengePrefixOf = (c: BodyOf<'challenge'>) => challengePrefix(c.target, c.rand, c.at);

/**
 * Picks one item with probability weight / total. Weights are non-negative integers, so the
 * choice is exact (randomBelow is unbiased); null when nothing has a positive weight.
 */
export function weightedChoice<T>(items: readonly { item: T; weight: number }[], random: RandomBytes): T | null {
  const total = items.reduce((sum, i) => sum + i.weight, 0);
  if (!(total > 0)) return null;
  let r = randomBelow(total, random);
  for (const { item, weight } of items) {
    if (r < weight) return item;
    r -= weight;
  }
  return null;
}

export interface TargetChoice {
  self: PublicKeyHex;
  /** Peers connected right now (I5 challenges only peers that can answer). */
  connected: readonly PublicKeyHex[];
  state: LedgerState;
  now: number;
  random: RandomBytes;
  rules?: LedgerRules;
}

/** The challenge target for this tick, or null when no connected peer qualifies. */
export function chooseChallengeTarget(input: TargetChoice): PublicKeyHex | null {
  const open = new Set(openChallenges(input.state, input.now, input.rules).filter((c) => c.issuer === input.self).map((c) => c.target));
  const candidates = [...new Set(input.connected)]
    .filter((key) => key !== input.self && !open.has(key))
    .flatMap((key) => {
      const record = input.state.identities.get(key);
      return record && record.status === 'authenticated' ? [record] : [];
    });
  if (candidates.length === 0) return null;
  const maxBalance = Math.max(...candidates.map((r) => r.balance));
  return weightedChoice(
    candidates.map((r) => ({ item: r.key, weight: maxBalance - r.balance + 1 })),
    input.random,
  );
}

/** Challenges still open at `now`: counted by the fold, unsolved, not yet expired. */
export function openChallenges(state: LedgerState, now: number, rules: LedgerRules = DEFAULT_LEDGER_RULES): ChallengeRecord[] {
  return [...state.challenges.values()].filter((c) => c.status === 'open' && now < c.issuedAt + rules.challengeExpiryMs);
}

export interface TickPlan {
  /** Issue a challenge to this peer now (sign with `issueChallenge`). */
  challenge: PublicKeyHex | null;
  /** Our own challenges that expired unsolved: report each with `reportIgnored`. */
  ignore: ChallengeRecord[];
  /** Challenges to us that are still open: solve each and publish with `solutionEvent`. */
  solve: ChallengeRecord[];
}

/**
 * What a node does on each 120 s tick (and whenever new events arrive, for `ignore` and `solve`).
 * Only an authenticated node challenges; a revoked one may still answer, to no avail.
 */
export function planChallengeTick(input: TargetChoice): TickPlan {
  const rules = input.rules ?? DEFAULT_LEDGER_RULES;
  const me = input.state.identities.get(input.self);
  const mine = [...input.state.challenges.values()];
  return {
    challenge: me?.status === 'authenticated' ? chooseChallengeTarget(input) : null,
    ignore: mine.filter((c) => c.issuer === input.self && c.status === 'open' && input.now >= c.issuedAt + rules.challengeExpiryMs),
    solve: openChallenges(input.state, input.now, rules).filter((c) => c.target === input.self),
  };
}

export function issueChallenge(signer: Signer, target: PublicKeyHex, now: number, random: RandomBytes): Promise<LedgerEvent> {
  return signEvent(signer, { kind: 'challenge', at: now, target, rand: bytesToHex(random(16)) });
}

export function solutionEvent(signer: Signer, challengeId: string, nonce: number, now: number): Promise<LedgerEvent> {
  return signEvent(signer, { kind: 'solution', at: now, challenge: challengeId, nonce });
}

export function reportIgnored(signer: Signer, challengeId: string, now: number): Promise<LedgerEvent> {
  return signEvent(signer, { kind: 'ignore', at: now, challenge: challengeId });
}

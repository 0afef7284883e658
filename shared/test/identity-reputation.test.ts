import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LEDGER_RULES,
  foldLedger,
  issueChallenge,
  reportIgnored,
  shuffled,
  solutionEvent,
  type LedgerEvent,
  type PublicKeyHex,
} from '../src/index.js';
import { badNonce, HOUR, MIN, org, solve, T0, type Org } from './identity-fixtures.js';
import { seededRandom } from './support/seeded.js';

const [A, B, C] = [org('A'), org('B'), org('C')];
const random = seededRandom('identity-reputation');
const registrations = () => Promise.all([A.register(T0), B.register(T0), C.register(T0)]);
const challenge = (issuer: Org, target: Org, at: number) => issueChallenge(issuer.signer, target.key, at, random);
const ignore = (issuer: Org, c: LedgerEvent, at: number) => reportIgnored(issuer.signer, c.id, at);
const balance = (events: LedgerEvent[], key: PublicKeyHex, now: number) => foldLedger(events, now).identities.get(key)?.balance;

/** A challenges B at `at` and B answers a minute later. */
async function solvedRound(at: number): Promise<LedgerEvent[]> {
  const c = await challenge(A, B, at);
  return [c, await solve(B, c, at + MIN)];
}

/** A challenges B at `at` and reports it ignored when it expires. */
async function ignoredRound(at: number): Promise<LedgerEvent[]> {
  const c = await challenge(A, B, at);
  return [c, await ignore(A, c, at + 5 * MIN)];
}

describe('reputation as a pure function of the ledger and a time (I4)', () => {
  it('[I4] a registered key starts at 100 and is authenticated', async () => {
    const state = foldLedger(await registrations(), T0);
    expect(state.identities.get(B.key)).toMatchObject({ balance: 100, status: 'authenticated', solved: 0, ignored: 0 });
  });

  it('[I4] +10 per solved challenge', async () => {
    const events = [...(await registrations()), ...(await solvedRound(T0 + MIN)), ...(await solvedRound(T0 + 10 * MIN))];
    expect(foldLedger(events, T0 + 20 * MIN).identities.get(B.key)).toMatchObject({ balance: 120, solved: 2 });
  });

  it('[I4] −15 per ignored challenge, down to 0 and never below; revoked below 1, for good', async () => {
    const events = await registrations();
    for (let i = 0; i < 6; i++) events.push(...(await ignoredRound(T0 + i * 10 * MIN)));
    expect(foldLedger(events, T0 + HOUR).identities.get(B.key)).toMatchObject({ balance: 10, ignored: 6, status: 'authenticated' });
    events.push(...(await ignoredRound(T0 + 60 * MIN)));
    const state = foldLedger(events, T0 + 2 * HOUR);
    expect(state.identities.get(B.key)).toMatchObject({ balance: 0, ignored: 7, status: 'revoked', revokedAt: T0 + 65 * MIN });
    // Revoked is final: no challenge to it counts, so it cannot earn its way back.
    const after = await challenge(A, B, T0 + 3 * HOUR);
    const late = [...events, after, await solve(B, after, T0 + 3 * HOUR + MIN)];
    expect(foldLedger(late, T0 + 4 * HOUR).voided.get(after.id)).toBe('target-revoked');
    expect(foldLedger(late, T0 + 4 * HOUR).identities.get(B.key)?.status).toBe('revoked');
  });

  it('[I4] a revoked key cannot register again, even with a fresh, valid proof of work', async () => {
    const events = await registrations();
    for (let i = 0; i < 7; i++) events.push(...(await ignoredRound(T0 + i * 10 * MIN)));
    const again = await B.register(T0 + 2 * HOUR);
    const state = foldLedger([...events, again], T0 + 3 * HOUR);
    expect(state.voided.get(again.id)).toBe('revoked-key');
    expect(state.identities.get(B.key)).toMatchObject({ status: 'revoked', balance: 0 });
  });

  it('[I4] above 100, −2 per whole hour of absence, never below 100', async () => {
    const events = [...(await registrations())];
    for (let i = 0; i < 3; i++) events.push(...(await solvedRound(T0 + i * 10 * MIN)));
    const lastSeen = T0 + 21 * MIN; // B's last solution
    expect(balance(events, B.key, lastSeen + 59 * MIN)).toBe(130);
    expect(balance(events, B.key, lastSeen + 5.5 * HOUR)).toBe(120);
    expect(balance(events, B.key, lastSeen + 100 * HOUR)).toBe(100);
  });

  it('[I4] soft decay never touches a balance at or below 100', async () => {
    const events = [...(await registrations()), ...(await ignoredRound(T0 + MIN))];
    expect(balance(events, B.key, T0 + 50 * HOUR)).toBe(85);
    expect(balance(events, C.key, T0 + 50 * HOUR)).toBe(100);
  });

  it('[I4] the same events give the same state in any order, and events after `now` do not count yet', async () => {
    const events = [...(await registrations()), ...(await solvedRound(T0 + MIN)), ...(await ignoredRound(T0 + 10 * MIN))];
    const reference = foldLedger(events, T0 + HOUR);
    for (let i = 0; i < 5; i++) expect(foldLedger(shuffled(events, random), T0 + HOUR)).toEqual(reference);
    expect(balance(events, B.key, T0 + 12 * MIN)).toBe(110);
    expect(balance(events, B.key, T0 + 15 * MIN)).toBe(95);
  });

  it('[I3][I4] replayed events count once', async () => {
    const events = [...(await registrations()), ...(await solvedRound(T0 + MIN))];
    expect(balance([...events, ...events, events[4]!], B.key, T0 + HOUR)).toBe(110);
  });
});

describe("anonity's flaws, fixed (I3, I5)", () => {
  it('[I3] an ignore counts only when signed by the key that issued the challenge', async () => {
    const c = await challenge(A, B, T0 + MIN);
    const forged = await ignore(C, c, T0 + 10 * MIN);
    const state = foldLedger([...(await registrations()), c, forged], T0 + HOUR);
    expect(state.voided.get(forged.id)).toBe('not-the-issuer');
    expect(state.identities.get(B.key)?.balance).toBe(100);
  });

  it('[I3] an ignore of a challenge the ledger does not hold counts for nothing', async () => {
    const c = await challenge(A, B, T0 + MIN);
    const orphan = await ignore(A, c, T0 + 10 * MIN);
    const state = foldLedger([...(await registrations()), orphan], T0 + HOUR);
    expect(state.voided.get(orphan.id)).toBe('unknown-challenge');
  });

  it('[I5] an ignore before the challenge expired does not count', async () => {
    const c = await challenge(A, B, T0 + MIN);
    const early = await ignore(A, c, T0 + MIN + 299_999);
    const state = foldLedger([...(await registrations()), c, early], T0 + HOUR);
    expect(state.voided.get(early.id)).toBe('ignore-early');
    expect(state.identities.get(B.key)?.balance).toBe(100);
  });

  it('[I3] a solution in time wins over an ignore, whichever arrived first', async () => {
    const [c, solution] = await solvedRound(T0 + MIN);
    const ig = await ignore(A, c!, T0 + 6 * MIN);
    const state = foldLedger([ig, solution!, ...(await registrations()), c!], T0 + HOUR);
    expect(state.voided.get(ig.id)).toBe('challenge-closed');
    expect(state.identities.get(B.key)?.balance).toBe(110);
  });

  it('[I3] a solution is re-verified from the ledger on every fold: wrong work, wrong author, too late', async () => {
    const c = await challenge(A, B, T0 + MIN);
    const bad = await solutionEvent(B.signer, c.id, badNonce(c), T0 + 2 * MIN);
    const byC = await solve(C, c, T0 + 2 * MIN);
    const late = await solve(B, c, T0 + MIN + 5 * MIN + 1);
    const state = foldLedger([...(await registrations()), c, bad, byC, late], T0 + HOUR);
    expect(state.voided.get(bad.id)).toBe('insufficient-work');
    expect(state.voided.get(byC.id)).toBe('not-the-target');
    expect(state.voided.get(late.id)).toBe('solution-late');
    expect(state.identities.get(B.key)?.balance).toBe(100);
  });

  it('[I5] the challenge difficulty is the verifier’s own: a 14-bit solution does not count on a 20-bit network', async () => {
    const events = [...(await registrations()), ...(await solvedRound(T0 + MIN))];
    const strict = foldLedger(events, T0 + HOUR, { ...DEFAULT_LEDGER_RULES, challengeBits: 20 });
    expect(strict.identities.get(B.key)?.balance).toBe(100);
    expect(strict.voided.get(events[4]!.id)).toBe('insufficient-work');
  });

  it('[I5] one open challenge per target: a second one from the same issuer cannot stack penalties', async () => {
    const first = await challenge(A, B, T0 + MIN);
    const second = await challenge(A, B, T0 + 2 * MIN);
    const fromC = await challenge(C, B, T0 + 2 * MIN);
    const events = [...(await registrations()), first, second, fromC, await ignore(A, first, T0 + 6 * MIN), await ignore(A, second, T0 + 7 * MIN)];
    const state = foldLedger(events, T0 + HOUR);
    expect(state.voided.get(second.id)).toBe('challenge-already-open');
    expect(state.voided.has(fromC.id)).toBe(false);
    expect(state.identities.get(B.key)?.balance).toBe(85);
  });

  it('[I5] challenges from or to unregistered keys count for nothing', async () => {
    const [a, b] = [await A.register(T0), await B.register(T0)];
    const fromC = await challenge(C, B, T0 + MIN);
    const toC = await challenge(A, C, T0 + MIN);
    const state = foldLedger([a, b, fromC, toC], T0 + HOUR);
    expect(state.voided.get(fromC.id)).toBe('author-unregistered');
    expect(state.voided.get(toC.id)).toBe('target-unregistered');
  });
});

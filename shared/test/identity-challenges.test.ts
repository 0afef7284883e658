import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../src/core/hex.js';
import {
  challengePrefix,
  chooseChallengeTarget,
  foldLedger,
  issueChallenge,
  planChallengeTick,
  reportIgnored,
  weightedChoice,
  type LedgerEvent,
  type PublicKeyHex,
} from '../src/index.js';
import { HOUR, MIN, org, solve, T0, VECTORS } from './identity-fixtures.js';
import { seededRandom } from './support/seeded.js';

const [A, B, C, D] = [org('A'), org('B'), org('C'), org('D')];
const registrations = () => Promise.all([A, B, C, D].map((o) => o.register(T0)));

describe('challenge scheduling (I5)', () => {
  it('[I5] the challenge prefix is SHA-256(target ‖ rand16 ‖ issued-at as 8-byte big-endian seconds), as anonity', () => {
    const rand = '000102030405060708090a0b0c0d0e0f';
    const ts = Buffer.alloc(8);
    ts.writeBigUInt64BE(1_767_225_600n);
    const expected = createHash('sha256').update(Buffer.concat([Buffer.from(VECTORS.A.pk, 'hex'), Buffer.from(rand, 'hex'), ts])).digest('hex');
    expect(expected).toBe('8e1a6c604caed723eb5ee435cd5b4bf971de0e094b9a403a79d4d29c2267df93');
    expect(bytesToHex(challengePrefix(VECTORS.A.pk as PublicKeyHex, rand, T0 + 999))).toBe(expected);
  });

  it('[I5] weighted choice is exact: weights 1 and 3 give one quarter and three quarters', () => {
    const random = seededRandom('weights');
    const counts = { x: 0, y: 0 };
    for (let i = 0; i < 4000; i++) counts[weightedChoice([{ item: 'x' as const, weight: 1 }, { item: 'y' as const, weight: 3 }], random)!]++;
    expect(counts.x / 4000).toBeGreaterThan(0.22);
    expect(counts.x / 4000).toBeLessThan(0.28);
    expect(weightedChoice([{ item: 'z', weight: 0 }], random)).toBeNull();
    expect(weightedChoice([], random)).toBeNull();
  });

  it('[I5] weight is maxBalance − balance + 1: the newcomer is chosen about 21 times as often as a peer 20 points richer', async () => {
    // B solves two challenges (120); C stays at 100. Weights: B 1, C 21.
    const events: LedgerEvent[] = await registrations();
    const random = seededRandom('newcomer');
    for (const at of [T0 + MIN, T0 + 10 * MIN]) {
      const c = await issueChallenge(A.signer, B.key, at, random);
      events.push(c, await solve(B, c, at + MIN));
    }
    const state = foldLedger(events, T0 + HOUR);
    let b = 0;
    for (let i = 0; i < 2200; i++) if (chooseChallengeTarget({ self: A.key, connected: [B.key, C.key], state, now: T0 + HOUR, random }) === B.key) b++;
    expect(b / 2200).toBeGreaterThan(1 / 22 - 0.02);
    expect(b / 2200).toBeLessThan(1 / 22 + 0.02);
  });

  it('[I5] never itself, never an unconnected, unregistered or revoked peer, never one it already challenges', async () => {
    const regs = await registrations();
    const random = seededRandom('exclusions');
    const open = await issueChallenge(A.signer, C.key, T0 + MIN, random);
    const state = foldLedger([...regs.filter((r) => r.body.author !== D.key), open], T0 + 2 * MIN);
    const stranger = 'ff'.repeat(32) as PublicKeyHex;
    for (let i = 0; i < 50; i++) {
      const target = chooseChallengeTarget({ self: A.key, connected: [A.key, B.key, C.key, D.key, stranger], state, now: T0 + 2 * MIN, random });
      expect(target).toBe(B.key);
    }
    expect(chooseChallengeTarget({ self: A.key, connected: [A.key, C.key], state, now: T0 + 2 * MIN, random })).toBeNull();
    // Once the open challenge expires, C may be chosen again.
    expect(chooseChallengeTarget({ self: A.key, connected: [C.key], state: foldLedger([...regs, open], T0 + 7 * MIN), now: T0 + 7 * MIN, random })).toBe(C.key);
  });

  it('[I5] a tick plans one challenge, the ignores of our expired challenges, and the challenges we must solve', async () => {
    const regs = await registrations();
    const random = seededRandom('tick');
    const ours = await issueChallenge(A.signer, B.key, T0 + MIN, random);
    const toUs = await issueChallenge(C.signer, A.key, T0 + 5 * MIN, random);
    const state = foldLedger([...regs, ours, toUs], T0 + 7 * MIN);
    const plan = planChallengeTick({ self: A.key, connected: [B.key, C.key], state, now: T0 + 7 * MIN, random });
    expect(plan.ignore.map((c) => c.id)).toEqual([ours.id]);
    expect(plan.solve.map((c) => c.id)).toEqual([toUs.id]);
    expect([B.key, C.key]).toContain(plan.challenge);
    // Once reported, the expired challenge is closed and no longer planned.
    const closed = foldLedger([...regs, ours, toUs, await reportIgnored(A.signer, ours.id, T0 + 7 * MIN)], T0 + 8 * MIN);
    expect(planChallengeTick({ self: A.key, connected: [], state: closed, now: T0 + 8 * MIN, random }).ignore).toEqual([]);
  });

  it('[I5] an unregistered or revoked node does not challenge anyone', async () => {
    const random = seededRandom('unregistered');
    const state = foldLedger((await registrations()).filter((r) => r.body.author !== A.key), T0 + MIN);
    expect(planChallengeTick({ self: A.key, connected: [B.key], state, now: T0 + MIN, random }).challenge).toBeNull();
  });

  it('[I5] a challenge expires 300 s after issue: solvable until then, not after', async () => {
    const random = seededRandom('expiry');
    const c = await issueChallenge(A.signer, B.key, T0 + MIN, random);
    const regs = await registrations();
    const inTime = foldLedger([...regs, c, await solve(B, c, T0 + 6 * MIN)], T0 + HOUR);
    const late = foldLedger([...regs, c, await solve(B, c, T0 + 6 * MIN + 1)], T0 + HOUR);
    expect(inTime.identities.get(B.key)?.balance).toBe(110);
    expect(late.identities.get(B.key)?.balance).toBe(100);
  });
});

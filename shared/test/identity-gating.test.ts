import { describe, expect, it } from 'vitest';
import { foldLedger, gatePeer, gateSession, IDENTITY_ERROR_MESSAGES, issueChallenge, reportIgnored } from '../src/index.js';
import { HOUR, MIN, org, T0 } from './identity-fixtures.js';
import { seededRandom } from './support/seeded.js';

const [A, B, C] = [org('A'), org('B'), org('C')];

async function revokedB() {
  const random = seededRandom('gating');
  const events = [await A.register(T0), await B.register(T0)];
  for (let i = 0; i < 7; i++) {
    const c = await issueChallenge(A.signer, B.key, T0 + i * 10 * MIN, random);
    events.push(c, await reportIgnored(A.signer, c.id, T0 + i * 10 * MIN + 5 * MIN));
  }
  return foldLedger(events, T0 + 2 * HOUR);
}

describe('gating (I6)', () => {
  it('[I6] a registered, authenticated peer is allowed', async () => {
    const state = foldLedger([await A.register(T0), await B.register(T0)], T0 + MIN);
    expect(gatePeer(state, B.key)).toEqual({ allowed: true });
    expect(gateSession(state, A.key, B.key)).toEqual({ allowed: true });
  });

  it('[I6] an unregistered peer is refused with a sentence for each side', async () => {
    const state = foldLedger([await A.register(T0)], T0 + MIN);
    const decision = gateSession(state, A.key, C.key);
    expect(decision).toMatchObject({ allowed: false, code: 'identity-unregistered', peerCode: 'self-unregistered' });
    if (decision.allowed) return;
    expect(decision.message).toMatch(/not registered/);
    expect(IDENTITY_ERROR_MESSAGES[decision.peerCode]).toMatch(/this installation is not registered/);
  });

  it('[I6] a revoked peer is refused, and reads that its identity was revoked', async () => {
    const decision = gateSession(await revokedB(), A.key, B.key);
    expect(decision).toMatchObject({ allowed: false, code: 'identity-revoked', peerCode: 'self-revoked' });
    if (decision.allowed) return;
    expect(decision.message).toMatch(/revoked/);
  });

  it('[I6] our own installation unregistered or revoked stops the check on our side first', async () => {
    const unregistered = gateSession(foldLedger([await B.register(T0)], T0 + MIN), C.key, B.key);
    expect(unregistered).toMatchObject({ allowed: false, code: 'self-unregistered', peerCode: 'identity-unregistered' });
    const revoked = gateSession(await revokedB(), B.key, A.key);
    expect(revoked).toMatchObject({ allowed: false, code: 'self-revoked', peerCode: 'identity-revoked' });
  });
});

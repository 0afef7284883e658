import { describe, expect, it } from 'vitest';
import {
  answerRequest,
  attributeValueHash,
  attestationsAbout,
  checkPresented,
  expectMessage,
  foldLedger,
  inMemoryChannelPair,
  issueChallenge,
  makeAttestationRequest,
  MemoryLedgerStore,
  portFromChannel,
  presentMessage,
  presentRequest,
  reportIgnored,
  requestFromMessage,
  requestMessage,
  satisfiesAttestationRule,
  takeResponse,
  uuidV4,
  withdrawAttestation,
  type AttestationRequest,
  type HeldAttestation,
  type LedgerEvent,
} from '../src/index.js';
import { ctx, HOUR, MIN, org, T0 } from './identity-fixtures.js';
import { seededRandom } from './support/seeded.js';

// X (A) attests an attribute of Y (B); V (C) verifies it; D is another attester nobody trusts.
const [X, Y, V, D] = [org('A'), org('B'), org('C'), org('D')];
const random = seededRandom('attestations');
const DAY = 24 * HOUR;

/** Enrolment over a real message port: Y asks, X agrees (or not), Y checks and keeps it. */
async function enrol(agree = true, attester = X) {
  const [yEnd, xEnd] = inMemoryChannelPair().map(portFromChannel);
  const yStore = new MemoryLedgerStore(await Promise.all([X, Y, V, D].map((o) => o.register(T0))));
  const request = makeAttestationRequest({ name: 'organisation-name', schema: 'text-v1', value: 'Caritas Lebanon', expires: T0 + 30 * DAY }, random);
  yEnd!.send(requestMessage(request));

  const incoming = await expectMessage(xEnd!, 'id-attest-request');
  if (!incoming.ok) throw new Error('no request');
  expect(incoming.value.value).toBe('Caritas Lebanon'); // X's user sees what it vouches for
  const answer = await answerRequest(attester.signer, requestFromMessage(incoming.value), Y.key, agree, T0 + MIN);
  xEnd!.send(answer.message);

  const response = await expectMessage(yEnd!, 'id-attest-response');
  if (!response.ok) throw new Error('no response');
  const taken = await takeResponse(response.value, request, { self: Y.key, attester: X.key }, yStore, ctx(T0 + 2 * MIN));
  return { request, taken, yStore };
}

async function presentTo(held: HeldAttestation[], trusted: string[], now = T0 + HOUR, extra: LedgerEvent[] = []) {
  const vStore = new MemoryLedgerStore([...(await Promise.all([X, Y, V, D].map((o) => o.register(T0)))), ...extra]);
  const ask = presentRequest(uuidV4(random), ['organisation-name']);
  return checkPresented(presentMessage(ask, held, true), Y.key, vStore, { ctx: ctx(now), trusted: new Set(trusted) });
}

function holding(request: AttestationRequest, event: LedgerEvent, value = request.value): HeldAttestation[] {
  return [{ attestationId: event.id, event, name: request.name, value, salt: request.salt }];
}

describe('attestations (I7)', () => {
  it('[I7] the value hash is SHA-256("ihyid-attr-v1" LF canonical JSON{name, salt, schema, value}): PROTOCOL.md vector', () => {
    // Checked with Python: hashlib.sha256(("ihyid-attr-v1\n" + json.dumps(d, separators=(",", ":"), sort_keys=True)).encode()).
    const claim = { name: 'organisation-name', schema: 'text-v1', value: 'Caritas Lebanon', salt: '000102030405060708090a0b0c0d0e0f' };
    expect(attributeValueHash(claim)).toBe('934cd8ef2ea21793ffa4ff98bea88277e9827052c7868c0c757eaa6ea0898c9b');
    expect(attributeValueHash({ ...claim, salt: '00'.repeat(16) })).not.toBe(attributeValueHash(claim));
  });

  it('[I7] enrolment: Y asks, X attests, Y holds a signed attestation carrying only a salted hash', async () => {
    const { taken, yStore } = await enrol();
    expect(taken.ok && taken.value.attested).toBe(true);
    if (!taken.ok || !taken.value.attested) return;
    expect(taken.value.event.body).toMatchObject({ kind: 'attest', author: X.key, subject: Y.key, name: 'organisation-name' });
    expect(JSON.stringify(taken.value.event)).not.toContain('Caritas');
    expect(await yStore.ids()).toContain(taken.value.event.id);
  });

  it('[I7] X may refuse: Y learns it and stores nothing', async () => {
    const { taken, yStore } = await enrol(false);
    expect(taken).toEqual({ ok: true, value: { attested: false } });
    expect(await yStore.ids()).toHaveLength(4);
  });

  it('[I7] Y refuses an attestation signed by someone else than the X it asked', async () => {
    const { taken } = await enrol(true, D);
    expect(taken).toEqual({ ok: false, error: 'wrong-attester' });
  });

  it('[I7] verification: V checks signature and value, and trusts X only if it chose to', async () => {
    const { request, taken } = await enrol();
    if (!taken.ok || !taken.value.attested) throw new Error('not attested');
    const held = holding(request, taken.value.event);
    expect(await presentTo(held, [X.key])).toMatchObject([{ status: 'trusted', problem: null, value: 'Caritas Lebanon' }]);
    expect(await presentTo(held, [])).toMatchObject([{ status: 'untrusted-attester' }]);
  });

  it('[I7] a presented value that differs from the attested one is invalid', async () => {
    const { request, taken } = await enrol();
    if (!taken.ok || !taken.value.attested) throw new Error('not attested');
    expect(await presentTo(holding(request, taken.value.event, 'Caritas Liban'), [X.key])).toMatchObject([{ status: 'invalid', problem: 'value-mismatch' }]);
  });

  it('[I7] expired, withdrawn, or attested by a revoked key: invalid', async () => {
    const { request, taken } = await enrol();
    if (!taken.ok || !taken.value.attested) throw new Error('not attested');
    const held = holding(request, taken.value.event);
    expect(await presentTo(held, [X.key], T0 + 31 * DAY)).toMatchObject([{ status: 'invalid', problem: 'expired' }]);
    const withdrawn = await withdrawAttestation(X.signer, taken.value.event.id, T0 + 10 * MIN);
    expect(await presentTo(held, [X.key], T0 + HOUR, [withdrawn])).toMatchObject([{ status: 'invalid', problem: 'withdrawn' }]);
    const revokeX: LedgerEvent[] = [];
    for (let i = 0; i < 7; i++) {
      const c = await issueChallenge(V.signer, X.key, T0 + i * 10 * MIN, random);
      revokeX.push(c, await reportIgnored(V.signer, c.id, T0 + i * 10 * MIN + 5 * MIN));
    }
    expect(await presentTo(held, [X.key], T0 + 2 * HOUR, revokeX)).toMatchObject([{ status: 'invalid', problem: 'attester-revoked' }]);
  });

  it('[I7] only the attester can withdraw its attestation', async () => {
    const { taken, yStore } = await enrol();
    if (!taken.ok || !taken.value.attested) throw new Error('not attested');
    const byY = await withdrawAttestation(Y.signer, taken.value.event.id, T0 + 10 * MIN);
    const state = foldLedger([...(await yStore.all()), byY], T0 + HOUR);
    expect(state.voided.get(byY.id)).toBe('not-the-attester');
    expect(attestationsAbout(state, Y.key, new Set([X.key]))).toHaveLength(1);
  });

  it('[I7][A4] a standing rule accepts a partner attested by a trusted attester, and only then', async () => {
    const { taken, yStore } = await enrol();
    if (!taken.ok || !taken.value.attested) throw new Error('not attested');
    const state = foldLedger(await yStore.all(), T0 + HOUR);
    expect(satisfiesAttestationRule(state, Y.key, { attribute: 'organisation-name', attesters: new Set([X.key]) })).toBe(true);
    expect(satisfiesAttestationRule(state, Y.key, { attribute: 'organisation-name', attesters: new Set([D.key]) })).toBe(false);
    expect(satisfiesAttestationRule(state, Y.key, { attribute: 'registered-ngo', attesters: new Set([X.key]) })).toBe(false);
  });

  it('[I7] Y may refuse to present: the verifier gets nothing', () => {
    const ask = presentRequest(uuidV4(random), []);
    expect(presentMessage(ask, [], false)).toEqual({ type: 'id-present', requestId: ask.requestId, refused: true, items: [] });
  });
});

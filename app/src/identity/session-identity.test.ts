import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_LEDGER_RULES,
  fingerprintOf,
  inMemoryChannelPair,
  presentRequest,
  seededBytes,
  portFromChannel,
  solvePow,
  strictVerify,
  toSigned,
  type LedgerRules,
  type OrgFingerprint,
} from '@ihyid/shared';
import { openIdentityDb, type IdentityDb } from './db';
import { IdentityService, type PowSolver } from './service';
import { answerPresentation, receiveAttestationResponse, requestAttestation, verifyPresented } from './attestation-actions';
import { challengeTick, establishIdentity, type SessionIdentityOptions } from './session-identity';

// The integration contract, end to end on real services (fake-indexeddb) over an in-memory channel.
const RULES: LedgerRules = { ...DEFAULT_LEDGER_RULES, registrationBits: 12 };
const T0 = Date.UTC(2026, 0, 1);
const fp = (b: string) => Array.from({ length: 32 }, () => b).join(':');
const sdp = (f: string) => `v=0\r\na=fingerprint:sha-256 ${f}\r\n`;
const dbs: IdentityDb[] = [];
let clock = T0;

const solve: PowSolver = async (prefix, bits) => solvePow(prefix, bits, { start: 0, count: 1 << 26 });

function service(name: string, seed: number): IdentityService {
  const db = openIdentityDb(name);
  dbs.push(db);
  const randomBytes = seededBytes(seed);
  return new IdentityService({ db, solve, randomBytes, now: () => clock, verify: strictVerify, rules: RULES });
}

async function connect(a: IdentityService, b: IdentityService, expected: OrgFingerprint | null = null) {
  const [left, right] = inMemoryChannelPair().map(portFromChannel);
  const base = { roomId: 'ab'.repeat(32), linkKey: new Uint8Array(32).fill(9) };
  const forA: SessionIdentityOptions = { ...base, localSdp: sdp(fp('AA')), remoteSdp: sdp(fp('BB')), expectedFingerprint: null, peerName: 'Org B' };
  const forB: SessionIdentityOptions = { ...base, localSdp: sdp(fp('BB')), remoteSdp: sdp(fp('AA')), expectedFingerprint: expected, peerName: 'Org A' };
  return Promise.all([establishIdentity(a, left!, forA), establishIdentity(b, right!, forB)]);
}

afterEach(async () => {
  clock = T0;
  for (const db of dbs.splice(0)) {
    db.close();
    await db.delete();
  }
});

describe('session identity (integration contract)', () => {
  it('[I8][I3][I6] two registered organisations verify each other, reconcile, and are allowed', async () => {
    const [a, b] = [service('s-a', 1), service('s-b', 2)];
    await Promise.all([a.load(), b.load()]);
    await a.register();
    await b.register();
    const [ra, rb] = await connect(a, b, fingerprintOf(a.signer.publicKey));
    expect(ra).toMatchObject({ ok: true, value: { peerKey: b.signer.publicKey, decision: { allowed: true }, reconciled: { sent: 1 } } });
    expect(rb).toMatchObject({ ok: true, value: { peerKey: a.signer.publicKey, decision: { allowed: true } } });
    expect(a.getSnapshot().partners).toMatchObject([{ orgName: 'Org B', record: { balance: 100 } }]);
  });

  it('[I6] an unregistered partner is refused, with the sentence for each side', async () => {
    const [a, b] = [service('s-a2', 3), service('s-b2', 4)];
    await Promise.all([a.load(), b.load()]);
    await a.register();
    const [ra, rb] = await connect(a, b);
    expect(ra).toMatchObject({ ok: true, value: { decision: { allowed: false, code: 'identity-unregistered', peerCode: 'self-unregistered' } } });
    expect(rb).toMatchObject({ ok: true, value: { decision: { allowed: false, code: 'self-unregistered' } } });
  });

  it('[I8] the wrong inviter key stops both sides with identity-mismatch', async () => {
    const [a, b, c] = [service('s-a3', 5), service('s-b3', 6), service('s-c3', 7)];
    await Promise.all([a.load(), b.load(), c.load()]);
    const [ra, rb] = await connect(a, b, fingerprintOf(c.signer.publicKey));
    expect(rb).toMatchObject({ ok: false, error: { code: 'identity-mismatch' } });
    expect(ra).toMatchObject({ ok: false, error: { peerCode: 'identity-mismatch' } });
  });

  it('[I5][I4] a tick challenges the connected peer, its tick solves it, and both see +10', async () => {
    const [a, b] = [service('s-a4', 8), service('s-b4', 9)];
    await Promise.all([a.load(), b.load()]);
    await a.register();
    await b.register();
    await connect(a, b);
    clock = T0 + 120_000;
    const fromA = await challengeTick(a, [b.signer.publicKey], solve);
    expect(fromA.map((e) => e.body.kind)).toEqual(['challenge']);
    await b.accept(fromA.map(toSigned)); // what id-push carries
    clock = T0 + 130_000;
    const fromB = await challengeTick(b, [a.signer.publicKey], solve);
    expect(fromB.map((e) => e.body.kind).sort()).toEqual(['challenge', 'solution']);
    await a.accept(fromB.map(toSigned));
    expect(a.state().identities.get(b.signer.publicKey)?.balance).toBe(110);
    expect(b.getSnapshot().registration).toMatchObject({ phase: 'registered', record: { balance: 110, solved: 1 } });
  });

  it('[I5] an unanswered challenge is reported by its issuer after 300 s: −15', async () => {
    const [a, b] = [service('s-a5', 10), service('s-b5', 11)];
    await Promise.all([a.load(), b.load()]);
    await a.register();
    await b.register();
    await connect(a, b);
    clock = T0 + 120_000;
    await challengeTick(a, [b.signer.publicKey], solve);
    clock = T0 + 420_000;
    const later = await challengeTick(a, [], solve);
    expect(later.map((e) => e.body.kind)).toEqual(['ignore']);
    expect(a.state().identities.get(b.signer.publicKey)?.balance).toBe(85);
  });

  it('[I7] Y asks X, X attests, Y holds it; V asks Y, Y presents, V verifies and trusts X only once it chose to', async () => {
    const [x, y, v] = [service('s-x', 12), service('s-y', 13), service('s-v', 14)];
    await Promise.all([x.load(), y.load(), v.load()]);
    for (const s of [x, y, v]) await s.register();
    await connect(x, y);
    const ask = await requestAttestation(y, { key: x.signer.publicKey, name: 'Org X' }, { name: 'organisation-name', schema: 'text-v1', value: 'Org Y', expires: T0 + 86_400_000 });
    await x.receiveAttestationRequest(y.signer.publicKey, 'Org Y', ask);
    const answer = await x.decide(ask.requestId, true);
    expect(await receiveAttestationResponse(y, v.signer.publicKey, answer!)).toBe('invalid'); // not from the X it asked
    expect(await receiveAttestationResponse(y, x.signer.publicKey, answer!)).toBe('attested');
    expect(y.getSnapshot().held).toMatchObject([{ name: 'organisation-name', value: 'Org Y', standing: 'valid' }]);

    await connect(v, x); // V learns X's registration
    const presented = await answerPresentation(y, presentRequest('0f0e0d0c-0b0a-4908-8706-050403020100', ['organisation-name']), true);
    expect(await verifyPresented(v, y.signer.publicKey, presented)).toMatchObject([{ status: 'untrusted-attester', value: 'Org Y' }]);
    await v.setTrusted(x.signer.publicKey, true, 'Org X');
    expect(await verifyPresented(v, y.signer.publicKey, presented)).toMatchObject([{ status: 'trusted' }]);
    expect(await verifyPresented(v, x.signer.publicKey, presented)).toMatchObject([{ status: 'invalid', problem: 'wrong-subject' }]);
    const refused = await answerPresentation(y, presentRequest('0f0e0d0c-0b0a-4908-8706-050403020101', []), false);
    expect(refused).toMatchObject({ refused: true, items: [] });

    // What V shows on Y's card: the latest answer only, verified; a refusal replaces what was shown.
    v.recordShown(y.signer.publicKey, false, await verifyPresented(v, y.signer.publicKey, presented));
    expect(v.getSnapshot().shown).toMatchObject([{ peer: y.signer.publicKey, refused: false, items: [{ name: 'organisation-name', value: 'Org Y', status: 'trusted', attester: x.signer.publicKey }] }]);
    v.recordShown(y.signer.publicKey, true, await verifyPresented(v, y.signer.publicKey, refused));
    expect(v.getSnapshot().shown).toMatchObject([{ peer: y.signer.publicKey, refused: true, items: [] }]);
  });
});

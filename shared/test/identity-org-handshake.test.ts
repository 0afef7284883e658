import { describe, expect, it } from 'vitest';
import {
  bytesToHex,
  certMessage,
  fingerprintOf,
  identityHandshake,
  inMemoryChannelPair,
  issueDeviceCert,
  portFromChannel,
  revokeDevice,
  strictVerify,
  type DeviceCert,
  type DeviceCertBody,
  type HandshakeOptions,
  type IdentityFailure,
  type IdentityMessage,
  type PublicKeyHex,
  type Result,
  type SignedRevocation,
} from '../src/index.js';
import { err, ok } from '../src/core/result.js';
import { HOUR, org, T0, type Org } from './identity-fixtures.js';
import { org as sessionOrg, until, type Identify } from './support/check-org.js';
import { seededRandom } from './support/seeded.js';

// Organisation A: root device A, caseworker phones B and C certified by A. Partner organisation D (one device).
const [A, B, C, D] = [org('A'), org('B'), org('C'), org('D')];
const DAY = 24 * HOUR;
const NOW = T0 + DAY;
const fp = (byte: string) => Array.from({ length: 32 }, () => byte).join(':');
const sdp = (fingerprint: string) => `v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=fingerprint:sha-256 ${fingerprint}\r\n`;
const ROOM = 'ab'.repeat(32);

const certify = (issuer: Org, device: Org, extra: Partial<DeviceCertBody> = {}) =>
  issueDeviceCert(issuer.signer, { org: A.key, device: device.key, role: 'caseworker', label: `phone ${device.label}`, issuedAt: T0, expiresAt: T0 + 365 * DAY, ...extra });

function options(self: Org, local: string, remote: string, extra: Partial<HandshakeOptions> = {}): HandshakeOptions {
  return {
    signer: self.signer,
    localSdp: sdp(local),
    remoteSdp: sdp(remote),
    roomId: ROOM,
    linkKey: new Uint8Array(32).fill(9),
    expectedFingerprint: null,
    registration: null,
    random: seededRandom(`org-handshake-${self.label}`),
    now: NOW,
    verify: strictVerify,
    ...extra,
  };
}

const run = (a: HandshakeOptions, b: HandshakeOptions) => {
  const [left, right] = inMemoryChannelPair();
  return Promise.all([identityHandshake(portFromChannel(left), a), identityHandshake(portFromChannel(right), b)]);
};

const readCode = (r: Result<unknown, IdentityFailure>) => (r.ok ? 'ok' : (r.error.peerCode ?? r.error.code));

/** Holds revocations per organisation as the app keeps partners' revocations. */
const heldBy = (list: readonly SignedRevocation[]) => async (orgKey: PublicKeyHex) => list.filter((r) => r.body.org === orgKey);

/**
 * An attacker on the raw channel: its own key (C's), the hello and revocations it chooses. Returns the
 * victim's outcome and every frame the victim sent back.
 */
async function attack(victim: HandshakeOptions, chain: unknown[], revocations: unknown[] = []) {
  const [victimEnd, raw] = inMemoryChannelPair();
  const received: IdentityMessage[] = [];
  raw.onMessage((f) => received.push(JSON.parse(f as string) as IdentityMessage));
  const outcome = identityHandshake(portFromChannel(victimEnd), victim);
  raw.send(JSON.stringify({ type: 'id-hello', versions: [3], key: C.key, nonce: '44'.repeat(32), registration: null, chain }));
  raw.send(JSON.stringify({ type: 'id-revocations', revocations, last: true }));
  const result = await outcome;
  return { result, types: received.map((m) => m.type), sentCode: received.find((m) => m.type === 'id-error') };
}

describe('partners see one organisation whichever device connects (I10, I8)', () => {
  it('[I10][I8] a certified device is accepted and known by its root’s fingerprint; the root device by the same one', async () => {
    const chainB = [await certify(A, B)];
    const fromPhone = await run(options(B, fp('BB'), fp('DD'), { chain: chainB }), options(D, fp('DD'), fp('BB'), { expectedFingerprint: fingerprintOf(A.key) }));
    const fromRoot = await run(options(A, fp('AA'), fp('DD')), options(D, fp('DD'), fp('AA'), { expectedFingerprint: fingerprintOf(A.key) }));
    expect(fromPhone[1]).toMatchObject({ ok: true, value: { peerKey: B.key, peerOrg: A.key, peerFingerprint: fingerprintOf(A.key), peerDevice: { device: B.key, role: 'caseworker' } } });
    expect(fromRoot[1]).toMatchObject({ ok: true, value: { peerKey: A.key, peerOrg: A.key, peerFingerprint: fingerprintOf(A.key), peerDevice: null } });
    // The partner, a single-device organisation, is its own root: the phone sees it as before.
    expect(fromPhone[0]).toMatchObject({ ok: true, value: { peerKey: D.key, peerOrg: D.key, peerFingerprint: fingerprintOf(D.key), peerDevice: null } });
  });

  it('[I10] a forged chain (a key certifying itself for the organisation) is refused; the victim sends no proof', async () => {
    // C writes the certificate the root would have issued it, as admin, and signs it with its own key.
    const body: DeviceCertBody = { v: 1, kind: 'device-cert', org: A.key, issuer: A.key, device: C.key, role: 'admin', label: 'forged', issuedAt: T0, expiresAt: T0 + 365 * DAY };
    const forged: DeviceCert = { body, sig: bytesToHex(await C.signer.sign(certMessage(body))) };
    const { result, types, sentCode } = await attack(options(D, fp('DD'), fp('CC'), { expectedFingerprint: fingerprintOf(A.key) }), [forged]);
    expect(result).toMatchObject({ ok: false, error: { code: 'device-untrusted', detail: 'bad-signature' } });
    expect(types).toEqual(['id-hello', 'id-revocations', 'id-error']);
    expect(sentCode).toEqual({ type: 'id-error', code: 'self-device-untrusted' });
  });

  it('[I10] a foreign chain (another device’s certificate, or another organisation’s) is refused', async () => {
    const chainB = [await certify(A, B)];
    const asB = await attack(options(D, fp('DD'), fp('CC')), chainB);
    expect(asB.result).toMatchObject({ ok: false, error: { code: 'device-untrusted' } });
    expect(asB.types).toEqual(['id-hello', 'id-revocations', 'id-error']);
    // A chain of organisation D's root for C, presented where the link names A: not the organisation invited.
    const fromD = [await issueDeviceCert(D.signer, { org: D.key, device: C.key, role: 'admin', label: 'D phone', issuedAt: T0, expiresAt: T0 + DAY * 30 })];
    const foreign = await attack(options(B, fp('BB'), fp('CC'), { chain: chainB, expectedFingerprint: fingerprintOf(A.key) }), fromD);
    expect(foreign.result).toMatchObject({ ok: false, error: { code: 'identity-mismatch' } });
    expect(foreign.types).toEqual(['id-hello', 'id-revocations', 'id-error']);
  });

  it('[I10] an expired certificate is refused, and the device itself reads why', async () => {
    const stale = [await certify(A, C, { expiresAt: T0 + HOUR })];
    const { result, types, sentCode } = await attack(options(D, fp('DD'), fp('CC')), stale);
    expect(result).toMatchObject({ ok: false, error: { code: 'device-untrusted', detail: 'expired' } });
    expect(types).toEqual(['id-hello', 'id-revocations', 'id-error']);
    expect(sentCode).toEqual({ type: 'id-error', code: 'self-device-untrusted' });
    const honest = await run(options(C, fp('CC'), fp('DD'), { chain: stale }), options(D, fp('DD'), fp('CC')));
    expect(honest.map(readCode)).toEqual(['self-device-untrusted', 'device-untrusted']);
  });

  it('[I10] a revocation sent by one device reaches the partner, which then refuses the revoked device', async () => {
    const [chainB, chainC] = [[await certify(A, B)], [await certify(A, C)]];
    const lost = await revokeDevice(A.signer, { org: A.key, device: C.key, at: T0 + HOUR, reason: 'lost' });
    // Before the partner has met any device holding the revocation, C is still accepted (nothing replicated yet).
    const before = await run(options(C, fp('CC'), fp('DD'), { chain: chainC }), options(D, fp('DD'), fp('CC')));
    expect(before.map(readCode)).toEqual(['ok', 'ok']);
    // B meets the partner and hands over the organisation's revocations; the partner keeps the valid ones.
    const viaB = await run(options(B, fp('BB'), fp('DD'), { chain: chainB, revocations: [lost] }), options(D, fp('DD'), fp('BB')));
    expect(viaB[1].ok && viaB[1].value.peerRevocations).toEqual([lost]);
    const kept = viaB[1].ok ? [...viaB[1].value.peerRevocations] : [];
    // From then on C is refused, both as the honest-looking device and as a raw attacker; B and the root still pass.
    const after = await run(options(C, fp('CC'), fp('DD'), { chain: chainC }), options(D, fp('DD'), fp('CC'), { heldRevocations: heldBy(kept) }));
    expect(after.map(readCode)).toEqual(['self-device-revoked', 'device-revoked']);
    const raw = await attack(options(D, fp('DD'), fp('CC'), { heldRevocations: heldBy(kept) }), chainC);
    expect(raw.types).toEqual(['id-hello', 'id-revocations', 'id-error']);
    expect(raw.sentCode).toEqual({ type: 'id-error', code: 'self-device-revoked' });
    const againB = await run(options(B, fp('BB'), fp('DD'), { chain: chainB }), options(D, fp('DD'), fp('BB'), { heldRevocations: heldBy(kept) }));
    expect(againB.map(readCode)).toEqual(['ok', 'ok']);
  });

  it('[I10] a device that relays its own organisation’s revocation of itself is refused at once', async () => {
    // Revocations sent in a hello count for that very hello.
    const chainC = [await certify(A, C)];
    const lost = await revokeDevice(A.signer, { org: A.key, device: C.key, at: T0 + HOUR, reason: 'lost' });
    const { result, sentCode } = await attack(options(D, fp('DD'), fp('CC')), chainC, [lost]);
    expect(result).toMatchObject({ ok: false, error: { code: 'device-revoked' } });
    expect(sentCode).toEqual({ type: 'id-error', code: 'self-device-revoked' });
  });

  it('[I10] a revocation not signed by the organisation’s root or an admin ends the handshake (invalid-event)', async () => {
    const chainC = [await certify(A, C)];
    // B, a caseworker, "revokes" another phone: no authority; and D, another organisation, cannot revoke A's devices.
    const byCaseworker = await revokeDevice(B.signer, { org: A.key, device: C.key, at: T0, reason: 'lost' }, [await certify(A, B)]);
    const byOtherOrg = await revokeDevice(D.signer, { org: A.key, device: B.key, at: T0, reason: 'lost' });
    for (const bad of [byCaseworker, byOtherOrg]) {
      const { result, types } = await attack(options(D, fp('DD'), fp('CC')), chainC, [bad]);
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-event' } });
      expect(types).toEqual(['id-hello', 'id-revocations', 'id-error']);
    }
  });

  it('[I10][I6] inside a peer session each side reads its own sentence, no session becomes ready, and the revoked device is asked nothing of a check', async () => {
    const chainC = [await certify(A, C)];
    const lost = await revokeDevice(A.signer, { org: A.key, device: C.key, at: T0 + HOUR, reason: 'lost' });
    const step =
      (o: HandshakeOptions): Identify =>
      async (port) => {
        const r = await identityHandshake(port, o);
        if (r.ok) return ok({ peerKey: r.value.peerKey, peerFingerprint: r.value.peerFingerprint });
        return err({ code: r.error.code === 'peer-error' && r.error.peerCode ? r.error.peerCode : r.error.code });
      };
    const [toPartner, toDevice] = inMemoryChannelPair();
    const sentToDevice: string[] = [];
    toDevice.onMessage((f) => sentToDevice.push(JSON.parse(f as string).type as string));
    const partner = sessionOrg('Partner', toPartner, [], { identify: step(options(D, fp('DD'), fp('CC'), { heldRevocations: heldBy([lost]) })) });
    const device = sessionOrg('One Relief', toDevice, [], { identify: step(options(C, fp('CC'), fp('DD'), { chain: chainC })) });
    partner.session.start();
    device.session.start();
    expect(await until(partner.events, 'closed')).toEqual({ type: 'closed', by: 'local', error: { code: 'device-revoked' } });
    expect(await until(device.events, 'closed')).toEqual({ type: 'closed', by: 'remote', error: { code: 'self-device-revoked' } });
    expect([...partner.events, ...device.events].some((e) => e.type === 'ready')).toBe(false);
    // What the partner sent the device: its hello, its identity hello and revocations, and the refusal; no proof, no ready, nothing of a check.
    expect(sentToDevice).toEqual(['hello', 'id-hello', 'id-revocations', 'error']);
  });
});

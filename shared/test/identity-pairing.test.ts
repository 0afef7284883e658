import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../src/core/hex.js';
import { issueDeviceCert } from '../src/identity/devices.js';
import { fingerprintOf, type PublicKeyHex } from '../src/identity/keys.js';
import { strictVerify } from '../src/identity/ed25519.js';
import {
  checkGrant,
  checkJoin,
  joinMac,
  pairGrant,
  pairingCode,
  pairingFragment,
  pairingRoomId,
  pairJoin,
  parsePairingFragment,
  PAIRING_TTL_MS,
  type PairingTranscript,
  type PendingPairing,
} from '../src/identity/pairing.js';
import { HOUR, org, T0 } from './identity-fixtures.js';

const YEAR = 365 * 24 * HOUR;
const root = org('A');
const admin = org('B');
const joiner = org('C');
const stranger = org('D');
const secret = Uint8Array.from({ length: 32 }, (_, i) => i);
const room = pairingRoomId(secret);
const orgFp = fingerprintOf(root.key);
const DTLS_ADMIN = ['sha-256 AA:BB'];
const DTLS_JOINER = ['sha-256 CC:DD'];

const transcript = (j: { key: PublicKeyHex; label: string }, adminDtls = DTLS_ADMIN, joinerDtls = DTLS_JOINER): PairingTranscript => ({
  v: 1,
  room,
  admin: { dtls: adminDtls },
  joiner: { dtls: joinerDtls, ...j },
});
const t = transcript({ key: joiner.key, label: 'Phone 3' });
const pending = (over: Partial<PendingPairing> = {}): PendingPairing => ({ secret, expiresAt: T0 + PAIRING_TTL_MS, used: false, ...over });
const ctx = { now: T0 + 60_000, verify: strictVerify };

async function adminChain() {
  return [await issueDeviceCert(root.signer, { org: root.key, device: admin.key, role: 'admin', label: 'Laptop', issuedAt: T0, expiresAt: T0 + YEAR })];
}

describe('pairing a device (I10, X4)', () => {
  it('[I10] the link fragment carries the secret and the organisation fingerprint, and parses back; the room and MAC key follow PROTOCOL.md', () => {
    const fragment = pairingFragment(secret, orgFp);
    expect(fragment).toBe(`AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8.${orgFp}`);
    expect(parsePairingFragment(fragment)).toEqual({ secret, org: orgFp, expiresAt: null });
    // I9: with the code's expiry (Unix seconds), so that the new device can refuse an expired code itself.
    expect(pairingFragment(secret, orgFp, 1_764_921_600_500)).toBe(`${fragment}.1764921600`);
    expect(parsePairingFragment(`${fragment}.1764921600`)).toEqual({ secret, org: orgFp, expiresAt: 1_764_921_600_000 });
    for (const bad of ['', fragment.slice(1), `${fragment}.x`, `${fragment}.1.2`, `${fragment}.-5`, `AAEC.${orgFp}`, fragment.replace(orgFp, 'nope')]) expect(parsePairingFragment(bad)).toBeNull();
    // Independent: node:crypto's HMAC.
    expect(room).toBe(createHash('sha256').update(createHmac('sha256', secret).update('ihyid-pairing-room-close-v1').digest()).digest('hex'));
    const key = createHmac('sha256', secret).update('ihyid-pairing-mac-v1').digest();
    const message = `ihyid-pairing-v1\n{"admin":{"dtls":["sha-256 AA:BB"]},"joiner":{"dtls":["sha-256 CC:DD"],"key":"${joiner.key}","label":"Phone 3"},"room":"${room}","v":1}`;
    expect(joinMac(secret, t)).toBe(createHmac('sha256', key).update(`join\n${message}`).digest('hex'));
  });

  it('[I10] a join with the secret is accepted, the grant verifies on the new device, and both show the same code', async () => {
    const join = await pairJoin(joiner.signer, secret, t);
    const accepted = await checkJoin(pending(), join, transcript, ctx);
    expect(accepted).toMatchObject({ ok: true, value: { key: joiner.key, label: 'Phone 3' } });
    const own = await issueDeviceCert(admin.signer, { org: root.key, device: joiner.key, role: 'caseworker', label: 'Phone 3', issuedAt: T0, expiresAt: T0 + YEAR / 2 });
    const chain = [own, ...(await adminChain())];
    const grant = pairGrant(secret, t, chain, 'Relief Org');
    const got = await checkGrant(secret, t, orgFp, grant, ctx);
    expect(got).toMatchObject({ ok: true, value: { orgName: 'Relief Org', device: { device: joiner.key, role: 'caseworker', orgFingerprint: orgFp } } });
    expect(pairingCode(t)).toMatch(/^\d{3} \d{3}$/);
    expect(accepted.ok && pairingCode(accepted.value.transcript)).toBe(pairingCode(t));
  });

  it('[I10] a used or expired code is refused at once, before any proof is looked at', async () => {
    const join = await pairJoin(joiner.signer, secret, t);
    expect(await checkJoin(pending({ used: true }), join, transcript, ctx)).toEqual({ ok: false, error: 'used' });
    expect(await checkJoin(pending({ expiresAt: ctx.now }), join, transcript, ctx)).toEqual({ ok: false, error: 'expired' });
    expect(await checkJoin(pending({ used: true }), { junk: true }, transcript, ctx)).toEqual({ ok: false, error: 'used' });
  });

  it('[I10] whoever knows only the room id, or relays another connection, or claims a key it does not hold, is refused', async () => {
    const guessed = await pairJoin(joiner.signer, new Uint8Array(32).fill(7), t);
    expect(await checkJoin(pending(), guessed, transcript, ctx)).toEqual({ ok: false, error: 'bad-proof' });
    // A relay: the join was made for other DTLS fingerprints than the admin sees on its connection.
    const relayed = await pairJoin(joiner.signer, secret, transcript({ key: joiner.key, label: 'Phone 3' }, ['sha-256 EE:FF']));
    expect(await checkJoin(pending(), relayed, transcript, ctx)).toEqual({ ok: false, error: 'bad-proof' });
    // Someone else's key, with a valid MAC but its own signature.
    const join = await pairJoin(joiner.signer, secret, t);
    const forged = { ...join, sig: bytesToHex(await stranger.signer.sign(new Uint8Array(1))) };
    expect(await checkJoin(pending(), forged, transcript, ctx)).toEqual({ ok: false, error: 'bad-proof' });
    expect(await checkJoin(pending(), { type: 'pair-join' }, transcript, ctx)).toEqual({ ok: false, error: 'malformed' });
  });

  it('[I10] the new device refuses a grant without the MAC, for another key, or from another organisation', async () => {
    const chain = [await issueDeviceCert(admin.signer, { org: root.key, device: joiner.key, role: 'caseworker', label: 'Phone 3', issuedAt: T0, expiresAt: T0 + YEAR / 2 }), ...(await adminChain())];
    const grant = pairGrant(secret, t, chain, 'Relief Org');
    expect(await checkGrant(secret, t, orgFp, { ...grant, mac: '0'.repeat(64) }, ctx)).toEqual({ ok: false, error: 'bad-proof' });
    const forOther = [await issueDeviceCert(admin.signer, { org: root.key, device: stranger.key, role: 'admin', label: 'X', issuedAt: T0, expiresAt: T0 + YEAR / 2 }), ...(await adminChain())];
    expect(await checkGrant(secret, t, orgFp, pairGrant(secret, t, forOther, 'Relief Org'), ctx)).toEqual({ ok: false, error: 'bad-certificate' });
    expect(await checkGrant(secret, t, fingerprintOf(stranger.key), grant, ctx)).toEqual({ ok: false, error: 'wrong-organisation' });
    expect(await checkGrant(secret, t, orgFp, { type: 'pair-refuse', reason: 'used' }, ctx)).toEqual({ ok: false, error: 'refused' });
  });
});

import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hexToBytes } from '../src/core/hex.js';
import { certMessage, issueDeviceCert, verifyDeviceChain, type DeviceCert, type DeviceCertBody } from '../src/identity/devices.js';
import { fingerprintOf, type PublicKeyHex } from '../src/identity/keys.js';
import { strictVerify } from '../src/identity/ed25519.js';
import { revokedKeys, revokeDevice, validateRevocation, type ValidRevocation } from '../src/identity/revocation.js';
import { HOUR, org, T0 } from './identity-fixtures.js';

const DAY = 24 * HOUR;
const YEAR = 365 * DAY;
// A is the organisation's root; B a coordinator's laptop (admin); C and D caseworkers' phones.
const root = org('A');
const laptop = org('B');
const phone = org('C');
const other = org('D');

const cert = (signer: typeof root, device: PublicKeyHex, role: DeviceCertBody['role'], extra: Partial<DeviceCertBody> = {}) =>
  issueDeviceCert(signer.signer, { org: root.key, device, role, label: `${role} device`, issuedAt: T0, expiresAt: T0 + YEAR, ...extra });

const check = (chain: unknown, now = T0 + DAY, revoked: ReadonlySet<PublicKeyHex> = new Set(), expected: PublicKeyHex = root.key) =>
  verifyDeviceChain(chain, { org: expected, now, verify: strictVerify, revoked });

async function family() {
  const laptopCert = await cert(root, laptop.key, 'admin');
  const phoneCert = await cert(laptop, phone.key, 'caseworker');
  return { laptopCert, phoneCert, phoneChain: [phoneCert, laptopCert] };
}

/** node:crypto's Ed25519, independent of @noble: raw public key wrapped in its SPKI prefix. */
function nodeEd25519Verify(key: PublicKeyHex, message: Uint8Array, sig: string): boolean {
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(key, 'hex')]);
  return nodeVerify(null, message, createPublicKey({ key: spki, format: 'der', type: 'spki' }), Buffer.from(sig, 'hex'));
}

describe('device certificates (I10)', () => {
  it('[I10] a device certified by an admin the root certified verifies, under the one organisation fingerprint', async () => {
    const { laptopCert, phoneChain } = await family();
    const onLaptop = await check([laptopCert]);
    const onPhone = await check(phoneChain);
    expect(onLaptop).toMatchObject({ ok: true, value: { device: laptop.key, role: 'admin' } });
    expect(onPhone).toMatchObject({ ok: true, value: { device: phone.key, role: 'caseworker', label: 'caseworker device' } });
    expect(onPhone.ok && onPhone.value.orgFingerprint).toBe(fingerprintOf(root.key));
    expect(onLaptop.ok && onLaptop.value.orgFingerprint).toBe(onPhone.ok && onPhone.value.orgFingerprint);
  });

  it('[I10] the certificate vector of PROTOCOL.md: its signature verifies with node:crypto over the tagged canonical body', async () => {
    const { laptopCert } = await family();
    const text = new TextDecoder().decode(certMessage(laptopCert.body));
    expect(text).toBe(
      `ihyid-device-cert-v1\n{"device":"${laptop.key}","expiresAt":1798761600000,"issuedAt":1767225600000,"issuer":"${root.key}","kind":"device-cert","label":"admin device","org":"${root.key}","role":"admin","v":1}`,
    );
    expect(nodeEd25519Verify(root.key, certMessage(laptopCert.body), laptopCert.sig)).toBe(true);
    // Ed25519 is deterministic (RFC 8032): the same key and body always give these bytes.
    expect(laptopCert.sig).toBe('cd41e5944735b05968f8b13d61e7decc6657cbaca95bac0dc56a408bd955cb3520e6c728c2cce5055b5ddfd9ef891650412d171ce0f87998f4c4986c82e37a04');
  });

  it('[I10] a certificate refused for each broken rule says which', async () => {
    const { laptopCert, phoneCert } = await family();
    const tampered: DeviceCert = { ...phoneCert, body: { ...phoneCert.body, role: 'admin' } };
    const byCaseworker = await cert(phone, other.key, 'caseworker');
    const tooLong = await cert(laptop, phone.key, 'caseworker', { expiresAt: T0 + 2 * YEAR });
    const cases: [unknown, string, number?, PublicKeyHex?][] = [
      [[tampered, laptopCert], 'bad-signature'],
      [[phoneCert], 'broken-chain'],
      [[laptopCert, phoneCert], 'broken-chain'],
      [[byCaseworker, phoneCert, laptopCert], 'issuer-not-admin'],
      [[tooLong, laptopCert], 'outlives-issuer'],
      [[phoneCert, laptopCert], 'expired', T0 + YEAR],
      [[phoneCert, laptopCert], 'not-yet-valid', T0 - HOUR],
      [[phoneCert, laptopCert], 'wrong-organisation', T0 + DAY, other.key],
      [[], 'malformed-certificate'],
      [[phoneCert, laptopCert, laptopCert, laptopCert], 'malformed-certificate'],
      [[{ ...phoneCert, body: { ...phoneCert.body, extra: 1 } }, laptopCert], 'malformed-certificate'],
    ];
    for (const [chain, problem, now, expected] of cases) expect(await check(chain, now ?? T0 + DAY, new Set(), expected ?? root.key)).toEqual({ ok: false, error: problem });
  });

  it('[I10] a revoked device is refused, and revoking an admin withdraws the devices it certified', async () => {
    const { laptopCert, phoneChain } = await family();
    expect(await check(phoneChain, T0 + DAY, new Set([phone.key]))).toEqual({ ok: false, error: 'revoked' });
    expect(await check(phoneChain, T0 + DAY, new Set([laptop.key]))).toEqual({ ok: false, error: 'revoked' });
    expect((await check([laptopCert], T0 + DAY, new Set([phone.key]))).ok).toBe(true);
  });
});

describe('device revocations (I10)', () => {
  const ctx = { org: root.key, now: T0 + 2 * DAY, verify: strictVerify };

  it('[I10] the root and an admin device (with its chain) may revoke; a caseworker or a chainless admin may not', async () => {
    const { laptopCert, phoneChain } = await family();
    const byRoot = await revokeDevice(root.signer, { org: root.key, device: phone.key, at: T0 + DAY, reason: 'lost' });
    const byAdmin = await revokeDevice(laptop.signer, { org: root.key, device: phone.key, at: T0 + DAY, reason: 'lost' }, [laptopCert]);
    const chainless = await revokeDevice(laptop.signer, { org: root.key, device: phone.key, at: T0 + DAY, reason: 'lost' });
    const byCaseworker = await revokeDevice(phone.signer, { org: root.key, device: laptop.key, at: T0 + DAY, reason: 'lost' }, phoneChain);
    expect(await validateRevocation(byRoot, ctx)).toMatchObject({ ok: true, value: { authority: [] } });
    expect(await validateRevocation(byAdmin, ctx)).toMatchObject({ ok: true, value: { authority: [laptop.key] } });
    expect(await validateRevocation(chainless, ctx)).toEqual({ ok: false, error: 'no-authority' });
    expect(await validateRevocation(byCaseworker, ctx)).toEqual({ ok: false, error: 'no-authority' });
  });

  it('[I10] forged, foreign, future or malformed revocations are refused', async () => {
    const byRoot = await revokeDevice(root.signer, { org: root.key, device: phone.key, at: T0 + DAY, reason: 'lost' });
    const foreign = await revokeDevice(other.signer, { org: other.key, device: phone.key, at: T0 + DAY, reason: 'lost' });
    const future = await revokeDevice(root.signer, { org: root.key, device: phone.key, at: T0 + 3 * DAY, reason: 'lost' });
    expect(await validateRevocation({ ...byRoot, body: { ...byRoot.body, device: laptop.key } }, ctx)).toEqual({ ok: false, error: 'bad-signature' });
    expect(await validateRevocation(foreign, ctx)).toEqual({ ok: false, error: 'wrong-organisation' });
    expect(await validateRevocation(future, ctx)).toEqual({ ok: false, error: 'future-revocation' });
    expect(await validateRevocation({ ...byRoot, body: { ...byRoot.body, device: root.key } }, ctx)).toEqual({ ok: false, error: 'malformed-revocation' });
  });

  it('[I10] every device reaches the same revoked set whatever order revocations arrive in; the root undoes a stolen admin', async () => {
    const { laptopCert } = await family();
    // The laptop is stolen: the thief revokes the honest phone; the root then revokes the laptop.
    const rogue = await revokeDevice(laptop.signer, { org: root.key, device: phone.key, at: T0 + DAY, reason: 'compromised' }, [laptopCert]);
    const rootRevokesLaptop = await revokeDevice(root.signer, { org: root.key, device: laptop.key, at: T0 + DAY, reason: 'lost' });
    const valid = async (raw: unknown) => {
      const r = await validateRevocation(raw, ctx);
      if (!r.ok) throw new Error(r.error);
      return r.value;
    };
    const a: ValidRevocation = await valid(rogue);
    const b: ValidRevocation = await valid(rootRevokesLaptop);
    expect(revokedKeys([a])).toEqual(new Set([phone.key]));
    expect(revokedKeys([a, b])).toEqual(new Set([laptop.key]));
    expect(revokedKeys([b, a])).toEqual(new Set([laptop.key]));
  });
});

import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_LEDGER_RULES,
  fingerprintOf,
  inMemoryChannelPair,
  issueDeviceCert,
  portFromChannel,
  revokeDevice,
  seededBytes,
  solvePow,
  strictVerify,
  type DeviceCert,
  type LedgerRules,
  type OrgFingerprint,
  type SignedRevocation,
} from '@ihyid/shared';
import { openIdentityDb, type IdentityDb } from './db';
import { ensureKeys } from './keys';
import { IdentityService, type PowSolver } from './service';
import { establishIdentity, type SessionIdentityOptions } from './session-identity';

// I10 through the app's identity service: organisation R (root device R, phones B and C), partner P.
const RULES: LedgerRules = { ...DEFAULT_LEDGER_RULES, registrationBits: 12 };
const T0 = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const fp = (b: string) => Array.from({ length: 32 }, () => b).join(':');
const sdp = (f: string) => `v=0\r\na=fingerprint:sha-256 ${f}\r\n`;
const solve: PowSolver = async (prefix, bits) => solvePow(prefix, bits, { start: 0, count: 1 << 26 });
const dbs: IdentityDb[] = [];
let seed = 40;

/** A device: its own identity database, and what its organisation's stores would hold (chain, revocations). */
async function device(name: string, certify?: IdentityService, revocations: SignedRevocation[] = []) {
  const db = openIdentityDb(`${name}-${Math.random()}`);
  dbs.push(db);
  const key = (await ensureKeys(db, () => T0)).publicKey;
  const chain: DeviceCert[] = certify
    ? [await issueDeviceCert(certify.signer, { org: certify.signer.publicKey, device: key, role: 'caseworker', label: name, issuedAt: T0, expiresAt: T0 + 365 * DAY })]
    : [];
  const service = new IdentityService({
    db,
    solve,
    randomBytes: seededBytes(seed++),
    now: () => T0 + DAY,
    verify: strictVerify,
    rules: RULES,
    organisation: { chain: async () => chain, revocations: async () => revocations.map((signed) => ({ signed, via: [] })) },
  });
  await service.load();
  await service.register();
  return { service, db, key };
}

async function meet(a: IdentityService, b: IdentityService, expected: OrgFingerprint | null) {
  const [left, right] = inMemoryChannelPair().map(portFromChannel);
  const base = { roomId: 'cd'.repeat(32), linkKey: new Uint8Array(32).fill(3) };
  const forA: SessionIdentityOptions = { ...base, localSdp: sdp(fp('AA')), remoteSdp: sdp(fp('BB')), expectedFingerprint: null, peerName: 'Partner' };
  const forB: SessionIdentityOptions = { ...base, localSdp: sdp(fp('BB')), remoteSdp: sdp(fp('AA')), expectedFingerprint: expected, peerName: 'Relief org' };
  return Promise.all([establishIdentity(a, left!, forA), establishIdentity(b, right!, forB)]);
}

afterEach(async () => {
  for (const db of dbs.splice(0)) {
    db.close();
    await db.delete();
  }
});

describe('one organisation fingerprint, revocations reaching partners (I10)', () => {
  it('[I10] a paired device shows and presents its organisation’s fingerprint; the partner sees the same one from the root and the phone', async () => {
    const root = await device('root');
    const phone = await device('phone', root.service);
    const partner = await device('partner');
    const orgFp = fingerprintOf(root.key);
    expect(phone.service.getSnapshot().fingerprint).toBe(orgFp);
    expect(phone.service.getSnapshot().key).toBe(phone.key);
    // The partner opened an invitation link naming the organisation: both devices pass it.
    const [, viaPhone] = await meet(phone.service, partner.service, orgFp);
    const [, viaRoot] = await meet(root.service, partner.service, orgFp);
    expect(viaPhone).toMatchObject({ ok: true, value: { peerKey: phone.key, peerOrg: root.key, peerFingerprint: orgFp, decision: { allowed: true } } });
    expect(viaRoot).toMatchObject({ ok: true, value: { peerKey: root.key, peerOrg: root.key, peerFingerprint: orgFp, decision: { allowed: true } } });
    // The Identity screen lists each device (reputation is per key) under the one organisation fingerprint.
    const listed = partner.service.getSnapshot().partners.filter((p) => p.orgName === 'Relief org');
    expect(listed.map((p) => p.key).sort()).toEqual([phone.key, root.key].sort());
    expect(listed.map((p) => p.fingerprint)).toEqual([orgFp, orgFp]);
  });

  it('[I10] the partner keeps the revocation one device hands over and refuses the revoked phone from then on, before any ledger event of it', async () => {
    const root = await device('root');
    const lostPhone = await device('lost', root.service);
    const lost = await revokeDevice(root.service.signer, { org: root.key, device: lostPhone.key, at: T0 + DAY / 2, reason: 'lost' });
    const phone = await device('phone', root.service, [lost]);
    const partner = await device('partner');
    const [, first] = await meet(phone.service, partner.service, null);
    expect(first.ok).toBe(true);
    expect(await partner.db.revocations.toArray()).toMatchObject([{ org: root.key, revocation: { body: { device: lostPhone.key } } }]);
    const events = await partner.db.events.count();
    const [lostSide, partnerSide] = await meet(lostPhone.service, partner.service, null);
    expect(partnerSide).toMatchObject({ ok: false, error: { code: 'device-revoked' } });
    expect(lostSide).toMatchObject({ ok: false, error: { code: 'peer-error', peerCode: 'self-device-revoked' } });
    // Refused in the handshake: no reconciliation ran, so none of the revoked key's events reached the partner's ledger.
    expect(await partner.db.events.count()).toBe(events);
    expect(await partner.db.events.where('author').equals(lostPhone.key).count()).toBe(0);
  });
});

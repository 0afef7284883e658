import canonicalize from 'canonicalize';
import { sha256 } from '@noble/hashes/sha2.js';
import * as v from 'valibot';
import { bytesToHex, hexToBytes } from '../core/hex.js';
import type { OrgFingerprint } from '../core/ids.js';
import { err, ok, type Result } from '../core/result.js';
import { MAX_CLOCK_SKEW_MS } from './constants.js';
import { KeyHexSchema } from './events.js';
import { fingerprintOf, taggedMessage, type PublicKeyHex, type Signer, type Verifier } from './keys.js';

/**
 * I10: one organisation, many devices. The first device makes the organisation's root key; its
 * fingerprint is the organisation's fingerprint, whichever device connects. Every device has its
 * own key, certified by the root or by an admin device the root certified (a chain of at most
 * MAX_CHAIN certificates). A certificate is signed like a ledger event:
 *
 *   message = UTF-8("ihyid-device-cert-v1" LF canonical-JSON(body))
 *   sig     = lowercase hex Ed25519(issuer's key, message)
 *
 * A chain lists the device's own certificate first and ends with one the root issued.
 */
export const DEVICE_CERT_TAG = 'ihyid-device-cert-v1';
/** Root → admin → admin → device: deep enough for a coordinator pairing phones, short enough to read. */
export const MAX_CHAIN = 3;
/** X1: what a device's user may do. Only an admin device may certify or revoke others. */
export const DEVICE_ROLES = ['admin', 'caseworker', 'checker'] as const;
export type DeviceRole = (typeof DEVICE_ROLES)[number];

const Time = v.pipe(v.number(), v.safeInteger(), v.minValue(0));

export const DeviceCertBodySchema = v.pipe(
  v.strictObject({
    v: v.literal(1),
    kind: v.literal('device-cert'),
    /** The organisation's root public key. */
    org: KeyHexSchema,
    /** Who signed: the root, or an admin device of the same organisation. */
    issuer: KeyHexSchema,
    device: KeyHexSchema,
    role: v.picklist(DEVICE_ROLES),
    /** What the Devices screen calls it ("Coordinator laptop"). */
    label: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(64)),
    issuedAt: Time,
    expiresAt: Time,
  }),
  v.check((b) => b.expiresAt > b.issuedAt, 'expires before it is issued'),
  v.check((b) => b.device !== b.org && b.device !== b.issuer, 'a key certifies another key'),
);

export const DeviceCertSchema = v.strictObject({ body: DeviceCertBodySchema, sig: v.pipe(v.string(), v.regex(/^[0-9a-f]{128}$/)) });
export const DeviceChainSchema = v.pipe(v.array(v.unknown()), v.minLength(1), v.maxLength(MAX_CHAIN));

export type DeviceCertBody = v.InferOutput<typeof DeviceCertBodySchema>;
export type DeviceCert = v.InferOutput<typeof DeviceCertSchema>;

/** The organisation a device belongs to: its chain's root, or the device's own key on the organisation's first device (no chain). */
export const orgOfChain = (chain: readonly DeviceCert[], deviceKey: PublicKeyHex): PublicKeyHex => chain[0]?.body.org ?? deviceKey;

export const certMessage = (body: DeviceCertBody): Uint8Array => taggedMessage(DEVICE_CERT_TAG, canonicalize(body)!);
export const certId = (body: DeviceCertBody): string => bytesToHex(sha256(certMessage(body)));

/** Issues a certificate; `signer` is the root or an admin device (its own chain proves which). */
export async function issueDeviceCert(signer: Signer, fields: Omit<DeviceCertBody, 'v' | 'kind' | 'issuer'>): Promise<DeviceCert> {
  const body = v.parse(DeviceCertBodySchema, { v: 1, kind: 'device-cert', issuer: signer.publicKey, ...fields });
  return { body, sig: bytesToHex(await signer.sign(certMessage(body))) };
}

export type ChainProblem =
  | 'malformed-certificate'
  | 'bad-signature'
  | 'wrong-organisation'
  | 'broken-chain'
  | 'issuer-not-admin'
  | 'outlives-issuer'
  | 'not-yet-valid'
  | 'expired'
  | 'revoked';

/** A device whose chain verified: what partners and the other devices may rely on. */
export interface VerifiedDevice {
  readonly org: PublicKeyHex;
  /** fingerprintOf(org): the one fingerprint partners compare, whichever device connects (I10). */
  readonly orgFingerprint: OrgFingerprint;
  readonly device: PublicKeyHex;
  readonly role: DeviceRole;
  readonly label: string;
  readonly expiresAt: number;
}

export interface ChainContext {
  /** The organisation expected (a partner's known key, or our own root); any root when absent. */
  readonly org?: PublicKeyHex;
  readonly now: number;
  readonly verify: Verifier;
  /** Keys revoked for this organisation (revocation.ts, `revokedKeys`). */
  readonly revoked: ReadonlySet<PublicKeyHex>;
  readonly maxClockSkewMs?: number;
}

/**
 * Verifies a chain [device's cert, its issuer's cert, …, a cert the root issued]: each link signed
 * by the next one's device, every issuer an admin, no certificate outliving its issuer's, all
 * valid now, and no key of the chain revoked (revoking an admin device withdraws everything it
 * certified: its certificates might have been made by whoever took the phone).
 */
export async function verifyDeviceChain(raw: unknown, ctx: ChainContext): Promise<Result<VerifiedDevice, ChainProblem>> {
  const list = v.safeParse(DeviceChainSchema, raw);
  if (!list.success) return err('malformed-certificate');
  const certs: DeviceCert[] = [];
  for (const item of list.output) {
    const parsed = v.safeParse(DeviceCertSchema, item);
    if (!parsed.success) return err('malformed-certificate');
    certs.push(parsed.output);
  }
  const org = certs[0]!.body.org;
  if (ctx.org !== undefined && org !== ctx.org) return err('wrong-organisation');
  const skew = ctx.maxClockSkewMs ?? MAX_CLOCK_SKEW_MS;
  for (const [i, cert] of certs.entries()) {
    const b = cert.body;
    const parent = certs[i + 1];
    if (b.org !== org) return err('wrong-organisation');
    if (parent ? b.issuer !== parent.body.device : b.issuer !== org) return err('broken-chain');
    if (parent && parent.body.role !== 'admin') return err('issuer-not-admin');
    if (parent && b.expiresAt > parent.body.expiresAt) return err('outlives-issuer');
    if (b.issuedAt > ctx.now + skew) return err('not-yet-valid');
    if (b.expiresAt <= ctx.now) return err('expired');
    if (ctx.revoked.has(b.device)) return err('revoked');
    if (!(await ctx.verify(b.issuer, certMessage(b), hexToBytes(cert.sig)))) return err('bad-signature');
  }
  const own = certs[0]!.body;
  return ok({ org, orgFingerprint: fingerprintOf(org), device: own.device, role: own.role, label: own.label, expiresAt: own.expiresAt });
}

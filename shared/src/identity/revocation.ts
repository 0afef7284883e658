import canonicalize from 'canonicalize';
import { sha256 } from '@noble/hashes/sha2.js';
import * as v from 'valibot';
import { bytesToHex, hexToBytes } from '../core/hex.js';
import { err, ok, type Result } from '../core/result.js';
import { MAX_CLOCK_SKEW_MS } from './constants.js';
import { DeviceChainSchema, verifyDeviceChain, type DeviceCert } from './devices.js';
import { KeyHexSchema } from './events.js';
import { taggedMessage, type PublicKeyHex, type Signer, type Verifier } from './keys.js';

/**
 * I10: revoking a device (a lost phone). A revocation is a signed record that replicates to every
 * device with the organisation's other records and travels to partners; from then on the revoked
 * key's chain fails everywhere (devices.ts). Signed by the root, or by an admin device that
 * attaches its own chain:
 *
 *   message = UTF-8("ihyid-device-revocation-v1" LF canonical-JSON(body))
 *
 * Which keys are revoked is a pure function of the set of valid revocations, whatever order they
 * arrived in (`revokedKeys`), so every device reaches the same verdict once they have synced.
 */
export const DEVICE_REVOCATION_TAG = 'ihyid-device-revocation-v1';
export const REVOCATION_REASONS = ['lost', 'retired', 'compromised'] as const;

export const RevocationBodySchema = v.pipe(
  v.strictObject({
    v: v.literal(1),
    kind: v.literal('device-revocation'),
    org: KeyHexSchema,
    issuer: KeyHexSchema,
    /** The revoked device key; the root itself cannot be revoked (the organisation would be gone). */
    device: KeyHexSchema,
    at: v.pipe(v.number(), v.safeInteger(), v.minValue(0)),
    reason: v.picklist(REVOCATION_REASONS),
  }),
  v.check((b) => b.device !== b.org, 'the root key cannot be revoked'),
);

export const SignedRevocationSchema = v.strictObject({
  body: RevocationBodySchema,
  sig: v.pipe(v.string(), v.regex(/^[0-9a-f]{128}$/)),
  /** The issuer's chain, when the issuer is an admin device rather than the root. */
  chain: v.optional(DeviceChainSchema),
});

export type RevocationBody = v.InferOutput<typeof RevocationBodySchema>;
export type SignedRevocation = v.InferOutput<typeof SignedRevocationSchema>;

/** A revocation that passed `validateRevocation`, with the keys its authority rests on. */
export interface ValidRevocation {
  readonly body: RevocationBody;
  /** The admin keys between the root and the issuer (the issuer included); empty for the root. */
  readonly authority: readonly PublicKeyHex[];
}

export const revocationMessage = (body: RevocationBody): Uint8Array => taggedMessage(DEVICE_REVOCATION_TAG, canonicalize(body)!);
/** One revocation whatever chain it carries: lowercase hex SHA-256 of its signed message. */
export const revocationId = (body: RevocationBody): string => bytesToHex(sha256(revocationMessage(body)));

export async function revokeDevice(
  signer: Signer,
  fields: Omit<RevocationBody, 'v' | 'kind' | 'issuer'>,
  chain?: readonly DeviceCert[],
): Promise<SignedRevocation> {
  const body = v.parse(RevocationBodySchema, { v: 1, kind: 'device-revocation', issuer: signer.publicKey, ...fields });
  const sig = bytesToHex(await signer.sign(revocationMessage(body)));
  return chain ? { body, sig, chain: [...chain] } : { body, sig };
}

export type RevocationProblem = 'malformed-revocation' | 'wrong-organisation' | 'future-revocation' | 'bad-signature' | 'no-authority';

export interface RevocationContext {
  readonly org: PublicKeyHex;
  readonly now: number;
  readonly verify: Verifier;
  readonly maxClockSkewMs?: number;
}

/**
 * Checks one revocation on its own: shape, organisation, time, signature, and, for an admin
 * issuer, that its chain made it an admin of this organisation when it signed (revocations are
 * left out of that check: whether the issuer was itself revoked is settled by `revokedKeys`).
 */
export async function validateRevocation(raw: unknown, ctx: RevocationContext): Promise<Result<ValidRevocation, RevocationProblem>> {
  const parsed = v.safeParse(SignedRevocationSchema, raw);
  if (!parsed.success) return err('malformed-revocation');
  const { body, sig, chain } = parsed.output;
  if (body.org !== ctx.org) return err('wrong-organisation');
  if (body.at > ctx.now + (ctx.maxClockSkewMs ?? MAX_CLOCK_SKEW_MS)) return err('future-revocation');
  if (!(await ctx.verify(body.issuer, revocationMessage(body), hexToBytes(sig)))) return err('bad-signature');
  if (body.issuer === ctx.org) return ok({ body, authority: [] });
  if (!chain) return err('no-authority');
  const issuer = await verifyDeviceChain(chain, { org: ctx.org, now: body.at, verify: ctx.verify, revoked: new Set() });
  if (!issuer.ok || issuer.value.device !== body.issuer || issuer.value.role !== 'admin') return err('no-authority');
  const authority = (chain as { body: { device: PublicKeyHex } }[]).map((c) => c.body.device);
  return ok({ body, authority });
}

/**
 * The revoked keys of an organisation. The root's revocations always count. An admin's count
 * unless the root revoked the admin or an admin above it: so a stolen admin phone that revokes
 * the honest devices is undone by one root revocation of that phone, on every device alike.
 */
export function revokedKeys(revocations: Iterable<ValidRevocation>): Set<PublicKeyHex> {
  return new Set(revocationTimes(revocations).keys());
}

/**
 * Each revoked key with the time its revocation took effect: the earliest `at` among the revocations
 * that count for it (as `revokedKeys`). Versions handed on by that key from then on are refused (§6.7).
 */
export function revocationTimes(revocations: Iterable<ValidRevocation>): Map<PublicKeyHex, number> {
  const all = [...revocations];
  const byRoot = new Set(all.filter((r) => r.authority.length === 0).map((r) => r.body.device));
  const out = new Map<PublicKeyHex, number>();
  for (const r of all) {
    if (r.authority.length > 0 && r.authority.some((key) => byRoot.has(key))) continue;
    const at = out.get(r.body.device);
    if (at === undefined || r.body.at < at) out.set(r.body.device, r.body.at);
  }
  return out;
}

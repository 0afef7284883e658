import * as v from 'valibot';
import type { OrgFingerprint } from '../core/ids.js';
import { err, ok, type Result } from '../core/result.js';
import { DeviceCertSchema, verifyDeviceChain, type VerifiedDevice } from './devices.js';
import { IdentityErrorCode, type IdentityFailure } from './errors.js';
import { fingerprintOf, type PublicKeyHex, type Verifier } from './keys.js';
import { MAX_HANDSHAKE_REVOCATIONS, REVOCATIONS_PER_FRAME } from './messages.js';
import { expectMessage, failWith, type IdentityPort } from './port.js';
import { revokedKeys, validateRevocation, type SignedRevocation, type ValidRevocation } from './revocation.js';

/**
 * I10 in the partner handshake: a device key counts for its organisation only with a valid chain to
 * the root, and the peer is then known by the root's fingerprint whichever device connected.
 *
 * How a partner learns of a revoked device: every handshake carries the sender's organisation's
 * revocations (`id-revocations`, right after the hello), and the receiver keeps the valid ones for
 * that organisation. A revoked device will not send its own revocation, but any other device of its
 * organisation that meets the partner does, and from then on the partner refuses the revoked key —
 * the same "once the revocation has replicated" as between the organisation's own devices. The
 * handshake rather than the ledger carries them: a revocation means something only under its
 * organisation's root (validateRevocation), which the partner knows once the hello named it, while
 * ledger events are facts about single keys that every installation folds alike (I3, I4).
 */
export interface PeerOrganisation {
  /** The organisation's root key, and its fingerprint: what the partner is known by (I10). */
  readonly org: PublicKeyHex;
  readonly orgFingerprint: OrgFingerprint;
  /** The connecting device as its chain certified it; null when the root device itself connected. */
  readonly device: VerifiedDevice | null;
  /** The valid revocations the peer sent, for the caller to keep under `org`. */
  readonly revocations: readonly SignedRevocation[];
}

export interface PeerDeviceContext {
  readonly now: number;
  readonly verify: Verifier;
  /** Revocations held for this organisation (kept from earlier meetings, or our own), raw. */
  held(org: PublicKeyHex): Promise<readonly unknown[]>;
}

/** What the refusing side reads (`code`) and what it sends the refused side (`peerCode`). */
export interface PeerDeviceRefusal {
  readonly code: IdentityErrorCode;
  readonly peerCode: IdentityErrorCode;
  readonly detail: string;
}

const untrusted = (detail: string): PeerDeviceRefusal => ({ code: IdentityErrorCode.DeviceUntrusted, peerCode: IdentityErrorCode.SelfDeviceUntrusted, detail });

/** The organisation a hello claims: the root's key from the chain's first certificate, or the key itself when the chain is empty. */
export function claimedOrg(key: PublicKeyHex, chain: readonly unknown[]): PublicKeyHex | null {
  if (chain.length === 0) return key;
  const first = v.safeParse(DeviceCertSchema, chain[0]);
  return first.success ? first.output.body.org : null;
}

/** Our organisation's revocations as `id-revocations` frames: at least one, the last marked; the newest first when there are too many. */
export function sendRevocations(port: IdentityPort, revocations: readonly SignedRevocation[]): void {
  const list = revocations.length > MAX_HANDSHAKE_REVOCATIONS ? [...revocations].sort((a, b) => b.body.at - a.body.at).slice(0, MAX_HANDSHAKE_REVOCATIONS) : revocations;
  for (let i = 0; i === 0 || i < list.length; i += REVOCATIONS_PER_FRAME) {
    port.send({ type: 'id-revocations', revocations: list.slice(i, i + REVOCATIONS_PER_FRAME), last: i + REVOCATIONS_PER_FRAME >= list.length });
  }
}

/** The partner's `id-revocations` frames up to the last one; more than MAX_HANDSHAKE_REVOCATIONS ends the exchange. */
export async function receiveRevocations(port: IdentityPort): Promise<Result<SignedRevocation[], IdentityFailure>> {
  const all: SignedRevocation[] = [];
  for (;;) {
    const frame = await expectMessage(port, 'id-revocations');
    if (!frame.ok) return frame;
    all.push(...frame.value.revocations);
    if (all.length > MAX_HANDSHAKE_REVOCATIONS) return failWith(port, IdentityErrorCode.TooManyItems, 'revocations');
    if (frame.value.last) return ok(all);
  }
}

/**
 * Checks the peer's device against its organisation: the revocations it sent must be valid ones of
 * that organisation (a forged or foreign one ends the handshake, invalid-event; one dated beyond the
 * clock skew is only skipped, as ledger events are), and its chain must verify against every
 * revocation known for that organisation, sent now or held from before, and certify this very key.
 */
export async function identifyPeerDevice(
  key: PublicKeyHex,
  chain: readonly unknown[],
  sent: readonly SignedRevocation[],
  ctx: PeerDeviceContext,
): Promise<Result<PeerOrganisation, PeerDeviceRefusal>> {
  const org = claimedOrg(key, chain);
  if (org === null) return err(untrusted('malformed-certificate'));
  const valid: ValidRevocation[] = [];
  const kept: SignedRevocation[] = [];
  for (const revocation of sent) {
    const checked = await validateRevocation(revocation, { org, now: ctx.now, verify: ctx.verify });
    if (checked.ok) {
      valid.push(checked.value);
      kept.push(revocation);
    } else if (checked.error !== 'future-revocation') {
      return err({ code: IdentityErrorCode.InvalidEvent, peerCode: IdentityErrorCode.InvalidEvent, detail: `revocation: ${checked.error}` });
    }
  }
  const outcome = { org, orgFingerprint: fingerprintOf(org), revocations: kept };
  // The root key cannot be revoked (revocation.ts): the organisation's first device needs no chain.
  if (chain.length === 0) return ok({ ...outcome, device: null });
  for (const raw of await ctx.held(org)) {
    const checked = await validateRevocation(raw, { org, now: ctx.now, verify: ctx.verify });
    if (checked.ok) valid.push(checked.value);
  }
  const device = await verifyDeviceChain(chain, { org, now: ctx.now, verify: ctx.verify, revoked: revokedKeys(valid) });
  if (!device.ok) {
    return err(device.error === 'revoked' ? { code: IdentityErrorCode.DeviceRevoked, peerCode: IdentityErrorCode.SelfDeviceRevoked, detail: 'revoked' } : untrusted(device.error));
  }
  if (device.value.device !== key) return err(untrusted('the chain certifies another key'));
  return ok({ ...outcome, device: device.value });
}

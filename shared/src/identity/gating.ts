import { IDENTITY_ERROR_MESSAGES, IdentityErrorCode } from './errors.js';
import type { PublicKeyHex } from './keys.js';
import type { LedgerState } from './state.js';

/**
 * I6: whether a peer may take part in checks and coordination with us. Unregistered and revoked
 * peers are refused, and both users read why: the refusing side shows `message`; it sends
 * `peerCode` to the other side, whose sentence is written from that side's point of view.
 */
export type GateDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      /** The sentence this side reads. */
      readonly code: IdentityErrorCode;
      readonly message: string;
      /** The code to send to the partner, so that it reads the reason about itself. */
      readonly peerCode: IdentityErrorCode;
    };

const refuse = (code: IdentityErrorCode, peerCode: IdentityErrorCode): GateDecision => ({
  allowed: false,
  code,
  message: IDENTITY_ERROR_MESSAGES[code],
  peerCode,
});

export function gatePeer(state: LedgerState, peer: PublicKeyHex): GateDecision {
  const record = state.identities.get(peer);
  if (!record) return refuse(IdentityErrorCode.Unregistered, IdentityErrorCode.SelfUnregistered);
  if (record.status === 'revoked') return refuse(IdentityErrorCode.Revoked, IdentityErrorCode.SelfRevoked);
  return { allowed: true };
}

/**
 * Both directions at once, for the session: we refuse a peer that does not qualify, and we do not
 * start a check while our own installation does not (the partner would refuse us anyway, and our
 * user should read why without a round trip).
 */
export function gateSession(state: LedgerState, self: PublicKeyHex, peer: PublicKeyHex): GateDecision {
  const own = gatePeer(state, self);
  if (!own.allowed) {
    const code = own.code === IdentityErrorCode.Revoked ? IdentityErrorCode.SelfRevoked : IdentityErrorCode.SelfUnregistered;
    return { allowed: false, code, message: selfMessage(code), peerCode: own.code };
  }
  return gatePeer(state, peer);
}

function selfMessage(code: IdentityErrorCode): string {
  return code === IdentityErrorCode.SelfRevoked
    ? "This installation's identity was revoked after ignoring challenges, so it cannot take part in checks."
    : 'This installation is not registered yet. Open Identity and register it before running checks.';
}

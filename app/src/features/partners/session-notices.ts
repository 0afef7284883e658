import { ERROR_MESSAGES, ErrorCode, IdentityErrorCode, type DeclineReason, type ProtocolError } from '@ihyid/shared';

// What the user reads when a check, or the partner session itself, ends other than complete
// (connected-session.ts).
// English sentences of the `messages` catalog, shown through localizeMessage in the reader's language.

export function declinedNotice(reason: DeclineReason, partner: string): string {
  if (reason === 'busy') return `${partner} is busy with another check.`;
  if (reason === 'protocol-disabled') return `${partner} has not turned this check protocol on, so it cannot answer it. Ask for a psi-v2 check instead.`;
  return `${partner} declined the check.`;
}

/** `timedOut`: we withdrew the request because no answer came within `waitMs` (#12). */
export function cancelledNotice(by: 'local' | 'remote', timedOut: boolean, waitMs: number, partner: string): string {
  if (by === 'local' && timedOut) return `${partner} did not answer within ${Math.max(1, Math.round(waitMs / 60_000))} min. The request was withdrawn and nothing was sent; ask again when they can answer.`;
  return by === 'local' ? 'You cancelled the check. Nothing was saved.' : `${partner} cancelled the check. Nothing was saved.`;
}

const IDENTITY_CODES = new Set<string>(Object.values(IdentityErrorCode).filter((c) => c.startsWith('identity-') || c.startsWith('self-') || c.startsWith('device-') || c === 'handshake-failed' || c === 'no-dtls-fingerprint'));

/** Why the session ended, for this side; null when we closed it without an error. */
export function closedMessage(by: 'local' | 'remote' | 'transport', error: ProtocolError | null, partner: string): string | null {
  if (!error) return by === 'local' ? null : ERROR_MESSAGES[ErrorCode.PeerClosed];
  // Identity failures (I6, I8) are written for both readers: the partner sends a code whose sentence fits us.
  if (by === 'remote' && !IDENTITY_CODES.has(error.code)) return `${partner} ended the session because of an error (${error.code}). Nothing half-done was saved.`;
  return `${ERROR_MESSAGES[error.code]} (${error.code})`;
}

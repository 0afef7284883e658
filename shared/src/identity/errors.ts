/**
 * Error codes of the identity protocols (I3, I6–I8), shared by the wire and the UI like
 * `ErrorCode` in ../errors.ts: a peer sends the code, each user reads the sentence. Kept apart
 * until the session integrates identity; then these join `ErrorCode`.
 */
export const IdentityErrorCode = {
  MalformedMessage: 'malformed-message',
  UnexpectedMessage: 'unexpected-message',
  OversizedMessage: 'oversized-message',
  TooManyItems: 'too-many-items',
  IncompatibleVersion: 'incompatible-version',
  PeerClosed: 'peer-closed',
  PeerError: 'peer-error',
  InvalidEvent: 'invalid-event',
  UnexpectedEvent: 'unexpected-event',
  IdentityMismatch: 'identity-mismatch',
  HandshakeFailed: 'handshake-failed',
  NoDtlsFingerprint: 'no-dtls-fingerprint',
  Unregistered: 'identity-unregistered',
  Revoked: 'identity-revoked',
  SelfUnregistered: 'self-unregistered',
  SelfRevoked: 'self-revoked',
} as const;
export type IdentityErrorCode = (typeof IdentityErrorCode)[keyof typeof IdentityErrorCode];

export const IDENTITY_ERROR_MESSAGES: Record<IdentityErrorCode, string> = {
  'malformed-message': 'The partner sent a message this app cannot read. The session was closed and nothing was saved.',
  'unexpected-message': 'The partner sent a message out of order. The session was closed and nothing was saved.',
  'oversized-message': 'The partner sent a message larger than allowed. The session was closed and nothing was saved.',
  'too-many-items': 'The partner sent more items than allowed. The session was closed and nothing was saved.',
  'incompatible-version': 'The partner runs a version of Ihyid that cannot talk to this one. Both sides should update.',
  'peer-closed': 'The connection to the partner was lost. Nothing half-done was saved; you can try again.',
  'peer-error': 'The partner ended the session because of an error.',
  'invalid-event': 'The partner sent an identity record with a bad signature or proof of work. The session was closed and nothing was saved.',
  'unexpected-event': 'The partner sent identity records that were not asked for. The session was closed and nothing was saved.',
  'identity-mismatch':
    'Warning: the partner is not the organisation named in the invitation (its key fingerprint differs). The session was stopped. Check the link with the partner by phone.',
  'handshake-failed':
    'Warning: this connection could not be verified. Someone may be sitting between you and the partner, for example the connection server. The session was stopped.',
  'no-dtls-fingerprint': 'The connection has no security fingerprint, so it cannot be verified. The session was stopped.',
  'identity-unregistered': "The partner's installation is not registered yet: it must finish its registration (proof of work) before checks.",
  'identity-revoked': "The partner's identity was revoked after ignoring challenges. It cannot take part in checks or coordination.",
  'self-unregistered': 'The partner refused: this installation is not registered yet. Open Identity and register it first.',
  'self-revoked': "The partner refused: this installation's identity was revoked after ignoring challenges.",
};

export interface IdentityFailure {
  readonly code: IdentityErrorCode;
  /** The code the partner sent, when `code` is peer-error. */
  readonly peerCode?: IdentityErrorCode;
  /** For logs and developers; never shown instead of the sentence. */
  readonly detail?: string;
}

export const identityFailure = (code: IdentityErrorCode, detail?: string): IdentityFailure => (detail === undefined ? { code } : { code, detail });

export function isIdentityErrorCode(value: unknown): value is IdentityErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(IDENTITY_ERROR_MESSAGES, value);
}

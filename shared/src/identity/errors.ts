import { ERROR_MESSAGES, type ErrorCode } from '../core/errors.js';

/**
 * The codes the identity protocols (I3, I6–I8, I10) may end with: a subset of `ErrorCode`, so that the
 * peer session carries them as they are.
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
  DeviceUntrusted: 'device-untrusted',
  SelfDeviceUntrusted: 'self-device-untrusted',
  DeviceRevoked: 'device-revoked',
  SelfDeviceRevoked: 'self-device-revoked',
} as const satisfies Record<string, ErrorCode>;
export type IdentityErrorCode = (typeof IdentityErrorCode)[keyof typeof IdentityErrorCode];

/** The sentences live with every other code in ../errors.ts; identity code picks its own. */
export const IDENTITY_ERROR_MESSAGES: Record<IdentityErrorCode, string> = Object.fromEntries(
  Object.values(IdentityErrorCode).map((code) => [code, ERROR_MESSAGES[code]]),
) as Record<IdentityErrorCode, string>;

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

/**
 * Error codes shared by the wire and the UI: a peer sends the code, each user reads the sentence.
 * Add a code here, never a free-text error on the wire.
 */
export const ErrorCode = {
  MalformedMessage: 'malformed-message',
  OversizedMessage: 'oversized-message',
  UnexpectedMessage: 'unexpected-message',
  IncompatibleVersion: 'incompatible-version',
  TooManyItems: 'too-many-items',
  SizeExceeded: 'size-exceeded',
  InvalidItem: 'invalid-item',
  DuplicateItem: 'duplicate-item',
  ProtocolDisabled: 'protocol-disabled',
  CheckDeclined: 'check-declined',
  PeerClosed: 'peer-closed',
  PeerError: 'peer-error',
  Cancelled: 'cancelled',
  RoomFull: 'room-full',
  SignalingUnavailable: 'signaling-unavailable',
  InvalidInvitation: 'invalid-invitation',
  Internal: 'internal',
  // Identity (I3, I6, I8): the codes of identity/errors.ts, so that the session carries them as is.
  InvalidEvent: 'invalid-event',
  UnexpectedEvent: 'unexpected-event',
  IdentityMismatch: 'identity-mismatch',
  HandshakeFailed: 'handshake-failed',
  NoDtlsFingerprint: 'no-dtls-fingerprint',
  PeerUnregistered: 'identity-unregistered',
  PeerRevoked: 'identity-revoked',
  SelfUnregistered: 'self-unregistered',
  SelfRevoked: 'self-revoked',
  // I10: a partner's device key counts only with a valid chain to its organisation's root; each side reads its own sentence.
  DeviceUntrusted: 'device-untrusted',
  SelfDeviceUntrusted: 'self-device-untrusted',
  DeviceRevoked: 'device-revoked',
  SelfDeviceRevoked: 'self-device-revoked',
  // Distribution lists (D3, D4).
  AssignmentMismatch: 'assignment-mismatch',
  AssignmentForged: 'assignment-forged',
  PartnerOffline: 'partner-offline',
  // Encrypted backup (X3): what a restore refuses, before it changes anything.
  BackupWrongPassphrase: 'backup-wrong-passphrase',
  BackupDamaged: 'backup-damaged',
  BackupUnsupported: 'backup-unsupported',
  // Roles (X1): a store method the session's role may not use.
  RoleForbidden: 'role-forbidden',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const ERROR_MESSAGES: Record<ErrorCode, string> = {
  'malformed-message': 'The partner sent a message this app cannot read. The session was closed and nothing was saved.',
  'oversized-message': 'The partner sent a message larger than allowed. The session was closed and nothing was saved.',
  'unexpected-message': 'The partner sent a message out of order. The session was closed and nothing was saved.',
  'incompatible-version': 'The partner runs a version of Ihyid that cannot talk to this one. Both sides should update.',
  'too-many-items': 'The partner sent more items than it announced. The session was closed and nothing was saved.',
  'size-exceeded':
    'The partner sent more entries than it announced before the check was accepted. The check was stopped before any of your data went back, and nothing was saved.',
  'invalid-item': 'The partner sent data that is not a valid anonymised entry. The session was closed and nothing was saved.',
  'duplicate-item': 'The partner sent the same anonymised entry twice. The session was closed and nothing was saved.',
  'protocol-disabled': 'This check protocol is turned off on this device. An administrator can turn it on under Partners → Check protocols.',
  'check-declined': 'The partner declined the check.',
  'peer-closed': 'The connection to the partner was lost. Nothing half-done was saved; you can try again.',
  'peer-error': 'The partner ended the session because of an error.',
  cancelled: 'The check was cancelled. Nothing was saved.',
  'room-full': 'This invitation is already in use by two organisations.',
  'signaling-unavailable': 'The connection server cannot be reached. Check the network and try again.',
  'invalid-invitation': 'This invitation link is not valid. Ask your partner for a new one.',
  internal: 'Something went wrong inside the app. Nothing was saved.',
  'invalid-event':
    'The partner sent an identity record with a bad signature or proof of work. The session was closed and nothing was saved.',
  'unexpected-event':
    'The partner sent identity records that were not asked for. The session was closed and nothing was saved.',
  'identity-mismatch':
    'Warning: the partner is not the organisation named in the invitation (its key fingerprint differs). The session was stopped. Check the link with the partner by phone.',
  'handshake-failed':
    'Warning: this connection could not be verified. Someone may be sitting between you and the partner, for example the connection server. The session was stopped.',
  'no-dtls-fingerprint':
    'The connection has no security fingerprint, so it cannot be verified. The session was stopped.',
  'identity-unregistered':
    "The partner's installation is not registered yet: it must finish its registration (proof of work) before checks.",
  'identity-revoked':
    "The partner's identity was revoked after ignoring challenges. It cannot take part in checks or coordination.",
  'self-unregistered':
    'The partner refused: this installation is not registered yet. Open Identity and register it first.',
  'self-revoked':
    "The partner refused: this installation's identity was revoked after ignoring challenges.",
  'device-untrusted':
    'Warning: the partner connected from a device its organisation has not certified (the certificate is forged, expired or from another organisation). The session was stopped and nothing was shared.',
  'self-device-untrusted':
    'The partner refused this device: its certificate from your organisation is not valid (expired, or not issued by your organisation). Ask an administrator to pair this device again.',
  'device-revoked':
    'The partner connected from a device its organisation has revoked (for example a lost phone). The session was stopped and nothing was shared.',
  'self-device-revoked':
    'The partner refused: your organisation revoked this device. It can no longer take part in checks with partners; ask an administrator.',
  'assignment-mismatch':
    'The partner computed a different assignment of who serves whom. Nothing was saved; run the list again, and tell both administrators if it repeats.',
  'assignment-forged':
    "The partner's summary of who serves whom is not signed by the partner's verified key. Nothing was saved.",
  'partner-offline': 'The partner was not online for its turn in the round. It was skipped; run the round again later to include it.',
  'backup-wrong-passphrase': 'This backup does not open with that passphrase. Nothing was changed.',
  'backup-damaged': 'This file is not a complete Ihyid backup: it was cut short or changed. Nothing was changed.',
  'backup-unsupported': 'This backup was made by a newer version of Ihyid. Update the app, then restore it. Nothing was changed.',
  'role-forbidden': 'This is not allowed for your role on this device. An administrator can change roles under Security.',
};

/** Every identity code is a session code: an identity failure ends the session as it is (A8). */
export const fromIdentityCode = (code: ErrorCode): ErrorCode => code;

export interface ProtocolError {
  readonly code: ErrorCode;
  /** Detail for logs and developers; never shown instead of the sentence. */
  readonly detail?: string;
}

export const protocolError = (code: ErrorCode, detail?: string): ProtocolError =>
  detail === undefined ? { code } : { code, detail };

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERROR_MESSAGES, value);
}

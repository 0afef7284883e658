import type { OrgFingerprint } from '../core/ids.js';
import type { PublicKeyHex } from './keys.js';

/** What `foldLedger` (reputation.ts) computes from the ledger: the records it keeps per key, challenge and attestation. */

export interface IdentityRecord {
  readonly key: PublicKeyHex;
  readonly fingerprint: OrgFingerprint;
  readonly registrationId: string;
  readonly registeredAt: number;
  balance: number;
  status: 'authenticated' | 'revoked';
  revokedAt: number | null;
  solved: number;
  ignored: number;
  /** Time of the last event this key authored that counted: the start of its absence. */
  lastSeen: number;
  /** Whole hours of the current absence already charged as soft decay. */
  chargedHours: number;
}

export interface ChallengeRecord {
  readonly id: string;
  readonly issuer: PublicKeyHex;
  readonly target: PublicKeyHex;
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** The 32-byte proof-of-work prefix: the target hashes prefix ‖ nonce (challenges.ts). */
  readonly prefix: Uint8Array;
  status: 'open' | 'solved' | 'ignored';
  closedBy: string | null;
}

export interface AttestationRecord {
  readonly id: string;
  readonly attester: PublicKeyHex;
  readonly subject: PublicKeyHex;
  readonly name: string;
  readonly schema: string;
  readonly valueHash: string;
  readonly issuedAt: number;
  readonly expires: number;
  revokedAt: number | null;
}

export type VoidReason =
  | 'already-registered'
  | 'revoked-key'
  | 'author-unregistered'
  | 'author-revoked'
  | 'target-unregistered'
  | 'target-revoked'
  | 'challenge-already-open'
  | 'unknown-challenge'
  | 'not-the-target'
  | 'not-the-issuer'
  | 'challenge-closed'
  | 'solution-late'
  | 'insufficient-work'
  | 'ignore-early'
  | 'unknown-attestation'
  | 'not-the-attester'
  | 'already-revoked';

export interface LedgerState {
  readonly now: number;
  readonly identities: Map<PublicKeyHex, IdentityRecord>;
  readonly challenges: Map<string, ChallengeRecord>;
  readonly attestations: Map<string, AttestationRecord>;
  readonly voided: Map<string, VoidReason>;
}

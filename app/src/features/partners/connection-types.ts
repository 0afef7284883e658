import type { CheckId, CheckProtocol, OrgFingerprint, PublicKeyHex, Sizes } from '@ihyid/shared';
import type { PairProposal } from './list-pair';
import type { AppDeps } from '../../context/deps';
import type { BackoffOptions } from '../../network/backoff';

// What a partner connection (connection.ts) and the session on its channel (connected-session.ts)
// share: the view the screens render, what they need from the app, the connection's options.

/** `retrying`: the server or the partner could not be reached; the connection tries again by itself (#12). */
export type ConnectionStatus = 'idle' | 'joining' | 'waiting' | 'connecting' | 'verifying' | 'connected' | 'retrying' | 'closed';

/** What the screens show of one partner connection (connection.ts), and the session on it (connected-session.ts). */
export interface ConnectionView {
  status: ConnectionStatus;
  secret: string | null;
  /** On the invitee's side, the inviter's fingerprint from the link (I8); null on the inviter's. */
  expected: OrgFingerprint | null;
  partnerName: string | null;
  /** I9: this meeting is with a bound partner, under the pair secret, not an invitation. */
  bound: boolean;
  /** The partner's key, verified by the I8 handshake, once connected. */
  partnerKey: PublicKeyHex | null;
  partnerFingerprint: OrgFingerprint | null;
  /** What the user reads when the session ended badly. */
  error: string | null;
  /** A4, A9: the pending request, with what the partner announced and, once our contacts are read, our own sizes. */
  consent: { checkId: CheckId; protocol: CheckProtocol; theirs: Sizes; ours: Sizes | null } | null;
  checkRunning: boolean;
  progress: { phase: string; done: number; total: number } | null;
  notice: string | null;
  /** D2: a partner proposes to settle who serves whom on one of its lists; we choose ours. */
  pairProposal: PairProposal | null;
}

export const INITIAL_VIEW: ConnectionView = { status: 'idle', secret: null, expected: null, bound: false, partnerName: null, partnerKey: null, partnerFingerprint: null, error: null, consent: null, checkRunning: false, progress: null, notice: null, pairProposal: null };

/** What a partner connection needs from the app: main.tsx gives the real adapters, tests in-memory ones. */
export type PartnerConnectionDeps = Pick<AppDeps, 'stores' | 'randomBytes' | 'now' | 'identity' | 'openSignaling' | 'openLink' | 'checkPool' | 'lists'> &
  Partial<Pick<AppDeps, 'witness' | 'atRest'>>;

/** How long an asker waits for the partner to accept or decline (#12): then the request is withdrawn. */
export const CONSENT_TIMEOUT_MS = 2 * 60_000;

export interface PartnerConnectionOptions {
  consentTimeoutMs?: number | undefined;
  /** #12: the waits between tries to reach the partner again (tests shorten them). */
  backoff?: BackoffOptions | undefined;
  /** I9: an invitation just bound this partner; the directory lists the connection under its name. */
  onBound?(partner: { fingerprint: OrgFingerprint; name: string }): void;
}

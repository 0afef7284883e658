import {
  gateSession,
  identityHandshake,
  issueChallenge,
  planChallengeTick,
  reconcileLedger,
  reportIgnored,
  solutionEvent,
  toSigned,
  ok,
  type GateDecision,
  type IdentityFailure,
  type IdentityPort,
  type LedgerEvent,
  type OrgFingerprint,
  type PublicKeyHex,
  type ReconcileOutcome,
  type Result,
} from '@ihyid/shared';
import type { IdentityService, PowSolver } from './service';
import { keepRevocations, keptRevocations, ownRevocations } from './organisation';

/**
 * What the peer session calls (PROTOCOL.md "Identity"): the I8 handshake, I3 reconciliation and I6
 * gating in one step right after the data channel opens, and the I5 challenge tick every 120 s.
 * The session owns the channel and the timers; everything here works on an IdentityPort.
 */
export interface SessionIdentityOptions {
  localSdp: string;
  remoteSdp: string;
  roomId: string;
  /** I9: the key derived from the link's (or the pair's) secret; the handshake MACs its transcript with it. */
  linkKey: Uint8Array;
  /** The inviter's fingerprint from the link, on the side that opened it; otherwise null. */
  expectedFingerprint: OrgFingerprint | null;
  /** The partner's organisation name from the session's hello, for the partner card. */
  peerName: string;
}

export interface SessionIdentity {
  /** The partner's device key, which signed; `peerFingerprint` is its organisation's (I10). */
  peerKey: PublicKeyHex;
  peerOrg: PublicKeyHex;
  peerFingerprint: OrgFingerprint;
  reconciled: ReconcileOutcome;
  /** I6: when not allowed, show `message` and end the session sending `peerCode`. */
  decision: GateDecision;
  /** I9: kept by both sides to meet again under their verified keys, not the link. */
  pairSecret: Uint8Array;
}

export async function establishIdentity(service: IdentityService, port: IdentityPort, o: SessionIdentityOptions): Promise<Result<SessionIdentity, IdentityFailure>> {
  await service.load();
  const { randomBytes, now, verify, rules, db } = service.deps;
  const { org, chain } = service.organisation;
  const own = await ownRevocations(service.deps.organisation, org, now(), verify);
  const hello = await identityHandshake(port, {
    signer: service.signer,
    localSdp: o.localSdp,
    remoteSdp: o.remoteSdp,
    roomId: o.roomId,
    linkKey: o.linkKey,
    expectedFingerprint: o.expectedFingerprint,
    registration: service.ownRegistration(),
    // I10: our chain and our organisation's revocations go out; a partner's come back and are kept.
    chain,
    revocations: own,
    // Our own organisation's: the ones just read (a device of ours met as a partner).
    heldRevocations: async (peerOrg) => (peerOrg === org ? own : keptRevocations(db, peerOrg)),
    random: randomBytes,
    now: now(),
    verify,
    rules,
  });
  if (!hello.ok) return hello;
  await keepRevocations(db, hello.value.peerOrg, hello.value.peerRevocations);
  const reconciled = await reconcileLedger(port, { store: service.store, validation: service.validation() });
  if (!reconciled.ok) return reconciled;
  await service.ingest(reconciled.value.added);
  await service.recordPeer(hello.value.peerKey, o.peerName, hello.value.peerOrg);
  const decision = gateSession(service.state(), service.signer.publicKey, hello.value.peerKey);
  const { peerKey, peerOrg, peerFingerprint, pairSecret } = hello.value;
  return ok({ peerKey, peerOrg, peerFingerprint, reconciled: reconciled.value, decision, pairSecret });
}

/**
 * One I5 tick: challenge one connected peer, report our expired challenges, solve the ones
 * addressed to us. Returns the new events, which the session pushes to every connected peer
 * (`id-push`). Call it every CHALLENGE_INTERVAL_MS, and again when pushed events arrive.
 */
export async function challengeTick(service: IdentityService, connected: readonly PublicKeyHex[], solve: PowSolver): Promise<LedgerEvent[]> {
  const { randomBytes, now, rules } = service.deps;
  const plan = planChallengeTick({ self: service.signer.publicKey, connected, state: service.state(), now: now(), random: randomBytes, rules });
  const made: LedgerEvent[] = [];
  if (plan.challenge) made.push(await issueChallenge(service.signer, plan.challenge, now(), randomBytes));
  for (const c of plan.ignore) made.push(await reportIgnored(service.signer, c.id, now()));
  for (const c of plan.solve) {
    const nonce = await solve(c.prefix, service.rules.challengeBits, { onProgress: () => {}, signal: new AbortController().signal });
    if (nonce !== null) made.push(await solutionEvent(service.signer, c.id, nonce, now()));
  }
  await service.accept(made.map(toSigned));
  return made;
}

import {
  CHALLENGE_INTERVAL_MS,
  err,
  EVENTS_PER_FRAME,
  fromIdentityCode,
  IdentityErrorCode,
  ok,
  toSigned,
  type IdentifyFailure,
  type IdentityPort,
  type LedgerEvent,
  type OrgFingerprint,
  type PeerIdentity,
  type PublicKeyHex,
  type Result,
} from '@ihyid/shared';
import { receiveAttestationResponse, verifyPresented } from './attestation-actions';
import type { IdentityService } from './service';
import { challengeTick, establishIdentity } from './session-identity';

/**
 * The identity side of one live peer session (PROTOCOL.md §3.1 and "Identity"): the step the session
 * runs before `ready`, and, once ready, the I5 challenge tick, gossip (`id-push`) and the I7 messages.
 * The session owns the channel; this file only reads and writes its IdentityPort.
 */
export interface IdentifyContext {
  localSdp(): string;
  remoteSdp(): string;
  roomId: string;
  /** I9: `linkAuthKey` of the secret that arranged this meeting. */
  linkKey: Uint8Array;
  /** The inviter's fingerprint from the link, on the invitee's side; null on the inviter's. */
  expectedFingerprint: OrgFingerprint | null;
}

/** The session's injected identity step: handshake, reconciliation, then the I6 gate. */
export function identifyStep(service: IdentityService, c: IdentifyContext) {
  return async (port: IdentityPort, partnerName: string): Promise<Result<PeerIdentity, IdentifyFailure>> => {
    // A registration still being solved is awaited, so the partner receives it in our hello.
    await service.settled();
    const outcome = await establishIdentity(service, port, {
      localSdp: c.localSdp(),
      remoteSdp: c.remoteSdp(),
      roomId: c.roomId,
      linkKey: c.linkKey,
      expectedFingerprint: c.expectedFingerprint,
      peerName: partnerName,
    });
    if (!outcome.ok) {
      const { code, peerCode } = outcome.error;
      // A partner's own id-error already ended the session; the code read here is its code.
      return err({ code: fromIdentityCode(code === IdentityErrorCode.PeerError && peerCode ? peerCode : code) });
    }
    const { decision, peerKey, peerFingerprint, pairSecret } = outcome.value;
    if (!decision.allowed) return err({ code: fromIdentityCode(decision.code), peerCode: fromIdentityCode(decision.peerCode) });
    return ok({ peerKey, peerFingerprint, pairSecret });
  };
}

/** Sends new events to every partner with a live session, in frames of at most EVENTS_PER_FRAME. */
export function pushEvents(service: IdentityService, events: readonly LedgerEvent[], keys: readonly PublicKeyHex[]): void {
  if (events.length === 0) return;
  const signed = events.map(toSigned);
  for (const key of keys) {
    const peer = service.livePeer(key);
    if (!peer) continue;
    for (let i = 0; i < signed.length; i += EVENTS_PER_FRAME) peer.send({ type: 'id-push', events: signed.slice(i, i + EVENTS_PER_FRAME) });
  }
}

/**
 * Once the session is ready: lend the partner to the identity screen, tick every
 * CHALLENGE_INTERVAL_MS, and answer the partner's identity messages in arrival order. Returns a stop
 * function; the loop also ends by itself when the session closes (the port then reports it).
 */
export function runIdentityLink(service: IdentityService, port: IdentityPort, peer: { key: PublicKeyHex; name: string }): () => void {
  let stopped = false;
  const detach = service.attachPeer({ key: peer.key, name: peer.name, send: (m) => port.send(m) });
  const everyone = () => service.getSnapshot().connected;
  // The periodic tick may challenge this partner; a tick after received events only solves and
  // reports, so two nodes never trade fresh challenges in a loop.
  const tick = async (challenge: boolean) => {
    if (stopped) return;
    const made = await challengeTick(service, challenge ? [peer.key] : [], service.deps.solve);
    if (!stopped) pushEvents(service, made, everyone());
  };
  const timer = setInterval(() => void tick(true), service.deps.challengeIntervalMs ?? CHALLENGE_INTERVAL_MS);
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearInterval(timer);
    detach();
  };

  void (async () => {
    while (!stopped) {
      const next = await port.receive();
      if (!next.ok) break;
      const m = next.value;
      switch (m.type) {
        case 'id-push': {
          const added = await service.accept(m.events);
          if (added.length > 0) await tick(false);
          break;
        }
        case 'id-attest-request':
          await service.receiveAttestationRequest(peer.key, peer.name, m);
          break;
        case 'id-attest-response':
          await receiveAttestationResponse(service, peer.key, m);
          break;
        case 'id-present-request':
          service.receivePresentationRequest(peer.key, peer.name, m);
          break;
        case 'id-present':
          service.recordShown(peer.key, m.refused, await verifyPresented(service, peer.key, m));
          break;
        default:
          port.fail(IdentityErrorCode.UnexpectedMessage);
      }
    }
    stop();
  })();
  return stop;
}


import { presentRequest, type PublicKeyHex } from '@ihyid/shared';
import { answerPresentation, requestAttestation } from './attestation-actions';
import type { IdentityService } from './service';

/**
 * I7 from the identity screen, over the partner's live session: what each button does. Every
 * action needs that partner connected now; without it, it does nothing and says so.
 */
const YEAR_MS = 365 * 24 * 3600 * 1000;

/** We (Y) ask a connected partner (X) to attest our organisation name for a year. */
export async function askToAttestOurName(service: IdentityService, attester: PublicKeyHex, orgName: string): Promise<boolean> {
  const peer = service.livePeer(attester);
  if (!peer) return false;
  const message = await requestAttestation(service, { key: attester, name: peer.name }, { name: 'organisation-name', schema: 'text-v1', value: orgName, expires: service.deps.now() + YEAR_MS });
  peer.send(message);
  return true;
}

/** We (X) attest or refuse a waiting request; the answer goes to the requester if it is connected. */
export async function decideAndAnswer(service: IdentityService, requestId: string, agreed: boolean, requester: PublicKeyHex): Promise<void> {
  const answer = await service.decide(requestId, agreed);
  // A requester that left gets nothing now; it may ask again. Our ledger holds the event and
  // reconciliation gives it to every partner on its next connection (I3).
  if (answer) service.livePeer(requester)?.send(answer);
}

/** We (V) ask a connected partner (Y) to show its attestations. */
export function askForAttestations(service: IdentityService, subject: PublicKeyHex): boolean {
  const peer = service.livePeer(subject);
  if (!peer) return false;
  peer.send(presentRequest(crypto.randomUUID(), ['organisation-name']));
  return true;
}

/** We (Y) show or refuse what a verifier asked for. */
export async function answerPresentationRequest(service: IdentityService, requestId: string, allowed: boolean): Promise<void> {
  const request = service.takePresentationRequest(requestId);
  if (!request) return;
  service.livePeer(request.peer)?.send(await answerPresentation(service, request.message, allowed));
}

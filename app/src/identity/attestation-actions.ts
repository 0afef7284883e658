import {
  checkPresented,
  makeAttestationRequest,
  presentMessage,
  requestMessage,
  takeResponse,
  type IdentityMessageOf,
  type PresentedVerdict,
  type PublicKeyHex,
} from '@ihyid/shared';
import { fromRow } from './db';
import { trustedAttesters } from './views';
import type { IdentityService } from './service';

/**
 * I7 for the requester (Y) and the verifier (V); the attester's side is `IdentityService.decide`.
 * Each returns the message the session sends, or takes the message it received.
 */

/** Y asks X: remembers the request (with the value and salt only Y keeps) and returns the message. */
export async function requestAttestation(
  service: IdentityService,
  attester: { key: PublicKeyHex; name: string },
  claim: { name: string; schema: string; value: string; expires: number },
): Promise<IdentityMessageOf<'id-attest-request'>> {
  const request = makeAttestationRequest(claim, service.deps.randomBytes);
  await service.deps.db.requests.put({ ...request, direction: 'outgoing', peer: attester.key, peerName: attester.name, createdAt: service.deps.now(), status: 'waiting' });
  return requestMessage(request);
}

/** Y receives X's answer: checked against what Y asked; when attested, Y holds event, value and salt. */
export async function receiveAttestationResponse(service: IdentityService, from: PublicKeyHex, m: IdentityMessageOf<'id-attest-response'>): Promise<'attested' | 'refused' | 'invalid'> {
  const db = service.deps.db;
  const row = await db.requests.get(m.requestId);
  if (!row || row.direction !== 'outgoing' || row.peer !== from || row.status !== 'waiting') return 'invalid';
  const taken = await takeResponse(m, row, { self: service.signer.publicKey, attester: from }, service.store, service.validation());
  if (!taken.ok) return 'invalid';
  if (taken.value.attested) {
    await db.held.put({ attestationId: taken.value.event.id, name: row.name, value: row.value, salt: row.salt });
    await service.ingest([taken.value.event.id]);
  }
  await db.requests.update(row.requestId, { status: taken.value.attested ? 'attested' : 'refused' });
  await service.refresh();
  return taken.value.attested ? 'attested' : 'refused';
}

/** Y answers a verifier, once Y's user allowed it (or refused: `allowed` false sends nothing). */
export async function answerPresentation(service: IdentityService, m: IdentityMessageOf<'id-present-request'>, allowed: boolean): Promise<IdentityMessageOf<'id-present'>> {
  const held = await service.deps.db.held.toArray();
  const events = new Map((await service.deps.db.events.bulkGet(held.map((h) => h.attestationId))).flatMap((r) => (r ? [[r.id, fromRow(r)] as const] : [])));
  return presentMessage(m, held.flatMap((h) => (events.has(h.attestationId) ? [{ ...h, event: events.get(h.attestationId)! }] : [])), allowed);
}

/** V checks what Y presented: signature (on entry to the ledger), value, standing, and V's trust. */
export async function verifyPresented(service: IdentityService, presenter: PublicKeyHex, m: IdentityMessageOf<'id-present'>): Promise<PresentedVerdict[]> {
  const trusted = trustedAttesters(await service.deps.db.trust.toArray(), service.signer.publicKey);
  const before = new Set(await service.store.ids());
  const verdicts = await checkPresented(m, presenter, service.store, { ctx: service.validation(), trusted, rules: service.rules });
  await service.ingest((await service.store.ids()).filter((id) => !before.has(id)));
  return verdicts;
}

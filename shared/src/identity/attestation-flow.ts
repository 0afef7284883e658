import { err, ok, type Result } from '../core/result.js';
import {
  attest,
  checkAttestationResponse,
  verifyPresentation,
  type AttestationRequest,
  type AttestationVerdict,
  type ResponseProblem,
} from './attestations.js';
import type { LedgerRules } from './constants.js';
import { toSigned, validateEvent, type EventProblem, type LedgerEvent, type ValidationContext } from './events.js';
import type { PublicKeyHex, Signer } from './keys.js';
import { acceptEvents, type LedgerStore } from './ledger.js';
import type { IdentityMessageOf } from './messages.js';
import { foldLedger } from './reputation.js';

/**
 * I7's flows as message handlers, one per step, so the UI stays thin:
 *   Y: requestMessage ─► X: (user decides) answerRequest ─► Y: takeResponse (store event + value)
 *   V: presentRequest ─► Y: (user allows) presentMessage ─► V: checkPresented (verdicts)
 */

export function requestMessage(request: AttestationRequest): IdentityMessageOf<'id-attest-request'> {
  const { requestId, name, schema, value, salt, expires } = request;
  return { type: 'id-attest-request', requestId, name, schema, value, salt, expires };
}

export function requestFromMessage(m: IdentityMessageOf<'id-attest-request'>): AttestationRequest {
  const { requestId, name, schema, value, salt, expires } = m;
  return { requestId, name, schema, value, salt, expires };
}

/** X's answer: the signed attestation when its user agreed, `event: null` when it refused. */
export async function answerRequest(
  signer: Signer,
  request: AttestationRequest,
  subject: PublicKeyHex,
  agreed: boolean,
  now: number,
): Promise<{ message: IdentityMessageOf<'id-attest-response'>; event: LedgerEvent | null }> {
  const event = agreed ? await attest(signer, request, subject, now) : null;
  return { message: { type: 'id-attest-response', requestId: request.requestId, event: event ? toSigned(event) : null }, event };
}

export type TakeResponseOutcome = { attested: true; event: LedgerEvent } | { attested: false };

/** Y's side: checks X's answer against what Y asked and, when attested, stores the event. */
export async function takeResponse(
  m: IdentityMessageOf<'id-attest-response'>,
  pending: AttestationRequest,
  parties: { self: PublicKeyHex; attester: PublicKeyHex },
  store: LedgerStore,
  ctx: ValidationContext,
): Promise<Result<TakeResponseOutcome, EventProblem | ResponseProblem | 'wrong-request'>> {
  if (m.requestId !== pending.requestId) return err('wrong-request');
  if (m.event === null) return ok({ attested: false });
  const checked = await validateEvent(m.event, ctx);
  if (!checked.ok) return checked;
  const matches = checkAttestationResponse(pending, checked.value, parties.self, parties.attester);
  if (!matches.ok) return matches;
  await store.add([checked.value]);
  return ok({ attested: true, event: checked.value });
}

/** What Y keeps for each attestation about itself: the event and the value and salt behind its hash. */
export interface HeldAttestation {
  attestationId: string;
  event: LedgerEvent;
  name: string;
  value: string;
  salt: string;
}

export function presentRequest(requestId: string, names: string[]): IdentityMessageOf<'id-present-request'> {
  return { type: 'id-present-request', requestId, names };
}

/** Y's answer to a verifier: the held attestations it asked for when Y's user allows, none otherwise. */
export function presentMessage(
  request: IdentityMessageOf<'id-present-request'>,
  held: readonly HeldAttestation[],
  allowed: boolean,
): IdentityMessageOf<'id-present'> {
  const items = allowed
    ? held
        .filter((h) => request.names.length === 0 || request.names.includes(h.name))
        .slice(0, 16)
        .map((h) => ({ event: toSigned(h.event), attestationId: h.attestationId, value: h.value, salt: h.salt }))
    : [];
  return { type: 'id-present', requestId: request.requestId, refused: !allowed, items };
}

export interface PresentedVerdict extends AttestationVerdict {
  readonly value: string;
}

/**
 * The verifier's side: each presented event enters its ledger (signature checked there), then the
 * fold decides withdrawal and the attester's standing, and the value is checked against the hash.
 */
export async function checkPresented(
  m: IdentityMessageOf<'id-present'>,
  presenter: PublicKeyHex,
  store: LedgerStore,
  o: { ctx: ValidationContext; trusted: ReadonlySet<string>; rules?: LedgerRules },
): Promise<PresentedVerdict[]> {
  await acceptEvents(store, m.items.map((i) => i.event), o.ctx);
  const state = foldLedger(await store.all(), o.ctx.now, o.rules);
  return m.items.map((item) => ({ ...verifyPresentation(state, item, presenter, o.trusted), value: item.value }));
}

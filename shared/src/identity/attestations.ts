import canonicalize from 'canonicalize';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '../core/hex.js';
import { isUuidV4 } from '../core/ids.js';
import { uuidV4, type RandomBytes } from '../core/random.js';
import { err, ok, type Result } from '../core/result.js';
import { signEvent, type LedgerEvent } from './events.js';
import { taggedMessage, type PublicKeyHex, type Signer } from './keys.js';
import type { AttestationRecord, LedgerState } from './state.js';

/**
 * I7, in IPv8's two flows. Enrolment: Y asks X to attest an attribute (name, schema, value,
 * expiry); X sees the request and attests or refuses; the attestation, a ledger event signed by X,
 * carries only a salted hash of the value; Y keeps the value and the salt. Verification: a
 * verifier asks Y; Y's user allows; Y presents the value and salt; the verifier checks the hash,
 * X's signature (done when the event entered its ledger), expiry, withdrawal, X's standing, and
 * whether it trusts X. The salt keeps a guessable value (an organisation's name) out of reach of
 * everyone who merely holds the ledger.
 */
export const ATTRIBUTE_TAG = 'ihyid-attr-v1';

export interface AttributeClaim {
  name: string;
  schema: string;
  value: string;
  /** 16 random bytes, lowercase hex. */
  salt: string;
}

/** hex SHA-256(UTF-8("ihyid-attr-v1" LF canonical-JSON({name, salt, schema, value}))). */
export function attributeValueHash(claim: AttributeClaim): string {
  const { name, schema, value, salt } = claim;
  return bytesToHex(sha256(taggedMessage(ATTRIBUTE_TAG, canonicalize({ name, salt, schema, value })!)));
}

export interface AttestationRequest extends AttributeClaim {
  requestId: string;
  /** When the attestation should end, milliseconds since 1970. */
  expires: number;
}

export function makeAttestationRequest(fields: Omit<AttestationRequest, 'requestId' | 'salt'>, random: RandomBytes): AttestationRequest {
  return { ...fields, requestId: uuidV4(random), salt: bytesToHex(random(16)) };
}

/** X's side, once its user agreed: the attest event to send back (and keep in its own ledger). */
export function attest(signer: Signer, request: AttestationRequest, subject: PublicKeyHex, now: number): Promise<LedgerEvent> {
  const { name, schema, expires } = request;
  return signEvent(signer, { kind: 'attest', at: now, subject, name, schema, valueHash: attributeValueHash(request), expires });
}

export function withdrawAttestation(signer: Signer, attestationId: string, now: number): Promise<LedgerEvent> {
  return signEvent(signer, { kind: 'revoke-attestation', at: now, attestation: attestationId });
}

export type ResponseProblem = 'not-an-attestation' | 'wrong-attester' | 'wrong-subject' | 'different-claim';

/** Y's side: the validated event X sent back really attests what Y asked, about Y, by X. */
export function checkAttestationResponse(
  request: AttestationRequest,
  event: LedgerEvent,
  self: PublicKeyHex,
  attester: PublicKeyHex,
): Result<LedgerEvent, ResponseProblem> {
  const body = event.body;
  if (body.kind !== 'attest') return err('not-an-attestation');
  if (body.author !== attester) return err('wrong-attester');
  if (body.subject !== self) return err('wrong-subject');
  if (body.name !== request.name || body.schema !== request.schema || body.valueHash !== attributeValueHash(request) || body.expires !== request.expires) {
    return err('different-claim');
  }
  return ok(event);
}

export type AttestationStatus = 'trusted' | 'untrusted-attester' | 'invalid';
export type AttestationProblem =
  | 'not-in-ledger'
  | 'wrong-subject'
  | 'value-mismatch'
  | 'expired'
  | 'withdrawn'
  | 'attester-unregistered'
  | 'attester-revoked';

export interface AttestationVerdict {
  readonly status: AttestationStatus;
  readonly problem: AttestationProblem | null;
  readonly record: AttestationRecord | null;
}

/** Standing of an attestation at `state.now`, without its value: for badges. */
export function attestationStanding(state: LedgerState, record: AttestationRecord, trusted: ReadonlySet<string>): AttestationVerdict {
  const invalid = (problem: AttestationProblem): AttestationVerdict => ({ status: 'invalid', problem, record });
  if (record.revokedAt !== null) return invalid('withdrawn');
  if (state.now >= record.expires) return invalid('expired');
  const attester = state.identities.get(record.attester);
  if (!attester) return invalid('attester-unregistered');
  if (attester.status === 'revoked') return invalid('attester-revoked');
  return { status: trusted.has(record.attester) ? 'trusted' : 'untrusted-attester', problem: null, record };
}

/**
 * The verifier's side: Y (`presenter`) showed attestation `attestationId` with its value and salt.
 * The attest event must already be in the verifier's ledger (accept it with `acceptEvents` first,
 * which checks X's signature), so that withdrawal and X's standing come from the same fold.
 */
export function verifyPresentation(
  state: LedgerState,
  presented: { attestationId: string; value: string; salt: string },
  presenter: PublicKeyHex,
  trusted: ReadonlySet<string>,
): AttestationVerdict {
  const record = state.attestations.get(presented.attestationId);
  if (!record) return { status: 'invalid', problem: 'not-in-ledger', record: null };
  if (record.subject !== presenter) return { status: 'invalid', problem: 'wrong-subject', record };
  const hash = attributeValueHash({ name: record.name, schema: record.schema, value: presented.value, salt: presented.salt });
  if (hash !== record.valueHash) return { status: 'invalid', problem: 'value-mismatch', record };
  return attestationStanding(state, record, trusted);
}

/** Current attestations about `subject` (withdrawn, expired and revoked attesters left out). */
export function attestationsAbout(state: LedgerState, subject: PublicKeyHex, trusted: ReadonlySet<string>): AttestationVerdict[] {
  return [...state.attestations.values()]
    .filter((r) => r.subject === subject)
    .map((r) => attestationStanding(state, r, trusted))
    .filter((v) => v.status !== 'invalid');
}

/**
 * A4's standing rule, "auto-accept this partner when an attester we trust vouches for attribute
 * `name`": true only for a current attestation by a trusted, authenticated attester.
 */
export function satisfiesAttestationRule(
  state: LedgerState,
  peer: PublicKeyHex,
  rule: { attribute: string; attesters: ReadonlySet<string> },
): boolean {
  return attestationsAbout(state, peer, rule.attesters).some((v) => v.status === 'trusted' && v.record!.name === rule.attribute);
}

export const isRequestId = isUuidV4;

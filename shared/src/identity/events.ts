import canonicalize from 'canonicalize';
import { sha256 } from '@noble/hashes/sha2.js';
import * as v from 'valibot';
import { bytesToHex, hexToBytes } from '../core/hex.js';
import { err, ok, type Result } from '../core/result.js';
import { verifyRegistrationPow } from './pow.js';
import { DEFAULT_LEDGER_RULES, type LedgerRules } from './constants.js';
import { taggedMessage, type PublicKeyHex, type Signer, type Verifier } from './keys.js';

/**
 * I3: the ledger's events. Each is a body in canonical form (RFC 8785, the `canonicalize`
 * package) signed by its author. The exact bytes, for signing and for the id, are
 *
 *   message = UTF-8("ihyid-event-v1" LF canonical-JSON(body))
 *   id      = lowercase hex SHA-256(message)
 *   sig     = lowercase hex Ed25519(author's key, message)
 *
 * so an event is content-addressed: the same body is the same event however often it arrives.
 */
export const EVENT_TAG = 'ihyid-event-v1';

const hex = (bytes: number) => v.pipe(v.string(), v.regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`)));
export const KeyHexSchema = v.pipe(hex(32), v.transform((s) => s as PublicKeyHex));
export const EventIdSchema = hex(32);
/** Milliseconds since 1970; integers so the canonical form has one spelling. */
const Time = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const Nonce = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const Label = v.pipe(v.string(), v.minLength(1), v.maxLength(64));

const base = { v: v.literal(1), author: KeyHexSchema, at: Time };

export const EventBodySchema = v.variant('kind', [
  /** I2: cd = SHA-256(author key ‖ seed), SHA-256(cd ‖ nonce) has the network's leading zero bits. */
  v.strictObject({ ...base, kind: v.literal('register'), seed: hex(16), nonce: Nonce }),
  /** I5: the issuer (author) challenges `target`; data = SHA-256(target ‖ rand ‖ issued-at seconds). */
  v.strictObject({ ...base, kind: v.literal('challenge'), target: KeyHexSchema, rand: hex(16) }),
  /** I5: the target (author) solved `challenge` with `nonce` at the network's challenge difficulty. */
  v.strictObject({ ...base, kind: v.literal('solution'), challenge: EventIdSchema, nonce: Nonce }),
  /** I5: the issuer (author) reports that its `challenge` expired unsolved. */
  v.strictObject({ ...base, kind: v.literal('ignore'), challenge: EventIdSchema }),
  /** I7: the attester (author) vouches for attribute `name` of `subject`, holding only the value's hash. */
  v.strictObject({
    ...base,
    kind: v.literal('attest'),
    subject: KeyHexSchema,
    name: Label,
    schema: Label,
    valueHash: hex(32),
    expires: Time,
  }),
  /** I7: the attester (author) withdraws its `attestation`. */
  v.strictObject({ ...base, kind: v.literal('revoke-attestation'), attestation: EventIdSchema }),
]);

export const SignedEventSchema = v.strictObject({ body: EventBodySchema, sig: hex(64) });

export type EventBody = v.InferOutput<typeof EventBodySchema>;
export type EventKind = EventBody['kind'];
export type SignedEvent = v.InferOutput<typeof SignedEventSchema>;
export type BodyOf<K extends EventKind> = Extract<EventBody, { kind: K }>;
/** An event that passed `validateEvent`: its id is computed here, never taken from the wire. */
export interface LedgerEvent<B extends EventBody = EventBody> {
  readonly id: string;
  readonly body: B;
  readonly sig: string;
}

export function eventMessage(body: EventBody): Uint8Array {
  return taggedMessage(EVENT_TAG, canonicalize(body)!);
}

export function eventId(body: EventBody): string {
  return bytesToHex(sha256(eventMessage(body)));
}

/** Distributes Omit over the union so each kind keeps its own fields. */
export type UnsignedBody<B = EventBody> = B extends EventBody ? Omit<B, 'v' | 'author'> : never;

export async function signEvent<B extends UnsignedBody>(signer: Signer, fields: B): Promise<LedgerEvent> {
  const body = v.parse(EventBodySchema, { v: 1, author: signer.publicKey, ...fields });
  const sig = bytesToHex(await signer.sign(eventMessage(body)));
  return { id: eventId(body), body, sig };
}

export type EventProblem = 'malformed-event' | 'bad-signature' | 'insufficient-work' | 'future-event' | 'self-reference' | 'bad-expiry';

export interface ValidationContext {
  /** The validator's clock, milliseconds since 1970. */
  now: number;
  verify: Verifier;
  rules?: LedgerRules;
}

/**
 * Context-free checks, run on every event when it is received and again when the ledger is loaded
 * (I3): shape, the author's signature, a registration's proof of work at the verifier's own
 * difficulty, no self-challenge or self-attestation, and no time beyond the allowed clock skew.
 * Checks that need other events (is the challenge there, did its issuer sign the ignore, …) are
 * made by the fold in reputation.ts every time state is rebuilt.
 */
export async function validateEvent(raw: unknown, ctx: ValidationContext): Promise<Result<LedgerEvent, EventProblem>> {
  const parsed = v.safeParse(SignedEventSchema, raw);
  if (!parsed.success) return err('malformed-event');
  const { body, sig } = parsed.output;
  const rules = ctx.rules ?? DEFAULT_LEDGER_RULES;
  if (body.at > ctx.now + rules.maxClockSkewMs) return err('future-event');
  if (body.kind === 'challenge' && body.target === body.author) return err('self-reference');
  if (body.kind === 'attest' && body.subject === body.author) return err('self-reference');
  if (body.kind === 'attest' && body.expires <= body.at) return err('bad-expiry');
  if (body.kind === 'register' && !verifyRegistrationPow(body.author, body.seed, body.nonce, rules.registrationBits)) {
    return err('insufficient-work');
  }
  const message = eventMessage(body);
  if (!(await ctx.verify(body.author, message, hexToBytes(sig)))) return err('bad-signature');
  return ok({ id: bytesToHex(sha256(message)), body, sig });
}

/** The wire form of a validated event. */
export const toSigned = (event: LedgerEvent): SignedEvent => ({ body: event.body, sig: event.sig });

export function isKind<K extends EventKind>(event: LedgerEvent, kind: K): event is LedgerEvent<BodyOf<K>> {
  return event.body.kind === kind;
}

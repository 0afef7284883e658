import { UUID_V4_PATTERN } from '../core/ids.js';
import * as v from 'valibot';
import { err, ok, type Result } from '../core/result.js';
import { identityFailure, IdentityErrorCode, isIdentityErrorCode, type IdentityFailure } from './errors.js';
import { EventIdSchema, KeyHexSchema, SignedEventSchema } from './events.js';
import { MAX_CHAIN } from './devices.js';
import { SignedRevocationSchema } from './revocation.js';

/**
 * The identity protocol's messages (PROTOCOL.md "Identity"): handshake (I8), ledger
 * reconciliation and gossip (I3, I5), attestation flows (I7). One JSON text frame each, a
 * discriminated union on `type`, parsed from unknown. Kept apart from peer/protocol.ts until the
 * session integrates it; every type starts with `id-` so the session can route frames by prefix.
 */
/**
 * 2: the id-proof carries the link MAC (I9). 3: the id-hello carries the sender's device chain and
 * `id-revocations` frames its organisation's revocations (I10); a version-2 hello has neither field,
 * so it cannot be read as a root device's (strict parse) and meets incompatible-version.
 */
export const IDENTITY_PROTOCOL_VERSION = 3;
/** Same ceiling as the peer protocol's frames (Chromium refuses data-channel frames over 256 KiB). */
export const MAX_IDENTITY_FRAME_CHARS = 64 * 1024;
/** Ids per frame: 600 × 67 characters ≈ 40 KB. */
export const IDS_PER_FRAME = 600;
/** Events per frame: an event is at most about 800 characters, 50 of them ≈ 40 KB. */
export const EVENTS_PER_FRAME = 50;
/** The most events one reconciliation accepts from a peer. */
export const MAX_RECONCILE_EVENTS = 200_000;
export const SUMMARY_BUCKETS = 256;
/** I10: revocations per `id-revocations` frame: a revocation with an admin's chain is about 2.2 KB, 16 ≈ 35 KB. */
export const REVOCATIONS_PER_FRAME = 16;
/** I10: the most revocations one handshake carries; a sender holding more sends its newest. */
export const MAX_HANDSHAKE_REVOCATIONS = 1024;

const Hex = (bytes: number) => v.pipe(v.string(), v.regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`)));
const RequestId = v.pipe(v.string(), v.regex(UUID_V4_PATTERN));
const Label = v.pipe(v.string(), v.minLength(1), v.maxLength(64));
const Time = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const Events = v.pipe(v.array(SignedEventSchema), v.maxLength(EVENTS_PER_FRAME));

export const IdentityMessageSchema = v.variant('type', [
  // Handshake (I8).
  v.strictObject({
    type: v.literal('id-hello'),
    versions: v.pipe(v.array(v.pipe(v.number(), v.integer(), v.minValue(1))), v.minLength(1), v.maxLength(16)),
    key: KeyHexSchema,
    nonce: Hex(32),
    registration: v.nullable(SignedEventSchema),
    // I10: the sender's device chain, its own certificate first (devices.ts); empty from the root device itself.
    chain: v.pipe(v.array(v.unknown()), v.maxLength(MAX_CHAIN)),
  }),
  // I10: the sender's organisation's revocations, right after its hello, in frames until `last`.
  v.strictObject({
    type: v.literal('id-revocations'),
    revocations: v.pipe(v.array(SignedRevocationSchema), v.maxLength(REVOCATIONS_PER_FRAME)),
    last: v.boolean(),
  }),
  // I9: `mac` proves knowledge of the link's (or the pair's) secret: HMAC-SHA256(link key, transcript bytes).
  v.strictObject({ type: v.literal('id-proof'), sig: Hex(64), mac: Hex(32) }),
  // Reconciliation (I3): bucket digests, then the ids in differing buckets, then what the other lacks.
  v.strictObject({
    type: v.literal('id-summary'),
    count: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(10_000_000)),
    buckets: v.pipe(v.array(v.union([v.literal(''), Hex(8)])), v.length(SUMMARY_BUCKETS)),
  }),
  v.strictObject({ type: v.literal('id-ids'), ids: v.pipe(v.array(EventIdSchema), v.maxLength(IDS_PER_FRAME)) }),
  v.strictObject({ type: v.literal('id-ids-end') }),
  v.strictObject({ type: v.literal('id-events'), events: Events }),
  v.strictObject({ type: v.literal('id-events-end') }),
  // Gossip after reconciliation: new challenges, solutions, ignores, attestations (I5, I7).
  v.strictObject({ type: v.literal('id-push'), events: Events }),
  // Attestation enrolment (I7): Y asks X; X answers with the attest event, or null when it refuses.
  v.strictObject({
    type: v.literal('id-attest-request'),
    requestId: RequestId,
    name: Label,
    schema: Label,
    value: v.pipe(v.string(), v.minLength(1), v.maxLength(1000)),
    salt: Hex(16),
    expires: Time,
  }),
  v.strictObject({ type: v.literal('id-attest-response'), requestId: RequestId, event: v.nullable(SignedEventSchema) }),
  // Attestation verification (I7): a verifier asks Y; Y presents (or refuses with an empty list and refused: true).
  v.strictObject({ type: v.literal('id-present-request'), requestId: RequestId, names: v.pipe(v.array(Label), v.maxLength(16)) }),
  v.strictObject({
    type: v.literal('id-present'),
    requestId: RequestId,
    refused: v.boolean(),
    items: v.pipe(
      v.array(v.strictObject({ event: SignedEventSchema, attestationId: EventIdSchema, value: v.pipe(v.string(), v.maxLength(1000)), salt: Hex(16) })),
      v.maxLength(16),
    ),
  }),
  v.strictObject({ type: v.literal('id-error'), code: v.custom<IdentityErrorCode>(isIdentityErrorCode) }),
]);

export type IdentityMessage = v.InferOutput<typeof IdentityMessageSchema>;
export type IdentityMessageType = IdentityMessage['type'];
export type IdentityMessageOf<T extends IdentityMessageType> = Extract<IdentityMessage, { type: T }>;

/** Whether a frame's type belongs to this protocol, so a session can route it here. */
export function isIdentityFrameType(type: unknown): boolean {
  return typeof type === 'string' && type.startsWith('id-');
}

export function parseIdentityMessage(frame: unknown): Result<IdentityMessage, IdentityFailure> {
  if (typeof frame !== 'string') return err(identityFailure(IdentityErrorCode.MalformedMessage, 'not text'));
  if (frame.length > MAX_IDENTITY_FRAME_CHARS) return err(identityFailure(IdentityErrorCode.OversizedMessage));
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return err(identityFailure(IdentityErrorCode.MalformedMessage, 'not JSON'));
  }
  const parsed = v.safeParse(IdentityMessageSchema, json);
  return parsed.success ? ok(parsed.output) : err(identityFailure(IdentityErrorCode.MalformedMessage, parsed.issues[0]?.message));
}

export function serializeIdentityMessage(message: IdentityMessage): string {
  return JSON.stringify(message);
}

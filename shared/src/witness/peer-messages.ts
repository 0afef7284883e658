import { UUID_V4_PATTERN } from '../core/ids.js';
import * as v from 'valibot';
import { ErrorCode, isErrorCode, protocolError, type ProtocolError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { ALERT_PREFIX_CHARS } from './reconcile.js';
import type { WitnessToken } from './token.js';

/**
 * W3, W5: what two witness devices say to each other over their own WebRTC data channel
 * (PROTOCOL.md, "Exposure witness"). One JSON text frame per message, a union on `type`, parsed from
 * unknown. The first four are FANNY's prototype messages; the ALERT_ ones pass declared tokens on.
 */
export const WITNESS_PEER_PROTOCOL = 'ihyid-witness';
export const WITNESS_PEER_VERSIONS = [1] as const;

export const WITNESS_MAX_FRAME_CHARS = 64 * 1024;
/** 2,000 × 19 characters ≈ 38 KB per ALERT_HAVE frame. */
export const ALERT_HAVE_BATCH = 2000;
/** 400 × about 100 characters ≈ 40 KB per ALERTS frame. */
export const ALERTS_BATCH = 400;

const TokenSchema = v.pipe(
  v.string(),
  v.regex(/^[0-9a-f]{64}$/),
  v.transform((s) => s as WitnessToken),
);
/** Contact ids are lowercase UUID v4, as W1 makes them. */
/** W1: contact and session ids are UUID v4. */
export const CONTACT_ID_PATTERN = UUID_V4_PATTERN;
export const AlertPrefixSchema = v.pipe(v.string(), v.regex(new RegExp(`^[0-9a-f]{${ALERT_PREFIX_CHARS}}$`)));
const Version = v.pipe(v.number(), v.integer(), v.minValue(1));
/** Milliseconds since the epoch; plausibility (whole hour, horizon) is judged by isAcceptableAlert. */
export const ExpirySchema = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
export const AlertSchema = v.strictObject({ token: TokenSchema, expiresAt: ExpirySchema });

export const WitnessPeerMessageSchema = v.variant('type', [
  // The answering side (higher session id) says it is there and which versions it speaks.
  v.strictObject({
    type: v.literal('PONG'),
    protocol: v.literal(WITNESS_PEER_PROTOCOL),
    versions: v.pipe(v.array(Version), v.minLength(1), v.maxLength(16)),
  }),
  // Each side's contact id, for this one exchange; never stored (FANNY step 5).
  v.strictObject({ type: v.literal('PRIVATE_UUID'), v: Version, uuid: v.pipe(v.string(), v.regex(CONTACT_ID_PATTERN)) }),
  v.strictObject({ type: v.literal('TOKEN'), token: TokenSchema }),
  // The sender's verdict on the token: stored (true), or refused because it already holds it (false).
  v.strictObject({ type: v.literal('ACK'), ack: v.boolean(), token: TokenSchema }),
  v.strictObject({
    type: v.literal('ALERT_HAVE'),
    prefixes: v.pipe(v.array(AlertPrefixSchema), v.maxLength(ALERT_HAVE_BATCH)),
    last: v.boolean(),
  }),
  v.strictObject({ type: v.literal('ALERTS'), alerts: v.pipe(v.array(AlertSchema), v.maxLength(ALERTS_BATCH)), last: v.boolean() }),
  v.strictObject({ type: v.literal('ERROR'), code: v.custom<ErrorCode>(isErrorCode) }),
]);
export type WitnessPeerMessage = v.InferOutput<typeof WitnessPeerMessageSchema>;

export function encodeWitnessPeerMessage(message: WitnessPeerMessage): string {
  return JSON.stringify(message);
}

/** A7/A8 at the edge: text, at most WITNESS_MAX_FRAME_CHARS, JSON, one of the messages above. */
export function parseWitnessPeerFrame(frame: unknown): Result<WitnessPeerMessage, ProtocolError> {
  if (typeof frame !== 'string') return err(protocolError(ErrorCode.MalformedMessage, 'not a text frame'));
  if (frame.length > WITNESS_MAX_FRAME_CHARS) return err(protocolError(ErrorCode.OversizedMessage, `${frame.length} characters`));
  let raw: unknown;
  try {
    raw = JSON.parse(frame);
  } catch {
    return err(protocolError(ErrorCode.MalformedMessage, 'not JSON'));
  }
  const parsed = v.safeParse(WitnessPeerMessageSchema, raw);
  return parsed.success ? ok(parsed.output) : err(protocolError(ErrorCode.MalformedMessage, v.summarize(parsed.issues)));
}

/** The highest version both sides offer, or null. */
export function negotiateWitnessVersion(ours: readonly number[], theirs: readonly number[]): number | null {
  const common = ours.filter((version) => theirs.includes(version));
  return common.length === 0 ? null : Math.max(...common);
}
